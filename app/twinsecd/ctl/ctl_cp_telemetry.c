/* SPDX-License-Identifier: BSD-3-Clause */
/* Telemetry of the exception path and the learned routes. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_telemetry.h>

#include "ctl_cp_telemetry.h"
#include "ctl_cpif.h"
#include "ctl_route.h"
#include "ctl_telemetry.h"
#include "dp_cpif.h"
#include "tw_compiler.h"
#include "tw_log.h"

#define ROUTES_SHOWN 256        /* a telemetry reply has a size limit */

static void
fill_cp(struct ctl *ctl TW_UNUSED, void *arg)
{
	struct ctl_tel_req *r = arg;
	const struct ctl_cpif_counters *k;
	struct dp_cpif_stats ds;
	struct rte_tel_data *c;
	char key[40];
	unsigned int i, w;

	rte_tel_data_start_dict(r->d);
	for (i = 0; i < dp_n_ports(); i++) {
		k = ctl_cpif_counters((uint16_t)i);
		c = rte_tel_data_alloc();
		if (c == NULL) {
			r->rc = -ENOMEM;
			return;
		}
		rte_tel_data_start_dict(c);
		rte_tel_data_add_dict_string(c, "control_plane",
					     k != NULL ? "on" : "off");
		if (k != NULL) {
			rte_tel_data_add_dict_string(c, "kernel_interface",
						     dp_cpif_name((uint16_t)i));
			for (w = 0; w < CTL_CP_N_WHY; w++) {
				snprintf(key, sizeof(key), "to_kernel_%s",
					 ctl_cp_why_name(w));
				CTL_TEL_U64(c, key, k->to_kernel[w]);
			}
			CTL_TEL_U64(c, "to_kernel_dropped", k->to_kernel_dropped);
			CTL_TEL_U64(c, "from_kernel", k->from_kernel);
			CTL_TEL_U64(c, "from_kernel_arp_reply_dropped",
				    k->from_kernel_arp_reply);
			CTL_TEL_U64(c, "from_kernel_not_ipv4_dropped",
				    k->from_kernel_not_ipv4);
			CTL_TEL_U64(c, "from_kernel_tx_failed",
				    k->from_kernel_tx_fail);
			CTL_TEL_U64(c, "address_fixes", k->mirror_fixes);
			CTL_TEL_U64(c, "interface_lost", k->lost);
			if (dp_cpif_stats_read((uint16_t)i, &ds) == 0) {
				CTL_TEL_U64(c, "tap_queue_full",
					    ds.to_kernel_full);
				CTL_TEL_U64(c, "tap_errors", ds.tap_errors);
			}
		}
		snprintf(key, sizeof(key), "%s", dp_port((uint16_t)i)->name);
		rte_tel_data_add_dict_container(r->d, key, c, 0);
	}
}

static void
fill_routes(struct ctl *ctl TW_UNUSED, void *arg)
{
	struct ctl_tel_req *r = arg;
	const struct ctl_route_counters *k = ctl_route_counters();
	struct ctl_route_view v;
	struct rte_tel_data *c, *l;
	char buf[64], a[16], g[16];
	unsigned int i;

	rte_tel_data_start_dict(r->d);
	c = rte_tel_data_alloc();
	l = rte_tel_data_alloc();
	if (c == NULL || l == NULL) {
		rte_tel_data_free(c);
		rte_tel_data_free(l);
		r->rc = -ENOMEM;
		return;
	}
	rte_tel_data_start_dict(c);
	CTL_TEL_U64(c, "nl_msgs", k->nl_msgs);
	CTL_TEL_U64(c, "nl_unknown", k->nl_unknown);
	CTL_TEL_U64(c, "nl_malformed", k->nl_malformed);
	CTL_TEL_U64(c, "nl_overruns", k->nl_overruns);
	CTL_TEL_U64(c, "nl_errors", k->nl_errors);
	CTL_TEL_U64(c, "nl_foreign", k->nl_foreign);
	CTL_TEL_U64(c, "dumps", k->dumps);
	CTL_TEL_U64(c, "added", k->added);
	CTL_TEL_U64(c, "replaced", k->replaced);
	CTL_TEL_U64(c, "deleted", k->deleted);
	CTL_TEL_U64(c, "ignored", k->ignored);
	CTL_TEL_U64(c, "multipath", k->multipath);
	CTL_TEL_U64(c, "table_full", k->table_full);
	CTL_TEL_U64(c, "fib_errors", k->fib_errors);
	CTL_TEL_U64(c, "flushed", k->flushed);
	rte_tel_data_add_dict_container(r->d, "counters", c, 0);
	rte_tel_data_start_array(l, RTE_TEL_STRING_VAL);
	for (i = 0; i < ROUTES_SHOWN && ctl_route_view(i, &v); i++) {
		snprintf(buf, sizeof(buf), "%s/%u via %s %s %s [%u/%u] %s",
			 conf_ipv4_str(v.prefix, a, sizeof(a)), v.len,
			 conf_ipv4_str(v.nexthop, g, sizeof(g)),
			 dp_port(v.port)->name, ctl_route_proto_name(v.proto),
			 v.distance, v.metric,
			 v.programmed ? "fib" : v.shadowed ? "shadowed" :
			 "standby");
		rte_tel_data_add_array_string(l, buf);
	}
	rte_tel_data_add_dict_container(r->d, "routes", l, 0);
	rte_tel_data_add_dict_u64(r->d, "n_routes", ctl_route_count());
	rte_tel_data_add_dict_u64(r->d, "routes_shown", i);
}

static int
tel_cp(const char *cmd TW_UNUSED, const char *params,
       struct rte_tel_data *d)
{
	return ctl_telemetry_call(fill_cp, params, d);
}

static int
tel_routes(const char *cmd TW_UNUSED, const char *params,
	   struct rte_tel_data *d)
{
	return ctl_telemetry_call(fill_routes, params, d);
}

int
ctl_cp_telemetry_init(void)
{
	int rc;

	rc = rte_telemetry_register_cmd("/twinsec/control_plane", tel_cp,
		"Control-plane interfaces: the exception path's counters per port. Takes no parameters");
	if (rc == 0)
		rc = rte_telemetry_register_cmd("/twinsec/kernel_routes",
						tel_routes,
			"Routes learned from the kernel table: counters and routes. Takes no parameters");
	if (rc < 0)
		tw_log(TW_LOG_WARNING, "telemetry",
		       "cannot register the control-plane endpoints: %s",
		       strerror(-rc));
	return rc;
}
