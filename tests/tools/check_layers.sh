#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# tools/check-layers fails on an upward call, an upward #include and a
# call between siblings, and passes a tree that calls down only: a tiny
# tree laid out like app/twinsecd, compiled here.
set -u
# shellcheck source=tests/lib/common.bash
. "$(dirname "$0")/../lib/common.bash"
need_cmd cc "no C compiler"
need_cmd nm "no nm (binutils)"
work_dir layers
T=$WORK

mkdir -p "$T/src/ctl" "$T/src/ike" "$T/src/hsrp" "$T/src/ha" "$T/objs"
cat >"$T/src/ctl/ctl.h" <<'H'
int ctl_now(void);
H
cat >"$T/src/ctl/ctl.c" <<'C'
#include "ctl.h"
int ctl_now(void) { return 1; }
C
cat >"$T/src/ha/ha.h" <<'H'
int ha_enabled(void);
H
cat >"$T/src/ha/ha.c" <<'C'
#include "ha.h"
#include "../ike/ike_glue.h"
int ha_enabled(void) { return ike_glue_run(); }
C
cat >"$T/src/ike/ike_glue.h" <<'H'
int ike_glue_run(void);
H
cat >"$T/src/hsrp/hsrp_glue.c" <<'C'
int hsrp_up(void);
int hsrp_up(void) { return 0; }
C
build() {
	local f o
	rm -f "$T"/objs/*.o
	for f in ctl/ctl.c ha/ha.c ike/ike_glue.c hsrp/hsrp_glue.c; do
		o="$T/objs/$(echo "$f" | tr / _).o"
		cc -c -o "$o" "$T/src/$f" || fail "cannot compile $f"
	done
}
run() {
	"$ROOT/tools/check-layers" --src "$T/src" --objs "$T/objs" >"$T/out" 2>&1
}

# 1. down only: clean
cat >"$T/src/ike/ike_glue.c" <<'C'
#include "ike_glue.h"
#include "../ctl/ctl.h"
int ike_glue_run(void) { return ctl_now(); }
C
build
run || { cat "$T/out"; fail "a tree that calls down only was refused"; }
grep -q ' 0 violations' "$T/out" || fail "no clean summary: $(cat "$T/out")"
echo "down only: clean"

# 2. an upward call (ike -> ha), declared by hand: the symbol check
cat >"$T/src/ike/ike_glue.c" <<'C'
#include "ike_glue.h"
int ha_enabled(void);
int ike_glue_run(void) { return ha_enabled(); }
C
build
run && fail "an upward call passed"
grep -q 'ike_glue.c: ike (6) uses ha_enabled of ha/ha.c (ha, 7)' "$T/out" ||
	fail "upward call not named: $(cat "$T/out")"
echo "upward call: refused"

# 3. an upward include: the include check
cat >"$T/src/ike/ike_glue.c" <<'C'
#include "ike_glue.h"
#include "../ha/ha.h"
int ike_glue_run(void) { return 0; }
C
build
run && fail "an upward include passed"
grep -q 'ike/ike_glue.c:2: ike (6) includes ../ha/ha.h (ha, 7)' "$T/out" ||
	fail "upward include not named: $(cat "$T/out")"
echo "upward include: refused"

# 4. a sibling call (ike -> hsrp)
cat >"$T/src/ike/ike_glue.c" <<'C'
#include "ike_glue.h"
int hsrp_up(void);
int ike_glue_run(void) { return hsrp_up(); }
C
build
run && fail "a call between siblings passed"
grep -q 'uses hsrp_up of hsrp/hsrp_glue.c (hsrp, 6)' "$T/out" ||
	fail "sibling call not named: $(cat "$T/out")"
echo "sibling call: refused"
echo PASS
