#!/bin/sh
# Regenerates dovecot.golden: ../messages/01-*.eml to 12-*.eml then ../threads/*.eml saved in that order into a private
# Dovecot (see ../messages/dovecot-golden.sh); each criteria line of searches.txt (a line ending in {n}
# carries a literal on the next line) asked as SEARCH of Dovecot's own imap. Usage: dovecot-search.sh CONF
set -e
conf=$1
dir=$(cd "$(dirname "$0")" && pwd)
user=golden-search
doveadm -c "$conf" expunge -u "$user" mailbox INBOX all 2>/dev/null || true
for f in "$dir"/../messages/0[1-9]-*.eml "$dir"/../messages/1[0-2]-*.eml "$dir"/../threads/*.eml; do doveadm -c "$conf" save -u "$user" < "$f"; done
python3 - "$dir/searches.txt" > "$dir/requests.tmp" <<'PY'
import sys, re
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
out = ["a SELECT INBOX"]
i, n = 0, 0
while i < len(lines):
    l = lines[i]
    if not l:
        i += 1; continue
    n += 1
    m = re.search(r"\{(\d+)\}$", l)
    if m:
        out.append("s%d SEARCH %s\r\n%s" % (n, l, lines[i + 1]))
        i += 2
    else:
        out.append("s%d SEARCH %s" % (n, l))
        i += 1
out.append("z LOGOUT")
sys.stdout.write("\r\n".join(out) + "\r\n")
PY
cat "$dir/requests.tmp" | doveadm -c "$conf" exec imap -u "$user" 2>/dev/null | tr -d '\r' | grep -E '^\* SEARCH|^s[0-9]+ (NO|BAD)' > "$dir/dovecot.golden"
rm -f "$dir/requests.tmp"
