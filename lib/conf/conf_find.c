/* SPDX-License-Identifier: BSD-3-Clause */
/* Lookups in a loaded config. Configs are small: linear scans. */
#include <string.h>

#include "conf.h"

const struct conf_iface *
conf_iface_find(const struct conf *c, const char *name)
{
	unsigned int i;

	for (i = 0; i < c->n_ifaces; i++)
		if (strcmp(c->ifaces[i].name, name) == 0)
			return &c->ifaces[i];
	return NULL;
}

const struct conf_iface *
conf_iface_connected(const struct conf *c, uint32_t addr)
{
	unsigned int i;

	for (i = 0; i < c->n_ifaces; i++) {
		const struct conf_iface *ifc = &c->ifaces[i];
		struct conf_prefix net = {
			.addr = ifc->addr,
			.len = ifc->prefix_len,
		};

		if (conf_prefix_contains(&net, addr))
			return ifc;
	}
	return NULL;
}

const struct conf_iface *
conf_iface_connected_addr(const struct conf *c, const struct tw_addr *a,
			  unsigned int *idx6)
{
	unsigned int i, j;

	if (a->family == TW_AF_INET)
		return conf_iface_connected(c, a->v4);
	for (i = 0; i < c->n_ifaces; i++) {
		const struct conf_iface *ifc = &c->ifaces[i];

		for (j = 0; j < ifc->n_addr6; j++)
			if (tw_prefix_contains(&ifc->addr6[j], a)) {
				if (idx6 != NULL)
					*idx6 = j;
				return ifc;
			}
	}
	return NULL;
}

const struct conf_iface *
conf_iface_owning(const struct conf *c, const struct tw_addr *a)
{
	unsigned int i, j;

	for (i = 0; i < c->n_ifaces; i++) {
		const struct conf_iface *ifc = &c->ifaces[i];

		if (a->family == TW_AF_INET && ifc->addr == a->v4)
			return ifc;
		for (j = 0; j < ifc->n_addr6; j++)
			if (tw_addr_eq(&ifc->addr6[j].addr, a))
				return ifc;
	}
	return NULL;
}

const struct conf_crypto_map *
conf_crypto_map_find(const struct conf *c, const char *name)
{
	unsigned int i;

	for (i = 0; i < c->n_crypto_maps; i++)
		if (strcmp(c->crypto_maps[i].name, name) == 0)
			return &c->crypto_maps[i];
	return NULL;
}

const struct conf_transform_set *
conf_transform_set_find(const struct conf *c, const char *name)
{
	unsigned int i;

	for (i = 0; i < c->n_transform_sets; i++)
		if (strcmp(c->transform_sets[i].name, name) == 0)
			return &c->transform_sets[i];
	return NULL;
}
