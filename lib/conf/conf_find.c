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
