/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder until the list area is written: every entry point fails with ENOSYS. */
#include "internal.h"

NS_PUBLIC int ns_list_new(unsigned types, unsigned flags, struct ns_list **out)
{
	(void)types;
	(void)flags;
	(void)out;
	return ns__fail(ENOSYS, "ns_list_new: not implemented yet");
}

NS_PUBLIC size_t ns_list_count(const struct ns_list *list)
{
	(void)list;
	return 0;
}

NS_PUBLIC const struct ns_entry *ns_list_get(const struct ns_list *list, size_t i)
{
	(void)list;
	(void)i;
	return NULL;
}

NS_PUBLIC void ns_list_free(struct ns_list *list)
{
	(void)list;

}
