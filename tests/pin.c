/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder until the pin suite is written. */
#include <stdio.h>
int main(void)
{
	printf("the pin suite is not written yet\n");
	return 77;
}
