"""Runs faster-whisper (CTranslate2, int8, 2 threads) on WAV files with the same weights and a
comparable decoding budget (greedy unless `--beam N`, language nl, timestamps, temperature
fallback, no VAD unless `--vad`) and prints one JSON line per file: {"file", "text", "seconds"}.
Used by `benches/transcribe.rs`.

Usage: peer.py [--beam N] [--vad] MODEL_DIR WAV..."""
import json
import sys
import time

from faster_whisper import WhisperModel

args = sys.argv[1:]
beam, vad = 1, False
while args and args[0].startswith("--"):
    flag = args.pop(0)
    if flag == "--beam":
        beam = int(args.pop(0))
    elif flag == "--vad":
        vad = True
    else:
        sys.exit("unknown flag " + flag)
model_dir, files = args[0], args[1:]
model = WhisperModel(model_dir, device="cpu", compute_type="int8", cpu_threads=2)
# Warm up once so the first file does not pay for initialisation.
list(model.transcribe(files[0], language="nl", beam_size=1)[0])
for path in files:
    start = time.perf_counter()
    segments, _ = model.transcribe(
        path, language="nl", beam_size=beam, condition_on_previous_text=False, vad_filter=vad
    )
    text = " ".join(s.text.strip() for s in segments)
    print(json.dumps({"file": path, "text": text, "seconds": time.perf_counter() - start}), flush=True)
