/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder: the ns-tree example is being written. */
#include <stdio.h>
int main(void)
{
	puts("ns-tree: not written yet");
	return 77;
}
