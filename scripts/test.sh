#!/usr/bin/env bash
# Runs every check and test: formatting, clippy (native and wasm32), the unit and integration
# tests of every crate, and the browser journeys in headless Chromium against the real relay.
# Installs what is missing first. Screenshots land in e2e/artifacts/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

cleanup() {
  stop_postgres
  # Chromium leaves ~46 MB per run here.
  rm -rf /tmp/org.chromium.Chromium.scoped_dir.* 2>/dev/null || true
}
trap cleanup EXIT

total_start=$SECONDS
install_for_tests() {
  ensure_rust_components
  ensure_wasm_target
  ensure_wasm_bindgen
  ensure_binaryen
  ensure_chromium
  ensure_axe
  ensure_office
  ensure_fonts
  ensure_speech_tools
}
step "installing what is missing" install_for_tests

step "rustfmt" cargo fmt --all --check
step "rustfmt (fuzz targets)" cargo fmt --manifest-path fuzz/Cargo.toml --check
step "clippy (native)" cargo clippy --workspace --all-targets --locked -- -D warnings
step "clippy (wasm32)" cargo clippy -p app -p domain -p extract -p templates -p export -p casework --target wasm32-unknown-unknown --all-targets --locked -- -D warnings
step "clippy (wasm32, speech engine and the workers)" cargo clippy -p models -p speech-worker -p key-worker -p export-worker --target wasm32-unknown-unknown --lib --locked -- -D warnings
step "speech model weights" ensure_weights
step "building the app" cargo xtask dist
step "starting PostgreSQL for the relay's storage tests" ensure_postgres
step "tests" cargo test --workspace --locked
step "fuzzing every parser of untrusted input (10 s each)" "$ROOT/scripts/fuzz.sh" 10
log "all checks passed in $((SECONDS - total_start)) s"
