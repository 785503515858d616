/* zhiku: the offline copy (issue 8). zhiku.js loads this only over http(s)
   in browsers with service workers, so from disk nothing of it runs. It
   registers sw.js at the site root and drives the footer's control: save
   the whole site, progress, how much is stored, and an update when the
   site has changed. */
(function () {
  "use strict";
  var doc = document, sw = navigator.serviceWorker;
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
      return mb < 0.1 ? "，不到 0.1 MB" : "，约 " + mb.toFixed(1) + " MB";
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
      say("正在保存全站，请稍候……");
      return saving(s.progress);
    }
    button.disabled = false;
    bar.hidden = count.hidden = true;
    size().then(function (mb) {
      if (last !== s) return; // a newer message came meanwhile
      var stored = "已保存 " + s.files + " 个文件" + mb + "。";
      button.hidden = s.saved && !s.update;
      if (s.type === "failed") {
        say("保存未完成：" + (s.failed ? "有 " + s.failed + " 个文件没有取到" : "连不上网站") + "，联网后可以继续。");
        button.textContent = "继续保存";
      } else if (s.saved && s.update) {
        say(stored + "网站已更新：");
        button.textContent = "更新离线副本";
      } else if (s.saved) {
        say(stored + "断网时也能阅读全站。");
      } else {
        say(s.files ? "浏览过的页面已存下，共 " + s.files + " 个文件" + mb + "。" : "");
        button.textContent = "保存全部以便离线阅读";
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
