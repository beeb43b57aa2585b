#!/bin/sh
# Regenerates dovecot.golden: the messages NN.eml saved in order into a private Dovecot (see
# ../messages/dovecot-golden.sh), then THREAD and SORT answered by Dovecot's own imap over `doveadm exec imap`.
# Usage: dovecot-threads.sh CONF
set -e
conf=$1
dir=$(dirname "$0")
user=golden-threads
doveadm -c "$conf" expunge -u "$user" mailbox INBOX all 2>/dev/null || true
for f in "$dir"/[0-9]*.eml; do doveadm -c "$conf" save -u "$user" < "$f"; done
printf '%s\r\n' 'a SELECT INBOX' \
  't1 THREAD REFERENCES UTF-8 ALL' 't2 THREAD ORDEREDSUBJECT UTF-8 ALL' \
  's1 SORT (SUBJECT) UTF-8 ALL' 's2 SORT (REVERSE SUBJECT) UTF-8 ALL' 's3 SORT (FROM) UTF-8 ALL' 's4 SORT (TO) UTF-8 ALL' \
  's5 SORT (CC) UTF-8 ALL' 's6 SORT (DATE) UTF-8 ALL' 's7 SORT (REVERSE DATE) UTF-8 ALL' 's8 SORT (SIZE SUBJECT) UTF-8 ALL' \
  's9 SORT (DISPLAYFROM) UTF-8 ALL' 's10 SORT (DISPLAYTO) UTF-8 ALL' 's11 SORT (SUBJECT REVERSE DATE) UTF-8 ALL' \
  'z LOGOUT' | doveadm -c "$conf" exec imap -u "$user" 2>/dev/null | tr -d '\r' | grep -E '^\* (THREAD|SORT)' > "$dir/dovecot.golden"
