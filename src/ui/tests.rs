use super::*;

fn catalogue(language: UiLanguage) -> Catalogue {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("themes/default/i18n")
        .join(language.file());
    parse(&std::fs::read_to_string(&path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
}

#[test]
fn every_catalogue_has_the_same_keys_and_placeholders() {
    let reference = catalogue(UiLanguage::Simplified);
    assert!(reference.len() > 150, "{}", reference.len());
    for language in &UiLanguage::ALL[1..] {
        let other = catalogue(*language);
        let missing: Vec<_> = reference
            .keys()
            .filter(|k| !other.contains_key(*k))
            .collect();
        let extra: Vec<_> = other
            .keys()
            .filter(|k| !reference.contains_key(*k))
            .collect();
        assert!(missing.is_empty(), "{} lacks {missing:?}", language.file());
        assert!(
            extra.is_empty(),
            "{} has unknown {extra:?}",
            language.file()
        );
        for (key, text) in &reference {
            let theirs = other[key].placeholders();
            if DATE_KEYS.contains(&key.as_str()) {
                let date: BTreeSet<&str> = DATE_PLACEHOLDERS.iter().copied().collect();
                assert!(theirs.is_subset(&date), "{}: {key}", language.file());
            } else {
                assert_eq!(
                    text.placeholders(),
                    theirs,
                    "{}: {key} has other placeholders",
                    language.file()
                );
            }
        }
    }
}

#[test]
fn the_simplified_catalogue_never_counts() {
    // Chinese has one form for every count; a `{ one, other }` here is a
    // slip from English.
    for (key, text) in catalogue(UiLanguage::Simplified) {
        assert!(matches!(text, Text::Plain(_)), "{key}");
    }
    for (key, text) in catalogue(UiLanguage::Traditional) {
        assert!(matches!(text, Text::Plain(_)), "{key}");
    }
}

#[test]
fn the_built_in_catalogues_are_the_theme_folders() {
    for language in UiLanguage::ALL {
        assert_eq!(
            builtin(language),
            catalogue(language),
            "{}",
            language.file()
        );
    }
}

#[test]
fn a_language_tag_picks_its_catalogue() {
    use UiLanguage::*;
    for (tag, language) in [
        ("zh-CN", Simplified),
        ("zh", Simplified),
        ("zh-SG", Simplified),
        ("zh-Hans", Simplified),
        ("zh-Hans-HK", Simplified),
        ("zh-TW", Traditional),
        ("zh-HK", Traditional),
        ("zh-MO", Traditional),
        ("zh-Hant", Traditional),
        ("zh-hant-cn", Traditional),
        ("zh_TW", Traditional),
        ("en", English),
        ("en-GB", English),
        ("EN-us", English),
        ("eng", Simplified),
        ("bo", Simplified),
        ("ug-CN", Simplified),
        ("", Simplified),
    ] {
        assert_eq!(UiLanguage::of(tag), language, "{tag}");
    }
}

#[test]
fn fills_placeholders_and_keeps_literal_braces() {
    assert_eq!(fill("共 {n} 篇", &[("n", "3")]), "共 3 篇");
    assert_eq!(fill("{a}{b}{a}", &[("a", "x"), ("b", "y")]), "xyx");
    assert_eq!(fill("{{n}} {n} {x}", &[("n", "1")]), "{n} 1 {x}");
    assert_eq!(fill("{ not a name } {}", &[]), "{ not a name } {}");
    assert_eq!(
        placeholders("第 {page} / {pages} 页")
            .into_iter()
            .collect::<Vec<_>>(),
        ["page", "pages"]
    );
}

#[test]
fn html_escapes_the_words_and_keeps_the_arguments() {
    let mut texts = Catalogue::new();
    texts.insert("a.b".into(), Text::Plain("Q&A: {link} <{n}>".into()));
    let counted = Text::Counted {
        one: "{n} page".into(),
        other: "{n} pages".into(),
    };
    texts.insert("a.count".into(), counted);
    let ui = Ui::new(UiLanguage::English, texts);
    assert_eq!(
        ui.html("a.b", &[("link", "<a href=\"x\">X</a>")]),
        "Q&amp;A: <a href=\"x\">X</a> &lt;{n}&gt;"
    );
    assert_eq!(ui.html("a.count", &[("n", "1")]), "1 page");
    assert_eq!(ui.html("a.count", &[("n", "2")]), "2 pages");
    assert_eq!(ui.text("a.count"), "{n} pages");
    assert_eq!(ui.text("no.such"), "no.such");
}

fn render(ui: &Ui, template: &str, ctx: &tera::Context) -> String {
    let mut tera = tera::Tera::default();
    tera.register_filter("fill", fill_filter);
    tera.global_context().insert_value("ui", ui.value().clone());
    tera.add_raw_template("t.html", template).unwrap();
    tera.render("t.html", ctx).unwrap()
}

#[test]
fn templates_fill_texts_with_escaped_values_and_safe_links() {
    let ui = Ui::builtin(UiLanguage::English);
    let mut ctx = tera::Context::new();
    ctx.insert("title", "A & <B>");
    ctx.insert("url", "x.html");
    let link = "{% set link %}<a href=\"{{ url }}\">{{ title }}</a>{% endset %}\
                {{ ui.page.superseded | fill(link=link) }}";
    assert_eq!(
        render(&ui, link, &ctx),
        "This regulation has been superseded by <a href=\"x.html\">A &amp; &lt;B&gt;</a>"
    );
    let feed = "{{ ui.site.feed_title | fill(site=title) }}";
    assert_eq!(render(&ui, feed, &ctx), "A &amp; &lt;B&gt;: recent changes");
    let count = "{{ ui.list.count | fill(n=1) }}/{{ ui.list.count | fill(n=2) }}";
    assert_eq!(render(&ui, count, &ctx), "1 page/2 pages");
    let date = "{% set d = \"2023-06-20\" %}{{ ui.format.date | fill(y=d[:4], m=d[5:7] | int, \
                d=d[8:10] | int, mm=d[5:7], dd=d[8:10]) }}";
    assert_eq!(render(&ui, date, &ctx), "2023-06-20");
    let zh = Ui::builtin(UiLanguage::Simplified);
    assert_eq!(render(&zh, date, &ctx), "2023年6月20日");
    assert_eq!(render(&zh, count, &ctx), "1 篇/2 篇");
}

#[test]
fn the_script_carries_the_scripts_tables_only() {
    let script = Ui::builtin(UiLanguage::English).script();
    let json = script
        .split_once("window.zhikuUI = ")
        .and_then(|(_, rest)| rest.trim_end().strip_suffix(';'))
        .unwrap();
    let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(json).unwrap();
    assert_eq!(object["search.searching"], "Searching…");
    assert_eq!(object["search.pages"]["one"], "{n} page");
    assert_eq!(object["kind.case"], "Case");
    // The filler the theme's scripts call is defined once, beside the words.
    assert_eq!(script.matches("window.zhikuText = function").count(), 1);
    assert!(
        !object.contains_key("site.home"),
        "templates' tables stay out"
    );
    assert!(
        object
            .keys()
            .all(|k| { SCRIPT_TABLES.contains(&k.split_once('.').unwrap().0) })
    );
}

fn site(
    files: &[(&str, &str)],
    language: &str,
) -> (tempfile::TempDir, Result<Ui, Vec<Diagnostic>>) {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let toml = format!("title = \"t\"\nlanguage = \"{language}\"\n");
    let config = Config::parse(dir.path(), &toml).unwrap();
    let ui = Ui::load(&config, &theme::embedded());
    (dir, ui)
}

#[test]
fn a_site_changes_single_texts_of_its_language() {
    let override_ = "[search]\nnone = \"Nothing for “{q}”.\"\n";
    let (_dir, ui) = site(&[("i18n/en.toml", override_)], "en-GB");
    let ui = ui.unwrap();
    assert_eq!(ui.text("search.none"), "Nothing for “{q}”.");
    assert_eq!(ui.text("search.searching"), "Searching…");
    assert_ne!(ui.digest(), Ui::builtin(UiLanguage::English).digest());
    // Another language's file changes nothing here.
    let (_dir, ui) = site(&[("i18n/en.toml", override_)], "zh-TW");
    assert_eq!(
        ui.unwrap().text("search.none"),
        "找不到與「{q}」相關的內容；可以試試較短的詞，或換個說法。"
    );
}

#[test]
fn rejects_unknown_keys_placeholders_and_files_at_their_line() {
    let text = "[search]\nsearching = \"…\"\nnone = \"{query}\"\n\n[site]\nhme = \"x\"\n";
    let (_dir, ui) = site(
        &[("i18n/zh-Hans.toml", text), ("i18n/zh-CN.toml", "")],
        "zh-CN",
    );
    let errors = ui.unwrap_err();
    let found: Vec<_> = errors
        .iter()
        .map(|d| {
            (
                d.path.to_string_lossy().into_owned(),
                d.line,
                d.message.clone(),
            )
        })
        .collect();
    assert_eq!(errors.len(), 3, "{found:#?}");
    let at = |needle: &str| {
        found
            .iter()
            .find(|f| f.2.contains(needle))
            .unwrap_or_else(|| panic!("{found:#?}"))
    };
    assert_eq!(at("{query}").1, Some(3));
    assert_eq!(at("`site.hme`").1, Some(6));
    assert_eq!(at("not a catalogue").0, "i18n/zh-CN.toml");
    let hint = errors.iter().find(|d| d.message.contains("hme")).unwrap();
    assert_eq!(hint.hint.as_deref(), Some("did you mean `site.home`?"));
}

#[test]
fn rejects_a_broken_catalogue_where_it_breaks() {
    let (_dir, ui) = site(&[("i18n/en.toml", "[site]\nhome = \n")], "en");
    let errors = ui.unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, Some(2), "{}", errors[0]);
    let (_dir, ui) = site(&[("i18n/en.toml", "[site]\nhome = 3\n")], "en");
    assert!(ui.unwrap_err()[0].message.contains("must be text"));
}

#[test]
fn each_chinese_catalogue_is_written_in_its_script() {
    use crate::fold::Variants;
    for (language, script) in [
        (UiLanguage::Simplified, Script::Simplified),
        (
            UiLanguage::Traditional,
            Script::Traditional(Variants::Taiwan),
        ),
    ] {
        for (key, text) in catalogue(language) {
            let text = text.for_count(None);
            assert!(
                script.is_written_in(text),
                "{}: {key} = {text} (as {:?}: {})",
                language.file(),
                script,
                script.convert(text)
            );
        }
    }
}
