#!/usr/bin/env python3
"""Regenerates *.sections from Debian's Dovecot: for every part path that exists (depth <= 4, numbers <= 5)
plus the first missing one at each level, the bytes Dovecot returns for body.P, body.P.MIME, body.P.HEADER,
body.P.TEXT and binary.P, and for body / body.HEADER / body.TEXT. Needs the messages saved by
dovecot-golden.sh (users golden-NN). Usage: dovecot-sections.py CONF
Record format: "=== <field> <length>\\n" then exactly <length> bytes then "\\n"; length -1 means Dovecot failed."""
import glob, os, subprocess, sys

conf = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))

def fetch(user, field):
    r = subprocess.run(["doveadm", "-c", conf, "fetch", "-u", user, field, "all"], capture_output=True)
    if r.returncode != 0:
        return None
    prefix = (field.lower() + ":\n").encode()
    out = r.stdout
    assert out.startswith(prefix), (field, out[:40])
    return out[len(prefix):]

for path in sorted(glob.glob(os.path.join(here, "*.eml"))):
    name = os.path.basename(path)[:-4]
    user = "golden-" + name
    records = []
    def add(field):
        v = fetch(user, field)
        records.append((field, v))
        return v
    for f in ["body.", "body.HEADER", "body.TEXT", "binary."]:
        add(f)
    def walk(prefix, depth):
        for n in range(1, 6):
            p = prefix + str(n)
            body = add("body." + p)
            mime = add("body." + p + ".MIME")
            add("body." + p + ".HEADER")
            add("body." + p + ".TEXT")
            add("binary." + p)
            if not body and not mime:
                break  # first missing part at this level: recorded, stop
            if depth < 4:
                walk(p + ".", depth + 1)
    walk("", 1)
    with open(os.path.join(here, name + ".sections"), "wb") as out:
        for field, v in records:
            if v is None:
                out.write(("=== %s -1\n\n" % field).encode())
            else:
                out.write(("=== %s %d\n" % (field, len(v))).encode() + v + b"\n")
    print(name, len(records))
