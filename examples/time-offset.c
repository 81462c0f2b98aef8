/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder: the time-offset example is being written. */
#include <stdio.h>
int main(void)
{
	puts("time-offset: not written yet");
	return 77;
}
