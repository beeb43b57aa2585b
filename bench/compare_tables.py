#!/usr/bin/env python3
"""compare_tables.py - side-by-side markdown tables of two bench_all.sh raw logs (RESULT lines).

Usage: compare_tables.py ANCHOR_RAW_LOG MAILSERVER_RAW_LOG
Called by bench/compare.sh. Every ratio is written so that > 1 means mailserver did better:
throughput (msg/s, cmds/s) as mailserver / anchor, times and latencies as anchor / mailserver,
memory as anchor / mailserver. A missing side prints '-'.
"""
import sys

CMDS = ['login', 'select', 'fetch_all_env', 'fetch_body', 'search_subj', 'store_seen']


def results(path):
    rows = []
    try:
        with open(path) as f:
            for line in f:
                if line.startswith('RESULT '):
                    rows.append(dict(kv.split('=', 1) for kv in line.split()[1:] if '=' in kv))
    except OSError:
        pass
    return rows


def num(d, k):
    try:
        v = float(d[k])
        return v if v == v else None  # NaN -> None
    except (KeyError, TypeError, ValueError):
        return None


def ratio(a, b):
    return f"{a / b:.2f}" if a and b else '-'


def fmt(v, nd=1):
    return '-' if v is None else f"{v:.{nd}f}"


def ingest(a, m):
    key = lambda r: (r['proto'], int(r['size']), int(r['c']))
    A = {key(r): r for r in a if r.get('bench') == 'ingest'}
    M = {key(r): r for r in m if r.get('bench') == 'ingest'}
    keys = sorted(set(A) | set(M), key=lambda k: (k[0] != 'SMTP', k[1], k[2]))
    if not keys:
        return
    print("#### Ingest (delivered = visible in the recipients' Maildir)\n")
    print("| proto | size B | sessions | msgs | anchor delivered msg/s | mailserver delivered msg/s | **ratio** | "
          "anchor accepted msg/s | mailserver accepted msg/s | ratio | anchor CPU s | mailserver CPU s | complete (a/m) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for k in keys:
        ra, rm = A.get(k, {}), M.get(k, {})
        da, dm = num(ra, 'deliver_mps'), num(rm, 'deliver_mps')
        aa, am = num(ra, 'accept_mps'), num(rm, 'accept_mps')
        comp = f"{ra.get('complete', '-')}/{rm.get('complete', '-')}"
        print(f"| {k[0]} | {k[1]} | {k[2]} | {rm.get('n', ra.get('n', '-'))} | {fmt(da)} | {fmt(dm)} | **{ratio(dm, da)}** | "
              f"{fmt(aa)} | {fmt(am)} | {ratio(am, aa)} | {ra.get('server_cpu_s', '-')} | {rm.get('server_cpu_s', '-')} | {comp} |")
    print()


def opens(a, m):
    A = {r['label']: r for r in a if r.get('bench') == 'imap' and r.get('mode') == 'open'}
    M = {r['label']: r for r in m if r.get('bench') == 'imap' and r.get('mode') == 'open'}
    labels = [l for l in ('cold-first-open', 'warm-second-open', 'after-restart') if l in A or l in M]
    if not labels:
        return
    print("#### Open the big folder (times in ms; ratio = anchor / mailserver)\n")
    print("| case | msgs (a/m) | anchor SELECT | mailserver SELECT | anchor SELECT+ENVELOPE | mailserver SELECT+ENVELOPE | "
          "**ratio** | anchor TB headers | mailserver TB headers | ratio |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for l in labels:
        ra, rm = A.get(l, {}), M.get(l, {})
        sa, sm = num(ra, 'select_ms'), num(rm, 'select_ms')
        ea, em = num(ra, 'select_plus_envelope_ms'), num(rm, 'select_plus_envelope_ms')
        ta, tm = num(ra, 'fetch_tb_headers_ms'), num(rm, 'fetch_tb_headers_ms')
        print(f"| {l} | {ra.get('messages', '-')}/{rm.get('messages', '-')} | {fmt(sa)} | {fmt(sm)} | {fmt(ea)} | {fmt(em)} | "
              f"**{ratio(ea, em)}** | {fmt(ta)} | {fmt(tm)} | {ratio(ta, tm)} |")
    print()


def clients(a, m):
    A = {int(r['clients']): r for r in a if r.get('bench') == 'imap' and r.get('mode') == 'clients'}
    M = {int(r['clients']): r for r in m if r.get('bench') == 'imap' and r.get('mode') == 'clients'}
    ks = sorted(set(A) | set(M))
    if not ks:
        return
    print("#### Concurrent IMAP clients: throughput (ratio = mailserver / anchor)\n")
    print("| clients | ok (a/m) | anchor cmds/s | mailserver cmds/s | **ratio** | anchor wall s | mailserver wall s | "
          "anchor CPU s | mailserver CPU s |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for k in ks:
        ra, rm = A.get(k, {}), M.get(k, {})
        oa, om = num(ra, 'ops_per_s'), num(rm, 'ops_per_s')
        print(f"| {k} | {ra.get('ok', '-')}/{rm.get('ok', '-')} | {fmt(oa)} | {fmt(om)} | **{ratio(om, oa)}** | "
              f"{ra.get('wall_s', '-')} | {rm.get('wall_s', '-')} | {ra.get('server_cpu_s', '-')} | {rm.get('server_cpu_s', '-')} |")
    print()
    print("#### Concurrent IMAP clients: latency p50 / p99 in ms (ratio = anchor / mailserver)\n")
    print("| clients | command | anchor p50 | mailserver p50 | **p50 ratio** | anchor p99 | mailserver p99 | **p99 ratio** |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for k in ks:
        ra, rm = A.get(k, {}), M.get(k, {})
        for c in CMDS:
            a50, m50 = num(ra, c + '_p50_ms'), num(rm, c + '_p50_ms')
            a99, m99 = num(ra, c + '_p99_ms'), num(rm, c + '_p99_ms')
            print(f"| {k} | {c} | {fmt(a50, 2)} | {fmt(m50, 2)} | **{ratio(a50, m50)}** | {fmt(a99, 2)} | {fmt(m99, 2)} | **{ratio(a99, m99)}** |")
    print()


def memory(a, m):
    A = {r['label']: r for r in a if r.get('bench') == 'rss'}
    M = {r['label']: r for r in m if r.get('bench') == 'rss'}
    labels = [l for l in ('idle-start', 'after-ingest', 'after-bench', 'settled', 'after-restart-open') if l in A or l in M]
    if not labels:
        return
    print("#### Memory of the server processes (MiB; PSS splits shared pages; ratio = anchor / mailserver)\n")
    print("| point | anchor procs | anchor RSS | anchor PSS | mailserver RSS | mailserver PSS | RSS ratio | **PSS ratio** |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for l in labels:
        ra, rm = A.get(l, {}), M.get(l, {})
        print(f"| {l} | {ra.get('nproc', '-')} | {ra.get('rss_mib', '-')} | {ra.get('pss_mib', '-')} | {rm.get('rss_mib', '-')} | "
              f"{rm.get('pss_mib', '-')} | {ratio(num(ra, 'rss_mib'), num(rm, 'rss_mib'))} | "
              f"**{ratio(num(ra, 'pss_mib'), num(rm, 'pss_mib'))}** |")
    print()


def main():
    a, m = results(sys.argv[1]), results(sys.argv[2])
    print("### mailserver vs Postfix + Dovecot, side by side (> 1 means mailserver better)\n")
    ingest(a, m)
    opens(a, m)
    clients(a, m)
    memory(a, m)


if __name__ == '__main__':
    main()
