// ---- The runtime's interface, and what the page gets ----
// window.zhikuSearch is what zhiku.js waits for, and what the browser
// tests and benchmarks call; its test helpers print tokens and terms as
// tests/search/vectors.json and queries.json write them.
win.zhikuSearch = {
  ready: ready,
  search: search,
  boxFiles: BOX_FILES,
  normalize: normalize,
  tokens: function (text) { return docTokens(normalize(text)).map(function (t, i) { return t.text + "@" + i; }); },
  queryTokens: function (text) { return queryTokens(normalize(text)).map(function (t) { return t.text + (t.prefix ? "*" : ""); }); },
  parse: function (text) { return describe(parse(normalize(text))); },
  // How many units hold an index term, read from the file it is in.
  units: function (term) {
    var token = { text: term, prefix: false };
    return ready().then(function () { return loadTerms(token); }).then(function (terms) { return postings(token, terms).units.length; });
  },
  prepare: prepare
};
// The search page (search/index.html) or the header box's dropdown.
function start() {
  var box = doc.getElementById("search-box"), pageForm = doc.querySelector("[data-search-page]");
  if (box && pageForm) searchPage(pageForm, box);
  else if (box && box.form) dropdown(box);
}
start();
