/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder: the ipc-isolation example is being written. */
#include <stdio.h>
int main(void)
{
	puts("ipc-isolation: not written yet");
	return 77;
}
