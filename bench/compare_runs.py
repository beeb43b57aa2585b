#!/usr/bin/env python3
"""compare_runs.py - one table of the key mailserver/anchor ratios over several compare.sh output directories.

Usage: compare_runs.py OUTDIR1 [OUTDIR2 ...]   (each with anchor/raw.log and mailserver/raw.log)
Ratios > 1 mean mailserver better (throughput mailserver/anchor, times and memory anchor/mailserver)."""
import sys
import os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_tables import results, num
runs=sys.argv[1:]
R=[(results(f'{d}/anchor/raw.log'),results(f'{d}/mailserver/raw.log')) for d in runs]
def r(x,y): return f"{x/y:.2f}" if x and y else '-'
hdr="| measure | "+" | ".join(f"run {i+1}" for i in range(len(runs)))+" |"
print(hdr); print("|---|"+"---:|"*len(runs))
for proto in ('SMTP','LMTP'):
  for size in (5120,102400):
    for c in (1,10,50):
      cells=[]
      for a,m in R:
        fa=[x for x in a if x.get('bench')=='ingest' and x['proto']==proto and int(x['size'])==size and int(x['c'])==c]
        fm=[x for x in m if x.get('bench')=='ingest' and x['proto']==proto and int(x['size'])==size and int(x['c'])==c]
        cells.append(r(num(fm[0],'deliver_mps'),num(fa[0],'deliver_mps')) if fa and fm else '-')
      print(f"| {proto} delivered msg/s, {size//1024} KB, {c} session{'s' if c>1 else ''} | "+" | ".join(cells)+" |")
for lab in ('cold-first-open','warm-second-open','after-restart'):
  cells=[]
  for a,m in R:
    fa=[x for x in a if x.get('mode')=='open' and x['label']==lab]; fm=[x for x in m if x.get('mode')=='open' and x['label']==lab]
    cells.append(r(num(fa[0],'select_plus_envelope_ms'),num(fm[0],'select_plus_envelope_ms')) if fa and fm else '-')
  print(f"| open 10,000: SELECT + FETCH 1:* ENVELOPE time, {lab} | "+" | ".join(cells)+" |")
for k in (1,10):
  cells=[]
  for a,m in R:
    fa=[x for x in a if x.get('mode')=='clients' and int(x['clients'])==k]; fm=[x for x in m if x.get('mode')=='clients' and int(x['clients'])==k]
    cells.append(r(num(fm[0],'ops_per_s'),num(fa[0],'ops_per_s')) if fa and fm else '-')
  print(f"| IMAP {k} client{'s' if k>1 else ''}: commands/s | "+" | ".join(cells)+" |")
  for c in ('fetch_body','search_subj','fetch_all_env'):
    cells=[]
    for a,m in R:
      fa=[x for x in a if x.get('mode')=='clients' and int(x['clients'])==k]; fm=[x for x in m if x.get('mode')=='clients' and int(x['clients'])==k]
      cells.append(r(num(fa[0],c+'_p50_ms'),num(fm[0],c+'_p50_ms')) if fa and fm else '-')
    print(f"| IMAP {k} client{'s' if k>1 else ''}: {c} p50 latency | "+" | ".join(cells)+" |")
for lab in ('after-bench',):
  cells=[]
  for a,m in R:
    fa=[x for x in a if x.get('bench')=='rss' and x['label']==lab]; fm=[x for x in m if x.get('bench')=='rss' and x['label']==lab]
    cells.append(r(num(fa[0],'pss_mib'),num(fm[0],'pss_mib')) if fa and fm else '-')
  print(f"| memory PSS, {lab} | "+" | ".join(cells)+" |")
