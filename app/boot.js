// Loads the WebAssembly app. The packager fills in the content-hashed file names.
import init from "{{app_js}}";

init({ module_or_path: "{{app_wasm}}" }).catch((err) => {
  const p = document.createElement("p");
  p.className = "error";
  p.textContent = "Zorgvuldig kon niet starten in deze browser: " + err;
  document.body.append(p);
});

// The service worker keeps the app on this device for use without a connection (see sw.js).
// A new version waits until the worker chooses to reload: the app shows a notice when
// `data-nieuwe-versie` is set on <html>, and asks for the switch with the window event
// "zorgvuldig-herladen".
if ("serviceWorker" in navigator) {
  let switching = false;
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then((registration) => {
    const announce = () => {
      if (registration.waiting && navigator.serviceWorker.controller) {
        document.documentElement.dataset.nieuweVersie = "1";
      }
    };
    registration.addEventListener("updatefound", () => {
      const installing = registration.installing;
      if (installing) {
        installing.addEventListener("statechange", () => {
          if (installing.state === "installed") {
            announce();
          }
        });
      }
    });
    announce();
    window.addEventListener("zorgvuldig-herladen", () => {
      if (registration.waiting) {
        switching = true;
        registration.waiting.postMessage("activate");
      } else {
        location.reload();
      }
    });
  }, (err) => console.warn("Zorgvuldig werkt zonder verbinding niet in deze browser:", err));
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (switching) {
      location.reload();
    }
  });
}
