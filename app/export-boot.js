// Boots the export worker (a module worker): one DOCX or PDF per message, written off the page's
// thread and fetched only when a worker first exports. The answer is { file } or { error }.
import init, { docx, pdf } from "{{export_js}}";

const ready = init({ module_or_path: "{{export_wasm}}" });
self.onmessage = (ev) => {
  const { format, document, regular, bold } = ev.data;
  ready.then(
    () => {
      let file;
      try {
        file = format === "docx" ? docx(document) : pdf(document, regular, bold);
      } catch (err) {
        self.postMessage({ error: String(err) });
        return;
      }
      self.postMessage({ file }, [file.buffer]);
    },
    (err) => self.postMessage({ error: "de exportmodule kon niet starten in deze browser: " + err }),
  );
};
