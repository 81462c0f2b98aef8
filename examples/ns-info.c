/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder: the ns-info example is being written. */
#include <stdio.h>
int main(void)
{
	puts("ns-info: not written yet");
	return 77;
}
