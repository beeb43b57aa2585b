#!/usr/bin/env python3
"""warmup_store.py - untimed flag changes for bench/warmup.sh, the same for every server.

Logs in, selects INBOX and sends COUNT `UID STORE` commands on consecutive windows of RANGE messages, in turn
+FLAGS (\\Seen), -FLAGS (\\Seen), +FLAGS (\\Flagged), -FLAGS (\\Flagged), so every flag it sets it clears again.

Why: the measured IMAP runs send one STORE per client, and the warm-up's IMAP workload (imap_bench.py) one per
client and round, 4-20 in all. A JVM then runs the measured STORE in code the JIT has not compiled yet: one
client's single STORE of 100 messages took 2.6-6.1 ms in the thirteenth round, and 2.0-2.1 ms in the fourteenth
with this warm-up (docs/benchmarks.md; slow ones still happen after the ingest runs, for another reason). A
daemon whose users read mail has that path compiled. Postfix and Dovecot get the same commands.

Loopback only; bounded by --cap seconds. Prints one summary line.
"""
import argparse
import imaplib
import ssl
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--host', default='127.0.0.1')
    ap.add_argument('--port', type=int, required=True)
    ap.add_argument('--tls', choices=['imaps', 'starttls', 'plain'], default='imaps')
    ap.add_argument('--login', required=True)
    ap.add_argument('--password', required=True)
    ap.add_argument('--count', type=int, default=400)
    ap.add_argument('--range', type=int, default=50)
    ap.add_argument('--cap', type=float, default=60)
    a = ap.parse_args()
    if not (a.host.startswith('127.') or a.host in ('::1', 'localhost')):
        sys.exit('refusing non-loopback host ' + a.host)
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    if a.tls == 'imaps':
        m = imaplib.IMAP4_SSL(a.host, a.port, ssl_context=ctx, timeout=30)
    else:
        m = imaplib.IMAP4(a.host, a.port, timeout=30)
        if a.tls == 'starttls':
            m.starttls(ssl_context=ctx)
    m.login(a.login, a.password)
    typ, data = m.select('INBOX')
    if typ != 'OK':
        sys.exit('SELECT failed: %r' % (data,))
    typ, data = m.uid('SEARCH', None, 'ALL')
    uids = [int(x) for x in data[0].split()] if typ == 'OK' and data and data[0] else []
    if len(uids) < a.range:
        sys.exit('warmup_store: only %d messages in %s INBOX' % (len(uids), a.login))
    ops = [('+FLAGS', r'(\Seen)'), ('-FLAGS', r'(\Seen)'), ('+FLAGS', r'(\Flagged)'), ('-FLAGS', r'(\Flagged)')]
    start = time.monotonic()
    done = 0
    window = 0
    while done < a.count and time.monotonic() - start < a.cap:
        lo = (window * a.range) % (len(uids) - a.range + 1)
        rng = '%d:%d' % (uids[lo], uids[lo + a.range - 1])
        for op, flags in ops:
            typ, data = m.uid('STORE', rng, op, flags)
            if typ != 'OK':
                sys.exit('STORE failed: %r' % (data,))
            done += 1
        window += 1
    m.logout()
    print('STORE warm-up %s: %d commands on %d-message windows in %.1f s'
          % (a.login, done, a.range, time.monotonic() - start))


if __name__ == '__main__':
    main()
