/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder: the ns-enter example is being written. */
#include <stdio.h>
int main(void)
{
	puts("ns-enter: not written yet");
	return 77;
}
