/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder: the cgroup-view example is being written. */
#include <stdio.h>
int main(void)
{
	puts("cgroup-view: not written yet");
	return 77;
}
