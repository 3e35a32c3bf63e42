/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>

#include <rte_lcore.h>

#include "ctl.h"
#include "ctl_cpif.h"
#include "ctl_route.h"
#include "tw_log.h"

tw_time_t
ctl_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (tw_time_t)ts.tv_sec * TW_NSEC_PER_SEC + (tw_time_t)ts.tv_nsec;
}

static void
ctl_link_poll(void *arg, tw_time_t now)
{
	struct ctl *ctl = arg;
	struct dp_port_stats st;
	unsigned int i;
	bool first;

	for (i = 0; i < dp_n_ports(); i++) {
		if (dp_port_stats_read((uint16_t)i, &st) < 0)
			continue;
		if (ctl->link_known[i] && ctl->link_up[i] == st.link_up)
			continue;
		first = !ctl->link_known[i];
		tw_log(st.link_up ? TW_LOG_NOTICE : TW_LOG_WARNING, "ctl",
		       "interface %s (%s): link %s%s",
		       dp_port((uint16_t)i)->name, dp_port((uint16_t)i)->device,
		       st.link_up ? "up" : "down", first ? " at start" : "");
		ctl->link_known[i] = true;
		ctl->link_up[i] = st.link_up;
		if (ctl->link_fn != NULL)
			ctl->link_fn(ctl, ctl->link_arg, (uint16_t)i, st.link_up,
				     first, now);
	}
	tw_heap_arm(&ctl->heap, &ctl->link_dl,
		    now + (ctl->link_poll != 0 ? ctl->link_poll : CTL_LINK_POLL));
}

int
ctl_init(struct ctl *ctl, struct conf *conf, struct sadb *sadb,
	 struct dp_sadb *backend)
{
	tw_time_t now = ctl_now();
	struct rte_ether_addr mac;
	unsigned int i;
	int rc;

	ctl->conf = conf;
	ctl->sadb = sadb;
	ctl->backend = backend;
	ctl->wait_fd = -1;
	rc = tw_heap_init(&ctl->heap, 256);
	if (rc < 0)
		return rc;
	arp_init(&ctl->arp, &ctl->heap);
	icmp_init(&ctl->icmp, now);
	nd_init(&ctl->nd);
	for (i = 0; i < dp_n_ports(); i++) {
		dp_port_mac((uint16_t)i, &mac);
		rc = arp_local_add(&ctl->arp, (uint16_t)i,
				   dp_port((uint16_t)i)->addr, &mac);
		if (rc < 0)
			return rc;
	}
	tw_deadline_init(&ctl->link_dl, ctl_link_poll, ctl);
	tw_heap_arm(&ctl->heap, &ctl->link_dl, now);
	/* The exception path and the routes learned through it. */
	rc = ctl_cpif_init(ctl);
	if (rc == 0)
		rc = ctl_route_init(ctl);
	if (rc < 0) {
		tw_log(TW_LOG_ERR, "ctl", "control-plane interfaces: %s",
		       strerror(-rc));
		return rc;
	}
	pthread_mutex_init(&ctl->call_serial, NULL);
	pthread_mutex_init(&ctl->call_mu, NULL);
	pthread_cond_init(&ctl->call_cv, NULL);
	ctl->call_state = CTL_CALL_IDLE;
	return 0;
}

void
ctl_fini(struct ctl *ctl)
{
	arp_fini(&ctl->arp);
	ctl_route_fini(ctl);
	ctl_cpif_fini(ctl);
	tw_heap_cancel(&ctl->heap, &ctl->link_dl);
	if (ctl->wd_period != 0)
		tw_heap_cancel(&ctl->heap, &ctl->wd_dl);
	tw_heap_fini(&ctl->heap);
}

void
ctl_request_stop(struct ctl *ctl)
{
	ctl->stop = 1;
}

void
ctl_request_reload(struct ctl *ctl)
{
	ctl->reload = 1;
}

int
ctl_commit_now(struct ctl *ctl)
{
	int rc;

	ctl->commit = false;
	ctl->arp.commit = false;
	rc = dp_commit();
	ctl->cnt.commits++;
	if (rc < 0) {
		ctl->cnt.commit_errors++;
		tw_log(TW_LOG_ERR, "ctl",
		       "publishing fast-path tables failed: %s", strerror(-rc));
		return rc;
	}
	/* Past the grace period: nothing references what was removed. */
	if (ctl->backend != NULL)
		dp_sadb_reap(ctl->backend);
	return rc;
}

int
ctl_udp_register(struct ctl *ctl, uint16_t port, ctl_udp_fn fn, void *arg)
{
	unsigned int i;

	for (i = 0; i < ctl->n_udp; i++)
		if (ctl->udp[i].port == port)
			return -EEXIST;
	if (ctl->n_udp == CTL_MAX_UDP)
		return -ENOSPC;
	ctl->udp[ctl->n_udp++] = (struct ctl_udp){
		.port = port, .fn = fn, .arg = arg,
	};
	return 0;
}

int
ctl_udp6_register(struct ctl *ctl, uint16_t port, ctl_udp6_fn fn, void *arg)
{
	unsigned int i;

	for (i = 0; i < ctl->n_udp6; i++)
		if (ctl->udp6[i].port == port)
			return -EEXIST;
	if (ctl->n_udp6 == CTL_MAX_UDP)
		return -ENOSPC;
	ctl->udp6[ctl->n_udp6++] = (struct ctl_udp6){
		.port = port, .fn = fn, .arg = arg,
	};
	return 0;
}

/*
 * Requests from other threads. The caller posts (fn, arg) under call_mu
 * and waits on call_cv; the loop sees call_flag, runs fn outside the lock
 * and signals. A caller that times out withdraws a request that has not
 * started, so fn never runs for a caller that is gone; one that has
 * started is waited for (it only formats data).
 */
int
ctl_call(struct ctl *ctl, ctl_call_fn fn, void *arg, unsigned int timeout_ms)
{
	struct timespec dl;
	int rc = 0;

	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += timeout_ms / 1000;
	dl.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (dl.tv_nsec >= 1000000000L) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&ctl->call_serial);
	pthread_mutex_lock(&ctl->call_mu);
	if (ctl->call_closed) {
		rc = -ESHUTDOWN;
		goto out;
	}
	ctl->call_fn = fn;
	ctl->call_arg = arg;
	ctl->call_state = CTL_CALL_PENDING;
	__atomic_store_n(&ctl->call_flag, 1, __ATOMIC_RELEASE);
	while (ctl->call_state == CTL_CALL_PENDING && !ctl->call_closed)
		if (pthread_cond_timedwait(&ctl->call_cv, &ctl->call_mu,
					   &dl) == ETIMEDOUT)
			break;
	if (ctl->call_state == CTL_CALL_PENDING) {
		/* Not picked up: withdraw it. */
		rc = ctl->call_closed ? -ESHUTDOWN : -ETIMEDOUT;
	} else {
		while (ctl->call_state == CTL_CALL_RUNNING)
			pthread_cond_wait(&ctl->call_cv, &ctl->call_mu);
	}
	ctl->call_state = CTL_CALL_IDLE;
	__atomic_store_n(&ctl->call_flag, 0, __ATOMIC_RELEASE);
out:
	pthread_mutex_unlock(&ctl->call_mu);
	pthread_mutex_unlock(&ctl->call_serial);
	return rc;
}

static void
ctl_serve_call(struct ctl *ctl)
{
	ctl_call_fn fn;
	void *arg;

	if (__atomic_load_n(&ctl->call_flag, __ATOMIC_ACQUIRE) == 0)
		return;
	pthread_mutex_lock(&ctl->call_mu);
	if (ctl->call_state != CTL_CALL_PENDING) {
		pthread_mutex_unlock(&ctl->call_mu);
		return;
	}
	ctl->call_state = CTL_CALL_RUNNING;
	fn = ctl->call_fn;
	arg = ctl->call_arg;
	pthread_mutex_unlock(&ctl->call_mu);

	fn(ctl, arg);
	ctl->cnt.calls++;

	pthread_mutex_lock(&ctl->call_mu);
	ctl->call_state = CTL_CALL_DONE;
	pthread_cond_broadcast(&ctl->call_cv);
	pthread_mutex_unlock(&ctl->call_mu);
}

void
ctl_call_close(struct ctl *ctl)
{
	pthread_mutex_lock(&ctl->call_mu);
	ctl->call_closed = true;
	pthread_cond_broadcast(&ctl->call_cv);
	pthread_mutex_unlock(&ctl->call_mu);
}

/* Nap, or less when wait_fd (the sync transport) becomes readable. */
static void
ctl_nap(const struct ctl *ctl, tw_time_t ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(ns / TW_NSEC_PER_SEC),
		.tv_nsec = (long)(ns % TW_NSEC_PER_SEC),
	};
	struct pollfd pfd = { .fd = ctl->wait_fd, .events = POLLIN };

	if (ctl->wait_fd >= 0)
		ppoll(&pfd, 1, &ts, NULL);
	else
		nanosleep(&ts, NULL);
}

static bool
ctl_loop(struct ctl *ctl, tw_time_t until,
	 bool (*done)(void *arg, tw_time_t now), void *arg)
{
	struct rte_mbuf *mb[CTL_BURST];
	uint32_t acq[CTL_BURST];
	tw_time_t now, next, nap;
	unsigned int n, i, k, nk;

	while (!ctl->stop) {
		ctl->cnt.loops++;
		now = ctl_now();
		if (now >= until)
			return false;
		if (done != NULL && done(arg, now))
			return true;
		n = dp_punt_dequeue(mb, CTL_BURST);
		ctl->cnt.punted += n;
		for (i = 0; i < n; i++)
			ctl_punt_dispatch(ctl, mb[i], now);
		nk = ctl_cpif_poll(ctl);
		ctl_route_poll(ctl);
		/* Rate-limited by the workers: a handful per second. */
		k = dp_acquire_dequeue(acq, CTL_BURST);
		for (i = 0; i < k && ctl->acquire_fn != NULL; i++)
			ctl->acquire_fn(ctl, ctl->acquire_arg, acq[i], now);
		tw_heap_run(&ctl->heap, now);
		if (ctl->poll_fn != NULL)
			ctl->poll_fn(ctl, ctl->poll_arg, now);
		ctl_serve_call(ctl);
		if (ctl->reload) {
			ctl->reload = 0;
			if (ctl->reload_fn != NULL)
				ctl->reload_fn(ctl, ctl->reload_arg, now);
		}
		if (ctl->commit || ctl->arp.commit)
			ctl_commit_now(ctl);
		if (n == CTL_BURST || k == CTL_BURST || nk > 0)
			continue; /* more is waiting */
		/*
		 * Nap until the next deadline, at most CTL_IDLE_SLEEP: punted
		 * packets wait at most that long and the loop never spins
		 * (two-core machines run two daemons and a lab).
		 */
		next = tw_heap_next(&ctl->heap);
		now = ctl_now();
		nap = next <= now ? 0 : next - now;
		if (nap > CTL_IDLE_SLEEP)
			nap = CTL_IDLE_SLEEP;
		if (nap > 0) {
			ctl_nap(ctl, nap);
			ctl->cnt.sleeps++;
		}
	}
	return false;
}

void
ctl_run(struct ctl *ctl)
{
	tw_log(TW_LOG_INFO, "ctl", "control loop running on lcore %u",
	       rte_lcore_id());
	arp_announce_all(&ctl->arp);
	ctl_loop(ctl, TW_TIME_NEVER, NULL, NULL);
	tw_log(TW_LOG_INFO, "ctl", "control loop stopping");
}

bool
ctl_run_until(struct ctl *ctl, tw_time_t until,
	      bool (*done)(void *arg, tw_time_t now), void *arg)
{
	ctl->stop = 0;
	return ctl_loop(ctl, until, done, arg);
}
