/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder: the ns-ls example is being written. */
#include <stdio.h>
int main(void)
{
	puts("ns-ls: not written yet");
	return 77;
}
