/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder: the userns-sandbox example is being written. */
#include <stdio.h>
int main(void)
{
	puts("userns-sandbox: not written yet");
	return 77;
}
