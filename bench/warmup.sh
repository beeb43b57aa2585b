#!/bin/bash
# warmup.sh - untimed warm-up of a server before it is measured, the same for every server.
#
# Usage: bench/warmup.sh PORTS_ENV N LOGDIR
#   Sends N messages over SMTP: N/2 of 5 KB over 10 sessions to alice, then N/2 over one session (5 KB and
#   100 KB in turn) to the ingest runs' own recipients (u01..u50, 1/50th each in turn, as smtp_ingest.sh does at
#   CONC=1: the JIT then has seen the switch from one mailbox to the next and the first delivery that creates
#   a Maildir, which the measured one-session run does 50 times). Between the two halves, alice's folder is
#   opened as the measured "open the big folder" opens bob's, cold then warm. While the one-session half runs,
#   the IMAP client workload runs on alice's mailbox once with 10 and once with 50 clients (the measured
#   concurrencies), then with 2 clients at least twice and until the SMTP half is done (login, select, fetch
#   envelopes, 1,000 single-message body fetches, search, store: the measured runs do 100 per client, too few
#   for the JIT to compile that path), then 400 flag changes on alice's mailbox (bench/warmup_store.py).
#   Nothing of it is counted. It compiles the JVM's hot paths for both protocols at once (a long-running daemon
#   has them compiled, for the mix it serves) and starts Postfix's and Dovecot's worker processes; bob's
#   mailbox, used for the "open the big folder" figures, is not touched, so its cold open stays cold.
#   Bounded: 120 s per step, 10 IMAP rounds.
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
# smtp-source does at CONC=1), half over 10 sessions. The 10-session half goes first, to alice, whose mailbox
# the IMAP workload then reads. The one-session half and the IMAP workload then run at the same time, as a
# daemon serves them: done one after the other, code that SMTP and IMAP share (Netty's pipeline and buffers,
# the store) was last compiled for IMAP's types alone, and the first measured run (SMTP, one session) paid
# for recompiling it: 147 methods made not entrant and 1.5-2.5 s of JIT compilation inside that run.
smtp_warmup() { # $1 sessions, $2 messages, $3 recipients, $4 size (default 5120)
  "$SUITE/smtp_ingest.sh" -H "$HOST" -p "$SMTP_PORT" -n "$2" -c "$1" -s "${4:-5120}" -u "$3" \
      -d "$DOMAIN" -r "$MAILDIR_ROOT" -l "${MAILDIR_LAYOUT:-%d/%n}" -T 120 -t warmup >>"$LOGD/warmup-smtp$1.log" 2>&1
  grep '^SMTP' "$LOGD/warmup-smtp$1.log" | tail -1 >&2
}
smtp_warmup 10 $(( WN - WN / 2 )) alice
if [ -z "${SKIP_IMAP:-}" ]; then
  if [ -n "${IMAPS_PORT:-}" ] && [ "${IMAP_TLS:-imaps}" = imaps ]; then IP=$IMAPS_PORT; IT=imaps; else IP=$IMAP_PORT; IT=${IMAP_TLS:-starttls}; fi
  # The first FETCH 1:* of a folder computes every message's header summary, and the header fetch Thunderbird
  # sends next is a path the client workload below never takes: without these two opens, the JIT compiled
  # both for the first time inside the measured cold open of bob's folder, and went on recompiling them
  # during the one-client run after it (docs/benchmarks.md, "twenty-first round").
  for label in cold warm; do
    "$PY" "$SUITE/imap_bench.py" --host "$HOST" --port "$IP" --tls "$IT" --login "alice@$DOMAIN" --password "$PASSWORD" \
        --mode open --label "$label" --pidfiles "" --pids "" >>"$LOGD/warmup.log" 2>&1
  done
fi
# The one-session half alternates the two sizes the ingest runs measure, 5 KB and 100 KB, in eight parts: with
# 5 KB alone, the code a 100 KB message takes further (a transfer in several chunks, a queue file and a Maildir
# file written in several writes) was compiled inside the first measured 100 KB run, whose rate was then 8-12 %
# below the runs after it (docs/benchmarks.md, "thirteenth round").
one_session_half() {
  local users part
  users="$(seq -f 'u%02g' 1 50 | tr '\n' ' ')"
  for part in 1 2 3 4; do
    smtp_warmup 1 $(( WN / 16 )) "$users" 5120
    smtp_warmup 1 $(( WN / 16 )) "$users" 102400
  done
}
one_session_half &
SMTP_JOB=$!
if [ -z "${SKIP_IMAP:-}" ]; then
  # Once at each measured concurrency, while the SMTP half runs: many sessions at once take paths two never do
  # (sockets that stop being writable, sessions waiting for a slot of the work pool, other sessions' flag changes
  # to report), which the JIT otherwise compiled inside the measured 10- and 50-client runs (docs/benchmarks.md,
  # "twenty-first round"). Not after the 2-client rounds: run last, they left the code SMTP shares with IMAP
  # compiled for IMAP alone, and the first measured SMTP run slower (the twenty-first and twenty-third rounds)
  for clients in 10 50; do
    "$PY" "$SUITE/imap_bench.py" --host "$HOST" --port "$IP" --tls "$IT" --login "alice@$DOMAIN" --password "$PASSWORD" \
        --mode clients --clients "$clients" --cap 120 --pidfiles "" --pids "" >>"$LOGD/warmup.log" 2>&1
  done
  # At least twice, and on while the SMTP half runs (bounded: 10 rounds)
  for round in 1 2 3 4 5 6 7 8 9 10; do
    "$PY" "$SUITE/imap_bench.py" --host "$HOST" --port "$IP" --tls "$IT" --login "alice@$DOMAIN" --password "$PASSWORD" \
        --mode clients --clients 2 --fetches 1000 --store-range 50 --cap 120 --pidfiles "" --pids "" >>"$LOGD/warmup.log" 2>&1
    [ "$round" -ge 2 ] && ! kill -0 "$SMTP_JOB" 2>/dev/null && break
  done
  grep '^IMAP' "$LOGD/warmup.log" | tail -1 >&2
  # The workload above sends one STORE per client and round: too few for the JIT to compile that path, which
  # the measured runs then ran uncompiled (bench/warmup_store.py says more)
  "$PY" "$(dirname "$0")/warmup_store.py" --host "$HOST" --port "$IP" --tls "$IT" --login "alice@$DOMAIN" \
      --password "$PASSWORD" --count 400 --range 50 --cap 120 >>"$LOGD/warmup.log" 2>&1
  grep '^STORE warm-up' "$LOGD/warmup.log" | tail -1 >&2
fi
wait "$SMTP_JOB"
