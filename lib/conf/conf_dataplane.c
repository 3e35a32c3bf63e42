/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dataplane = { workers; crypto_device; crypto_mode; poll_mode; mbufs;
 *               burst; max_sas; default_policy; kernel_route_table; }
 *
 * Fast-path sizing and modes. The whole section is optional.
 */
#include <string.h>

#include "conf_priv.h"

static const struct conf_key dp_keys[] = {
	{ "workers", CONF_T_INT, false },
	{ "crypto_device", CONF_T_STRING, false },
	{ "crypto_mode", CONF_T_STRING, false },
	{ "poll_mode", CONF_T_STRING, false },
	{ "mbufs", CONF_T_INT, false },
	{ "burst", CONF_T_INT, false },
	{ "max_sas", CONF_T_INT, false },
	{ "default_policy", CONF_T_STRING, false },
	{ "kernel_route_table", CONF_T_INT, false },
	{ NULL, 0, false },
};

#define WORKERS_MAX 1024         /* well above RTE_MAX_LCORE's default */
#define MBUFS_MIN 1023           /* mempools are best sized 2^n - 1 */
#define MBUFS_MAX 1048575
#define MBUFS_DEFAULT 8191
#define BURST_MAX 128
#define BURST_DEFAULT 32
#define MAX_SAS_MAX 1048576
#define MAX_SAS_DEFAULT 1024
/* Linux routing tables 1-252 and main (254); not local (255), 0, 253. */
#define RT_TABLE_MAIN 254
#define RT_TABLE_MAX 252

static void
set_defaults(struct conf_dataplane *dp)
{
	dp->workers = 0;
	conf_strlcpy(dp->crypto_device, "auto", sizeof(dp->crypto_device));
	dp->crypto_mode = CONF_CRYPTO_CPU;
	dp->poll_mode = CONF_POLL_ADAPTIVE;
	dp->mbufs = MBUFS_DEFAULT;
	dp->burst = BURST_DEFAULT;
	dp->max_sas = MAX_SAS_DEFAULT;
	dp->default_policy = CONF_POLICY_BYPASS;
	dp->kernel_route_table = RT_TABLE_MAIN;
}

static int
parse_crypto_device(struct conf_ctx *x, const config_setting_t *s,
		    struct conf_dataplane *dp)
{
	const config_setting_t *m = config_setting_get_member(s,
							      "crypto_device");
	const char *dev;

	if (m == NULL)
		return 0;
	dev = config_setting_get_string(m);
	if (dev[0] == '\0' || strlen(dev) >= CONF_DEVICE_MAX)
		return conf_err(x, m,
				"bad crypto_device '%s' in dataplane (\"auto\" or a cryptodev name, at most %d characters)",
				dev, CONF_DEVICE_MAX - 1);
	conf_strlcpy(dp->crypto_device, dev, sizeof(dp->crypto_device));
	return 0;
}

static int
parse_enums(struct conf_ctx *x, const config_setting_t *s,
	    struct conf_dataplane *dp)
{
	const char *where = "in dataplane";
	int v;
	int rc;

	v = dp->crypto_mode;
	rc = conf_get_enum(x, s, "crypto_mode", where, conf_crypto_mode_names,
			   CONF_N_CRYPTO_MODES, &v);
	dp->crypto_mode = v;
	if (rc != 0)
		return rc;
	v = dp->poll_mode;
	rc = conf_get_enum(x, s, "poll_mode", where, conf_poll_mode_names,
			   CONF_N_POLL_MODES, &v);
	dp->poll_mode = v;
	if (rc != 0)
		return rc;
	/* protect needs an SA: only bypass and discard make a default. */
	v = dp->default_policy - CONF_POLICY_BYPASS;
	rc = conf_get_enum(x, s, "default_policy", where,
			   conf_action_names + CONF_POLICY_BYPASS,
			   CONF_N_ACTIONS - CONF_POLICY_BYPASS, &v);
	dp->default_policy = v + CONF_POLICY_BYPASS;
	return rc;
}

int
conf_parse_dataplane(struct conf_ctx *x, const config_setting_t *s)
{
	struct conf_dataplane *dp = &x->conf->dataplane;
	const char *where = "in dataplane";
	int64_t workers = 0, mbufs = MBUFS_DEFAULT, burst = BURST_DEFAULT;
	int64_t max_sas = MAX_SAS_DEFAULT, table = RT_TABLE_MAIN;
	int rc;

	set_defaults(dp);
	if (s == NULL)
		return 0;
	rc = conf_check_keys(x, s, dp_keys, where);
	if (rc == 0)
		rc = conf_get_int(x, s, "workers", where, 0, WORKERS_MAX,
				  &workers);
	if (rc == 0)
		rc = conf_get_int(x, s, "mbufs", where, MBUFS_MIN, MBUFS_MAX,
				  &mbufs);
	if (rc == 0)
		rc = conf_get_int(x, s, "burst", where, 1, BURST_MAX, &burst);
	if (rc == 0)
		rc = conf_get_int(x, s, "max_sas", where, 1, MAX_SAS_MAX,
				  &max_sas);
	if (rc == 0)
		rc = conf_get_int(x, s, "kernel_route_table", where, 1,
				  RT_TABLE_MAIN, &table);
	if (rc == 0 && table > RT_TABLE_MAX && table != RT_TABLE_MAIN)
		rc = conf_err(x, config_setting_get_member(s,
							   "kernel_route_table"),
			      "kernel_route_table %lld %s: 1-%d or %d (main)",
			      (long long)table, where, RT_TABLE_MAX,
			      RT_TABLE_MAIN);
	if (rc == 0)
		rc = parse_crypto_device(x, s, dp);
	if (rc == 0)
		rc = parse_enums(x, s, dp);
	dp->workers = (unsigned int)workers;
	dp->mbufs = (uint32_t)mbufs;
	dp->burst = (uint16_t)burst;
	dp->max_sas = (uint32_t)max_sas;
	dp->kernel_route_table = (uint32_t)table;
	return rc;
}
