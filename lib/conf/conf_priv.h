/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TW_CONF_PRIV_H
#define TW_CONF_PRIV_H

/*
 * Internals of the config loader: the parse context, the key tables every
 * group is checked against, and the typed getters the section parsers use.
 *
 * Every group of the file is walked the same way: conf_check_keys() first
 * (unknown keys, wrong types, missing required keys), then the section
 * parser reads the members it now knows to be there and of the right type,
 * and checks their values. The first error stops the load: the daemon
 * refuses to start anyway, and one precise message beats a cascade.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libconfig.h>

#include "conf.h"

/* Distinct files holding secrets whose mode is checked (more: unchecked). */
#define CONF_SECRET_FILES_MAX 8

/* "in crypto map 'VPN' entry 10 inbound": where a message points. */
#define CONF_WHERE_MAX 160

/* A set of uint32_t (conf_set.c); zero-initialised is empty. */
struct conf_u32set {
	uint32_t *slots;    /* mask + 1 slots, 0 = empty */
	uint32_t mask;
	uint32_t n;
	bool has_zero;
};

/* 0 when v was added, 1 when it was already there, -ENOMEM. */
int conf_u32set_add(struct conf_u32set *s, uint32_t v);
void conf_u32set_free(struct conf_u32set *s);

struct conf_ctx {
	const char *name;   /* file name (or string name) for messages */
	const char *dir;    /* @include directory, NULL for strings */
	char *err;
	size_t errlen;
	struct conf *conf;  /* being built */
	/* Manual SPIs seen so far, inbound [0] and outbound [1]. */
	struct conf_u32set spis[2];
	/* Files holding secrets (conf_secret()), checked for their mode. */
	struct {
		const char *file;   /* libconfig's name, NULL: the main one */
		const char *what;   /* the first secret seen in it */
		unsigned int line;
	} secrets[CONF_SECRET_FILES_MAX];
	unsigned int n_secret_files;
};

/* Types a key may have (a bit set: a port is an integer or a string). */
enum conf_type {
	CONF_T_INT = 1u << 0,
	CONF_T_BOOL = 1u << 1,
	CONF_T_STRING = 1u << 2,
	CONF_T_GROUP = 1u << 3,
	CONF_T_LIST = 1u << 4,
	CONF_T_ARRAY = 1u << 5,  /* [ "a", "b" ]: scalars of one type */
};

struct conf_key {
	const char *name;
	unsigned int types; /* enum conf_type bits */
	bool required;
};

/* A top-level section: one table entry in conf_load.c per section. */
struct conf_section {
	struct conf_key key;
	/* Parse the section; s is NULL when it is absent (apply defaults). */
	int (*parse)(struct conf_ctx *x, const config_setting_t *s);
	/* Cross-section checks, run after every section has been parsed. */
	int (*resolve)(struct conf_ctx *x, const config_setting_t *s);
};

/* Report "file:line: message" for setting at; returns -EINVAL. */
int conf_err(struct conf_ctx *x, const config_setting_t *at,
	     const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Add a "file:line: message" warning to the config being built (the load
 * goes on). Past CONF_WARN_MAX they are only counted.
 */
void conf_warn(struct conf_ctx *x, const config_setting_t *at,
	       const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/*
 * Setting s holds a secret (what: "pre-shared key", ...): its file must not
 * be readable by group or others, which the end of the load checks.
 */
void conf_secret(struct conf_ctx *x, const config_setting_t *s,
		 const char *what);

/* Warn about each file holding secrets that group or others can read. */
void conf_check_secret_files(struct conf_ctx *x);
/*
 * Overwrite every string value under s in place, before config_destroy()
 * frees them: keys must not linger in freed memory. All strings, not only
 * the secret ones: a key added later needs no entry in a list. What this
 * does not reach: libconfig's transient copies while it scans (its input
 * buffer, token strings), freed unwiped inside config_read_file().
 */
void conf_wipe_strings(const config_setting_t *s);

/* File name for messages: @included files are named relative to dir. */
void conf_file_name(const char *dir, const char *main_name, const char *file,
		    char *buf, size_t len);
/* Report "file: out of memory"; returns -ENOMEM. */
int conf_nomem(struct conf_ctx *x);
void conf_strlcpy(char *dst, const char *src, size_t size);
void conf_where(char *buf, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Schema checks (conf_schema.c). keys ends with a { NULL } entry. */
const struct conf_key *conf_key_find(const struct conf_key *keys,
				     const char *name);
int conf_check_type(struct conf_ctx *x, const config_setting_t *s,
		    unsigned int types, const char *where);
int conf_check_keys(struct conf_ctx *x, const config_setting_t *group,
		    const struct conf_key *keys, const char *where);
int conf_check_list_of_groups(struct conf_ctx *x, const config_setting_t *list,
			      const char *what);

/*
 * Typed getters, for members conf_check_keys() has already type-checked.
 * An absent optional member leaves *out untouched (the caller's default)
 * and returns 0.
 */
/* NULL when absent or not a string (also used before the type check). */
const char *conf_get_str(const config_setting_t *g, const char *key);
int conf_get_int(struct conf_ctx *x, const config_setting_t *g,
		 const char *key, const char *where, int64_t lo, int64_t hi,
		 int64_t *out);
void conf_get_bool(const config_setting_t *g, const char *key, bool *out);
/* Look up a string among names[0..n-1]; *out gets its index. */
int conf_get_enum(struct conf_ctx *x, const config_setting_t *g,
		  const char *key, const char *where,
		  const char *const *names, unsigned int n, int *out);
/* An object name: 1..CONF_NAME_MAX-1 of [A-Za-z0-9._-]. */
int conf_get_name(struct conf_ctx *x, const config_setting_t *g,
		  const char *key, const char *where, char *dst);
int conf_get_ipv4(struct conf_ctx *x, const config_setting_t *g,
		  const char *key, const char *where, uint32_t *out);

/* Either family (conf_addr6.c): "A.B.C.D" or "X:X::X". */
int conf_get_addr(struct conf_ctx *x, const config_setting_t *g,
		  const char *key, const char *where, struct tw_addr *out);
/* A network of either family, host bits zero. */
int conf_get_net(struct conf_ctx *x, const config_setting_t *g,
		 const char *key, const char *where, struct tw_prefix *out);
/* Interface ifc's ipv6_address (a string or an array of them). */
int conf_parse_iface_addr6(struct conf_ctx *x, const config_setting_t *g,
			   const char *where, struct conf_iface *ifc);

/* Usable as a host address: not 0/8, 127/8, multicast or class E. */
bool conf_ipv4_is_unicast(uint32_t a);

/* Name tables (conf_names.c), indexed by the enums of conf.h. */
int conf_name_lookup(const char *const *names, unsigned int n, const char *s);
extern const char *const conf_role_names[];
extern const char *const conf_poll_mode_names[];
extern const char *const conf_crypto_mode_names[];
extern const char *const conf_cipher_names[];
extern const char *const conf_integ_names[];
extern const char *const conf_map_type_names[];
extern const char *const conf_action_names[];
#define CONF_N_ROLES 2
#define CONF_N_POLL_MODES 2
#define CONF_N_CRYPTO_MODES 2
#define CONF_N_CIPHERS 4
#define CONF_N_INTEGS 3
#define CONF_N_MAP_TYPES 2
#define CONF_N_ACTIONS 3

/* Section parsers. */
int conf_parse_hostname(struct conf_ctx *x, const config_setting_t *s);
int conf_parse_ifaces(struct conf_ctx *x, const config_setting_t *s);
int conf_resolve_ifaces(struct conf_ctx *x, const config_setting_t *s);
int conf_parse_routes(struct conf_ctx *x, const config_setting_t *s);
int conf_parse_transform_sets(struct conf_ctx *x, const config_setting_t *s);
int conf_parse_crypto_maps(struct conf_ctx *x, const config_setting_t *s);
int conf_parse_dataplane(struct conf_ctx *x, const config_setting_t *s);
int conf_parse_console(struct conf_ctx *x, const config_setting_t *s);
int conf_parse_redundancy(struct conf_ctx *x, const config_setting_t *s);
int conf_resolve_redundancy(struct conf_ctx *x, const config_setting_t *s);
int conf_parse_ipc(struct conf_ctx *x, const config_setting_t *s);
int conf_parse_ike(struct conf_ctx *x, const config_setting_t *s);
int conf_parse_logging(struct conf_ctx *x, const config_setting_t *s);
void conf_ike_free(struct conf_ike *ike);
/* The standby list of interface ifc (being parsed; its address is known). */
int conf_parse_standby(struct conf_ctx *x, const config_setting_t *l,
		       struct conf_iface *ifc);
/* Tracked interfaces exist; ifaces is the interfaces list. */
int conf_resolve_standby(struct conf_ctx *x, const config_setting_t *ifaces);

/* Pieces of a crypto map entry. */
int conf_parse_rri(struct conf_ctx *x, const config_setting_t *entry,
		   const char *where, struct conf_map_entry *e);
int conf_parse_matches(struct conf_ctx *x, const config_setting_t *list,
		       const char *where, struct conf_map_entry *e);
int conf_parse_session_key(struct conf_ctx *x, const config_setting_t *s,
			   const char *where,
			   const struct conf_transform_set *ts,
			   struct conf_session_key *k);
/* RFC 4301 4.4.2: an SPI names one SA; checks the SAs parsed so far. */
int conf_check_spi_unique(struct conf_ctx *x, const config_setting_t *s,
			  const char *where, const struct conf_map_entry *e,
			  bool inbound);

#endif /* TW_CONF_PRIV_H */
