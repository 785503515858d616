/* zhiku single-file edition: links between pages are "#page" or
   "#page#fragment" (an article or heading inside that page: ids repeat
   from page to page, so the fragment is looked up inside its page).
   In one section's file, a link to what it leaves out names a note at the
   end ("#x-…", .outside-note); tapping it shows a copy of the note where
   the link is, and tapping again (or its close button) hides it. Without
   scripts the link goes to the note itself. */
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
  function toggleNote(a, note) {
    if (a.zhikuNote && a.zhikuNote.parentNode) {
      a.zhikuNote.parentNode.removeChild(a.zhikuNote);
      a.zhikuNote = null;
      a.setAttribute("aria-expanded", "false");
      return;
    }
    var pop = note.cloneNode(true);
    pop.removeAttribute("id");
    pop.className = "outside-pop";
    var close = doc.createElement("button");
    close.type = "button";
    close.className = "outside-close";
    close.textContent = (win.zhikuUI || {})["script.close"] || "script.close";
    close.addEventListener("click", function () { toggleNote(a, note); a.focus(); });
    pop.insertBefore(close, pop.firstChild);
    // Inside a list item or cell, at its end; else after the paragraph.
    var block = a.closest("li, dd, td, th, p, h1, h2, h3, h4, h5, h6") || a;
    if (/^(LI|DD|TD|TH)$/.test(block.tagName)) block.appendChild(pop);
    else block.parentNode.insertBefore(pop, block.nextSibling);
    a.zhikuNote = pop;
    a.setAttribute("aria-expanded", "true");
    pop.focus({ preventScroll: true });
  }
  doc.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[href^='#']");
    if (!a || e.defaultPrevented || e.button || e.ctrlKey || e.metaKey) return;
    var hash = a.getAttribute("href");
    if (hash.indexOf("#", 1) < 0) {
      var note = doc.getElementById(decodeURIComponent(hash.slice(1)));
      if (note && note.classList.contains("outside-note") && !note.contains(a)) {
        e.preventDefault();
        toggleNote(a, note);
      }
      return;
    }
    if (go(hash, true)) e.preventDefault();
  });
  win.addEventListener("hashchange", function () { go(location.hash, false); });
  if (location.hash.indexOf("#", 1) > 0) go(location.hash, false);
})();
