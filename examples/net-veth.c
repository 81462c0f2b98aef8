/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder: the net-veth example is being written. */
#include <stdio.h>
int main(void)
{
	puts("net-veth: not written yet");
	return 77;
}
