#!/usr/bin/env bash
# Relay load bench next to nginx (see relay/benches/load.rs): static, sync pull and push, then
# sync pull again under abuse (64 anonymous slow and large bodies from 127.0.0.1). Installs wrk
# and nginx-light from Debian if missing, builds the app, then runs the bench. Arguments go to
# the bench (--seconds N, --connections N).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
  log "installing wrk and nginx-light from Debian"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    -o DPkg::Lock::Timeout=600 wrk nginx-light
fi
# BENCH_SKIP_DIST=1: no app build; the static comparison with nginx is left out and the sync
# and abuse runs use a stand-in app.
if [ "${BENCH_SKIP_DIST:-0}" != 1 ]; then
  ensure_wasm_target
  ensure_wasm_bindgen
  ensure_binaryen
  [ -f dist/index.html ] || cargo xtask dist
fi
cargo bench -p relay --bench load -- "$@"
