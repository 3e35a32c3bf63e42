/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * esp_pcap_tool: run the IP packets of a pcap file through one dp_sa
 * (outbound: plaintext in, ESP out; inbound: ESP in, plaintext out) and
 * write the good ones to another pcap; print the SA and drop counters.
 * It is the twinsec side of the scapy interop test (tests/interop).
 *
 *   esp_pcap_tool --dir out|in --cipher C [--integ I] --ckey HEX [--akey HEX]
 *       --spi N --local A --remote A [--udp SPORT:DPORT] [--seq N]
 *       [--window N] [--esn] [--mode cpu-crypto|lookaside]
 *       [--sel SRC/LEN,DST/LEN]... [--inner 4|6] [--burst N] IN.pcap OUT.pcap
 *
 * IPv6 (issue 18): IPv6 --local/--remote make the outer header IPv6,
 * --inner 6 the SA's traffic IPv6 (its --sel prefixes IPv6 too).
 * Inbound, the SPI lookup is modelled simply: an ESP packet (IP protocol
 * 50, or UDP to the SA's local port when --udp) whose SPI is not the SA's
 * is dropped as no-sa. DPDK runs with --no-pci --no-huge and its own
 * --file-prefix. pcap files are Ethernet (linktype 1) or raw IP
 * (linktype 101); the output uses the input's linktype.
 */

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_esp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "dp_crypto.h"
#include "dp_drop.h"
#include "dp_sa.h"

/*
 * rte_eal_init() takes char ** and may write into its arguments (it splits
 * some option values in place): writable arrays, not string literals.
 */
#define EAL_ARG(s) ((char[]){ s })

#define PCAP_MAGIC 0xa1b2c3d4u
#define LINK_ETHER 1
#define LINK_RAW 101
#define ETH_LEN 14
#define MAXPKT 9000
#define MAXBURST 256

struct pcap_hdr {
	uint32_t magic;
	uint16_t major, minor;
	int32_t zone;
	uint32_t sigfigs, snaplen, linktype;
};

struct pcap_rec {
	uint32_t sec, usec, caplen, len;
};

static void
usage(void)
{
	fprintf(stderr,
		"usage: esp_pcap_tool --dir out|in --cipher aes-gcm-128|aes-gcm-256|aes-cbc-128|aes-cbc-256\n"
		"       [--integ none|sha1-96|sha256-128] --ckey HEX [--akey HEX] --spi N\n"
		"       --local A.B.C.D --remote A.B.C.D [--udp SPORT:DPORT] [--seq N]\n"
		"       [--window N] [--esn] [--mode cpu-crypto|lookaside]\n"
		"       [--sel SRC/LEN,DST/LEN]... [--inner 4|6] [--burst N] IN.pcap OUT.pcap\n");
	exit(2);
}

static void
die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "esp_pcap_tool: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static uint8_t
hex_parse(const char *s, uint8_t *out, size_t max)
{
	size_t n = strlen(s), i;
	unsigned int b;

	if (strncmp(s, "0x", 2) == 0) {
		s += 2;
		n -= 2;
	}
	if (n % 2 != 0 || n / 2 > max)
		die("bad hex key '%s'", s);
	for (i = 0; i < n / 2; i++) {
		if (sscanf(s + 2 * i, "%2x", &b) != 1)
			die("bad hex key '%s'", s);
		out[i] = (uint8_t)b;
	}
	return (uint8_t)(n / 2);
}

static uint32_t
addr_parse(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		die("bad IPv4 address '%s'", s);
	return ntohl(a.s_addr);
}

/* An endpoint of either family: 4 or 6. */
static uint8_t
endpoint_parse(const char *s, uint32_t *v4, uint8_t v6[16])
{
	if (strchr(s, ':') == NULL) {
		*v4 = addr_parse(s);
		return 4;
	}
	if (inet_pton(AF_INET6, s, v6) != 1)
		die("bad IPv6 address '%s'", s);
	return 6;
}

static void
prefix_parse(const char *s, uint32_t *addr, uint8_t v6[16], uint8_t *len,
	     uint8_t *family)
{
	char buf[64], *slash;
	long l;

	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (slash != NULL)
		*slash = '\0';
	*family = endpoint_parse(buf, addr, v6);
	l = *family == 6 ? 128 : 32;
	if (slash != NULL) {
		char *end;
		long max = l;

		l = strtol(slash + 1, &end, 10);
		if (*end != '\0' || l < 0 || l > max)
			die("bad prefix '%s'", s);
	}
	*len = (uint8_t)l;
}

static void
sel_parse(const char *s, struct dp_selector *sel)
{
	char buf[128], *comma;
	uint8_t af;

	snprintf(buf, sizeof(buf), "%s", s);
	comma = strchr(buf, ',');
	if (comma == NULL)
		die("--sel wants SRC/LEN,DST/LEN");
	*comma = '\0';
	memset(sel, 0, sizeof(*sel));
	prefix_parse(buf, &sel->src_addr, sel->src6, &sel->src_len,
		     &sel->family);
	prefix_parse(comma + 1, &sel->dst_addr, sel->dst6, &sel->dst_len,
		     &af);
	if (af != sel->family)
		die("--sel %s mixes families", s);
	sel->sport_hi = UINT16_MAX;
	sel->dport_hi = UINT16_MAX;
}

static FILE *
pcap_open_in(const char *path, uint32_t *linktype)
{
	struct pcap_hdr h;
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		die("%s: %s", path, strerror(errno));
	if (fread(&h, sizeof(h), 1, f) != 1 || h.magic != PCAP_MAGIC)
		die("%s: not a little-endian microsecond pcap file", path);
	if (h.linktype != LINK_ETHER && h.linktype != LINK_RAW)
		die("%s: linktype %u (want 1 or 101)", path, h.linktype);
	*linktype = h.linktype;
	return f;
}

static FILE *
pcap_open_out(const char *path, uint32_t linktype)
{
	struct pcap_hdr h = {
		.magic = PCAP_MAGIC, .major = 2, .minor = 4,
		.snaplen = 65535, .linktype = linktype,
	};
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(&h, sizeof(h), 1, f) != 1)
		die("%s: %s", path, strerror(errno));
	return f;
}

struct opts {
	struct dp_sa_params p;
	enum conf_crypto_mode mode;
	unsigned int burst;
	const char *in, *out;
};

static const struct {
	const char *name;
	enum conf_cipher c;
} ciphers[] = {
	{ "aes-gcm-128", CONF_CIPHER_AES_GCM_128 },
	{ "aes-gcm-256", CONF_CIPHER_AES_GCM_256 },
	{ "aes-cbc-128", CONF_CIPHER_AES_CBC_128 },
	{ "aes-cbc-256", CONF_CIPHER_AES_CBC_256 },
};

static void
parse(int argc, char **argv, struct opts *o, uint8_t *ckey, uint8_t *akey)
{
	static const struct option lo[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "cipher", required_argument, NULL, 'c' },
		{ "integ", required_argument, NULL, 'i' },
		{ "ckey", required_argument, NULL, 'k' },
		{ "akey", required_argument, NULL, 'a' },
		{ "spi", required_argument, NULL, 's' },
		{ "local", required_argument, NULL, 'l' },
		{ "remote", required_argument, NULL, 'r' },
		{ "udp", required_argument, NULL, 'u' },
		{ "seq", required_argument, NULL, 'q' },
		{ "window", required_argument, NULL, 'w' },
		{ "esn", no_argument, NULL, 'e' },
		{ "mode", required_argument, NULL, 'm' },
		{ "sel", required_argument, NULL, 'S' },
		{ "burst", required_argument, NULL, 'b' },
		{ "inner", required_argument, NULL, 'I' },
		{ NULL, 0, NULL, 0 },
	};
	struct dp_sa_params *p = &o->p;
	bool dir = false, cipher = false;
	uint8_t laf = 4, raf = 4;
	unsigned int i, sp, dp;
	int c;

	memset(o, 0, sizeof(*o));
	o->mode = CONF_CRYPTO_CPU;
	o->burst = 32;
	p->replay_window = 64;
	p->cipher_key = ckey;
	p->auth_key = akey;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'd':
			dir = true;
			if (strcmp(optarg, "in") == 0)
				p->inbound = true;
			else if (strcmp(optarg, "out") != 0)
				usage();
			break;
		case 'c':
			for (i = 0; i < RTE_DIM(ciphers); i++)
				if (strcmp(optarg, ciphers[i].name) == 0)
					break;
			if (i == RTE_DIM(ciphers))
				die("unknown cipher %s", optarg);
			p->cipher = ciphers[i].c;
			cipher = true;
			break;
		case 'i':
			if (strcmp(optarg, "none") == 0)
				p->integ = CONF_INTEG_NONE;
			else if (strcmp(optarg, "sha1-96") == 0)
				p->integ = CONF_INTEG_SHA1_96;
			else if (strcmp(optarg, "sha256-128") == 0)
				p->integ = CONF_INTEG_SHA256_128;
			else
				die("unknown integrity %s", optarg);
			break;
		case 'k':
			p->cipher_key_len = hex_parse(optarg, ckey, CONF_KEY_MAX);
			break;
		case 'a':
			p->auth_key_len = hex_parse(optarg, akey, CONF_KEY_MAX);
			break;
		case 's':
			p->spi = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'l':
			laf = endpoint_parse(optarg, &p->local_addr,
					     p->local6);
			break;
		case 'r':
			raf = endpoint_parse(optarg, &p->remote_addr,
					     p->remote6);
			break;
		case 'I':
			if (strcmp(optarg, "4") != 0 &&
			    strcmp(optarg, "6") != 0)
				die("--inner 4 or 6");
			p->inner_family = (uint8_t)(optarg[0] - '0');
			break;
		case 'u':
			if (sscanf(optarg, "%u:%u", &sp, &dp) != 2 ||
			    sp > 65535 || dp > 65535)
				die("--udp wants SPORT:DPORT");
			p->udp_encap = true;
			p->udp_local_port = (uint16_t)sp;
			p->udp_remote_port = (uint16_t)dp;
			break;
		case 'q':
			p->seq = strtoull(optarg, NULL, 0);
			break;
		case 'w':
			p->replay_window = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'e':
			p->esn = true;
			break;
		case 'm':
			if (strcmp(optarg, "cpu-crypto") == 0)
				o->mode = CONF_CRYPTO_CPU;
			else if (strcmp(optarg, "lookaside") == 0)
				o->mode = CONF_CRYPTO_LOOKASIDE;
			else
				die("unknown mode %s", optarg);
			break;
		case 'S':
			if (p->n_sel == DP_SA_MAX_SELECTORS)
				die("too many --sel");
			sel_parse(optarg, &p->sel[p->n_sel++]);
			break;
		case 'b':
			o->burst = (unsigned int)strtoul(optarg, NULL, 0);
			if (o->burst == 0 || o->burst > MAXBURST)
				die("--burst 1..%u", MAXBURST);
			break;
		default:
			usage();
		}
	}
	if (!dir || !cipher || argc - optind != 2)
		usage();
	if (laf != raf)
		die("--local and --remote of different families");
	p->family = laf;
	o->in = argv[optind];
	o->out = argv[optind + 1];
}

/* Inbound: find the ESP header; -1 if it is not ESP for this SA at all. */
static int
inb_classify(const struct dp_sa_params *p, const uint8_t *ip, uint32_t len,
	     uint16_t *l3_len)
{
	uint32_t hl = (ip[0] & 0x0f) * 4u, off = hl;
	const struct rte_udp_hdr *udp;
	uint32_t spi;

	/* IPv6: ESP right after the fixed header (no extension header). */
	if ((ip[0] >> 4) == 6) {
		if (len < 40 + 8 || ip[6] != IPPROTO_ESP)
			return -1;
		memcpy(&spi, ip + 40, 4);
		*l3_len = 40;
		return ntohl(spi) == p->spi ? 0 : 1;
	}
	if (len < hl + 8)
		return -1;
	if (ip[9] == IPPROTO_UDP && p->udp_encap) {
		udp = (const struct rte_udp_hdr *)(ip + hl);
		if (rte_be_to_cpu_16(udp->dst_port) != p->udp_local_port)
			return -1;
		off += sizeof(*udp);
	} else if (ip[9] != IPPROTO_ESP) {
		return -1;
	}
	if (len < off + 8)
		return -1;
	memcpy(&spi, ip + off, 4);
	*l3_len = (uint16_t)off;
	return ntohl(spi) == p->spi ? 0 : 1;
}

/* The EAL leaves its runtime directory behind; this run's is ours alone. */
static void
remove_runtime_dir(const char *dir)
{
	struct dirent *e;
	DIR *d = opendir(dir);

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
	rmdir(dir);
}

int
main(int argc, char **argv)
{
	char prefix[64], path[PATH_MAX];
	char *eal[] = {
		argv[0], EAL_ARG("--no-pci"), EAL_ARG("--no-huge"),
		EAL_ARG("-m"), EAL_ARG("256"),
		EAL_ARG("--file-prefix"), prefix,
		EAL_ARG("-l"), EAL_ARG("0"),
		EAL_ARG("--vdev"), EAL_ARG("crypto_aesni_mb0"),
		EAL_ARG("--log-level"), EAL_ARG("*:error"),
		NULL
	};
	static uint8_t ckey[CONF_KEY_MAX], akey[CONF_KEY_MAX];
	struct rte_mbuf *mb[MAXBURST];
	uint8_t eth[MAXBURST][ETH_LEN];
	static uint8_t buf[MAXPKT + ETH_LEN];
	struct dp_drop_counters drops;
	struct dp_sa_counters ctr;
	struct dp_crypto crypto;
	struct rte_mempool *pool;
	struct pcap_rec rec;
	struct dp_sa *sa;
	struct opts o;
	uint32_t link, off;
	uint16_t l3, n, g, i;
	unsigned int total = 0, written = 0;
	FILE *in, *out;
	char err[256];
	bool eof = false;
	uint8_t *dst;
	int rc, k;

	parse(argc, argv, &o, ckey, akey);
	/* Several runs at once must not share EAL runtime files. */
	snprintf(prefix, sizeof(prefix), "tw-esp-pcap-%d", (int)getpid());
	if (rte_eal_init((int)RTE_DIM(eal) - 1, eal) < 0)
		die("EAL init failed");
	pool = rte_pktmbuf_pool_create("esp_tool", 2047, 0, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE,
				       (int)rte_socket_id());
	if (pool == NULL)
		die("no mbuf pool");
	rc = dp_crypto_init(&crypto, "auto", o.mode, 1, 16,
			    DP_CRYPTO_ALGO_CIPHER(o.p.cipher) |
			    DP_CRYPTO_ALGO_INTEG(o.p.integ), err, sizeof(err));
	if (rc != 0)
		die("%s", err);
	rc = dp_sa_create(&crypto, 1, &o.p, &sa, err, sizeof(err));
	if (rc != 0)
		die("%s", err);
	in = pcap_open_in(o.in, &link);
	out = pcap_open_out(o.out, link);
	off = link == LINK_ETHER ? ETH_LEN : 0;
	memset(&drops, 0, sizeof(drops));

	while (!eof) {
		for (n = 0; n < o.burst; ) {
			if (fread(&rec, sizeof(rec), 1, in) != 1) {
				eof = true;
				break;
			}
			if (rec.caplen > sizeof(buf) ||
			    fread(buf, 1, rec.caplen, in) != rec.caplen)
				die("%s: truncated record", o.in);
			total++;
			if (rec.caplen < off + 20 ||
			    ((buf[off] >> 4) != 4 && (buf[off] >> 4) != 6) ||
			    ((buf[off] >> 4) == 6 && rec.caplen < off + 40) ||
			    rec.caplen - off > RTE_MBUF_DEFAULT_DATAROOM) {
				drops.count[DP_DROP_MALFORMED]++;
				continue;
			}
			l3 = (buf[off] >> 4) == 6 ? 40 :
				(buf[off] & 0x0f) * 4;
			if (o.p.inbound) {
				k = inb_classify(&o.p, buf + off,
						 rec.caplen - off, &l3);
				if (k != 0) {
					drops.count[DP_DROP_NO_SA]++;
					continue;
				}
			}
			mb[n] = rte_pktmbuf_alloc(pool);
			if (mb[n] == NULL)
				die("out of mbufs");
			dst = (uint8_t *)rte_pktmbuf_append(mb[n],
				(uint16_t)(rec.caplen - off));
			if (dst == NULL)
				die("packet too big for one mbuf");
			memcpy(dst, buf + off, rec.caplen - off);
			mb[n]->l2_len = 0;
			mb[n]->l3_len = l3;
			memcpy(eth[n], buf, off);
			n++;
		}
		if (n == 0)
			continue;
		g = dp_sa_process(sa, 0, mb, n, &drops);
		for (i = 0; i < g; i++) {
			uint32_t len = rte_pktmbuf_pkt_len(mb[i]);
			const void *d = rte_pktmbuf_read(mb[i], 0, len,
							 buf + off);

			if (d != buf + off)
				memcpy(buf + off, d, len);
			if (off != 0) {
				/* Ethernet kept from the input (order may
				 * differ on drops: the MACs do not matter). */
				memcpy(buf, eth[0], ETH_LEN);
				buf[12] = (buf[off] >> 4) == 6 ? 0x86 : 0x08;
				buf[13] = (buf[off] >> 4) == 6 ? 0xdd : 0x00;
			}
			rec.caplen = rec.len = len + off;
			if (fwrite(&rec, sizeof(rec), 1, out) != 1 ||
			    fwrite(buf, 1, rec.caplen, out) != rec.caplen)
				die("%s: write failed", o.out);
			written++;
		}
		for (i = 0; i < n; i++)
			rte_pktmbuf_free(mb[i]);
	}
	fclose(in);
	if (fclose(out) != 0)
		die("%s: %s", o.out, strerror(errno));

	dp_sa_counters_read(sa, &ctr);
	printf("packets.in=%u\npackets.out=%u\n", total, written);
	printf("sa.encaps=%" PRIu64 "\nsa.encrypt=%" PRIu64
	       "\nsa.digest=%" PRIu64 "\n", ctr.pkts_encaps, ctr.pkts_encrypt,
	       ctr.pkts_digest);
	printf("sa.decaps=%" PRIu64 "\nsa.decrypt=%" PRIu64
	       "\nsa.verify=%" PRIu64 "\n", ctr.pkts_decaps, ctr.pkts_decrypt,
	       ctr.pkts_verify);
	printf("sa.send_errors=%" PRIu64 "\nsa.recv_errors=%" PRIu64
	       "\nsa.replay_fails=%" PRIu64 "\nsa.auth_fails=%" PRIu64
	       "\nsa.policy_fails=%" PRIu64 "\nsa.seq=%" PRIu64 "\n",
	       ctr.send_errors, ctr.recv_errors, ctr.replay_fails,
	       ctr.auth_fails, ctr.policy_fails, ctr.seq);
	for (k = 0; k < DP_DROP_MAX; k++)
		printf("drop.%s=%" PRIu64 "\n",
		       dp_drop_reason_name((enum dp_drop_reason)k),
		       drops.count[k]);
	dp_sa_destroy(sa);
	dp_crypto_fini(&crypto);
	rte_mempool_free(pool);
	snprintf(path, sizeof(path), "%s", rte_eal_get_runtime_dir());
	rte_eal_cleanup();
	remove_runtime_dir(path);
	return 0;
}
