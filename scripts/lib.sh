# Shared by scripts/demo and scripts/test. Sourced, not run.

# The build cache lives outside the clone so that fresh clones (CI) reuse it;
# on a machine where it cannot be made, the clone's own target/ is used.
setup_cargo_target() {
  if [ -z "${CARGO_TARGET_DIR:-}" ]; then
    if mkdir -p /var/cache/kirjo/target 2>/dev/null && [ -w /var/cache/kirjo/target ]; then
      export CARGO_TARGET_DIR=/var/cache/kirjo/target
    else
      export CARGO_TARGET_DIR="$PWD/target"
    fi
  fi
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then
    as_root apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@"
}

# The newest PostgreSQL server binary directory, or nothing.
pg_bin_dir() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
    return
  fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

ensure_postgresql() {
  local bin
  bin="$(pg_bin_dir)"
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ] || ! id -u postgres >/dev/null 2>&1; then
    echo "==> installing the PostgreSQL server (Debian package postgresql)"
    apt_install postgresql
    # Debian may start a cluster of its own on port 5432; Kirjo does not use
    # it, so it is stopped. (Every command here must succeed or be guarded:
    # the scripts run with `set -e`.)
    if command -v pg_lsclusters >/dev/null 2>&1; then
      pg_lsclusters -h 2>/dev/null | while read -r version cluster _; do
        as_root pg_ctlcluster "$version" "$cluster" stop >/dev/null 2>&1 || true
      done
    fi
  fi
  return 0
}

# Runs a command as the cluster's user when we are root (initdb refuses root).
as_cluster_user() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
