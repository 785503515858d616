// The one filler of the site's words for every theme script: the text of
// `key` from window.zhikuUI with each {name} filled from `values` ({{ and
// }} are literal braces); a counted text ({one, other}) takes its form from
// values.n. A key with no text comes out as itself.
window.zhikuText = function (key, values) {
  var t = (window.zhikuUI || {})[key];
  if (t == null) return key;
  if (typeof t === "object") t = values && values.n === 1 ? t.one : t.other;
  return t.replace(/\{\{|\}\}|\{(\w+)\}/g, function (m, name) {
    if (!name) return m.charAt(0);
    return values && values.hasOwnProperty(name) ? String(values[name]) : m;
  });
};
// A moment as the site writes it: the day (format.date), or with
// withTime the day and time (format.date_time), in local time; "" for
// something that is not a date.
window.zhikuDate = function (iso, withTime) {
  var t = new Date(iso || NaN);
  if (isNaN(t.getTime())) return "";
  function pad(x) { return (x < 10 ? "0" : "") + x; }
  var m = t.getMonth() + 1, d = t.getDate();
  return window.zhikuText(withTime ? "format.date_time" : "format.date", {
    y: t.getFullYear(), m: m, d: d, mm: pad(m), dd: pad(d), hh: pad(t.getHours()), min: pad(t.getMinutes())
  });
};
// The browser's storage if it takes a write under `key` now, else null:
// blocked, a private window, full. (Every later access may still throw.)
window.zhikuStore = function (key) {
  try {
    var store = window.localStorage;
    store.setItem(key + ":probe", "1");
    store.removeItem(key + ":probe");
    return store;
  } catch (e) { return null; }
};
