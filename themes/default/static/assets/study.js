/* zhiku study aids: pages marked studied (学完了), reading progress on the
   home and section pages, the study record (学习记录) and the wrong-answer
   page (错题本). Everything stays in this browser's storage, under the
   site's id; nothing is sent anywhere. Plain script; works from file://. */
(function () {
  "use strict";
  var doc = document, win = window, root = doc.documentElement;
  var site = root.getAttribute("data-site") || "";
  var base = root.getAttribute("data-root") || "";
  // Pages studied: { v: 1, pages: { "regulations/a/": { at, title } } }.
  var READ = "zhiku:" + site + ":read";
  // Quiz answers, one record per quiz (quiz.js): "zhiku:SITE:quiz:PATH:N".
  var QUIZ = "zhiku:" + site + ":quiz:";
  var NAME = "zhiku:" + site + ":name";
  function uiText(key, values) {
    return win.zhikuText ? win.zhikuText(key, values) : key;
  }
  function each(selector, f) {
    var found = doc.querySelectorAll(selector);
    for (var i = 0; i < found.length; i++) f(found[i]);
  }
  function el(tag, className, text) {
    var e = doc.createElement(tag);
    if (className) e.className = className;
    if (text != null) e.textContent = text;
    return e;
  }

  // Every storage access may throw: blocked, private mode, full.
  var store = win.zhikuStore ? win.zhikuStore(READ) : null;
  function readJSON(key) {
    try { return store && JSON.parse(store.getItem(key)); } catch (e) { return null; }
  }
  function writeJSON(key, value) {
    try { store.setItem(key, JSON.stringify(value)); return true; } catch (e) { return false; }
  }
  function remove(key) {
    try { store.removeItem(key); } catch (e) { /* nothing kept, nothing to remove */ }
  }
  function studied() {
    var d = readJSON(READ);
    return d && d.v === 1 && d.pages && typeof d.pages === "object" ? d : { v: 1, pages: {} };
  }
  function dateText(iso) {
    return win.zhikuDate ? win.zhikuDate(iso) : "";
  }
  // Every quiz record of this site: [{ key, rec }], by page and quiz.
  function quizRecords() {
    var out = [];
    if (!store) return out;
    try {
      for (var i = 0; i < store.length; i++) {
        var key = store.key(i);
        if (key && key.indexOf(QUIZ) === 0) {
          var rec = readJSON(key);
          if (rec && rec.v === 1 && typeof rec.page === "string") out.push({ key: key, rec: rec });
        }
      }
    } catch (e) { return out; }
    return out.sort(function (a, b) { return a.key < b.key ? -1 : a.key > b.key ? 1 : 0; });
  }
  // A page's address: its file, or in the single-file edition its part
  // (the contents list's link, "#p-…"; single.js finds "#p-…#q-…").
  function pageHref(path, anchor) {
    var items = doc.querySelectorAll(".single-toc [data-study-item]");
    for (var i = 0; i < items.length; i++) {
      var a = items[i].getAttribute("data-study-item") === path && items[i].querySelector("a[href^='#']");
      if (a) return a.getAttribute("href") + (anchor ? "#" + anchor : "");
    }
    return base + path + "index.html" + (anchor ? "#" + anchor : "");
  }
  // Several pages in one file (the single-file edition): scrolling past
  // one is not reading it, so only the button marks.
  var onePage = doc.querySelectorAll("[data-study-page]").length === 1;

  // ---- A page: the 学完了 button, and the mark made on reaching the end.
  each("[data-study-page]", function (box) {
    var path = box.getAttribute("data-study-page"), title = box.getAttribute("data-study-title") || "";
    // Built here rather than on every page of the site's output.
    var state = box.appendChild(el("p", "study-mark-state"));
    state.setAttribute("aria-live", "polite");
    state.setAttribute("data-study-state", "");
    var actions = box.appendChild(el("div", "study-mark-actions"));
    var button = actions.appendChild(el("button", "button"));
    button.type = "button";
    button.setAttribute("data-study-toggle", "");
    var link = actions.appendChild(el("a", "study-mark-link", uiText("study.record")));
    link.href = box.getAttribute("data-study-record-link") || base + "study-record/index.html";
    function show(note) {
      var entry = studied().pages[path];
      state.textContent = note || (entry ? uiText("study.studied_on", { date: dateText(entry.at) })
        : store ? uiText("study.not_yet") : uiText("study.no_storage"));
      button.textContent = entry ? uiText("study.unmark") : uiText("study.mark");
      button.setAttribute("aria-pressed", entry ? "true" : "false");
      box.classList.toggle("is-studied", !!entry);
    }
    function set(on) {
      var d = studied();
      if (on) d.pages[path] = { at: new Date().toISOString(), title: title };
      else delete d.pages[path];
      show(store && writeJSON(READ, d) ? "" : uiText("study.no_storage"));
      // The lists and the record on this page (the single file's) follow.
      markItems();
      doc.dispatchEvent(new CustomEvent("zhiku:studied"));
    }
    button.addEventListener("click", function () { set(!studied().pages[path]); });
    box.hidden = false;
    show();
    // Scrolled to the end (this box at or above the bottom of the
    // screen, however fast the reader got there): studied. Only on a
    // scroll, so a page that fits the screen waits for the button; and
    // only once, so a mark taken back stays taken back.
    if (!store || !onePage || studied().pages[path]) return;
    var pending = false;
    function check() {
      pending = false;
      if (box.getBoundingClientRect().top >= win.innerHeight) return;
      win.removeEventListener("scroll", onScroll);
      if (!studied().pages[path]) set(true);
    }
    function onScroll() {
      if (pending) return;
      pending = true;
      win.requestAnimationFrame(check);
    }
    win.addEventListener("scroll", onScroll, { passive: true });
  });

  // ---- Lists and progress: what this browser has marked.
  function markItems() {
    var now = studied().pages;
    each("[data-study-item]", function (item) {
      var on = !!now[item.getAttribute("data-study-item")];
      var badge = item.querySelector(".study-badge");
      item.classList.toggle("is-studied", on);
      if (on && !badge) {
        var title = item.querySelector("h3, a");
        if (title) title.appendChild(el("span", "study-badge", uiText("study.studied_mark")));
      } else if (!on && badge) badge.parentNode.removeChild(badge);
    });
  }
  markItems();
  var marked = studied().pages;
  each("[data-study-progress]", function (box) {
    if (!store) return;
    var prefix = box.getAttribute("data-study-progress") || "";
    var total = parseInt(box.getAttribute("data-study-total"), 10) || 0;
    var done = 0;
    for (var p in marked) if (marked.hasOwnProperty(p) && p.indexOf(prefix) === 0) done++;
    // A page studied and since removed from the site still has its mark.
    done = Math.min(done, total);
    var count = box.querySelector("[data-study-count]") || box;
    count.textContent = uiText("study.count", { done: done, n: total });
    var meter = box.querySelector("[role=progressbar]");
    if (meter) {
      meter.setAttribute("aria-valuenow", done);
      meter.firstChild.style.width = (total ? Math.round(done * 100 / total) : 0) + "%";
    }
    box.hidden = false;
  });
  each("[data-study-summary]", function (box) { box.hidden = false; });

  // What the study record and wrong-answer pages (study-record.js) use.
  win.zhikuStudy = {
    store: store, readJSON: readJSON, writeJSON: writeJSON, remove: remove,
    studied: studied, dateText: dateText, quizRecords: quizRecords,
    pageHref: pageHref, each: each, el: el, uiText: uiText,
    READ: READ, QUIZ: QUIZ, NAME: NAME
  };
})();
