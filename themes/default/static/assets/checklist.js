/* zhiku checklist pages: keeps ticks in this browser, shows progress, resets,
   prints a blank copy. Plain script, no network; works from file://. */
(function () {
  "use strict";
  var doc = document, win = window, root = doc.documentElement;
  // One checklist per page; several in the single-file edition, each with
  // its panel in the same <article>.
  var boxes = doc.querySelectorAll("[data-checklist]");
  for (var b = 0; b < boxes.length; b++) setup(boxes[b]);

  function setup(box) {
    var inputs = box.querySelectorAll("input[data-item]");
    if (!inputs.length) return;
    var KEY = box.getAttribute("data-checklist"), total = inputs.length, store = null;
    var scope = box.closest("article") || doc;
    var panel = scope.querySelector("[data-checklist-panel]");
    function part(n) { return panel && panel.querySelector("[data-checklist-" + n + "]"); }
    var count = part("count"), meter = part("meter"), when = part("changed"), warn = part("warning");

    // Every storage access may throw: blocked, private mode, full.
    try {
      store = win.localStorage;
      store.setItem(KEY + ":probe", "1");
      store.removeItem(KEY + ":probe");
    } catch (e) { store = null; }
    function saved(ok) { if (warn) warn.hidden = ok; }
    saved(!!store);

    function read() {
      try {
        var d = store && JSON.parse(store.getItem(KEY));
        return d && d.v === 1 && d.items && typeof d.items === "object" ? d : null;
      } catch (e) { return null; }
    }
    function save() {
      var items = {}, changed = new Date().toISOString();
      for (var i = 0; i < total; i++) items[inputs[i].getAttribute("data-item")] = inputs[i].checked;
      try {
        store.setItem(KEY, JSON.stringify({ v: 1, items: items, changed: changed }));
        saved(true);
        return changed;
      } catch (e) { saved(false); return null; }
    }

    // Items count towards the h2 and h3 above them.
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
      gr.badge.innerHTML = '<span class="visually-hidden">已完成 </span>';
      gr.text = gr.badge.appendChild(doc.createTextNode(""));
      gr.el.appendChild(gr.badge);
    }
    function done(list) {
      for (var i = 0, c = 0; i < list.length; i++) if (list[i].checked) c++;
      return c;
    }
    function update() {
      var d = done(inputs), text = "已完成 " + d + "/" + total;
      if (count) count.textContent = text;
      if (meter) {
        meter.setAttribute("aria-valuenow", d);
        meter.setAttribute("aria-valuetext", text);
        if (meter.firstElementChild) meter.firstElementChild.style.width = (100 * d / total) + "%";
      }
      if (panel) panel.classList.toggle("is-complete", d === total);
      for (var i = 0; i < groups.length; i++) {
        var g = groups[i];
        if (!g.badge) continue;
        var gd = done(g.items);
        g.text.data = gd + "/" + g.items.length;
        g.badge.classList.toggle("is-done", gd === g.items.length);
      }
    }
    function pad(x) { return (x < 10 ? "0" : "") + x; }
    function showChanged(iso) {
      var t = new Date(iso || NaN);
      if (!when) return;
      when.textContent = "";
      if (isNaN(t.getTime())) return;
      var time = doc.createElement("time");
      time.setAttribute("datetime", iso);
      time.textContent = t.getFullYear() + "年" + (t.getMonth() + 1) + "月" + t.getDate() + "日 " +
        pad(t.getHours()) + ":" + pad(t.getMinutes());
      when.appendChild(doc.createTextNode("上次修改："));
      when.appendChild(time);
    }

    // Stored states over the defaults; an item not stored keeps its default.
    function load() {
      var d = read(), items = d ? d.items : {};
      for (var i = 0; i < total; i++) {
        var v = items[inputs[i].getAttribute("data-item")];
        inputs[i].checked = typeof v === "boolean" ? v : inputs[i].defaultChecked;
      }
      update();
      showChanged(d && d.changed);
    }

    box.addEventListener("change", function (e) {
      if (!e.target.hasAttribute("data-item")) return;
      root.classList.remove("print-blank");
      update();
      if (store) showChanged(save());
    });
    win.addEventListener("storage", function (e) { if (e.key === KEY || e.key === null) load(); });
    win.addEventListener("pageshow", function (e) { if (e.persisted) load(); });
    win.addEventListener("afterprint", function () { root.classList.remove("print-blank"); });

    var reset = part("reset"), blank = part("print");
    if (reset) reset.addEventListener("click", function () {
      if (!win.confirm("确定重置这份清单吗？所有勾选将恢复为默认状态。")) return;
      for (var i = 0; i < total; i++) inputs[i].checked = inputs[i].defaultChecked;
      try { if (store) store.removeItem(KEY); } catch (e) { /* nothing to clear */ }
      update();
      showChanged(null);
    });
    if (blank) blank.addEventListener("click", function () {
      root.classList.add("print-blank");
      win.print();
    });

    load();
    if (panel) panel.hidden = false;
  }
})();
