use super::*;
use crate::graph::{PageSource, SectionSource};
use crate::markdown::{MarkdownOptions, render};

fn site(pages: &[(&str, &str, &str)]) -> SiteGraph {
    let sources = pages
        .iter()
        .map(|(rel, title, body)| {
            let meta = crate::content::PageMeta {
                title: title.to_string(),
                ..Default::default()
            };
            let kind = if rel.starts_with("regulations/") {
                crate::content::Kind::Regulation
            } else {
                crate::content::Kind::Page
            };
            PageSource {
                rel: rel.to_string(),
                meta: meta.into(),
                rendered: render(
                    body,
                    3,
                    MarkdownOptions {
                        allow_html: false,
                        kind,
                    },
                )
                .into(),
                value_lines: Default::default(),
            }
        })
        .collect();
    let dirs = vec![String::new(), "regulations".to_string()];
    let (mut graph, d) = crate::graph::build(&dirs, Vec::<SectionSource>::new(), sources, &[]);
    assert!(d.is_empty(), "{d:?}");
    crate::graph::links::resolve(&mut graph);
    graph
}

fn file<'a>(index: &'a SearchIndex, path: &str) -> &'a str {
    let f = index
        .files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} missing"));
    std::str::from_utf8(&f.bytes).unwrap()
}

/// The payload of a packed data file, unpacked.
fn unpacked(index: &SearchIndex, path: &str) -> Vec<u8> {
    let text = file(index, path);
    let start = text.find(",\"").unwrap() + 2;
    let end = text.rfind('"').unwrap();
    encode::unpack(&text[start..end]).unwrap()
}

/// The postings of a term, decoded from the written shard file.
fn postings(index: &SearchIndex, term: &str) -> Vec<(u32, u32)> {
    let meta = file(index, "search/meta.js");
    let json = &meta[meta.find('{').unwrap()..meta.rfind('}').unwrap() + 1];
    let plan = ShardPlan::from_meta(&serde_json::from_str(json).unwrap());
    let shard = unpacked(index, &format!("search/terms/{}.js", plan.of(term)));
    encode::parse_shard(&shard)
        .unwrap()
        .into_iter()
        .find(|(t, _)| t == term)
        .map(|(_, p)| encode::decode(&p))
        .unwrap_or_default()
}

#[test]
fn indexes_articles_as_units_with_their_text() {
    let g = site(&[
        (
            "regulations/a.md",
            "示例规定",
            "## 第一章 总则\n\n第一条 党员应当参加组织生活。\n\n第二条 支部按时开会。\n",
        ),
        ("b.md", "黨員手冊", "黨員應當參加組織生活會。黨員\n"),
    ]);
    let index = build(&g, &[], &Synonyms::built_in()).unwrap();
    // Units of page 0: opening, chapter heading, two articles; page 1: opening.
    assert_eq!(index.stats.units, 5);
    let hits = postings(&index, "党员");
    // Page 1's opening holds it three times: in the title and twice in the text.
    assert_eq!(hits, [(2, 1), (4, 3)]);
    let units_file = String::from_utf8(unpacked(&index, "search/units/0.js")).unwrap();
    assert!(
        units_file.contains("[0,\"第一条\",\"第一条\",13,\"党员应当参加组织生活。\"]"),
        "the article's text, without the number its label shows: {units_file}"
    );
    // A heading's unit does not repeat the heading in its text.
    assert!(
        units_file.contains("[0,\"第一章-总则\",\"第一章 总则\",5,\"\"]"),
        "{units_file}"
    );
    // Each article carries its citation term.
    assert_eq!(postings(&index, "第1条"), [(2, 1)]);
    assert_eq!(postings(&index, "第2条"), [(3, 1)]);
    assert!(file(&index, "search/meta.js").contains("\"units\":5"));
}

#[test]
fn indexes_definition_list_terms_as_units_with_their_definitions() {
    let g = site(&[(
        "glossary.md",
        "术语表",
        "说明。\n\n党课\n: 面向党员的专题授课。\n\n主题党日\n: 每月固定一天的活动。\n",
    )]);
    let index = build(&g, &[], &Synonyms::built_in()).unwrap();
    // Units: opening, then one per term.
    assert_eq!(index.stats.units, 3);
    // The term and its definition are found in the term's unit…
    assert_eq!(postings(&index, "党课"), [(1, 1)]);
    assert_eq!(postings(&index, "授课"), [(1, 1)]);
    assert_eq!(postings(&index, "党日"), [(2, 1)]);
    // …and never glued together into words that are not there.
    assert!(postings(&index, "课面").is_empty());
    assert!(postings(&index, "课主").is_empty());
    let units_file = String::from_utf8(unpacked(&index, "search/units/0.js")).unwrap();
    assert!(
        units_file.contains("\"党课\",\"党课\""),
        "a hit points at the term: {units_file}"
    );
}

#[test]
fn traditional_text_is_found_by_simplified_terms() {
    let g = site(&[("b.md", "手册", "組織生活會\n")]);
    let index = build(&g, &[], &Synonyms::built_in()).unwrap();
    assert_eq!(postings(&index, "组织").len(), 1);
    assert_eq!(postings(&index, "活会").len(), 1);
}

#[test]
fn the_fold_table_is_shipped_in_the_files_of_both_characters() {
    let g = site(&[("b.md", "手册", "正文\n")]);
    let index = build(&g, &[], &Synonyms::built_in()).unwrap();
    let shard = |c: char| {
        let path = format!("search/fold/{}.js", fold_shard(c));
        assert!(
            file(&index, &path)
                .starts_with(&format!("zhikuSearchData(\"fold\",{},\"", fold_shard(c)))
        );
        String::from_utf8(unpacked(&index, &path)).unwrap()
    };
    // Every pair, in the file of its Traditional and of its Simplified
    // character, and nowhere else.
    let mut pairs = 0;
    for (t, s) in crate::fold::pairs() {
        let pair: String = [t, s].into_iter().collect();
        assert!(
            shard(t).contains(&pair) && shard(s).contains(&pair),
            "{pair}"
        );
        pairs += 1;
    }
    let shipped: usize = (0..FOLD_SHARDS)
        .map(|k| {
            String::from_utf8(unpacked(&index, &format!("search/fold/{k}.js")))
                .unwrap()
                .chars()
                .count()
                / 2
        })
        .sum();
    assert!(
        shipped >= pairs && shipped <= 2 * pairs,
        "{shipped} of {pairs}"
    );
    assert!(shard('黨').contains("黨党") && shard('员').contains("員员"));
}

#[test]
fn writes_the_same_bytes_twice() {
    let pages = [
        ("a.md", "甲", "组织生活会\n\n## 会前\n\n通知。\n"),
        ("b.md", "乙", "三会一课\n"),
    ];
    let one = build(&site(&pages), &[], &Synonyms::built_in()).unwrap();
    let two = build(&site(&pages), &[], &Synonyms::built_in()).unwrap();
    assert_eq!(one.files, two.files);
}

#[test]
fn content_is_data_not_code() {
    let g = site(&[(
        "x.md",
        "</script><img src=x onerror=alert(1)>",
        "\"><svg onload=alert(2)>\u{2028}\n",
    )]);
    let index = build(&g, &[], &Synonyms::built_in()).unwrap();
    for f in &index.files {
        let text = std::str::from_utf8(&f.bytes).unwrap();
        assert!(text.starts_with("zhikuSearchData("), "{}", f.path);
        assert!(!text.contains('\u{2028}'), "{}", f.path);
    }
    let pages = String::from_utf8(unpacked(&index, "search/pages/0.js")).unwrap();
    assert!(
        pages.contains("\"</script><img src=x onerror=alert(1)>\""),
        "{pages}"
    );
}

/// 8 base shards, and `c` spread over `k` sub-shards after them.
fn split_plan(c: char, k: usize) -> ShardPlan {
    let mut plan = ShardPlan {
        base: 8,
        split: Default::default(),
        total: 8 + k,
    };
    plan.split.insert(c, (8, k));
    plan
}

#[test]
fn heavy_first_characters_are_split_and_found_again() {
    let plan = split_plan('党', 4);
    assert!((8..12).contains(&plan.of("党员")));
    assert_eq!(plan.of("党"), 8);
    assert_eq!(plan.for_prefix("党"), vec![8, 9, 10, 11]);
    assert!(plan.of("会议") < 8);
    assert_eq!(plan.for_prefix("会"), vec![plan.of("会")]);
    let meta = serde_json::json!({"shards": 8, "split": {"党": [8, 4]}});
    assert_eq!(ShardPlan::from_meta(&meta), plan);
}

#[test]
fn article_terms_spread_over_their_characters_sub_shards() {
    let plan = split_plan('第', 16);
    let shards: std::collections::BTreeSet<usize> =
        (1..=200).map(|n| plan.of(&format!("第{n}条"))).collect();
    // By the first digit alone they would fill at most 9 of the 16.
    assert!(shards.len() > 12, "{shards:?}");
    assert!(shards.iter().all(|s| (8..24).contains(s)), "{shards:?}");
}

#[test]
fn a_site_where_one_character_dominates_gets_it_split() {
    let body: String = (0..20_000)
        .map(|i| format!("党员{}党组党课党费。\n\n", i % 7))
        .collect();
    let g = site(&[("a.md", "甲", &body), ("b.md", "乙", "会议记录。\n")]);
    let index = build(&g, &[], &Synonyms::built_in()).unwrap();
    let meta = file(&index, "search/meta.js");
    assert!(meta.contains("\"split\":{\"党\":["), "{meta}");
    // Terms are still found where the plan says they are.
    assert_eq!(postings(&index, "党员").len(), 1);
    assert_eq!(postings(&index, "会议").len(), 1);
}

#[test]
fn json_strings_are_escaped_as_serde_json_does() {
    for value in [
        "",
        "党员",
        "a\"b\\c",
        "line\nbreak\r\ttab",
        "\u{1}\u{1f}\u{7f}",
        "</script>\u{2028}",
    ] {
        let mut out = String::new();
        json_str(&mut out, value);
        assert_eq!(out, serde_json::to_string(value).unwrap(), "{value:?}");
        assert_eq!(serde_json::from_str::<String>(&out).unwrap(), value);
    }
}

#[test]
fn the_page_map_gives_units_and_kinds_per_page() {
    let g = site(&[
        ("regulations/a.md", "规定", "第一条 甲。\n\n第二条 乙。\n"),
        ("b.md", "页面", "正文。\n"),
    ]);
    let index = build(&g, &[], &Synonyms::built_in()).unwrap();
    let bytes = unpacked(&index, "search/pagemap.js");
    let mut at = 0;
    let mut next = || encode::read_varint(&bytes, &mut at).unwrap();
    assert_eq!(next(), 2, "pages");
    // Opening and two articles; kind 3, "page" (these test pages have no
    // kind in their front matter; the browser test filters by kind).
    assert_eq!((next(), next(), next()), (3, 3, 0));
    // The page: one unit, kind 3 ("page").
    assert_eq!((next(), next(), next()), (1, 3, 0));
    assert_eq!(MAP_KINDS[3], "page");
    // The search box's lighter file: the unit counts alone.
    let bytes = unpacked(&index, "search/starts.js");
    let mut at = 0;
    let counts: Vec<u64> = std::iter::from_fn(|| encode::read_varint(&bytes, &mut at)).collect();
    assert_eq!(counts, [2, 3, 1], "pages, then each page's units");
}

#[test]
fn the_shard_table_agrees_with_the_plan() {
    let mut plan = ShardPlan {
        base: 64,
        split: Default::default(),
        total: 64,
    };
    plan.split.insert('党', (64, 8));
    plan.total = 72;
    let lookup = ShardLookup::new(&plan);
    for term in [
        "党", "党员", "党費", "会议", "会", "組織", "𠀀字", "app", "2018",
    ] {
        let key = cjk_key(term).unwrap_or_else(|| word_key(term));
        assert_eq!(lookup.of(key, term), plan.of(term), "{term}");
    }
}

#[test]
fn a_packer_leaves_files_whose_content_is_on_disk_and_the_index_is_the_same() {
    let pages = |extra: &str| {
        let body = format!(
            "## 第一章 总则\n\n第一条 党员应当参加组织生活。{extra}\n\n第二条 支部按时开会。\n"
        );
        site(&[
            ("regulations/a.md", "示例规定", body.as_str()),
            ("b.md", "黨員手冊", "黨員應當參加組織生活會。\n"),
            ("c.md", "学习材料", "每月学习一次。\n"),
        ])
    };
    let synonyms = Synonyms::default();
    let first = build(&pages(""), &[], &synonyms).unwrap();
    // Everything on disk: no data file is packed again, and the index
    // (its meta file, with the build id) is the same.
    let again = build_over(
        &pages(""),
        &[],
        &synonyms,
        Packer::new(first.packed.clone()),
    )
    .unwrap();
    let data = |i: &SearchIndex| {
        i.files
            .iter()
            .filter(|f| i.packed.contains_key(&f.path))
            .count()
    };
    assert!(data(&again) > 5);
    for f in &again.files {
        assert_eq!(
            f.bytes.is_empty(),
            again.packed.contains_key(&f.path),
            "{}",
            f.path
        );
    }
    assert_eq!(
        file(&again, "search/meta.js"),
        file(&first, "search/meta.js")
    );
    assert_eq!(again.stats, first.stats);
    // An edit: the files it changes are packed again, exactly as a build
    // from nothing packs them; the others are left, and the meta agrees.
    let edited = pages("支部书记主持会议。");
    let fresh = build(&edited, &[], &synonyms).unwrap();
    let over = build_over(&edited, &[], &synonyms, Packer::new(first.packed)).unwrap();
    assert_eq!(
        file(&over, "search/meta.js"),
        file(&fresh, "search/meta.js")
    );
    let (mut packed, mut kept) = (0, 0);
    for (a, b) in over.files.iter().zip(&fresh.files) {
        assert_eq!(a.path, b.path);
        if a.bytes.is_empty() {
            kept += 1;
        } else {
            packed += 1;
            assert_eq!(a.bytes, b.bytes, "{}", a.path);
        }
    }
    assert!(kept > 0 && packed > 0, "kept {kept}, packed {packed}");
}
