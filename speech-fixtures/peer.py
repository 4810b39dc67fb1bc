"""Runs faster-whisper (CTranslate2, int8, 2 threads) on WAV files with the same weights and a
comparable decoding budget (greedy, language nl, timestamps, temperature fallback, no VAD) and
prints one JSON line per file: {"file", "text", "seconds"}. Used by `benches/transcribe.rs`."""
import json
import sys
import time

from faster_whisper import WhisperModel

model_dir, files = sys.argv[1], sys.argv[2:]
model = WhisperModel(model_dir, device="cpu", compute_type="int8", cpu_threads=2)
# Warm up once so the first file does not pay for initialisation.
list(model.transcribe(files[0], language="nl", beam_size=1)[0])
for path in files:
    start = time.perf_counter()
    segments, _ = model.transcribe(
        path, language="nl", beam_size=1, condition_on_previous_text=False, vad_filter=False
    )
    text = " ".join(s.text.strip() for s in segments)
    print(json.dumps({"file": path, "text": text, "seconds": time.perf_counter() - start}), flush=True)
