/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder: the benchmark is being written. */
int main(void) { return 0; }
