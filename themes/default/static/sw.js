/* zhiku service worker: keeps the site readable offline once a member has
   opened it from a web server (issue 8). Registered by assets/offline.js,
   never from disk. It lives at the site root so that it controls the whole
   site; every URL it uses is relative to its scope, so the site may live at
   any sub-path, and it never touches another origin.

   - Pages (HTML): network first, so members see updates when online; the
     stored copy when the network fails or is slow. Every page visited is
     stored.
   - Other files (styles, scripts, the search index, images): the stored
     copy first, brought up to date in the background when online.
   - On request ("save-all", "update"): every file listed in offline.json
     that is not stored at its revision, a few at a time, with progress
     messages; files no longer listed are removed. The stored copy of the
     list (STATE) records what is stored, and its build id once complete.
   - "check" compares that build id with the server's offline.json. */
"use strict";

var VERSION = "v1"; // Change only when the stored format changes: old caches are deleted.
var PREFIX = "zhiku-";
var SCOPE = self.registration.scope;
var CACHE = PREFIX + VERSION + ":" + SCOPE;
var LIST = SCOPE + "offline.json";
// What is stored: {"build": id once every file is stored, else "",
// "files": [[path, revision], ...]}, kept under the list's own URL.
var STATE = LIST;
var BATCH = 6;
var SLOW_NETWORK_MS = 4000;
var CHECK_EVERY_MS = 5 * 60 * 1000;

var syncing = null; // the running save or update, if any
var progress = null; // {done, total, failed} while it runs
var lastCheck = null; // {at, build} of the last look at the server's list

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      var colon = name.indexOf(":");
      return name.indexOf(PREFIX) === 0 && name.slice(colon + 1) === SCOPE && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

/* The stored URL of a request: no query or fragment, and a folder's
   index.html for the folder (the server's answer for both). */
function keyOf(url) {
  var u = new URL(url);
  u.search = "";
  u.hash = "";
  if (u.pathname.slice(-1) === "/") u.pathname += "index.html";
  return u.href;
}

function inScope(url) {
  return url.indexOf(SCOPE) === 0;
}

/* A listed file's URL as a link to it would request it: escaped by the
   URL parser (spaces, non-ASCII), with only what it would misread escaped
   before (%, #, ?). */
function urlOf(path) {
  return new URL(path.replace(/[%#?]/g, encodeURIComponent), SCOPE).href;
}

function storable(response) {
  return response && response.ok && response.type === "basic" && !response.redirected;
}

function isPage(request, key) {
  return request.mode === "navigate" || /\.html$/.test(key);
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || !inScope(request.url) || request.headers.has("range")) return;
  var key = keyOf(request.url);
  if (key === LIST || key === SCOPE + "sw.js") return;
  event.respondWith(isPage(request, key) ? page(event, key) : file(event, key));
});

/* Network first; the stored copy if the network fails, answers with a
   server error, or takes longer than SLOW_NETWORK_MS. */
function page(event, key) {
  var fresh = fetch(event.request);
  event.waitUntil(fresh.then(function (response) {
    if (storable(response)) return put(key, response.clone());
  }).catch(function () {}));
  return caches.open(CACHE).then(function (cache) {
    return cache.match(key);
  }).then(function (stored) {
    if (!stored) return fresh;
    var slow = new Promise(function (resolve) {
      setTimeout(function () { resolve(stored); }, SLOW_NETWORK_MS);
    });
    return Promise.race([fresh.then(function (response) {
      return response.status >= 500 ? stored : response;
    }, function () { return stored; }), slow]);
  });
}

/* The stored copy first, refreshed in the background; else the network. */
function file(event, key) {
  var fresh = function () {
    return fetch(event.request).then(function (response) {
      if (!storable(response)) return response;
      return put(key, response.clone()).then(function () { return response; });
    });
  };
  return caches.open(CACHE).then(function (cache) {
    return cache.match(key);
  }).then(function (stored) {
    if (!stored) return fresh();
    event.waitUntil(fresh().catch(function () {}));
    return stored;
  });
}

function put(key, response) {
  return caches.open(CACHE).then(function (cache) {
    return cache.put(key, response);
  }).catch(function () { /* storage full: the page still shows */ });
}

// ---- Messages from pages ----

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var reply = function (message) {
    message.id = data.id; // so that the asker can tell its answer
    if (event.source) event.source.postMessage(message);
  };
  var done;
  if (data.type === "status") done = status().then(reply);
  else if (data.type === "check") done = check(data.force).then(reply);
  else if (data.type === "save-all" || data.type === "update") done = sync();
  else if (data.type === "visit") done = visit(data.urls || []);
  if (done) event.waitUntil(done.catch(function () {}));
});

function broadcast(message) {
  return self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (all) {
    all.forEach(function (client) { client.postMessage(message); });
  });
}

function readState(cache) {
  return cache.match(STATE).then(function (response) {
    return response ? response.json() : null;
  }).then(function (state) {
    return state && state.files ? state : { build: "", files: [] };
  }, function () {
    return { build: "", files: [] };
  });
}

function writeState(cache, build, stored) {
  var files = [];
  stored.forEach(function (revision, path) { files.push([path, revision]); });
  var body = JSON.stringify({ build: build, files: files });
  return cache.put(STATE, new Response(body, { headers: { "Content-Type": "application/json" } }));
}

/* What the page shows: how many files are stored, whether the whole site
   is, and how far a running save has got. */
function status() {
  return caches.open(CACHE).then(function (cache) {
    return Promise.all([cache.keys(), readState(cache)]);
  }).then(function (found) {
    var keys = found[0], state = found[1];
    return {
      type: "status",
      files: keys.filter(function (request) { return request.url !== STATE; }).length,
      saved: state.build !== "",
      build: state.build,
      progress: progress
    };
  });
}

function fetchList() {
  return fetch(LIST, { cache: "no-cache" }).then(function (response) {
    if (!response.ok) throw new Error("offline.json: " + response.status);
    return response.json();
  });
}

/* Is there a newer build than the stored one? `update` is null when the
   server cannot be reached. The answer is reused for a few minutes, so
   that browsing does not fetch the list on every page. */
function check(force) {
  return status().then(function (now) {
    if (!now.saved) return now;
    var recent = lastCheck && Date.now() - lastCheck.at < CHECK_EVERY_MS;
    var current = !force && recent ? Promise.resolve(lastCheck.build) : fetchList().then(function (list) {
      lastCheck = { at: Date.now(), build: list.build };
      return list.build;
    });
    return current.then(function (build) {
      now.update = build !== now.build;
      return now;
    }, function () {
      now.update = null;
      return now;
    });
  });
}

/* Saves the whole site, or brings a saved copy up to date: the same
   work, as both store what the list has and the copy lacks. */
function sync() {
  if (!syncing) {
    syncing = run().catch(function (error) {
      progress = null;
      return status().then(function (now) {
        now.type = "failed";
        now.error = String(error && error.message || error);
        return broadcast(now);
      });
    }).then(function () {
      syncing = null;
      progress = null;
    });
  }
  return syncing;
}

function run() {
  var cache, list, stored;
  progress = { done: 0, total: 0, failed: 0 };
  return Promise.all([caches.open(CACHE), fetchList()]).then(function (found) {
    cache = found[0];
    list = found[1];
    lastCheck = { at: Date.now(), build: list.build };
    return readState(cache);
  }).then(function (state) {
    stored = new Map(state.files);
    var listed = new Map(list.files);
    // Files the site no longer has go first, whether saved or visited.
    var removed = cache.keys().then(function (keys) {
      var urls = new Set(list.files.map(function (f) { return urlOf(f[0]); }));
      return Promise.all(keys.filter(function (request) {
        return request.url !== STATE && !urls.has(request.url);
      }).map(function (request) { return cache.delete(request); }));
    });
    stored.forEach(function (_, path) {
      if (!listed.has(path)) stored.delete(path);
    });
    var todo = list.files.filter(function (f) { return stored.get(f[0]) !== f[1]; });
    progress.total = todo.length;
    var lastSaved = Date.now();
    var next = function (start) {
      if (start >= todo.length) return Promise.resolve();
      var batch = todo.slice(start, start + BATCH);
      return Promise.all(batch.map(function (f) {
        return fetch(urlOf(f[0]), { cache: "no-cache" }).then(function (response) {
          if (!storable(response)) throw new Error(f[0] + ": " + response.status);
          return cache.put(urlOf(f[0]), response);
        }).then(function () {
          stored.set(f[0], f[1]);
        }, function () {
          progress.failed++;
        });
      })).then(function () {
        progress.done += batch.length;
        var report = broadcast({ type: "progress", progress: progress });
        // Record what is stored now and then, so that an interrupted save
        // resumes where it stopped.
        if (Date.now() - lastSaved > 2000) {
          lastSaved = Date.now();
          report = Promise.all([report, writeState(cache, "", stored)]);
        }
        return report;
      }).then(function () { return next(start + BATCH); });
    };
    return Promise.all([removed, next(0)]);
  }).then(function () {
    return writeState(cache, progress.failed ? "" : list.build, stored);
  }).then(function () {
    var failed = progress.failed;
    progress = null;
    return status().then(function (now) {
      now.type = failed ? "failed" : "saved";
      now.failed = failed;
      return broadcast(now);
    });
  });
}

/* Stores the page that registered the worker and the files it loaded
   before the worker controlled it, so that it too can be read offline. */
function visit(urls) {
  return caches.open(CACHE).then(function (cache) {
    return Promise.all(urls.filter(inScope).map(function (url) {
      var key = keyOf(url);
      if (key === LIST || key === STATE) return null;
      return cache.match(key).then(function (stored) {
        if (stored) return null;
        return fetch(key).then(function (response) {
          if (storable(response)) return cache.put(key, response);
        });
      }).catch(function () {});
    }));
  });
}
