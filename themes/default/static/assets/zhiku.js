/* zhiku default theme: theme toggle, navigation drawer, outline, scrollable
   tables. Plain script, no modules, no network; works from file://. */
(function () {
  "use strict";
  var doc = document, root = doc.documentElement, win = window;
  var KEY = "zhiku:" + (root.getAttribute("data-site") || "site") + ":theme";

  // Enter activates our buttons on keydown (and cancels the keypress that
  // would click them again), so key events synthesised without a keypress,
  // as some automation and assistive tools send them, work too.
  function activate(button, action) {
    button.addEventListener("click", action);
    button.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.repeat) { e.preventDefault(); action(); }
    });
  }

  function store(value) {
    try {
      if (value) win.localStorage.setItem(KEY, value);
      else win.localStorage.removeItem(KEY);
    } catch (e) { /* storage blocked or full: the choice lasts for this page only */ }
  }

  // ---- Light / dark ----
  var systemDark = win.matchMedia ? win.matchMedia("(prefers-color-scheme: dark)") : null;
  var toggle = doc.querySelector("[data-theme-toggle]");
  function system() { return systemDark && systemDark.matches ? "dark" : "light"; }
  function effective() { return root.getAttribute("data-theme") || system(); }
  function apply(choice) {
    if (choice === "light" || choice === "dark") root.setAttribute("data-theme", choice);
    else root.removeAttribute("data-theme");
    if (toggle) toggle.setAttribute("aria-pressed", effective() === "dark" ? "true" : "false");
  }
  if (toggle) {
    activate(toggle, function () {
      var choice = effective() === "dark" ? "light" : "dark";
      store(choice);
      apply(choice);
    });
    apply(root.getAttribute("data-theme"));
  }
  if (systemDark) {
    var onSystem = function () { apply(root.getAttribute("data-theme")); };
    if (systemDark.addEventListener) systemDark.addEventListener("change", onSystem);
    else if (systemDark.addListener) systemDark.addListener(onSystem);
  }
  win.addEventListener("storage", function (e) {
    if (e.key === KEY) apply(e.newValue);
  });

  // ---- Navigation drawer (narrow screens) ----
  var navButton = doc.querySelector(".nav-toggle");
  var nav = navButton && doc.getElementById(navButton.getAttribute("aria-controls"));
  function isOpen() { return navButton.getAttribute("aria-expanded") === "true"; }
  function setOpen(open) {
    navButton.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) nav.classList.add("is-open");
    else nav.classList.remove("is-open");
  }
  if (nav) {
    activate(navButton, function () { setOpen(!isOpen()); });
    doc.addEventListener("keydown", function (e) {
      if ((e.key === "Escape" || e.key === "Esc") && isOpen()) {
        var inside = nav.contains(doc.activeElement) || doc.activeElement === navButton;
        setOpen(false);
        if (inside) navButton.focus();
      }
    });
  }

  // ---- Tables scroll sideways in their own box ----
  var tables = doc.querySelectorAll(".content table");
  for (var i = 0; i < tables.length; i++) {
    var t = tables[i];
    if (t.parentNode.className === "table-wrap") continue;
    var wrap = doc.createElement("div");
    wrap.className = "table-wrap";
    t.parentNode.insertBefore(wrap, t);
    wrap.appendChild(t);
  }
  // A box that scrolls must be reachable by keyboard.
  function markScrollers() {
    var boxes = doc.querySelectorAll(".table-wrap, .content pre");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i], scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-scroller", "");
        if (box.className === "table-wrap") {
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", (win.zhikuUI || {})["script.table"] || "script.table");
        }
      } else if (!scrolls && box.hasAttribute("data-scroller")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-scroller");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
  }
  markScrollers();

  // Print writes a link's address after it, unless the text is the address.
  var external = doc.querySelectorAll(".content a[href^='http']");
  for (var x = 0; x < external.length; x++) {
    var a = external[x], text = a.textContent.replace(/\s+/g, "");
    if (text === a.getAttribute("href") || text === a.href) a.className += " bare-url";
  }

  // ---- Print buttons (the print page) ----
  var printers = doc.querySelectorAll("[data-print]");
  for (var pb = 0; pb < printers.length; pb++) activate(printers[pb], function () { win.print(); });

  // ---- Search: assets/search.js loads on first use of the box ----
  var box = doc.getElementById("search-box"), searchLoading = false;
  function loadSearch() {
    if (searchLoading || win.zhikuSearch) return;
    searchLoading = true;
    var s = doc.createElement("script");
    s.src = (root.getAttribute("data-root") || "") + "assets/search.js";
    doc.head.appendChild(s);
  }
  if (box) {
    box.addEventListener("focus", loadSearch);
    box.addEventListener("input", loadSearch);
    if (doc.querySelector("[data-search-page]")) loadSearch();
    // "/" focuses the box, unless typing somewhere else.
    doc.addEventListener("keydown", function (e) {
      var t = e.target, tag = t && t.tagName;
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented ||
          tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
      e.preventDefault();
      box.focus();
    });
  }

  // ---- Offline copy: service workers run over http(s) only, never from
  // disk; under the dev server (which sets __zhikuLive) one would serve
  // stale files, so one left from a build served there is removed ----
  var workers = "serviceWorker" in navigator && /^https?:$/.test(location.protocol);
  if (workers && win.__zhikuLive) {
    navigator.serviceWorker.getRegistration().then(function (r) { if (r) r.unregister(); }, function () {});
  } else if (workers) {
    var offline = doc.createElement("script");
    offline.src = (root.getAttribute("data-root") || "") + "assets/offline.js";
    doc.head.appendChild(offline);
  }

  // ---- On-page outline: open beside the text on wide screens ----
  var toc = doc.querySelector(".toc-details");
  var wide = win.matchMedia ? win.matchMedia("(min-width: 76rem)") : null;
  function syncToc() { if (toc && wide) toc.open = wide.matches; }
  syncToc();
  if (wide) {
    if (wide.addEventListener) wide.addEventListener("change", syncToc);
    else if (wide.addListener) wide.addListener(syncToc);
  }

  // Highlight the outline entry of the heading being read.
  var links = toc ? toc.querySelectorAll("a[href^='#']") : [];
  var targets = [];
  for (var j = 0; j < links.length; j++) {
    var id = decodeURIComponent(links[j].getAttribute("href").slice(1));
    var el = doc.getElementById(id);
    if (el) targets.push([el, links[j]]);
  }
  var active = null, pending = false;
  function spy() {
    pending = false;
    var current = null;
    for (var k = 0; k < targets.length; k++) {
      if (targets[k][0].getBoundingClientRect().top < 120) current = targets[k][1];
      else break;
    }
    if (current !== active) {
      if (active) active.classList.remove("is-active");
      if (current) current.classList.add("is-active");
      active = current;
    }
  }
  function schedule() {
    if (!pending) { pending = true; (win.requestAnimationFrame || setTimeout)(spy); }
  }
  if (targets.length) {
    win.addEventListener("scroll", schedule, { passive: true });
    spy();
  }
  var resizeTimer;
  win.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { markScrollers(); schedule(); }, 150);
  });
})();
