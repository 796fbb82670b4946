// The page's service worker, served as /sw.js by the page's host, which fills in VERSION (a hash of
// every shell file) and SHELL (their paths). It keeps the shell so the page opens without a
// connection; it never answers an API call, a socket or config.js from a cache.
const VERSION = "__VERSION__";
const SHELL = ["__SHELL__"];
const CACHE = `attendance-shell-${VERSION}`;

self.addEventListener("install", (event) => {
  // The new shell is stored whole before this worker takes over; then it takes over at once, so
  // the next load of the page is the new version (the open page keeps what it already loaded).
  // Fetched past the HTTP cache: a stale copy from there would be kept under the new version.
  event.waitUntil(caches.open(CACHE)
    .then((cache) => cache.addAll(SHELL.map((path) => new Request(path, { cache: "reload" }))))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((key) => key.startsWith("attendance-shell-") && key !== CACHE).map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  // config.js says where the services are: fresh when online, the last one seen when not.
  if (url.pathname === "/config.js") {
    event.respondWith(fetch(request)
      .then((response) => { const copy = response.clone(); caches.open(CACHE).then((cache) => cache.put(request, copy)); return response; })
      .catch(() => caches.match(request).then((cached) => cached ?? Response.error())));
    return;
  }
  const path = request.mode === "navigate" && (url.pathname === "/" || url.pathname === "/index.html") ? "/index.html" : url.pathname;
  if (!SHELL.includes(path)) return; // the APIs, /ws, photos: straight to the network
  event.respondWith(caches.open(CACHE).then((cache) => cache.match(path)).then((cached) => cached ?? fetch(request)));
});
