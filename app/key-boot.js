// Boots the key worker (a module worker): one passphrase derivation per message, off the
// page's thread. A message that arrives while its WebAssembly compiles waits for it.
import init, { derive } from "{{key_js}}";

const ready = init({ module_or_path: "{{key_wasm}}" });
self.onmessage = (ev) => {
  ready.then(
    () => self.postMessage(derive(ev.data)),
    (err) => self.postMessage(JSON.stringify({
      kind: "failed",
      message: "de sleutelverwerking kon niet starten in deze browser: " + err,
    })),
  );
};
