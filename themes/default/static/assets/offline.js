/* zhiku: the offline copy (issue 8). zhiku.js loads this only over http(s)
   in browsers with service workers, so from disk nothing of it runs. It
   registers sw.js at the site root and drives the footer's control: save
   the whole site, progress, how much is stored, and an update when the
   site has changed. */
(function () {
  "use strict";
  var doc = document, win = window, sw = navigator.serviceWorker;
  // The site's words in its language, filled by window.zhikuText from
  // assets/ui.js (docs/templates.md); the key itself without it.
  function uiText(key, values) {
    return win.zhikuText ? win.zhikuText(key, values) : key;
  }
  var root = doc.documentElement.getAttribute("data-root") || "";
  var box = doc.querySelector("[data-offline]");
  var text = box && box.querySelector("[data-offline-status]");
  var button = box && box.querySelector("[data-offline-save]");
  var bar = box && box.querySelector("progress");
  var count = box && box.querySelector("[data-offline-count]");
  var controlled = !!sw.controller, checked = false, last = null;

  function send(message) {
    sw.ready.then(function (reg) {
      var worker = sw.controller || reg.active;
      if (worker) worker.postMessage(message);
    });
  }

  function say(message) {
    if (text.textContent !== message) text.textContent = message;
  }

  function size() {
    var storage = navigator.storage;
    if (!storage || !storage.estimate) return Promise.resolve("");
    return storage.estimate().then(function (e) {
      var mb = (e.usage || 0) / 1048576;
      return mb < 0.1 ? uiText("offline.size_small") : uiText("offline.size", { mb: mb.toFixed(1) });
    }, function () { return ""; });
  }

  function saving(p) {
    button.disabled = true;
    bar.hidden = count.hidden = false;
    bar.max = Math.max(p.total, 1);
    bar.value = p.done;
    count.textContent = p.total ? p.done + " / " + p.total : "";
  }

  // `s`: the worker's status (see sw.js): files, saved, update, progress.
  function show(s) {
    last = s;
    box.hidden = false;
    if (s.progress) {
      say(uiText("offline.saving"));
      return saving(s.progress);
    }
    button.disabled = false;
    bar.hidden = count.hidden = true;
    size().then(function (mb) {
      if (last !== s) return; // a newer message came meanwhile
      var stored = uiText("offline.stored", { n: s.files, size: mb });
      button.hidden = s.saved && !s.update;
      if (s.type === "failed") {
        say(uiText("offline.failed", { why: s.failed ? uiText("offline.failed_files", { n: s.failed }) : uiText("offline.failed_offline") }));
        button.textContent = uiText("offline.resume");
      } else if (s.saved && s.update) {
        say(stored + uiText("offline.changed"));
        button.textContent = uiText("offline.update");
      } else if (s.saved) {
        say(stored + uiText("offline.ready"));
      } else {
        say(s.files ? uiText("offline.visited", { n: s.files, size: mb }) : "");
        button.textContent = uiText("offline.save");
      }
    });
  }

  sw.register(root + "sw.js").then(function () {
    if (!box) return; // a template without the control
    sw.addEventListener("message", function (e) {
      var s = e.data || {};
      if (s.type === "progress") {
        if (!last || !last.progress) show({ progress: s.progress });
        return saving(s.progress);
      }
      show(s);
      if (s.type === "status" && s.saved && !("update" in s) && !checked) {
        checked = true;
        send({ type: "check" });
      }
    });
    if (sw.startMessages) sw.startMessages();
    send({ type: "status" });
  }, function () { /* refused (private mode, blocked): no control */ });

  if (button) button.addEventListener("click", function () {
    // Asked on a member's request only: a saved copy should not be evicted.
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () {});
    show({ progress: { done: 0, total: 0 } });
    send({ type: last && last.saved ? "update" : "save-all" });
  });

  // The first page is loaded before the worker controls it: once it does,
  // it stores this page and what it loaded.
  if (!controlled) {
    sw.addEventListener("controllerchange", function once() {
      sw.removeEventListener("controllerchange", once);
      var urls = [location.href];
      if (window.performance && performance.getEntriesByType) {
        performance.getEntriesByType("resource").forEach(function (r) { urls.push(r.name); });
      }
      send({ type: "visit", urls: urls });
    });
  }
})();
