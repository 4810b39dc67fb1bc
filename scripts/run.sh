#!/usr/bin/env bash
# Builds the app and runs the relay serving it at https://localhost:8443/ (embedded defaults:
# data in ./data, a self-signed certificate generated on first start). Extra arguments go to
# the relay, e.g. `scripts/run.sh --listen 0.0.0.0:9443`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

ensure_wasm_target
ensure_wasm_bindgen
ensure_binaryen
ensure_fonts
step "building the app" cargo xtask dist
step "speech model weights" ensure_weights
step "building the relay" cargo build --release --locked -p relay --bin zorgvuldig-relay
exec "$ROOT/target/release/zorgvuldig-relay" "$@"
