// Keeps the page working offline once loaded: its own files, cache first. Nothing else is
// fetched. build.sh stamps the version, so a new build replaces the cached one.
const VERSION = "patronal-@VERSION@";
const FILES = ["./", "index.html", "style.css", "app.js", "worker.js", "patronal_web.js", "patronal_web_bg.wasm"];

self.addEventListener("install", (e) => {
  e.waitUntil(caches.open(VERSION).then((c) => c.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (e) => {
  e.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== VERSION).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== "GET" || url.origin !== location.origin) return;
  e.respondWith(caches.match(e.request, { ignoreSearch: true }).then((hit) => hit || fetch(e.request)));
});
