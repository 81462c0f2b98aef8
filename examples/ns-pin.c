/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder: the ns-pin example is being written. */
#include <stdio.h>
int main(void)
{
	puts("ns-pin: not written yet");
	return 77;
}
