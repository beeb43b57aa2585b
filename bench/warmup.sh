#!/bin/bash
# warmup.sh - untimed warm-up of a server before it is measured, the same for every server.
#
# Usage: bench/warmup.sh PORTS_ENV N LOGDIR
#   Sends N 5 KB messages over SMTP: N/2 over one session to the ingest runs' own recipients (u01..u50, 1/50th each
#   in turn, as smtp_ingest.sh does at CONC=1: the JIT then has seen the switch from one mailbox to the next and
#   the first delivery that creates a Maildir, which the measured one-session run does 50 times), N/2 over 10
#   sessions to alice; then runs the IMAP
#   client workload twice with 2 clients on alice's mailbox (login, select, fetch envelopes, 1,000 single-message
#   body fetches, search, store: the measured runs do 100 per client, too few for the JIT to compile that path). Nothing of it is
#   counted. It compiles the JVM's hot paths (a long-running daemon has them compiled) and starts Postfix's and
#   Dovecot's worker processes; bob's mailbox, used for the "open the big folder" figures, is not touched, so
#   its cold open stays cold. Bounded: 120 s per step.
set -u
ENVF=${1:?usage: warmup.sh PORTS_ENV N LOGDIR}; WN=${2:?}; LOGD=${3:?}
SUITE=${BENCH_SUITE:?set BENCH_SUITE}
PY=${PY:-$(command -v /usr/bin/python3 || command -v python3)}
set -a; . "$ENVF"; set +a
HOST=${HOST:-127.0.0.1}
case "$HOST" in 127.*|::1|localhost) ;; *) echo "refusing non-loopback host $HOST" >&2; exit 2;; esac
mkdir -p "$LOGD"
[ "$WN" -gt 0 ] || exit 0
# Both shapes the ingest runs measure: half over one session at a time (a connection per message, as
# smtp-source does at CONC=1), half over 10 sessions.
for c in 1 10; do
  if [ "$c" = 1 ]; then RCPTS=$(seq -f 'u%02g' 1 50 | tr '\n' ' '); else RCPTS=alice; fi
  "$SUITE/smtp_ingest.sh" -H "$HOST" -p "$SMTP_PORT" -n $(( c == 1 ? WN / 2 : WN - WN / 2 )) -c "$c" -s 5120 -u "$RCPTS" \
      -d "$DOMAIN" -r "$MAILDIR_ROOT" -l "${MAILDIR_LAYOUT:-%d/%n}" -T 120 -t warmup >>"$LOGD/warmup.log" 2>&1
  grep '^SMTP' "$LOGD/warmup.log" | tail -1 >&2
done
if [ -z "${SKIP_IMAP:-}" ]; then
  if [ -n "${IMAPS_PORT:-}" ] && [ "${IMAP_TLS:-imaps}" = imaps ]; then IP=$IMAPS_PORT; IT=imaps; else IP=$IMAP_PORT; IT=${IMAP_TLS:-starttls}; fi
  for _ in 1 2; do
    "$PY" "$SUITE/imap_bench.py" --host "$HOST" --port "$IP" --tls "$IT" --login "alice@$DOMAIN" --password "$PASSWORD" \
        --mode clients --clients 2 --fetches 1000 --store-range 50 --cap 120 --pidfiles "" --pids "" >>"$LOGD/warmup.log" 2>&1
  done
  grep '^IMAP' "$LOGD/warmup.log" | tail -1 >&2
fi
