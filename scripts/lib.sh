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

# What the pages take from npm (ui/package.json): hds-core, whose style
# sheets the build puts into the binary, and playwright-core and axe-core
# for the browser tests. Installed again only when the lock file changed.
ensure_ui_packages() {
  if ! command -v npm >/dev/null 2>&1; then
    echo "kirjo: npm (Node.js) is needed to install the UI packages" >&2
    return 1
  fi
  if [ ! -f ui/node_modules/.kirjo-lock ] || ! cmp -s ui/package-lock.json ui/node_modules/.kirjo-lock; then
    echo "==> npm ci (ui: hds-core, playwright-core, axe-core)"
    npm ci --prefix ui --no-audit --no-fund --loglevel=error 2>&1 | grep -v 'Unknown user config' || true
    if [ ! -f ui/node_modules/hds-core/lib/base.min.css ]; then
      echo "kirjo: npm ci --prefix ui did not install hds-core" >&2
      return 1
    fi
    cp ui/package-lock.json ui/node_modules/.kirjo-lock
  fi
  return 0
}

# Debian's chromium, for the browser tests and screenshots.
ensure_chromium() {
  if ! command -v chromium >/dev/null 2>&1; then
    echo "==> installing chromium (Debian package) for the browser tests"
    apt_install chromium
  fi
  return 0
}

# Debian's poppler-utils (pdftotext, pdftoppm): the printout tests read the
# PDFs back as text, and docs/ shows their pages as pictures.
ensure_poppler() {
  if ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then
    echo "==> installing poppler-utils (Debian package) for the printout tests"
    apt_install poppler-utils
  fi
  return 0
}

# A command from the Debian package of the same name, installed if missing.
ensure_command() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "==> installing $1 (Debian package)"
    apt_install "$1"
  fi
  return 0
}
