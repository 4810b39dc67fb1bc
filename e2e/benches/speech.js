// Speech bench, run in the app's page: starts the real speech worker, loads the model through
// the real download/cache path, and transcribes each fixture. Results land in window.__speech,
// which the bench polls. Arguments: fixture URLs, and the pace (0 = as fast as possible,
// 1 = real time, as during a conversation).
const [files, pace] = arguments;
const state = { done: false, error: null, load: null, results: [] };
window.__speech = state;
(async () => {
  const url = document.querySelector('meta[name="zorgvuldig-speech-worker"]').content;
  const worker = new Worker(url, { type: "module" });
  const queue = [];
  let waiting = null;
  let segments = [];
  worker.onmessage = (ev) => {
    // Events are externally tagged: {"segments": {...}}; the kind is the only key.
    const tagged = JSON.parse(ev.data);
    const kind = Object.keys(tagged)[0];
    const event = Object.assign({ kind }, tagged[kind]);
    if (waiting) {
      const wake = waiting;
      waiting = null;
      wake(event);
    } else {
      queue.push(event);
    }
  };
  worker.onerror = (ev) => { state.error = "worker error: " + ev.message; };
  const next = () => queue.length ? Promise.resolve(queue.shift()) : new Promise((r) => { waiting = r; });
  const until = async (kind) => {
    for (;;) {
      const event = await next();
      if (event.kind === "failed") throw new Error(event.message);
      if (event.kind === "segments") segments.push(...event.segments);
      if (event.kind === kind) return event;
    }
  };
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  const loadStart = performance.now();
  worker.postMessage(JSON.stringify({ kind: "load", catalogue: "/api/v1/models" }));
  const ready = await until("ready");
  state.load = { model: ready.model, from_cache: ready.from_cache, load_ms: ready.load_ms, wall_ms: performance.now() - loadStart };

  const ctx = new AudioContext({ sampleRate: 16000 });
  for (const file of files) {
    const audio = await ctx.decodeAudioData(await (await fetch(file)).arrayBuffer());
    const samples = audio.getChannelData(0);
    segments = [];
    const start = performance.now();
    // The worker starts only for a contact (the app sends the one its permit covers).
    worker.postMessage(JSON.stringify({ kind: "start", contact: "0123456789abcdef0123456789abcdef" }));
    // As fast as the worker takes it is a file, as the app says for an upload.
    if (pace === 0) worker.postMessage(JSON.stringify({ kind: "from_file" }));
    for (let i = 0, k = 0; i < samples.length; i += 1600, k++) {
      worker.postMessage(samples.slice(i, i + 1600));
      if (pace > 0) {
        const due = start + (k + 1) * 100 / pace;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
      }
    }
    const finishAt = performance.now();
    worker.postMessage(JSON.stringify({ kind: "finish" }));
    const done = await until("done");
    segments = done.segments; // every segment; the live ones were a preview
    const end = performance.now();
    state.results.push({
      file,
      wall_ms: end - start,
      tail_ms: end - finishAt,
      audio_ms: done.audio_ms,
      compute_ms: done.compute_ms,
      voices_ms: done.voices_ms,
      windows: done.windows,
      memory_bytes: done.memory_bytes,
      segments: segments.length,
      text: segments.map((s) => s.text).join(" "),
    });
  }
  state.done = true;
})().catch((e) => { state.error = String(e && e.stack || e); });
