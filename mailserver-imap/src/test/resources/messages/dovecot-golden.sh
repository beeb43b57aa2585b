#!/bin/sh
# Regenerates *.golden from Debian's Dovecot (2.3): each message is saved with `doveadm save` into a
# private Dovecot and its imap.envelope / imap.body / imap.bodystructure fetched back. Needs a private
# dovecot running with config $1 (see docs/imap-content.md). Usage: dovecot-golden.sh CONF
set -e
conf=$1
dir=$(dirname "$0")
for f in "$dir"/*.eml; do
  n=$(basename "$f" .eml)
  user="golden-$n"
  doveadm -c "$conf" expunge -u "$user" mailbox INBOX all 2>/dev/null || true
  doveadm -c "$conf" save -u "$user" < "$f"
  out="$dir/$n.golden"
  : > "$out"
  for field in imap.envelope imap.body imap.bodystructure; do
    printf '%s ' "$field" >> "$out"
    doveadm -c "$conf" -f flow fetch -u "$user" "$field" all | sed -e "s/^$field=//" >> "$out"
  done
done
