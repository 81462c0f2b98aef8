/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder: the userns-root example is being written. */
#include <stdio.h>
int main(void)
{
	puts("userns-root: not written yet");
	return 77;
}
