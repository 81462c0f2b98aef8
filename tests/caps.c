/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder until the caps suite is written. */
#include <stdio.h>
int main(void)
{
	printf("the caps suite is not written yet\n");
	return 77;
}
