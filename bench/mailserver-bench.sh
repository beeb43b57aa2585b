#!/bin/bash
# mailserver-bench.sh - run the shared load benchmarks (bench_all.sh) against a mailserver built from this repo,
# configured like the Postfix + Dovecot anchor (see docs/benchmarks.md, section "End-to-end").
#
# Builds nothing. Expects the distribution built by `mvn -q -DskipTests package` in
# mailserver-dist/target/mailserver (or MS_HOME). Loopback only, every step bounded in time.
#
# Usage: bench/mailserver-bench.sh [OUTDIR]
#   OUTDIR (default /tmp/bench-mailserver-<time>): raw.log, summary.md, server.log, ports.env
# Environment:
#   MS_HOME       the unpacked distribution (default: <repo>/mailserver-dist/target/mailserver)
#   BENCH_SUITE   the shared suite with bench_all.sh (default: $BENCH_SUITE, <repo>/../shared/bench, /work/shared/bench)
#   MS_WORK       state of this benchmark server: conf/, data/, vmail/ (default /var/tmp/mail-ms-bench)
#   MS_FRESH=1    start from empty mailboxes and queue (default 1; 0 keeps the previous run's mail)
#   EMPTY=delete  how MS_FRESH empties them: delete (rm -rf) or aside (renamed into $MS_WORK/trash/, nothing freed;
#                 delete the trash yourself between rounds). Why: docs/benchmarks.md, "Emptying the Maildirs"
#   PORT_BASE     21000: listeners on PORT_BASE + 25/587/465/143/993/24 (the anchor uses 20000 + ...)
#   MAILSERVER_OPTS  extra JVM flags, appended to the launcher's defaults (it documents them)
#   MAILSERVER_CDS_DIR  the launcher's class-data sharing files (default $MS_WORK/cds: kept across MS_FRESH,
#                 as /var/lib/mailserver/cds is across restarts in production; the first run on a machine
#                 records the class list, the next start builds the archive, later runs use it);
#                 MAILSERVER_CDS=off measures without (docs/install.md, "Class-data sharing archive")
#   MS_MAINCF_EXTRA  lines appended to the generated main.cf (experiments with one parameter)
#   STARTUP_WAIT  seconds to wait for the listeners (default 120)
#   WARMUP_N      if > 0: before measuring, run bench/warmup.sh (N messages to alice, IMAP workload on alice's
#                 mailbox), not counted (default 0; compare.sh sets the same value for both servers)
#   RESTART_OPEN=1  after bench_all: restart the server and time one more "open the big folder" (label
#                 after-restart: a fresh JVM, nothing of the mailbox in memory, on-disk index as left behind)
#   All bench_all.sh knobs pass through: N SIZES CONC IMAP_CLIENTS FILL_USER FILL_COUNT FILL_PROTO FETCHES
#                 STORE_RANGE RUN_CAP SETTLE_S SKIP_SMTP SKIP_LMTP SKIP_IMAP
# A listener that does not come up (a protocol not built yet) is reported and its part skipped.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
MS_HOME=${MS_HOME:-$REPO/mailserver-dist/target/mailserver}
if [ -z "${BENCH_SUITE:-}" ]; then
  for d in "$REPO/../shared/bench" /work/shared/bench; do [ -x "$d/bench_all.sh" ] && { BENCH_SUITE=$d; break; }; done
fi
[ -x "${BENCH_SUITE:-}/bench_all.sh" ] || { echo "bench_all.sh not found; set BENCH_SUITE" >&2; exit 2; }
[ -x "$MS_HOME/bin/mailserver" ] || { echo "no $MS_HOME/bin/mailserver; build with: mvn -q -DskipTests package" >&2; exit 2; }
PY=${PY:-$(command -v /usr/bin/python3 || command -v python3)}
export PY
MS_WORK=${MS_WORK:-/var/tmp/mail-ms-bench}
MS_FRESH=${MS_FRESH:-1}
export MAILSERVER_CDS_DIR=${MAILSERVER_CDS_DIR:-$MS_WORK/cds}
PORT_BASE=${PORT_BASE:-21000}
STARTUP_WAIT=${STARTUP_WAIT:-120}
WARMUP_N=${WARMUP_N:-0}
RESTART_OPEN=${RESTART_OPEN:-0}
OUT=${1:-/tmp/bench-mailserver-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
HOST=127.0.0.1
DOMAIN=example.test
PASSWORD='Passw0rd!'
SMTP_PORT=$((PORT_BASE + 25)); SUBMISSION_PORT=$((PORT_BASE + 587)); SUBMISSIONS_PORT=$((PORT_BASE + 465))
IMAP_PORT=$((PORT_BASE + 143)); IMAPS_PORT=$((PORT_BASE + 993)); LMTP_PORT=$((PORT_BASE + 24))
ALL_PORTS="$SMTP_PORT $SUBMISSION_PORT $SUBMISSIONS_PORT $IMAP_PORT $IMAPS_PORT $LMTP_PORT"
CONF=$MS_WORK/conf; DATA=$MS_WORK/data; VMAIL=$MS_WORK/vmail
log() { echo "[mailserver-bench $(date +%T)] $*" | tee -a "$OUT/progress.log" >&2; }

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
# greets PORT KIND: does a server on PORT speak KIND (smtp|lmtp: "220 ", imap: "* OK", imaps: TLS then "* OK")?
# A listener that accepts but has no protocol behind it yet does not count.
greets() {
  "$PY" - "$HOST" "$1" "$2" <<'PYEOF' 2>/dev/null
import socket, ssl, sys
host, port, kind = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.create_connection((host, port), timeout=5)
if kind == 'imaps':
    ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
    s = ctx.wrap_socket(s)
line = s.makefile('rb').readline(1000)
ok = line.startswith(b'220') if kind in ('smtp', 'lmtp') else line.startswith(b'* OK')
s.close()
sys.exit(0 if ok else 1)
PYEOF
}

# Before anything is emptied: a server still up on these ports (another run) may be using MS_WORK's Maildirs
for p in $ALL_PORTS; do
  if port_open "$p"; then echo "port $p already in use: is another server (a previous run?) still up?" >&2; exit 2; fi
done

# ---- state directory (only ever a directory this script created: it carries a marker file) ----
if [ -e "$MS_WORK" ] && [ ! -e "$MS_WORK/.mailserver-bench" ]; then
  echo "$MS_WORK exists but was not made by this script; set MS_WORK" >&2; exit 2
fi
mkdir -p "$MS_WORK" && touch "$MS_WORK/.mailserver-bench"
if [ "$MS_FRESH" = 1 ]; then
  if [ "${EMPTY:-delete}" = aside ] && TRASH=$("$HERE/move-aside.sh" "$MS_WORK/trash" "$DATA" "$VMAIL"); then
    log "previous data moved aside to $TRASH ($(du -sh "$MS_WORK/trash" 2>/dev/null | cut -f1) in $MS_WORK/trash)"
  else
    [ "${EMPTY:-delete}" = aside ] && log "less than 10 GiB free: deleting the previous data instead of moving it aside"
    rm -rf "$DATA" "$VMAIL"
  fi
fi
mkdir -p "$CONF" "$DATA/queue" "$VMAIL"

# ---- users: the anchor's users and password, Dovecot passwd-file with SHA512-CRYPT (same hash cost) ----
if [ ! -s "$CONF/users" ]; then
  HASH=$(doveadm pw -s SHA512-CRYPT -p "$PASSWORD" 2>/dev/null) || HASH=""
  if [ -z "$HASH" ]; then
    HASH="{SHA512-CRYPT}$("$PY" -c 'import crypt,sys;print(crypt.crypt(sys.argv[1],crypt.mksalt(crypt.METHOD_SHA512)))' "$PASSWORD")"
  fi
  for u in alice bob $(seq -f 'u%02g' 1 50); do echo "$u@$DOMAIN:$HASH::::::"; done > "$CONF/users.new"
  mv "$CONF/users.new" "$CONF/users"
  chmod 0640 "$CONF/users"
fi

# ---- TLS: the anchor's self-signed certificate when readable (same key type and size), else generated ----
TLS_LINES="# no certificate given: a self-signed one is generated into data_directory/tls"
if [ -r /etc/ssl/anchor/cert.pem ] && [ -r /etc/ssl/anchor/key.pem ]; then
  TLS_LINES="smtpd_tls_cert_file = /etc/ssl/anchor/cert.pem
smtpd_tls_key_file = /etc/ssl/anchor/key.pem"
fi

cat > "$CONF/main.cf" <<EOF
# Benchmark configuration written by bench/mailserver-bench.sh: the anchor's setup
# (/work/shared/bench/anchor/setup-anchor.sh) expressed in mailserver's parameters.
myhostname = mail.example.test
mydomain = example.test
mydestination = localhost
virtual_mailbox_domains = $DOMAIN
inet_interfaces = 127.0.0.1
# As the anchor: loopback clients are untrusted outsiders (mynetworks matches nothing we use)
mynetworks = 192.0.2.1/32
message_size_limit = 52428800

data_directory = $DATA
queue_directory = $DATA/queue

# Dovecot side: passwd-file users, Maildir %d/%n, fsync every new message and its directory
passdb = passwd-file:$CONF/users
userdb = passwd-file:$CONF/users
mail_location = maildir:$VMAIL/%d/%n
mail_fsync = optimized

$TLS_LINES
smtpd_tls_security_level = may

# The anchor exempts loopback from Postfix's per-client limits (smtpd_client_event_limit_exceptions)
# and raises Dovecot's mail_max_userip_connections to 200 for 50 concurrent IMAP clients.
smtpd_client_connection_count_limit = 0
imap_client_connection_count_limit = 0
mail_max_userip_connections = 200
listener_connection_limit = 200

daemon_shutdown_timeout = 5s
${MS_MAINCF_EXTRA:-}
EOF

cat > "$CONF/master.cf" <<EOF
# Benchmark listeners (anchor's ports + $((PORT_BASE - 20000)))
smtp         smtp  $HOST:$SMTP_PORT
submission   smtp  $HOST:$SUBMISSION_PORT
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
submissions  smtp  $HOST:$SUBMISSIONS_PORT
  -o smtpd_tls_wrappermode=yes
  -o smtpd_sasl_auth_enable=yes
imap         imap  $HOST:$IMAP_PORT
imaps        imap  $HOST:$IMAPS_PORT
  -o imap_tls_wrappermode=yes
lmtp         lmtp  $HOST:$LMTP_PORT
EOF

# ---- start / stop ----
SETSID=$(command -v setsid || true)
MS_PID=""
start_server() {
  log "starting $MS_HOME/bin/mailserver -c $CONF start-fg (MAILSERVER_OPTS=${MAILSERVER_OPTS:-})"
  # In a session of its own, as systemd runs it (its own cgroup) and as Postfix's and Dovecot's masters put
  # themselves (setsid when they daemonize): with sched_autogroup (Debian's default) a process of this shell's
  # session is scheduled in one group with the load clients, while the anchor's servers are a group of their
  # own. docs/benchmarks.md, "One scheduling group each".
  $SETSID "$MS_HOME/bin/mailserver" -c "$CONF" start-fg </dev/null >>"$OUT/server.log" 2>&1 &
  MS_PID=$!   # the launcher execs java, and setsid execs it in place (a job of a script leads no group): the JVM
  echo "$MS_PID" > "$OUT/mailserver.pid"   # smtp_ingest.sh accounts CPU through pidfiles only
  local t0=$SECONDS
  while ! port_open "$SMTP_PORT" && ! port_open "$IMAPS_PORT" && ! port_open "$LMTP_PORT"; do
    if ! kill -0 "$MS_PID" 2>/dev/null; then log "server exited during start; last log lines:"; tail -20 "$OUT/server.log" >&2; MS_PID=""; return 1; fi
    if (( SECONDS - t0 > STARTUP_WAIT )); then log "no listener after ${STARTUP_WAIT}s"; tail -20 "$OUT/server.log" >&2; return 1; fi
    sleep 0.5
  done
  sleep 2   # the other listeners bind in the same start-up; give them a moment
  log "server pid $MS_PID ($(cat /proc/$MS_PID/comm 2>/dev/null)) up after $((SECONDS - t0))s"
}
stop_server() {
  [ -n "$MS_PID" ] || return 0
  log "stopping pid $MS_PID"
  timeout 30 "$MS_HOME/bin/mailserver" -c "$CONF" stop >>"$OUT/server.log" 2>&1 </dev/null
  for _ in $(seq 60); do kill -0 "$MS_PID" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$MS_PID" 2>/dev/null; then log "still running: SIGTERM"; kill "$MS_PID"; sleep 5; fi
  if kill -0 "$MS_PID" 2>/dev/null; then log "still running: SIGKILL"; kill -9 "$MS_PID"; fi
  wait "$MS_PID" 2>/dev/null
  MS_PID=""
}
trap 'stop_server' EXIT
trap 'exit 130' INT TERM

start_server || exit 1

# ---- which protocols answer; missing ones are skipped and said so ----
SKIPS=()
have() { greets "$1" "$2" && echo yes || echo no; }
S_SMTP=$(have "$SMTP_PORT" smtp); S_LMTP=$(have "$LMTP_PORT" lmtp); S_IMAPS=$(have "$IMAPS_PORT" imaps); S_IMAP=$(have "$IMAP_PORT" imap)
log "greeting on: smtp=$S_SMTP lmtp=$S_LMTP imaps=$S_IMAPS imap=$S_IMAP"
[ "$S_SMTP" = yes ] || { export SKIP_SMTP=1; SKIPS+=("SMTP ingest: no SMTP greeting on $SMTP_PORT"); }
LMTP_LINE="LMTP_PORT=$LMTP_PORT"
[ "$S_LMTP" = yes ] || { LMTP_LINE="LMTP_PORT="; SKIPS+=("LMTP ingest: no LMTP greeting on $LMTP_PORT"); }
# bench_all.sh needs IMAP_PORT set in any case; IMAPS_PORT only when implicit TLS answers
if [ "$S_IMAPS" = yes ]; then IMAP_LINES="IMAP_PORT=$IMAP_PORT
IMAPS_PORT=$IMAPS_PORT"
elif [ "$S_IMAP" = yes ]; then IMAP_LINES="IMAP_PORT=$IMAP_PORT
IMAP_TLS=starttls"; SKIPS+=("IMAPS not answering; IMAP measured over STARTTLS on $IMAP_PORT")
else IMAP_LINES="IMAP_PORT=$IMAP_PORT"; export SKIP_IMAP=1; SKIPS+=("IMAP: no IMAP greeting on $IMAPS_PORT (TLS) or $IMAP_PORT"); fi
if [ "$S_LMTP" != yes ] && [ "$S_SMTP" != yes ] && [ -z "${SKIP_IMAP:-}" ]; then
  export SKIP_IMAP=1; SKIPS+=("IMAP: no SMTP or LMTP to fill the mailbox with")
fi

cat > "$OUT/ports.env" <<EOF
# mailserver under benchmark, written by bench/mailserver-bench.sh
TARGET_NAME=mailserver
HOST=$HOST
SMTP_PORT=$SMTP_PORT
SUBMISSION_PORT=$SUBMISSION_PORT
SUBMISSIONS_PORT=$SUBMISSIONS_PORT
$LMTP_LINE
$IMAP_LINES
DOMAIN=$DOMAIN
PASSWORD='$PASSWORD'
MAILDIR_ROOT=$VMAIL
MAILDIR_LAYOUT='%d/%n'
SERVER_PIDFILES=$OUT/mailserver.pid
SERVER_PIDS=$MS_PID
EOF
for s in "${SKIPS[@]}"; do log "NOT MEASURED: $s"; echo "NOTE not-measured: $s" >> "$OUT/notes.txt"; done

if [ "$WARMUP_N" -gt 0 ] && [ "$S_SMTP" = yes ]; then
  log "warm-up (not counted): $WARMUP_N messages to alice over SMTP, IMAP workload on alice's mailbox twice"
  BENCH_SUITE=$BENCH_SUITE "$HERE/warmup.sh" "$OUT/ports.env" "$WARMUP_N" "$OUT"
fi

log "bench_all.sh $OUT/ports.env (N=${N:-2000} SIZES=${SIZES:-5120 102400} CONC=${CONC:-1 10 50} IMAP_CLIENTS=${IMAP_CLIENTS:-1 10 50} FILL_COUNT=${FILL_COUNT:-10000})"
"$BENCH_SUITE/bench_all.sh" "$OUT/ports.env" "$OUT" > "$OUT/summary.md" 2>>"$OUT/progress.log"

if [ "$RESTART_OPEN" = 1 ] && [ -z "${SKIP_IMAP:-}" ]; then
  stop_server
  start_server || exit 1
  set -a; . "$OUT/ports.env"; set +a
  SERVER_PIDS=$MS_PID
  if [ -n "${IMAPS_PORT:-}" ]; then IP=$IMAPS_PORT; IT=imaps; else IP=$IMAP_PORT; IT=starttls; fi
  log "open the big folder after a restart"
  "$PY" "$BENCH_SUITE/imap_bench.py" --host "$HOST" --port "$IP" --tls "$IT" --login "${FILL_USER:-bob}@$DOMAIN" \
      --password "$PASSWORD" --pids "$MS_PID" --mode open --label after-restart 2>&1 | tee -a "$OUT/raw.log" >>"$OUT/progress.log"
  "$BENCH_SUITE/rss.sh" -p "$MS_PID" -t after-restart-open 2>&1 | tee -a "$OUT/raw.log" >>"$OUT/progress.log"
fi
stop_server
cat "$OUT/summary.md"
[ -s "$OUT/notes.txt" ] && cat "$OUT/notes.txt"
echo "Output: $OUT"
