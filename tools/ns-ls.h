/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ns-ls's two halves: ns-ls.c reads the options and selects the rows, ns-ls-output.c turns a row's
 * columns into text and prints the table, raw, JSON and tree forms.
 */
#ifndef LIBNS_TOOLS_NS_LS_H
#define LIBNS_TOOLS_NS_LS_H
#include <stdbool.h>
#include <stddef.h>
#include <libns/libns.h>

#include "common.h"

enum col { C_NS, C_TYPE, C_PATH, C_NPROCS, C_PID, C_PPID, C_COMMAND, C_UID, C_USER, C_NSFS, C_PNS, C_ONS,
	   C_ID, C_PARENT, C_OWNER, C_HELD, C_COUNT };

struct column {
	const char *name, *json, *help;
	bool number;
};
extern const struct column columns[C_COUNT];

struct out {
	const enum col *cols;
	int ncols;
	bool raw, noheadings, json;
	int width[C_COUNT];
};

enum relation { REL_NONE, REL_OWNER, REL_PARENT };

/* The pins of this mount namespace, for the NSFS column (none if they could not be read). */
extern struct tool_pin *pins;
extern int npins;

/* One cell as text; "" when the value does not exist (printed "-" in a table, null in JSON). */
void cell(const struct ns_entry *e, enum col c, char *buf, size_t size);
void print_row(const struct out *o, const struct ns_entry *e, const char *tree, bool first);
void print_header(const struct out *o);
/* Widths from the header and every selected row (tree prefixes are drawn in the last text column). */
void measure(struct out *o, const struct ns_list *l, const bool *selected, int tree_extra);
void print_tree(const struct out *o, const struct ns_list *l, const bool *sel, enum relation rel);

#endif
