/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * logging = { host = "local" | "A.B.C.D"; port; facility; trap; }
 *
 * IOS "logging host A.B.C.D", "logging facility local7", "logging trap
 * informational": every log line at the trap level or more severe also
 * goes to syslog, either this machine's (syslog(3), host "local") or a
 * remote collector over UDP (RFC 3164 framing, port 514 by default).
 * Without the section nothing goes to syslog. The buffer that
 * "show logging" prints is always on.
 */
#include <string.h>

#include "conf_priv.h"

/* RFC 5424 6.2.1 facility codes, by IOS's names; NULL: no name. */
static const char *const facility_names[] = {
	"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
	"uucp", "cron", "authpriv", "ftp", NULL, NULL, NULL, NULL,
	"local0", "local1", "local2", "local3", "local4", "local5", "local6",
	"local7",
};
#define N_FACILITIES (sizeof(facility_names) / sizeof(facility_names[0]))

/* IOS's level names, RFC 5424 severities 0-7. */
static const char *const level_names[] = {
	"emergencies", "alerts", "critical", "errors", "warnings",
	"notifications", "informational", "debugging",
};
#define N_LEVELS (sizeof(level_names) / sizeof(level_names[0]))

static const struct conf_key logging_keys[] = {
	{ "host", CONF_T_STRING, true },
	{ "port", CONF_T_INT, false },
	{ "facility", CONF_T_STRING, false },
	{ "trap", CONF_T_STRING, false },
	{ NULL, 0, false },
};

const char *
conf_log_facility_name(unsigned int f)
{
	return f < N_FACILITIES && facility_names[f] != NULL ?
		facility_names[f] : "?";
}

const char *
conf_log_level_name(unsigned int l)
{
	return l < N_LEVELS ? level_names[l] : "?";
}

/* One of names[0..n) (NULL entries skipped), "a, b, c" in the error. */
static int
get_name(struct conf_ctx *x, const config_setting_t *s, const char *key,
	 const char *const *names, unsigned int n, uint8_t *out)
{
	const char *v = conf_get_str(s, key);
	char list[256] = "";
	size_t off = 0;
	unsigned int i;

	if (v == NULL)
		return 0;
	for (i = 0; i < n; i++)
		if (names[i] != NULL && strcmp(names[i], v) == 0) {
			*out = (uint8_t)i;
			return 0;
		}
	for (i = 0; i < n && off < sizeof(list); i++)
		if (names[i] != NULL)
			off += snprintf(list + off, sizeof(list) - off, "%s%s",
					off != 0 ? ", " : "", names[i]);
	return conf_err(x, config_setting_get_member(s, key),
			"logging %s \"%s\" is not one of %s", key, v, list);
}

int
conf_parse_logging(struct conf_ctx *x, const config_setting_t *s)
{
	struct conf_logging *l = &x->conf->logging;
	int64_t port = 514;
	const char *host;
	int rc;

	memset(l, 0, sizeof(*l));
	l->facility = 23; /* local7, IOS's default */
	l->trap = 6;      /* informational, IOS's default */
	l->port = 514;
	if (s == NULL)
		return 0;
	l->enabled = true;
	l->line = config_setting_source_line(s);
	rc = conf_check_keys(x, s, logging_keys, "in logging");
	if (rc != 0)
		return rc;
	host = conf_get_str(s, "host");
	if (host != NULL && strcmp(host, "local") == 0) {
		l->local = true;
	} else {
		rc = conf_get_ipv4(x, s, "host", "in logging", &l->host);
		if (rc == 0 && !conf_ipv4_is_unicast(l->host) &&
		    l->host != 0x7f000001)
			rc = conf_err(x, config_setting_get_member(s, "host"),
				      "logging host must be \"local\" or a unicast address");
		if (rc != 0)
			return rc;
	}
	rc = conf_get_int(x, s, "port", "in logging", 1, 65535, &port);
	if (rc != 0)
		return rc;
	if (l->local && config_setting_get_member(s, "port") != NULL)
		return conf_err(x, config_setting_get_member(s, "port"),
				"logging port goes with a remote host, not \"local\"");
	l->port = (uint16_t)port;
	rc = get_name(x, s, "facility", facility_names, N_FACILITIES,
		      &l->facility);
	if (rc == 0)
		rc = get_name(x, s, "trap", level_names, N_LEVELS, &l->trap);
	return rc;
}
