#!/usr/bin/env bash
# Installs nodeprobe on a node: the binary as PREFIX/bin/nodeprobe, a default env file (written once, never
# overwritten: it is the operator's), and the systemd units when systemd runs (or --systemd-dir is given).
# Idempotent: each file is compared before it is written, so a second run prints "unchanged" per file and
# touches nothing (not even an mtime); daemon-reload runs only when a unit changed.
#
# Usage: scripts/install.sh [--prefix /usr/local] [--binary PATH] [--no-systemd | --systemd-dir DIR]
#   --prefix       binary in PREFIX/bin, config in PREFIX/etc/nodeprobe (/etc/nodeprobe when PREFIX is /usr)
#   --binary       file to install as nodeprobe (default: this repo's target/nodeprobe-*-runner, the native build)
#   --no-systemd   never install units
#   --systemd-dir  install units into DIR even when systemd is not running (images, staging trees, tests)
# Units go to /etc/systemd/system when PREFIX is /usr or /usr/local: it is on every systemd's search path and
# is where the admin's own units live (/usr/lib/systemd/system belongs to the package manager). Any other
# PREFIX is a self-contained tree, so they go to PREFIX/lib/systemd/system, which systemd does not read:
# link them (`systemctl link FILE`) if that tree is live. Unit paths are rewritten to match PREFIX.
# Exit: 0 done; 2 usage error or refusal (no binary, target not writable); else the failing command's.
set -euo pipefail

prog=${0##*/}
here=$(cd "$(dirname "$0")" && pwd)
die() { echo "$prog: $*" >&2; exit 2; }

prefix=/usr/local binary='' systemd=auto unit_dir=''
while [ $# -gt 0 ]; do
  case $1 in
    --prefix) [ $# -ge 2 ] || die "--prefix needs a directory"; prefix=$2; shift 2 ;;
    --binary) [ $# -ge 2 ] || die "--binary needs a file"; binary=$2; shift 2 ;;
    --no-systemd) [ -z "$unit_dir" ] || die "--no-systemd and --systemd-dir exclude each other"; systemd=no; shift ;;
    --systemd-dir)
      [ $# -ge 2 ] || die "--systemd-dir needs a directory"
      [ "$systemd" != no ] || die "--no-systemd and --systemd-dir exclude each other"
      systemd=yes unit_dir=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

# The prefix ends up inside unit files and a sed expression: keep it to characters that need no quoting there.
[[ $prefix =~ ^/[A-Za-z0-9._/-]*$ ]] || die "--prefix must be an absolute path of letters, digits, . _ - / (got '$prefix')"
prefix=${prefix%/}
if [ "$prefix" = /usr ]; then etc=/etc; else etc=$prefix/etc; fi   # FHS: no /usr/etc

if [ -z "$binary" ]; then
  shopt -s nullglob
  repo=$(cd "$here/.." && pwd)
  found=("$repo"/target/nodeprobe-*-runner)
  shopt -u nullglob
  [ ${#found[@]} -gt 0 ] || die "no native binary $repo/target/nodeprobe-*-runner: build it (mvn package -Dnative) or pass --binary PATH"
  [ ${#found[@]} -eq 1 ] || die "several binaries match target/nodeprobe-*-runner: pass --binary PATH"
  binary=${found[0]}
fi
{ [ -f "$binary" ] && [ -x "$binary" ]; } || die "binary '$binary' is missing or not executable (a .jar needs a wrapper script)"

if [ "$systemd" = auto ]; then
  if [ -d /run/systemd/system ]; then systemd=yes; else systemd=no; fi
fi
if [ "$systemd" = yes ] && [ -z "$unit_dir" ]; then
  case $prefix in
    /usr|/usr/local) unit_dir=/etc/systemd/system ;;
    *) unit_dir=$prefix/lib/systemd/system ;;
  esac
fi

# Check every target before writing anything, so a refusal never leaves half an install.
for dir in "$prefix/bin" "$etc/nodeprobe" ${unit_dir:+"$unit_dir"}; do
  d=$dir
  while [ ! -e "$d" ]; do d=$(dirname "$d"); done
  if [ ! -d "$d" ] || [ ! -w "$d" ]; then
    die "cannot write to $dir: run as root (sudo $0 ...) or choose a writable --prefix"
  fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
changed=0

# put SRC DST MODE: install SRC as DST unless DST already has the same bytes and mode.
put() {
  local src=$1 dst=$2 mode=$3 verb=installed
  if [ -f "$dst" ] && cmp -s "$src" "$dst" && [ "$(stat -c %a "$dst")" = "${mode#0}" ]; then
    echo "unchanged $dst"
    return
  fi
  [ -e "$dst" ] && verb=updated
  # Only create missing directories: install -d on an existing one could change its mode.
  [ -d "${dst%/*}" ] || install -d -m 0755 "${dst%/*}"
  # Copy beside the target, then rename: a running nodeprobe keeps its old inode, and an interrupted copy
  # never leaves half a binary under the real name.
  install -m "$mode" "$src" "$dst.tmp.$$"
  mv -f "$dst.tmp.$$" "$dst"
  changed=$((changed + 1))
  echo "$verb $dst"
}

put "$binary" "$prefix/bin/nodeprobe" 0755

conf=$etc/nodeprobe/nodeprobe.env
if [ ! -e "$conf" ]; then
  put "$here/systemd/nodeprobe.env" "$conf" 0644
elif cmp -s "$here/systemd/nodeprobe.env" "$conf"; then
  echo "unchanged $conf"
else
  echo "unchanged $conf (edited locally: kept; the default is $here/systemd/nodeprobe.env)"
fi

if [ "$systemd" = yes ]; then
  units_before=$changed
  for unit in nodeprobe.service nodeprobe-boot.service; do
    # The units name /usr/local paths; point them at this install.
    sed -e "s#/usr/local/bin/nodeprobe#$prefix/bin/nodeprobe#g" \
        -e "s#/usr/local/etc/nodeprobe/#$etc/nodeprobe/#g" "$here/systemd/$unit" >"$tmp/$unit"
    put "$tmp/$unit" "$unit_dir/$unit" 0644
  done
  case $unit_dir in
    /etc/systemd/system|/usr/local/lib/systemd/system|/usr/lib/systemd/system|/lib/systemd/system)
      # Reload only a running systemd that reads this directory: a staging tree is none of its business.
      if [ "$changed" -gt "$units_before" ] && [ -d /run/systemd/system ]; then
        systemctl daemon-reload
        echo "ran systemctl daemon-reload"
      fi
      echo "to start at boot: set NODEPROBE_BUCKET in $conf, then: systemctl enable --now nodeprobe-boot.service nodeprobe.service" ;;
    *) echo "note: systemd does not read $unit_dir; to use these units there: systemctl link $unit_dir/nodeprobe.service $unit_dir/nodeprobe-boot.service" ;;
  esac
else
  echo "systemd units not installed (systemd not running, or --no-systemd; --systemd-dir DIR installs them anyway)"
fi
echo "$prog: $changed file(s) written"
