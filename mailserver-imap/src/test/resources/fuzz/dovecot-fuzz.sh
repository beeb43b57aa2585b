#!/bin/sh
# Regenerates corpus.dat and sections.dat: N random messages from gen.py (fixed SEED), saved in order into a private Dovecot
# (see ../messages/dovecot-golden.sh), with the ENVELOPE and BODYSTRUCTURE Dovecot returns for each.
# Record format: "=== <n> <message length> <envelope length> <bodystructure length>\n", then the three
# byte strings back to back, then "\n". Usage: dovecot-fuzz.sh CONF
set -e
conf=$1
dir=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
mkdir "$work/msgs"
(cd "$work" && N=${N:-200} SEED=${SEED:-11} python3 "$dir/gen.py")
user=golden-fuzz
doveadm -c "$conf" expunge -u "$user" mailbox INBOX all 2>/dev/null || true
for f in "$work"/msgs/*.eml; do doveadm -c "$conf" save -u "$user" < "$f"; done
doveadm -c "$conf" -f json fetch -u "$user" 'uid imap.envelope imap.bodystructure' all > "$work/dovecot.json"
fields=$(python3 -c '
paths = []
def rec(prefix, depth):
    for n in range(1, 4):
        paths.append(prefix + str(n))
        if depth < 3:
            rec(prefix + str(n) + ".", depth + 1)
rec("", 1)
f = ["uid", "body.", "body.HEADER", "body.TEXT"] + ["body." + p + s for p in paths for s in ("", ".MIME", ".HEADER", ".TEXT")]
print(" ".join(f))')
doveadm -c "$conf" -f json fetch -u "$user" "$fields" all > "$work/sections.json"
python3 - "$work" "$dir/corpus.dat" <<'PY'
import json, sys
work, out = sys.argv[1], sys.argv[2]
rows = sorted(json.load(open(work + "/dovecot.json")), key=lambda r: int(r["uid"]))
with open(out, "wb") as f:
    for u, r in enumerate(rows, 1):  # UIDs go on after an expunge: the n-th message is the n-th file
        msg = open("%s/msgs/%04d.eml" % (work, u), "rb").read()
        env = r["imap.envelope"].encode("utf-8")
        bs = r["imap.bodystructure"].encode("utf-8")
        f.write(b"=== %d %d %d %d\n" % (u, len(msg), len(env), len(bs)) + msg + env + bs + b"\n")
PY
# sections.dat: per message, every BODY[section] (part paths up to depth 3, numbers up to 3) that Dovecot
# answers with a non-empty string, as "<n> <section> <length> <crc32 hex>"; every other one is empty.
python3 - "$work" "$dir/sections.dat" <<'PY'
import json, sys, zlib
work, out = sys.argv[1], sys.argv[2]
rows = sorted(json.load(open(work + "/sections.json")), key=lambda r: int(r["uid"]))
with open(out, "w") as f:
    for n, r in enumerate(rows, 1):
        for k, v in r.items():
            if k == "uid" or not v:
                continue
            b = v.encode("utf-8")
            f.write("%d %s %d %08x\n" % (n, k[5:] or "-", len(b), zlib.crc32(b)))
PY
rm -rf "$work"
