/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder: the pid-isolation example is being written. */
#include <stdio.h>
int main(void)
{
	puts("pid-isolation: not written yet");
	return 77;
}
