// Boots the speech worker (a module worker). Messages that arrive while its WebAssembly
// compiles are queued and handed to the Rust message loop in order once it runs.
import init, { start } from "{{speech_js}}";

const early = [];
self.onmessage = (ev) => early.push(ev);
init({ module_or_path: "{{speech_wasm}}" }).then(
  () => {
    start();
    for (const ev of early) self.onmessage(ev);
  },
  (err) => {
    self.postMessage(JSON.stringify({
      failed: { message: "De spraakverwerking kon niet starten in deze browser: " + err },
    }));
  },
);
