/* zhiku study record (学习记录) and wrong-answer page (错题本): filled from
   what this browser keeps, through window.zhikuStudy (study.js, which
   runs first). Loaded only on those two pages. */
(function () {
  "use strict";
  var win = window, doc = document, S = win.zhikuStudy;
  if (!S) return;
  var store = S.store, readJSON = S.readJSON, writeJSON = S.writeJSON, remove = S.remove;
  var studied = S.studied, dateText = S.dateText, quizRecords = S.quizRecords;
  var pageHref = S.pageHref, each = S.each, el = S.el, uiText = S.uiText;
  var READ = S.READ, QUIZ = S.QUIZ, NAME = S.NAME;

  // ---- The study record.
  each("[data-study-record]", function (page) {
    var warn = page.querySelector("[data-study-warning]");
    if (warn) warn.hidden = !!store;
    var name = page.querySelector("[data-study-name]");
    if (name) {
      name.value = (store && store.getItem(NAME)) || "";
      name.addEventListener("input", function () {
        try { store.setItem(NAME, name.value); } catch (e) { /* kept for this page only */ }
      });
    }
    var printed = page.querySelector("[data-study-printed]");
    win.addEventListener("beforeprint", function () {
      if (printed) printed.textContent = uiText("study.printed", { date: dateText(new Date().toISOString()) });
    });
    var list = page.querySelector("[data-study-pages]"), none = page.querySelector("[data-study-none]");
    function draw() {
      var pages = studied().pages, paths = Object.keys(pages);
      paths.sort(function (a, b) { return (pages[b].at || "") < (pages[a].at || "") ? -1 : 1; });
      list.textContent = "";
      paths.forEach(function (p) {
        var li = list.appendChild(el("li"));
        var a = li.appendChild(el("a", "", pages[p].title || p));
        a.href = pageHref(p);
        li.appendChild(el("span", "study-date", dateText(pages[p].at)));
      });
      none.hidden = paths.length > 0;
      var records = quizRecords();
      each("[data-study-quiz]", function (row) {
        var prefix = QUIZ + row.getAttribute("data-study-quiz").replace(/\/$/, "") + ":";
        var right = 0, total = 0, at = "";
        records.forEach(function (r) {
          if (r.key.indexOf(prefix) !== 0 || !r.rec.at) return;
          right += r.rec.score || 0;
          total += r.rec.total || 0;
          if (r.rec.at > at) at = r.rec.at;
        });
        row.querySelector("[data-study-score]").textContent =
          at ? uiText("study.score_value", { right: right, total: total }) : uiText("study.not_taken");
        row.querySelector("[data-study-date]").textContent = at ? dateText(at) : "";
      });
    }
    draw();
    // A page marked in the same file (the single-file edition), or a quiz
    // answered there, shows when the reader comes to the record.
    doc.addEventListener("zhiku:studied", draw);
    win.addEventListener("hashchange", draw);
    var print = page.querySelector("[data-study-print]");
    if (print) print.addEventListener("click", function () { win.print(); });
    var clear = page.querySelector("[data-study-clear]");
    if (clear) clear.addEventListener("click", function () {
      if (!win.confirm(uiText("study.confirm_clear"))) return;
      remove(READ);
      quizRecords().forEach(function (r) { remove(r.key); });
      win.location.reload();
    });
  });

  // ---- The wrong-answer page: every question answered wrong, by quiz.
  each("[data-study-wrong]", function (page) {
    var warn = page.querySelector("[data-study-warning]");
    if (warn) warn.hidden = !!store;
    var list = page.querySelector("[data-study-wrong-list]");
    var none = page.querySelector("[data-study-none]");
    var clear = page.querySelector("[data-study-wrong-clear]");
    function forget(key, id) {
      var rec = readJSON(key);
      if (!rec || !rec.wrong) return;
      if (id) delete rec.wrong[id];
      else rec.wrong = {};
      writeJSON(key, rec);
    }
    function draw() {
      var count = 0;
      list.textContent = "";
      quizRecords().forEach(function (r) {
        var wrong = r.rec.wrong || {}, ids = Object.keys(wrong);
        if (!ids.length) return;
        var part = list.appendChild(el("section", "study-wrong-quiz"));
        var link = part.appendChild(el("h2")).appendChild(el("a", "", r.rec.title || r.rec.page));
        link.href = pageHref(r.rec.page);
        var ol = part.appendChild(el("ol", "study-wrong-items"));
        ids.forEach(function (id) {
          count++;
          var li = ol.appendChild(el("li", "study-wrong-item"));
          var q = li.appendChild(el("a", "study-wrong-q", wrong[id]));
          q.href = pageHref(r.rec.page, "q-" + id);
          q.title = uiText("study.redo");
          var drop = li.appendChild(el("button", "button study-wrong-remove", uiText("study.remove")));
          drop.type = "button";
          drop.setAttribute("aria-label", uiText("study.remove") + " " + wrong[id]);
          drop.addEventListener("click", function () { forget(r.key, id); draw(); });
        });
      });
      none.hidden = count > 0;
      if (clear) clear.hidden = count === 0;
    }
    win.addEventListener("hashchange", draw);
    if (clear) clear.addEventListener("click", function () {
      if (!win.confirm(uiText("study.confirm_clear_wrong"))) return;
      quizRecords().forEach(function (r) { forget(r.key); });
      draw();
    });
    draw();
  });
})();
