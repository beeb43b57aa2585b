#!/bin/sh
# Regenerates corpus.dat: N random messages from gen.py (fixed SEED), saved in order into a private Dovecot
# (see ../messages/dovecot-golden.sh), with the ENVELOPE and BODYSTRUCTURE Dovecot returns for each.
# Record format: "=== <uid> <message length> <envelope length> <bodystructure length>\n", then the three
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
python3 - "$work" "$dir/corpus.dat" <<'PY'
import json, sys
work, out = sys.argv[1], sys.argv[2]
rows = json.load(open(work + "/dovecot.json"))
with open(out, "wb") as f:
    for r in rows:
        u = int(r["uid"])
        msg = open("%s/msgs/%04d.eml" % (work, u), "rb").read()
        env = r["imap.envelope"].encode("utf-8")
        bs = r["imap.bodystructure"].encode("utf-8")
        f.write(b"=== %d %d %d %d\n" % (u, len(msg), len(env), len(bs)) + msg + env + bs + b"\n")
PY
rm -rf "$work"
