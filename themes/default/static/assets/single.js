/* zhiku single-file edition: links between pages are "#page" or
   "#page#fragment" (an article or heading inside that page: ids repeat
   from page to page, so the fragment is looked up inside its page). */
(function () {
  "use strict";
  var doc = document, win = window;
  function target(hash) {
    var parts = decodeURIComponent(hash.replace(/^#/, "")).split("#");
    var page = parts[0] && doc.getElementById(parts[0]);
    if (!page) return null;
    if (parts.length < 2 || !parts[1]) return page;
    var inside = page.querySelectorAll("[id]");
    for (var i = 0; i < inside.length; i++) if (inside[i].id === parts[1]) return inside[i];
    return page;
  }
  function go(hash, push) {
    var el = target(hash);
    if (!el) return false;
    if (push && win.history && history.pushState) history.pushState(null, "", hash);
    el.scrollIntoView();
    if (el.tabIndex < 0 && !/^(A|BUTTON|INPUT)$/.test(el.tagName)) el.setAttribute("tabindex", "-1");
    el.focus({ preventScroll: true });
    return true;
  }
  doc.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[href^='#']");
    if (!a || e.defaultPrevented || e.button || e.ctrlKey || e.metaKey) return;
    var hash = a.getAttribute("href");
    if (hash.indexOf("#", 1) < 0) return;
    if (go(hash, true)) e.preventDefault();
  });
  win.addEventListener("hashchange", function () { go(location.hash, false); });
  if (location.hash.indexOf("#", 1) > 0) go(location.hash, false);
})();
