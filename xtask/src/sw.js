// The Closeout Sandbox's service worker: after a first visit, the page reloads, runs every step, opens
// every part and downloads every file with the network off. Written into each release build by
// `cargo xtask build` (xtask/src/offline.rs fills in BUILD and FILES: every file the page or its
// installed app fetches; comment lines and indentation are left out of the build's copy).
//
// It keeps exactly one build, in a cache named after the build's hash. A file named after its bytes
// (Trunk's and the split's) is that build's wherever it comes from; one with a fixed name (the page,
// the manifest, the icons) is fetched with its integrity, so a deploy landing while the worker
// installs cannot slip a file of another build in: the install fails, and the next visit tries again.
// A new build installs beside the running one and waits (no skipWaiting, no clients.claim): an open
// page keeps the build it started with (the page shows a notice), and the next visit, once every tab
// of the old build is closed, opens the new one. The old cache is deleted only then.
//
// It requests nothing but the site's own files, under its own scope.
const BUILD = "{BUILD}";
// [file relative to the scope, its sha384 integrity when its name is fixed]
const FILES = {FILES};

const SCOPE = self.registration.scope;
// Cache names are shared by every site of an origin (a GitHub Pages owner's projects): name them by
// the scope, so a site only ever deletes its own.
const PREFIX = `closeout ${SCOPE} `;
const CACHE = PREFIX + BUILD;
const PAGE = new URL("index.html", SCOPE).href;
const PAGE_PATHS = [new URL(SCOPE).pathname, new URL(PAGE).pathname];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) =>
        Promise.all(
          FILES.map(([file, integrity]) => {
            const url = new URL(file, SCOPE).href;
            // A file named after its bytes may come from the HTTP cache; one with a fixed name is
            // revalidated, and its integrity decides.
            const request = new Request(url, integrity ? { integrity, cache: "no-cache" } : {});
            return fetch(request).then((response) => {
              if (!response.ok) throw new Error(`${file}: HTTP ${response.status}`);
              return cache.put(url, response);
            });
          }),
        ),
      )
      .catch((error) =>
        caches.delete(CACHE).then(() => {
          throw error;
        }),
      ),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((key) => key.startsWith(PREFIX) && key !== CACHE).map((key) => caches.delete(key))),
      ),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // The page itself, addressed as the scope or as index.html, with any query (a share link's state is
  // in the fragment, which no request carries).
  const page = request.mode === "navigate" && PAGE_PATHS.includes(url.pathname);
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(page ? PAGE : request))
      .then((kept) => kept || fetch(request)),
  );
});
