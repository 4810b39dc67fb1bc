#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for SECONDS each (default 10, as CI does; give more by
# hand, e.g. `scripts/fuzz.sh 600`). A crash leaves its input in fuzz/artifacts/TARGET/ and
# fails the run. The sanitizer flags need unstable options: RUSTC_BOOTSTRAP lets the stable
# toolchain accept them.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT/fuzz"
seconds="${1:-10}"
ensure_cargo_fuzz
export RUSTC_BOOTSTRAP=1
cargo fuzz build
for target in $(cargo fuzz list); do
  seeds=()
  case "$target" in
    template) seeds=("$ROOT/templates/data") ;;
  esac
  mkdir -p "corpus/$target"
  log "fuzzing $target for ${seconds} s"
  cargo fuzz run "$target" "corpus/$target" "${seeds[@]}" -- \
    -max_total_time="$seconds" -print_final_stats=0 2>&1 | grep -E "^(Done|==|SUMMARY|thread)" || true
  if [ -n "$(ls -A "artifacts/$target" 2>/dev/null)" ]; then
    log "fuzz target $target found a crash: see fuzz/artifacts/$target/"
    exit 1
  fi
done
