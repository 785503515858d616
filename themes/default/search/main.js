win.zhikuSearch = {
  ready: ready,
  search: search,
  boxFiles: BOX_FILES,
  normalize: normalize,
  tokens: function (text) { return docTokens(normalize(text)).map(function (t, i) { return t.t + "@" + i; }); },
  queryTokens: function (text) { return queryTokens(normalize(text)).map(function (t) { return t.t + (t.p ? "*" : ""); }); },
  parse: function (text) { return describe(parse(normalize(text))); },
  // How many units hold an index term, read from the file it is in.
  units: function (term) {
    var tok = { t: term, p: false };
    return ready().then(function () { return loadTerms(tok); }).then(function (m) { return postings(tok, m).u.length; });
  },
  prepare: prepare
};
var box = doc.getElementById("search-box"), pageForm = doc.querySelector("[data-search-page]");
if (box && pageForm) searchPage(pageForm, box);
else if (box && box.form) dropdown(box);
