/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder: the ns-run example is being written. */
#include <stdio.h>
int main(void)
{
	puts("ns-run: not written yet");
	return 77;
}
