//! The site's own words follow site.toml's `language` (issue 17): the
//! domain fixture built as a Traditional Chinese and as an English site
//! shows the theme's labels, buttons and notices in that language, and a
//! site's `i18n/` changes single words. Each check reads the element that
//! carries the word, so the content's own Chinese (titles, body) cannot
//! make it pass (STYLE.md, habit 18).

use zhiku::pipeline::{BuildOptions, Cache, build_with};

use crate::html::{element, text};
use crate::site_test::SiteTest;

const REGULATION: &str = "public/regulations/new/index.html";
const REPEALED: &str = "public/regulations/old/index.html";

/// The domain fixture with `language` set.
fn site_in(language: &str) -> SiteTest {
    SiteTest::fixture("domain").file(
        "site.toml",
        format!("title = \"领域测试站\"\nsite_id = \"domain-test\"\nlanguage = \"{language}\"\n"),
    )
}

fn built(language: &str) -> SiteTest {
    let site = site_in(language);
    site.build()
        .unwrap_or_else(|f| panic!("{:#?}", f.diagnostics));
    site
}

/// The opening tag that begins `<{start}` (void elements such as `<input>`
/// have nothing else).
fn tag<'a>(html: &'a str, start: &str) -> &'a str {
    let at = html
        .find(&format!("<{start}"))
        .unwrap_or_else(|| panic!("no <{start}…> in {html}"));
    &html[at..at + html[at..].find('>').unwrap() + 1]
}

/// The value of `attribute` in the first tag that has it, in `html`.
fn attribute<'a>(html: &'a str, attribute: &str) -> &'a str {
    let key = format!(" {attribute}=\"");
    let at = html
        .find(&key)
        .unwrap_or_else(|| panic!("no {attribute} in {html}"))
        + key.len();
    &html[at..at + html[at..].find('"').unwrap()]
}

/// The frame of a page: `<html lang>`, the header's search box, the
/// navigation's first link, the breadcrumbs' label and their first link.
fn chrome(html: &str) -> [String; 5] {
    let header = element(html, "header class=\"site-header\"");
    let crumbs = element(html, "nav class=\"breadcrumbs\"");
    [
        attribute(html, "lang").to_string(),
        attribute(tag(header, "input id=\"search-box\""), "placeholder").to_string(),
        text(element(
            element(html, "nav id=\"site-nav\""),
            "li class=\"nav-item nav-home",
        )),
        attribute(crumbs, "aria-label").to_string(),
        text(element(crumbs, "a")),
    ]
}

#[test]
fn issue_17_a_traditional_site_shows_traditional_words() {
    let site = built("zh-TW");
    let home = site.read("public/index.html");
    assert_eq!(
        attribute(&home, "lang"),
        "zh-TW",
        "the home page's <html lang>"
    );
    let header = element(&home, "header class=\"site-header\"");
    assert!(
        header.contains("placeholder=\"搜尋條例、清單、案例\""),
        "{header}"
    );
    assert_eq!(text(element(&home, "h2 id=\"cards-title\"")), "瀏覽單元");
    assert!(element(&home, "footer").contains("本站由 zhiku 產生"));

    let regulation = site.read(REGULATION);
    assert_eq!(
        chrome(&regulation),
        ["zh-TW", "搜尋條例、清單、案例", "首頁", "目前位置", "首頁"]
    );
    let kicker = text(element(&regulation, "p class=\"page-kicker\""));
    assert!(
        kicker.contains("條例") && kicker.contains("現行有效"),
        "{kicker}"
    );
    assert!(text(element(&regulation, "summary class=\"toc-title\"")).starts_with("本頁目錄"));
    let info = text(element(&regulation, "dl class=\"doc-info\""));
    assert!(
        info.contains("發布日期") && info.contains("2024年1月1日"),
        "{info}"
    );
    let pn = text(element(&regulation, "nav class=\"prev-next\""));
    assert!(pn.contains("上一篇"), "{pn}");
    let notice = text(element(&site.read(REPEALED), "p class=\"notice-title\""));
    assert_eq!(notice, "本規定已由《新规定》取代");

    let search = site.read("public/search/index.html");
    assert_eq!(attribute(&search, "lang"), "zh-TW");
    assert_eq!(text(element(&search, "h1")), "搜尋");
    assert_eq!(
        text(element(&search, "button class=\"button button-primary\"")),
        "搜尋"
    );
    // The scripts' words: the search box's messages among them.
    let script = site.read("public/assets/ui.js");
    assert!(
        script.contains("\"search.searching\":\"搜尋中…\""),
        "{script}"
    );
}

#[test]
fn issue_17_an_english_site_shows_english_words() {
    let site = built("en");
    let home = site.read("public/index.html");
    assert_eq!(attribute(&home, "lang"), "en");
    assert_eq!(text(element(&home, "h2 id=\"cards-title\"")), "Sections");
    // Counts choose their form: one section has one page, another two.
    let cards = element(&home, "ul class=\"section-cards\"");
    assert!(
        cards.contains(">1 page<") && cards.contains(">2 pages<"),
        "{cards}"
    );

    let regulation = site.read(REGULATION);
    assert_eq!(
        chrome(&regulation),
        [
            "en",
            "Search regulations, checklists, cases",
            "Home",
            "You are here",
            "Home"
        ]
    );
    let kicker = text(element(&regulation, "p class=\"page-kicker\""));
    assert!(
        kicker.contains("Regulation") && kicker.contains("In force"),
        "{kicker}"
    );
    assert_eq!(
        text(element(&regulation, "summary class=\"toc-title\"")),
        "On this page (10 articles)"
    );
    let info = text(element(&regulation, "dl class=\"doc-info\""));
    assert!(
        info.contains("Issued") && info.contains("2024-01-01"),
        "{info}"
    );
    assert!(info.contains("This regulation supersedes 舊規則"), "{info}");
    let cited = element(&regulation, "aside class=\"cited-by\"");
    assert!(cited.contains(">Cited by<"), "{cited}");
    let notice = text(element(&site.read(REPEALED), "p class=\"notice-title\""));
    assert_eq!(notice, "This regulation has been superseded by 新规定");

    let search = site.read("public/search/index.html");
    assert_eq!(attribute(&search, "lang"), "en");
    assert_eq!(text(element(&search, "h1")), "Search");
    assert!(search.contains("<title>Search · 领域测试站</title>"));
    let script = site.read("public/assets/ui.js");
    assert!(
        script.contains("\"search.searching\":\"Searching…\""),
        "{script}"
    );
    // The built-in taxonomies' names, in the navigation and on their pages.
    let term = site.read("public/tags/san-hui-yi-ke/index.html");
    assert_eq!(text(element(&term, "p class=\"page-kicker\"")), "Tags");
    assert_eq!(
        text(element(&term, "p class=\"lead\"")),
        "2 pages — Checklist: 1, Case: 1"
    );
}

#[test]
fn a_language_without_a_catalogue_keeps_simplified_words() {
    let site = built("bo");
    let regulation = site.read(REGULATION);
    assert_eq!(
        chrome(&regulation),
        ["bo", "搜索条例、清单、案例", "首页", "当前位置", "首页"]
    );
}

#[test]
fn a_site_changes_single_words_in_its_i18n_folder() {
    let site = site_in("en").file(
        "i18n/en.toml",
        "[site]\nfooter_note = \"Printed by the branch office.\"\n",
    );
    let mut cache = Cache::default();
    let options = BuildOptions {
        write: true,
        ..BuildOptions::default()
    };
    build_with(&site.root, &options, &mut cache, &|_, _| {}).unwrap();
    let footer = |site: &SiteTest| text(element(&site.read(REGULATION), "p class=\"footer-note\""));
    assert_eq!(footer(&site), "Printed by the branch office.");
    assert_eq!(
        chrome(&site.read(REGULATION))[2],
        "Home",
        "other words stay the theme's"
    );
    // A rebuild with the same cache sees the change: the pages' fingerprints
    // include the words.
    site.change_file("i18n/en.toml", "[site]\nfooter_note = \"Printed again.\"\n");
    build_with(&site.root, &options, &mut cache, &|_, _| {}).unwrap();
    assert_eq!(footer(&site), "Printed again.");
}

#[test]
fn rejects_an_unknown_word_in_the_sites_catalogue() {
    let site = site_in("en").file("i18n/en.toml", "[site]\n\nfooter_nte = \"x\"\n");
    let errors = site.expect_errors();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].path, std::path::Path::new("i18n/en.toml"));
    assert_eq!(errors[0].line, Some(3));
    assert!(
        errors[0].message.contains("site.footer_nte"),
        "{}",
        errors[0]
    );
    assert_eq!(
        errors[0].hint.as_deref(),
        Some("did you mean `site.footer_note`?")
    );
}
