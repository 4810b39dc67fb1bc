// The service worker: keeps the app shell (the page, its code, styles and workers) on this
// device, so that Zorgvuldig opens and works without a connection. The packager fills in the
// list of files and a version that changes with any of them.
//
// - Pages (navigations) and the shell's files come from the cache, the network only for what
//   is not there. Everything else (the API, model files, fonts) goes to the network untouched:
//   the speech worker and the PDF export keep their own caches.
// - A new version installs beside the running one and waits: the page announces it and the
//   worker decides when to reload (never under a running recording). Only then does it take
//   over and drop the old version's files.
const VERSION = "{{version}}";
const SHELL = {{shell}};
const CACHE = "zorgvuldig-app-" + VERSION;
const IN_SHELL = new Set(SHELL);

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((names) => Promise.all(
      names
        .filter((name) => name.startsWith("zorgvuldig-app-") && name !== CACHE)
        .map((name) => caches.delete(name)),
    )),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "activate") {
    self.skipWaiting();
  }
});

function fromShell(request, key) {
  return caches.open(CACHE)
    .then((cache) => cache.match(key, { ignoreVary: true }))
    .then((hit) => hit || fetch(request));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) {
    return;
  }
  if (request.mode === "navigate") {
    // Every route of the app is the same page.
    event.respondWith(fromShell(request, "/"));
  } else if (IN_SHELL.has(url.pathname)) {
    event.respondWith(fromShell(request, url.pathname));
  }
});
