/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Layer 0: small helpers (util.h). Every function here is async-signal-safe: spawn-child.c calls them. */
#define _GNU_SOURCE
#include <signal.h>
#include "util.h"

void ns__reset_signal_handlers(void)
{
	struct sigaction sa;

	for (int sig = 1; sig < NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		if (sigaction(sig, NULL, &sa) < 0)
			continue;
		if (sa.sa_handler == SIG_IGN || sa.sa_handler == SIG_DFL)
			continue;
		sa.sa_handler = SIG_DFL;
		sa.sa_flags = 0;
		sigaction(sig, &sa, NULL);
	}
}
