/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder: the uts-hostname example is being written. */
#include <stdio.h>
int main(void)
{
	puts("uts-hostname: not written yet");
	return 77;
}
