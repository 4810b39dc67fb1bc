// Loads the WebAssembly app. The packager fills in the content-hashed file names.
import init from "{{app_js}}";

init({ module_or_path: "{{app_wasm}}" }).catch((err) => {
  const p = document.createElement("p");
  p.className = "error";
  p.textContent = "Zorgvuldig kon niet starten in deze browser: " + err;
  document.body.append(p);
});
