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
