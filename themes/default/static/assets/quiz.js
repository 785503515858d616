/* zhiku quizzes (issue 19): marks a self-test in this browser, keeps the
   answers and the score, prints a blank copy or the answer key. Plain
   script, no network; works from file:// and in the single-file edition.
   The markup it expects is in docs/templates.md ("The quiz script"). */
(function () {
  "use strict";
  var doc = document, win = window, root = doc.documentElement;
  // The site's words in its language, filled by window.zhikuText from
  // assets/ui.js (docs/templates.md); the key itself without it.
  function uiText(key, values) {
    return win.zhikuText ? win.zhikuText(key, values) : key;
  }
  // The single-file edition prints every page at once: no print buttons,
  // as its checklists have none.
  var canPrint = !root.hasAttribute("data-single-file") && typeof win.print === "function";
  var quizzes = [], boxes = doc.querySelectorAll(".quiz");
  for (var b = 0; b < boxes.length; b++) {
    var quiz = setup(boxes[b]);
    if (quiz) quizzes.push(quiz);
  }
  win.addEventListener("afterprint", function () {
    root.classList.remove("quiz-print-blank", "quiz-print-key");
    for (var i = 0; i < quizzes.length; i++) showKey(quizzes[i], false);
  });

  function setup(box) {
    var article = box.closest("[data-quiz-key]"), questions = [], els = box.querySelectorAll(".quiz-q");
    for (var i = 0; i < els.length; i++) {
      // A question of a quiz inside this one belongs to that one.
      var q = els[i].closest(".quiz") === box && question(els[i]);
      if (q) questions.push(q);
    }
    if (!questions.length) return null;
    var key = article && article.getAttribute("data-quiz-key");
    var heading = article && article.querySelector("h1");
    var quiz = {
      box: box, questions: questions,
      key: key && key + ":" + (box.getAttribute("data-quiz") || "0"),
      page: article ? article.getAttribute("data-quiz-page") || "" : "",
      title: heading ? heading.textContent.trim() : ""
    };
    quiz.store = quiz.key ? openStore(quiz.key) : null;
    for (var k = 0; k < questions.length; k++) decorate(questions[k]);
    bar(quiz, questions[questions.length - 1].el);
    if (quiz.key && !quiz.store) quiz.warn.hidden = false;
    restore(quiz);
    return quiz;
  }

  // ---------- Questions ----------

  // What a question needs: its inputs and its key, decoded. A question
  // whose key cannot be read is left out of the marking.
  function question(el) {
    var key = decodeKey(el.getAttribute("data-key"));
    var kind = el.getAttribute("data-kind");
    var stem = el.querySelector(".quiz-stem");
    if (!key || !stem) return null;
    // The badge and the verdict go at the start of the stem's first
    // paragraph (a stem is a <p>, or a <div> of paragraphs).
    var first = stem.firstElementChild;
    var q = {
      el: el, id: el.getAttribute("data-q"), kind: kind, key: key, stem: stem,
      lead: first && first.tagName === "P" ? first : stem,
      text: stemText(stem), explain: childOf(el, ".quiz-explain"), marks: []
    };
    if (kind === "blank") {
      q.blanks = el.querySelectorAll("input.quiz-blank");
      // Named in the site's words (the build writes no label: it does not
      // know the site's language).
      for (var b = 0; b < q.blanks.length; b++) {
        q.blanks[b].setAttribute("aria-label", uiText("quiz.blank_label", { n: b + 1 }));
      }
    } else q.options = el.querySelectorAll(".quiz-options input");
    return q;
  }
  function childOf(el, selector) {
    for (var c = el.firstElementChild; c; c = c.nextElementSibling) if (c.matches(selector)) return c;
    return null;
  }
  // data-key: base64 of UTF-8 JSON, an array (see docs/templates.md).
  function decodeKey(b64) {
    try {
      var binary = win.atob(b64 || ""), text;
      if (win.TextDecoder) {
        var bytes = new Uint8Array(binary.length);
        for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
        text = new TextDecoder().decode(bytes);
      } else {
        text = decodeURIComponent(escape(binary));
      }
      var key = JSON.parse(text);
      return Array.isArray(key) ? key : null;
    } catch (e) { return null; }
  }
  // The stem as plain text for the stored list of wrong questions, each
  // blank as ＿＿.
  function stemText(stem) {
    var copy = stem.cloneNode(true), blanks = copy.querySelectorAll("input");
    for (var i = 0; i < blanks.length; i++) blanks[i].parentNode.replaceChild(doc.createTextNode("＿＿"), blanks[i]);
    return copy.textContent.replace(/\s+/g, " ").trim();
  }
  // The kind badge before the stem, and the options grouped under the
  // stem for screen readers.
  function decorate(q) {
    var badge = doc.createElement("span");
    badge.className = "badge quiz-kind";
    badge.textContent = uiText("quiz.kind." + q.kind);
    q.lead.insertBefore(badge, q.lead.firstChild);
    var list = q.options && q.options.length && q.options[0].closest(".quiz-options");
    if (list) {
      // Around the list, which stays a list (a role on it would not).
      var group = doc.createElement("div");
      if (!q.stem.id) q.stem.id = (q.el.id || "q-" + q.id) + "-stem";
      group.setAttribute("role", q.kind === "multiple" ? "group" : "radiogroup");
      group.setAttribute("aria-labelledby", q.stem.id);
      list.parentNode.insertBefore(group, list);
      group.appendChild(list);
    }
  }

  // What was given: option indices, or one text per blank.
  function given(q) {
    var out = [], i;
    if (q.blanks) for (i = 0; i < q.blanks.length; i++) out.push(q.blanks[i].value);
    else for (i = 0; i < q.options.length; i++) if (q.options[i].checked) out.push(Number(q.options[i].value));
    return out;
  }
  function answered(q, answer) {
    for (var i = 0; i < answer.length; i++) if (!q.blanks || normalize(answer[i])) return true;
    return false;
  }
  function put(q, answer) {
    var i;
    if (q.blanks) for (i = 0; i < q.blanks.length; i++) q.blanks[i].value = typeof answer[i] === "string" ? answer[i] : "";
    else for (i = 0; i < q.options.length; i++) q.options[i].checked = answer.indexOf(Number(q.options[i].value)) >= 0;
  }
  // Blanks compare without spaces, full-width letters and digits as
  // half-width, and case-insensitively: ＣＰＣ, c p c and CPC are one answer.
  function normalize(text) {
    return String(text).replace(/\s+/g, "").replace(/[\uff01-\uff5e]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
    }).toLowerCase();
  }
  function blankRight(q, answer, i) {
    var accepted = q.key[i] || [], mine = normalize(answer[i] || "");
    for (var k = 0; k < accepted.length; k++) if (mine && normalize(accepted[k]) === mine) return true;
    return false;
  }
  function isRight(q, answer) {
    if (q.blanks) {
      for (var i = 0; i < q.blanks.length; i++) if (!blankRight(q, answer, i)) return false;
      return true;
    }
    if (answer.length !== q.key.length) return false;
    for (var k = 0; k < q.key.length; k++) if (answer.indexOf(q.key[k]) < 0) return false;
    return true;
  }

  // ---------- The bar: submit, score, retry, print ----------

  function button(text, hook, primary) {
    var el = doc.createElement("button");
    el.type = "button";
    el.className = "button" + (primary ? " button-primary" : "");
    el.setAttribute("data-quiz-" + hook, "");
    el.textContent = uiText(text);
    return el;
  }
  function bar(quiz, last) {
    var el = doc.createElement("div"), actions = doc.createElement("div");
    el.className = "quiz-bar";
    actions.className = "quiz-actions";
    quiz.submit = actions.appendChild(button("quiz.submit", "submit", true));
    quiz.retry = actions.appendChild(button("quiz.retry", "retry"));
    quiz.retry.hidden = true;
    if (canPrint) {
      actions.appendChild(button("quiz.print_blank", "print-blank")).addEventListener("click", function () { print("quiz-print-blank"); });
      actions.appendChild(button("quiz.print_key", "print-key")).addEventListener("click", function () { print("quiz-print-key"); });
    }
    el.appendChild(actions);
    quiz.score = el.appendChild(doc.createElement("p"));
    quiz.score.className = "quiz-score";
    quiz.score.setAttribute("role", "status");
    quiz.score.tabIndex = -1;
    quiz.when = el.appendChild(doc.createElement("p"));
    quiz.when.className = "quiz-when";
    quiz.warn = el.appendChild(doc.createElement("p"));
    quiz.warn.className = "quiz-warning";
    quiz.warn.textContent = uiText("quiz.no_storage");
    quiz.warn.hidden = true;
    // After the list holding the last question.
    var list = last.parentNode;
    list.parentNode.insertBefore(el, list.nextSibling);
    quiz.submit.addEventListener("click", function () {
      mark(quiz);
      save(quiz);
      quiz.score.focus();
    });
    quiz.retry.addEventListener("click", function () {
      clear(quiz);
      var first = quiz.box.querySelector(".quiz-q input");
      if (first) first.focus();
    });
  }

  // Shows every question right or wrong, the answers and explanations,
  // and the score.
  function mark(quiz) {
    var right = 0, blank = 0, total = quiz.questions.length;
    clearMarks(quiz);
    for (var i = 0; i < total; i++) {
      var q = quiz.questions[i], answer = given(q), ok = isRight(q, answer), some = answered(q, answer);
      if (ok) right++;
      if (!some) blank++;
      q.answer = answer;
      q.right = ok;
      markQuestion(q, ok, some);
    }
    quiz.right = right;
    quiz.submit.hidden = true;
    quiz.retry.hidden = false;
    quiz.score.textContent = "";
    var main = quiz.score.appendChild(doc.createElement("strong"));
    main.textContent = uiText("quiz.score", { right: right, total: total, percent: Math.round(100 * right / total) });
    if (blank) {
      var note = quiz.score.appendChild(doc.createElement("span"));
      note.className = "quiz-score-note";
      note.textContent = uiText("quiz.unanswered", { n: blank });
    }
  }
  function markQuestion(q, ok, wasAnswered) {
    q.el.classList.add(ok ? "is-right" : "is-wrong");
    var verdict = ok ? "quiz.right" : wasAnswered ? "quiz.wrong" : "quiz.skipped";
    addMark(q, q.lead.firstChild.nextSibling, q.lead, "quiz-verdict", ok, verdict);
    var i;
    if (q.blanks) {
      for (i = 0; i < q.blanks.length; i++) {
        var good = blankRight(q, q.answer, i), input = q.blanks[i];
        input.classList.add(good ? "is-right" : "is-wrong");
        if (!good) addAnswer(q, i);
      }
    } else {
      for (i = 0; i < q.options.length; i++) {
        var option = q.options[i], label = option.closest(".quiz-option") || option.parentNode;
        if (q.key.indexOf(Number(option.value)) >= 0) {
          label.classList.add("is-answer");
          addMark(q, null, label, "quiz-option-mark", true, "quiz.is_answer");
        } else if (option.checked) {
          label.classList.add("is-chosen-wrong");
          addMark(q, null, label, "quiz-option-mark", false, "quiz.chosen_wrong");
        }
      }
    }
    setDisabled(q, true);
    if (q.explain) q.explain.hidden = false;
  }
  // A mark in words with its icon, so that right and wrong never rest on
  // colour alone.
  function addMark(q, before, parent, className, ok, key) {
    var el = doc.createElement("span");
    el.className = className + (ok ? " is-right" : " is-wrong");
    var icon = el.appendChild(doc.createElement("span"));
    icon.className = "quiz-icon";
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = ok ? "✓" : "✗";
    el.appendChild(doc.createTextNode(uiText(key)));
    parent.insertBefore(el, before);
    q.marks.push(el);
  }
  // What blank `i` accepts, after it.
  function addAnswer(q, i) {
    var el = doc.createElement("span"), input = q.blanks[i];
    el.className = "quiz-blank-answer";
    el.textContent = uiText("quiz.blank_answer", { answer: (q.key[i] || []).join(uiText("quiz.or")) });
    input.parentNode.insertBefore(el, input.nextSibling);
    q.marks.push(el);
  }
  function setDisabled(q, off) {
    var inputs = q.blanks || q.options;
    for (var i = 0; i < inputs.length; i++) inputs[i].disabled = off;
  }
  function clearMarks(quiz) {
    for (var i = 0; i < quiz.questions.length; i++) {
      var q = quiz.questions[i];
      for (var m = 0; m < q.marks.length; m++) q.marks[m].parentNode.removeChild(q.marks[m]);
      q.marks = [];
      var marked = q.el.querySelectorAll(".is-right, .is-wrong, .is-answer, .is-chosen-wrong");
      for (var k = 0; k < marked.length; k++) marked[k].classList.remove("is-right", "is-wrong", "is-answer", "is-chosen-wrong");
      q.el.classList.remove("is-right", "is-wrong");
      setDisabled(q, false);
      if (q.explain) q.explain.hidden = true;
    }
  }
  // 再做一次: empty and open again; the stored record stays until the next
  // submit.
  function clear(quiz) {
    clearMarks(quiz);
    for (var i = 0; i < quiz.questions.length; i++) put(quiz.questions[i], []);
    quiz.submit.hidden = false;
    quiz.retry.hidden = true;
    quiz.score.textContent = "";
  }

  // ---------- Printing ----------

  // Blank: the questions with empty boxes. Key: the answers marked and the
  // explanations shown, whatever was answered. Both for every quiz on the
  // page, until the print dialog closes.
  function print(mode) {
    root.classList.remove("quiz-print-blank", "quiz-print-key");
    root.classList.add(mode);
    for (var i = 0; i < quizzes.length; i++) showKey(quizzes[i], mode === "quiz-print-key");
    win.print();
  }
  function showKey(quiz, on) {
    var keys = quiz.box.querySelectorAll(".quiz-key-answer, .is-key"), i;
    for (i = 0; i < keys.length; i++) {
      if (keys[i].classList.contains("is-key")) keys[i].classList.remove("is-key");
      else keys[i].parentNode.removeChild(keys[i]);
    }
    if (!on) return;
    for (i = 0; i < quiz.questions.length; i++) {
      var q = quiz.questions[i], k;
      if (q.blanks) {
        for (k = 0; k < q.blanks.length; k++) {
          var el = doc.createElement("span");
          el.className = "quiz-key-answer";
          el.textContent = (q.key[k] || []).join(uiText("quiz.or"));
          q.blanks[k].parentNode.insertBefore(el, q.blanks[k].nextSibling);
        }
      } else {
        for (k = 0; k < q.options.length; k++) {
          if (q.key.indexOf(Number(q.options[k].value)) >= 0) (q.options[k].closest(".quiz-option") || q.options[k].parentNode).classList.add("is-key");
        }
      }
    }
  }

  // ---------- Storage ----------

  // Every storage access may throw: blocked, private mode, full.
  function openStore(key) { return win.zhikuStore ? win.zhikuStore(key) : null; }
  function read(quiz) {
    try {
      var d = quiz.store && JSON.parse(quiz.store.getItem(quiz.key));
      return d && d.v === 1 && d.answers && typeof d.answers === "object" ? d : null;
    } catch (e) { return null; }
  }
  function save(quiz) {
    if (!quiz.store) return; // the warning shows already, or the theme stores nothing
    var answers = {}, wrong = {}, at = new Date().toISOString();
    for (var i = 0; i < quiz.questions.length; i++) {
      var q = quiz.questions[i];
      answers[q.id] = q.answer;
      if (!q.right) wrong[q.id] = q.text;
    }
    var record = {
      v: 1, page: quiz.page, title: quiz.title, at: at,
      score: quiz.right, total: quiz.questions.length, answers: answers, wrong: wrong
    };
    try {
      quiz.store.setItem(quiz.key, JSON.stringify(record));
      quiz.warn.hidden = true;
      showWhen(quiz, at);
    } catch (e) { quiz.warn.hidden = false; }
  }
  // The stored answers back in their questions. When every question on
  // the page has one, the quiz shows as submitted; a question changed
  // since (it has a new id) leaves it open, with the others filled in.
  function restore(quiz) {
    var d = read(quiz);
    if (!d) return;
    var all = true;
    for (var i = 0; i < quiz.questions.length; i++) {
      var q = quiz.questions[i], answer = d.answers[q.id];
      if (Array.isArray(answer)) put(q, answer);
      else all = false;
    }
    if (!all) return;
    mark(quiz);
    showWhen(quiz, d.at);
  }
  function showWhen(quiz, iso) {
    var when = quiz.when, text = win.zhikuDate ? win.zhikuDate(iso, true) : "";
    when.textContent = "";
    if (!text) return;
    var time = doc.createElement("time");
    time.setAttribute("datetime", iso);
    time.textContent = text;
    when.appendChild(doc.createTextNode(uiText("quiz.submitted")));
    when.appendChild(time);
  }
})();
