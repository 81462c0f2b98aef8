/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder until the list suite is written. */
#include <stdio.h>
int main(void)
{
	printf("the list suite is not written yet\n");
	return 77;
}
