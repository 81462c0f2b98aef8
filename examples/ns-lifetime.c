/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder: the ns-lifetime example is being written. */
#include <stdio.h>
int main(void)
{
	puts("ns-lifetime: not written yet");
	return 77;
}
