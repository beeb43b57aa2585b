#!/bin/bash
# move-aside.sh TRASH_ROOT PATH... - empties a benchmark's state by renaming PATHs into TRASH_ROOT/<time>-<pid>/
# instead of deleting them (compare.sh and mailserver-bench.sh with EMPTY=aside). On ext4 without a journal every
# file creation skips the inodes its block group freed in the last 1-6 minutes, reading each one's inode-table
# block, so an rm -rf right before the measured runs taxes them (docs/benchmarks.md, eighth round).
# TRASH_ROOT must be on the same file system as the PATHs. Prints the trash directory; exits 1 without moving
# anything when less than 10 GiB would stay free (the caller then deletes). The trash is deleted by hand.
set -u
ROOT=${1:?usage: move-aside.sh TRASH_ROOT PATH...}; shift
mkdir -p "$ROOT" || exit 1
[ "$(df -Pk "$ROOT" | awk 'NR==2{print $4}')" -gt $((10 * 1024 * 1024)) ] || exit 1
TRASH=$ROOT/$(date +%Y%m%d-%H%M%S)-$$
mkdir -p "$TRASH" || exit 1
for p in "$@"; do
  [ -e "$p" ] && { mv "$p" "$TRASH/" || exit 1; }
done
echo "$TRASH"
