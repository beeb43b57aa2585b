#!/bin/bash
# compare.sh - Postfix + Dovecot (the anchor) and then mailserver, back to back with the same knobs;
# prints both result tables and a side-by-side table of ratios (see docs/benchmarks.md).
#
# Usage: bench/compare.sh [OUTDIR]        (as root: it starts and stops the anchor)
#   OUTDIR (default /tmp/bench-compare-<time>): anchor/ and mailserver/ (each: raw.log, summary.md, ...),
#   compare.md (the ratio tables)
# Environment:
#   ORDER="anchor mailserver"   which targets run, in that order (e.g. "mailserver" alone)
#   ANCHOR_ENV                  the anchor's ports file (default: <suite>/anchor/ports.env)
#   FRESH=1                     both start with empty mailboxes (anchor: its Maildirs under MAILDIR_ROOT/DOMAIN
#                               and its Postfix queue are emptied while it is stopped; mailserver: MS_FRESH=1)
#   EMPTY=delete                how FRESH empties the Maildirs: delete (rm -rf), or aside (renamed into a trash/
#                               directory beside them, so no inode is freed right before the measured runs; see
#                               docs/benchmarks.md, "Emptying the Maildirs"; delete the trash between rounds)
#   WARMUP_N=10000              bench/warmup.sh first, on both: untimed SMTP messages to alice and the IMAP workload
#                               on alice's mailbox (JIT warm-up for the JVM; Postfix/Dovecot worker processes); 0: none
#   RESTART_OPEN=1              after the run, restart the server and time "open the big folder" once more
#   bench_all.sh knobs (N SIZES CONC IMAP_CLIENTS FILL_COUNT FETCHES STORE_RANGE RUN_CAP ...) apply to both.
#   mailserver-bench.sh knobs (MS_HOME, MS_WORK, PORT_BASE, MAILSERVER_OPTS) apply to mailserver.
# Ratios are written so that > 1 means mailserver is better: throughput ms/anchor, times anchor/ms.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
if [ -z "${BENCH_SUITE:-}" ]; then
  for d in "$REPO/../shared/bench" /work/shared/bench; do [ -x "$d/bench_all.sh" ] && { BENCH_SUITE=$d; break; }; done
fi
[ -x "${BENCH_SUITE:-}/bench_all.sh" ] || { echo "bench_all.sh not found; set BENCH_SUITE" >&2; exit 2; }
export BENCH_SUITE
PY=${PY:-$(command -v /usr/bin/python3 || command -v python3)}
export PY
ANCHOR_ENV=${ANCHOR_ENV:-$BENCH_SUITE/anchor/ports.env}
ANCHOR_DIR=$(cd "$(dirname "$ANCHOR_ENV")" && pwd)
ORDER=${ORDER:-anchor mailserver}
FRESH=${FRESH:-1}
export WARMUP_N=${WARMUP_N:-10000}
export RESTART_OPEN=${RESTART_OPEN:-1}
export MS_FRESH=$FRESH
OUT=${1:-/tmp/bench-compare-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
log() { echo "[compare $(date +%T)] $*" | tee -a "$OUT/progress.log" >&2; }
KNOBS="N=${N:-2000} SIZES='${SIZES:-5120 102400}' CONC='${CONC:-1 10 50}' IMAP_CLIENTS='${IMAP_CLIENTS:-1 10 50}' FILL_COUNT=${FILL_COUNT:-10000} FETCHES=${FETCHES:-100} STORE_RANGE=${STORE_RANGE:-100} RUN_CAP=${RUN_CAP:-600} WARMUP_N=$WARMUP_N RESTART_OPEN=$RESTART_OPEN FRESH=$FRESH EMPTY=${EMPTY:-delete}"
log "knobs: $KNOBS"
log "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -m | awk '/Mem:/{print $2}') MiB; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$KNOBS" > "$OUT/knobs.txt"
{ echo "date: $(date -u +%FT%TZ)"
  echo "commit: $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null)"
  echo "cpu: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); memory $(free -m | awk '/Mem:/{print $2}') MiB; kernel $(uname -r)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "postfix: $(postconf -h mail_version 2>/dev/null); dovecot: $(dovecot --version 2>/dev/null)"
} > "$OUT/environment.txt"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

run_anchor() {
  local A=$OUT/anchor
  mkdir -p "$A"
  ( set -a; . "$ANCHOR_ENV"; set +a
    bash "$ANCHOR_DIR/stop.sh" >>"$A/anchor-ctl.log" 2>&1 </dev/null
    sleep 1
    if [ "$FRESH" = 1 ]; then
      case "$MAILDIR_ROOT" in /var/tmp/*|/tmp/*|/srv/*) ;; *) echo "refusing to empty $MAILDIR_ROOT" >&2; exit 2;; esac
      log "anchor: emptying $MAILDIR_ROOT/$DOMAIN and the Postfix queue"
      if [ "${EMPTY:-delete}" = aside ] \
          && TRASH=$("$HERE/move-aside.sh" "$(dirname "$MAILDIR_ROOT")/trash" "$MAILDIR_ROOT/$DOMAIN"); then
        log "anchor: previous Maildirs moved aside to $TRASH"
      else
        rm -rf "${MAILDIR_ROOT:?}/${DOMAIN:?}"
      fi
      postsuper -d ALL >>"$A/anchor-ctl.log" 2>&1 || true
    fi
    bash "$ANCHOR_DIR/start.sh" >>"$A/anchor-ctl.log" 2>&1 </dev/null || { log "anchor did not start"; exit 1; }
    for _ in $(seq 60); do port_open "$SMTP_PORT" && port_open "$IMAPS_PORT" && break; sleep 0.5; done
    if [ "$WARMUP_N" -gt 0 ]; then
      log "anchor: warm-up (not counted)"
      "$HERE/warmup.sh" "$ANCHOR_ENV" "$WARMUP_N" "$A"
    fi
    log "anchor: bench_all.sh"
    "$BENCH_SUITE/bench_all.sh" "$ANCHOR_ENV" "$A" > "$A/summary.md" 2>>"$A/progress.log"
    if [ "$RESTART_OPEN" = 1 ] && [ -z "${SKIP_IMAP:-}" ]; then
      bash "$ANCHOR_DIR/stop.sh" >>"$A/anchor-ctl.log" 2>&1 </dev/null; sleep 2
      bash "$ANCHOR_DIR/start.sh" >>"$A/anchor-ctl.log" 2>&1 </dev/null
      for _ in $(seq 60); do port_open "$IMAPS_PORT" && break; sleep 0.5; done
      log "anchor: open the big folder after a restart"
      "$PY" "$BENCH_SUITE/imap_bench.py" --host "$HOST" --port "$IMAPS_PORT" --tls imaps --login "${FILL_USER:-bob}@$DOMAIN" \
          --password "$PASSWORD" --pidfiles "$SERVER_PIDFILES" --mode open --label after-restart 2>&1 | tee -a "$A/raw.log" >>"$A/progress.log"
      "$BENCH_SUITE/rss.sh" -P "$SERVER_PIDFILES" -t after-restart-open 2>&1 | tee -a "$A/raw.log" >>"$A/progress.log"
    fi
    bash "$ANCHOR_DIR/stop.sh" >>"$A/anchor-ctl.log" 2>&1 </dev/null
    cat "$A/summary.md"
  )
}

run_mailserver() {
  "$HERE/mailserver-bench.sh" "$OUT/mailserver" 2>>"$OUT/progress.log"
}

for t in $ORDER; do
  log "=== $t ($(cut -d' ' -f1-3 /proc/loadavg))"
  case $t in
    anchor) run_anchor ;;
    mailserver) run_mailserver ;;
    *) echo "unknown target $t" >&2; exit 2;;
  esac
  log "=== $t done ($(cut -d' ' -f1-3 /proc/loadavg))"
done

"$PY" "$HERE/compare_tables.py" "$OUT/anchor/raw.log" "$OUT/mailserver/raw.log" | tee "$OUT/compare.md"
[ -s "$OUT/mailserver/notes.txt" ] && cat "$OUT/mailserver/notes.txt"
echo "Output: $OUT"
