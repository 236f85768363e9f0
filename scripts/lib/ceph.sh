# shellcheck shell=bash disable=SC2034  # sourced: CEPH_FRESH is read by local-cloud.sh
# Single-node Ceph (ceph-mon + memstore ceph-osd + radosgw with STS) under $CEPH_DIR, on 127.0.0.1.
# Sourced by local-cloud.sh after lib/common.sh. Daemons are tracked by PID file only, never by name.

# A PID file names a live ceph daemon (guards against PID reuse after a crash or reboot).
ceph_alive() {
  local f=$CEPH_DIR/$1.pid pid
  [ -f "$f" ] && pid=$(cat "$f") && [ -r "/proc/$pid/cmdline" ] \
    && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qE '(^|/)(ceph-mon|ceph-osd|radosgw) '
}
rgw_answers() { curl -s -o /dev/null --max-time 2 "$NP_RGW_ENDPOINT/"; }
ceph_up() { ceph_alive mon && ceph_alive osd && ceph_alive rgw && rgw_answers; }

ceph_stop() {
  local n f pid
  for n in rgw osd mon; do
    f=$CEPH_DIR/$n.pid; [ -f "$f" ] || continue
    if ceph_alive "$n"; then
      pid=$(cat "$f"); kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    fi
    rm -f "$f"
  done
}

ceph_install() {
  command -v radosgw >/dev/null && command -v ceph-mon >/dev/null && command -v ceph-osd >/dev/null && return
  log "installing radosgw ceph-mon ceph-osd (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -qq -y --no-install-recommends radosgw ceph-mon ceph-osd >/dev/null
}

# fd 9 (the start lock of local-cloud.sh) is closed for every daemon, else it would hold the lock.
start_rgw() {
  radosgw -n client.rgw.a -f > "$CEPH_DIR/log/rgw.a.out" 2>&1 9>&- & echo $! > "$CEPH_DIR/rgw.pid"
  for _ in $(seq 1 300); do rgw_answers && return; ceph_alive rgw || break; sleep 0.2; done
  die "radosgw did not answer on $NP_RGW_ENDPOINT; see $CEPH_DIR/log"
}

# Sets CEPH_FRESH=1 when the cluster was (re)built from nothing: memstore keeps objects in the OSD's RAM,
# so a new cluster means every user, bucket, role and session is gone. (A flag, not a return code: set -e
# does not apply inside a function called as an `if` condition.)
ceph_ensure() {
  CEPH_FRESH=0
  if ceph_up; then return 0; fi
  if ceph_alive mon && ceph_alive osd; then      # only the gateway died: data is intact, restart it alone
    log "restarting radosgw"; rm -f "$CEPH_DIR/rgw.pid"; start_rgw; return 0
  fi
  ceph_stop; ceph_install
  rgw_answers && die "port $NP_RGW_PORT already answers (another process?)"
  log "creating a fresh Ceph cluster in $CEPH_DIR"
  rm -rf "$CEPH_DIR"; mkdir -p "$CEPH_DIR"/{run,log,mon.a,osd.0,rgw.a}
  local fsid; fsid=$(cat /proc/sys/kernel/random/uuid)
  cat > "$CEPH_CONF" <<CONF
[global]
fsid = $fsid
mon host = [v2:127.0.0.1:$NP_MON_PORT]
public network = 127.0.0.0/8
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
# one OSD: size-1 pools, few PGs, no autoscaler, no redundancy warnings
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon max pg per osd = 1000
mon warn on pool no redundancy = false
run dir = $CEPH_DIR/run
admin socket = $CEPH_DIR/run/\$name.asok
log file = $CEPH_DIR/log/\$name.log
keyring = $CEPH_DIR/\$name.keyring
[mon.a]
mon data = $CEPH_DIR/mon.a
[osd.0]
osd data = $CEPH_DIR/osd.0
keyring = $CEPH_DIR/osd.0/keyring
# objects live in RAM, capped at 512 MiB; nothing survives a stop
osd objectstore = memstore
memstore device bytes = 536870912
[client.rgw.a]
# tcp_nodelay: beast writes headers and body apart; with Nagle on, each small keep-alive answer waits ~45 ms
# for the client's delayed ACK, which would make every probe (and every benchmark) measure RGW, not nodeprobe.
rgw frontends = beast endpoint=127.0.0.1:$NP_RGW_PORT tcp_nodelay=1
rgw data = $CEPH_DIR/rgw.a
rgw dns name = localhost
# STS: the key encrypts session tokens and must be exactly 16 characters; new per cluster
rgw sts key = $(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')
rgw s3 auth use sts = true
CONF
  # Monitor: keyrings + monmap first (cephx is on, as on a real cluster).
  ceph-authtool --create-keyring "$CEPH_DIR/mon.keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool --create-keyring "$CEPH_DIR/client.admin.keyring" --gen-key -n client.admin \
    --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' >/dev/null
  ceph-authtool "$CEPH_DIR/mon.keyring" --import-keyring "$CEPH_DIR/client.admin.keyring" >/dev/null
  monmaptool --create --addv a "[v2:127.0.0.1:$NP_MON_PORT]" --fsid "$fsid" "$CEPH_DIR/monmap" >/dev/null
  ceph-mon --mkfs -i a --monmap "$CEPH_DIR/monmap" --keyring "$CEPH_DIR/mon.keyring"
  ceph-mon -i a -f > "$CEPH_DIR/log/mon.a.out" 2>&1 9>&- & echo $! > "$CEPH_DIR/mon.pid"
  for _ in $(seq 1 100); do ceph -s --connect-timeout 2 >/dev/null 2>&1 && break; sleep 0.2; done
  # One memstore OSD, registered with the monitor before its mkfs.
  local uuid secret id
  uuid=$(cat /proc/sys/kernel/random/uuid); secret=$(ceph-authtool --gen-print-key)
  echo "{\"cephx_secret\": \"$secret\"}" > "$CEPH_DIR/osd-secret.json"
  id=$(ceph osd new "$uuid" -i "$CEPH_DIR/osd-secret.json")
  ceph-authtool --create-keyring "$CEPH_DIR/osd.0/keyring" --name "osd.$id" --add-key "$secret" >/dev/null
  ceph-osd -i "$id" --mkfs --osd-uuid "$uuid" > "$CEPH_DIR/log/osd.mkfs.out" 2>&1
  ceph-osd -i "$id" -f > "$CEPH_DIR/log/osd.0.out" 2>&1 9>&- & echo $! > "$CEPH_DIR/osd.pid"
  for _ in $(seq 1 150); do ceph osd stat 2>/dev/null | grep -q "1 up" && break; sleep 0.2; done
  ceph auth get-or-create client.rgw.a mon 'allow rw' osd 'allow rwx' -o "$CEPH_DIR/client.rgw.a.keyring"
  start_rgw
  CEPH_FRESH=1
}
