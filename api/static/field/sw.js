/* The page itself works without signal: its few files are kept by this service worker, so a
   crew member can reload (or open) /field in a dead spot and keep queueing reports. API calls
   are never cached here; the page keeps its last lamp and work-order lists itself. */
"use strict";

const CACHE = "geo-assets-field-v1";
const SHELL = [
  "/field",
  "/field/static/field.css",
  "/field/static/i18n.js",
  "/field/static/queue.js",
  "/field/static/field.js",
  "/maps/static/vendor/leaflet/leaflet.css",
  "/maps/static/vendor/leaflet/leaflet.js",
];
const NETWORK_WAIT_MS = 4000;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

function fromNetwork(request) {
  // Network first, so that a new version shows at once; but a hanging connection is given up
  // after a few seconds for the kept copy.
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("slow network")), NETWORK_WAIT_MS);
    fetch(request).then((response) => {
      clearTimeout(timer);
      if (response.ok) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(request, copy));
      }
      resolve(response);
    }, (error) => { clearTimeout(timer); reject(error); });
  });
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin
      || !SHELL.includes(url.pathname)) {
    return;
  }
  event.respondWith(fromNetwork(event.request).catch(
    () => caches.match(event.request, { ignoreSearch: true })
      .then((kept) => kept || Response.error())));
});
