/* zhiku checklist pages: keeps ticks in this browser, shows progress, resets,
   prints a blank copy. Plain script, no network; works from file://. */
(function () {
  "use strict";
  var doc = document, win = window, root = doc.documentElement;
  // The site's words in its language, filled by window.zhikuText from
  // assets/ui.js (docs/templates.md); the key itself without it.
  function uiText(key, values) {
    return win.zhikuText ? win.zhikuText(key, values) : key;
  }
  // One checklist per page; several in the single-file edition, each with
  // its panel in the same <article>.
  var boxes = doc.querySelectorAll("[data-checklist]");
  for (var b = 0; b < boxes.length; b++) setup(boxes[b]);

  function setup(box) {
    var inputs = box.querySelectorAll("input[data-item]");
    if (!inputs.length) return;
    var key = box.getAttribute("data-checklist");
    var panel = (box.closest("article") || doc).querySelector("[data-checklist-panel]");
    function part(n) { return panel && panel.querySelector("[data-checklist-" + n + "]"); }
    var list = {
      box: box, inputs: inputs, key: key, total: inputs.length, panel: panel, store: openStore(key), groups: [],
      count: part("count"), meter: part("meter"), when: part("changed"), warn: part("warning"),
      reset: part("reset"), blank: part("print")
    };
    saved(list, !!list.store);
    list.groups = headingGroups(box);
    listen(list);
    load(list);
    if (panel) panel.hidden = false;
  }

  // Every storage access may throw: blocked, private mode, full.
  function openStore(key) { return win.zhikuStore ? win.zhikuStore(key) : null; }
  function saved(list, ok) { if (list.warn) list.warn.hidden = ok; }
  function read(list) {
    try {
      var d = list.store && JSON.parse(list.store.getItem(list.key));
      return d && d.v === 1 && d.items && typeof d.items === "object" ? d : null;
    } catch (e) { return null; }
  }
  function save(list) {
    var items = {}, changed = new Date().toISOString(), inputs = list.inputs;
    for (var i = 0; i < list.total; i++) items[inputs[i].getAttribute("data-item")] = inputs[i].checked;
    try {
      list.store.setItem(list.key, JSON.stringify({ v: 1, items: items, changed: changed }));
      saved(list, true);
      return changed;
    } catch (e) { saved(list, false); return null; }
  }

  // Items count towards the h2 and h3 above them; a heading with items
  // shows how many are done.
  function headingGroups(box) {
    var groups = [], h2 = null, h3 = null, nodes = box.querySelectorAll("h2, h3, input[data-item]");
    for (var n = 0; n < nodes.length; n++) {
      var el = nodes[n], tag = el.tagName;
      if (tag === "H2" || tag === "H3") {
        var g = { el: el, items: [] };
        groups.push(g);
        if (tag === "H2") { h2 = g; h3 = null; } else h3 = g;
      } else {
        if (h2) h2.items.push(el);
        if (h3) h3.items.push(el);
      }
    }
    for (var k = 0; k < groups.length; k++) {
      var gr = groups[k];
      if (!gr.items.length) continue;
      gr.badge = doc.createElement("span");
      gr.badge.className = "checklist-heading-count";
      var hidden = gr.badge.appendChild(doc.createElement("span"));
      hidden.className = "visually-hidden";
      hidden.textContent = uiText("checklist.heading_done");
      gr.text = gr.badge.appendChild(doc.createTextNode(""));
      gr.el.appendChild(gr.badge);
    }
    return groups;
  }
  function done(items) {
    for (var i = 0, c = 0; i < items.length; i++) if (items[i].checked) c++;
    return c;
  }
  function update(list) {
    var d = done(list.inputs), total = list.total, text = uiText("checklist.done", { done: d, total: total }), meter = list.meter;
    if (list.count) list.count.textContent = text;
    if (meter) {
      meter.setAttribute("aria-valuenow", d);
      meter.setAttribute("aria-valuetext", text);
      if (meter.firstElementChild) meter.firstElementChild.style.width = (100 * d / total) + "%";
    }
    if (list.panel) list.panel.classList.toggle("is-complete", d === total);
    for (var i = 0; i < list.groups.length; i++) {
      var g = list.groups[i];
      if (!g.badge) continue;
      var gd = done(g.items);
      g.text.data = gd + "/" + g.items.length;
      g.badge.classList.toggle("is-done", gd === g.items.length);
    }
  }
  function showChanged(list, iso) {
    var when = list.when, text = win.zhikuDate ? win.zhikuDate(iso, true) : "";
    if (!when) return;
    when.textContent = "";
    if (!text) return;
    var time = doc.createElement("time");
    time.setAttribute("datetime", iso);
    time.textContent = text;
    when.appendChild(doc.createTextNode(uiText("checklist.changed")));
    when.appendChild(time);
  }

  // Stored states over the defaults; an item not stored keeps its default.
  function load(list) {
    var d = read(list), items = d ? d.items : {}, inputs = list.inputs;
    for (var i = 0; i < list.total; i++) {
      var v = items[inputs[i].getAttribute("data-item")];
      inputs[i].checked = typeof v === "boolean" ? v : inputs[i].defaultChecked;
    }
    update(list);
    showChanged(list, d && d.changed);
  }

  function listen(list) {
    list.box.addEventListener("change", function (e) {
      if (!e.target.hasAttribute("data-item")) return;
      root.classList.remove("print-blank");
      update(list);
      if (list.store) showChanged(list, save(list));
    });
    win.addEventListener("storage", function (e) { if (e.key === list.key || e.key === null) load(list); });
    win.addEventListener("pageshow", function (e) { if (e.persisted) load(list); });
    win.addEventListener("afterprint", function () { root.classList.remove("print-blank"); });
    if (list.reset) list.reset.addEventListener("click", function () {
      if (!win.confirm(uiText("checklist.confirm_reset"))) return;
      for (var i = 0; i < list.total; i++) list.inputs[i].checked = list.inputs[i].defaultChecked;
      try { if (list.store) list.store.removeItem(list.key); } catch (e) { /* nothing to clear */ }
      update(list);
      showChanged(list, null);
    });
    if (list.blank) list.blank.addEventListener("click", function () {
      root.classList.add("print-blank");
      win.print();
    });
  }
})();
