use super::*;
use crate::markdown::{MarkdownOptions, render};

fn page(rel: &str, yaml: &str, body: &str) -> PageSource {
    let meta: PageMeta = serde_yaml::from_str(yaml).unwrap();
    PageSource {
        rel: rel.into(),
        meta: meta.into(),
        rendered: render(body, 3, MarkdownOptions::default()).into(),
        value_lines: Arc::default(),
    }
}

fn section(rel: &str, yaml: &str) -> SectionSource {
    let meta: SectionMeta = serde_yaml::from_str(yaml).unwrap();
    SectionSource {
        rel: rel.into(),
        meta: meta.into(),
        rendered: Default::default(),
    }
}

fn dirs(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn can_place_pages_in_sections_with_ascii_paths() {
    let (g, d) = build(
        &dirs(&["", "制度"]),
        vec![section(
            "制度/_index.md",
            "title: 制度\npage_kind: regulation",
        )],
        vec![
            page("制度/支部条例.md", "title: 支部条例", ""),
            page("about.md", "title: 关于", ""),
        ],
        &["制度/图片.PNG".into()],
    );
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(g.sections[1].out_dir, "zhi-du/");
    let p = g
        .pages
        .iter()
        .find(|p| p.source == "制度/支部条例.md")
        .unwrap();
    assert_eq!(p.out_file(), "zhi-du/zhi-bu-tiao-li/index.html");
    assert_eq!(p.kind, Kind::Regulation);
    assert_eq!(g.assets[0].out, "zhi-du/tu-pian.png");
}

#[test]
fn rejects_two_sources_for_one_output_naming_both() {
    let (_, d) = build(
        &dirs(&[""]),
        vec![],
        vec![
            page("Intro.md", "title: a", ""),
            page("intro.md", "title: b", ""),
            page("x.md", "title: c\nslug: intro", ""),
        ],
        &[],
    );
    assert_eq!(d.len(), 2, "{d:?}");
    assert!(
        d.iter().all(|d| d.message.contains("content/Intro.md")),
        "{d:?}"
    );
}

#[test]
fn orders_pages_by_weight_then_date_or_title() {
    let (g, _) = build(
        &dirs(&["", "c"]),
        vec![section("c/_index.md", "title: c\nsort_by: date")],
        vec![
            page("c/old.md", "title: 旧\ndate: 2020-01-01", ""),
            page("c/new.md", "title: 新\ndate: 2024-01-01", ""),
            page(
                "c/pinned.md",
                "title: 置顶\nweight: 1\ndate: 2019-01-01",
                "",
            ),
        ],
        &[],
    );
    let order: Vec<_> = g.sections[1]
        .pages
        .iter()
        .map(|&i| g.pages[i].source.as_str())
        .collect();
    assert_eq!(order, ["c/pinned.md", "c/new.md", "c/old.md"]);
    let first = g.sections[1].pages[0];
    assert_eq!(g.pages[first].prev, None);
    assert_eq!(g.pages[first].next, Some(g.sections[1].pages[1]));
}

#[test]
fn resolves_links_and_reports_broken_ones_with_positions() {
    let (mut g, _) = build(
        &dirs(&["", "a", "b"]),
        vec![],
        vec![
            page(
                "a/one.md",
                "title: one",
                "## 第一章 总则\n\n[ok](../b/two.md#背景) [self](#第一章-总则) [sec](../b/)\n\n[bad](../b/none.md)\n[badanchor](../b/two.md#不存在)\n",
            ),
            page("b/two.md", "title: two", "## 背景\n"),
        ],
        &[],
    );
    let d = links::resolve(&mut g);
    let one = g.pages.iter().find(|p| p.source == "a/one.md").unwrap();
    assert_eq!(one.links[0], "../../b/two/index.html#背景");
    assert_eq!(one.links[1], "index.html#第一章-总则");
    assert_eq!(one.links[2], "../../b/index.html");
    assert_eq!(d.len(), 2, "{d:?}");
    assert_eq!((d[0].line, d[0].column), (Some(8), Some(1)));
    assert!(d[0].message.contains("content/b/none.md"));
    assert_eq!(d[1].line, Some(9));
    assert!(d[1].message.contains("#不存在"));
    assert!(d[1].hint.as_deref().unwrap().contains("#背景"));
}

#[test]
fn resolves_wikilink_titles_in_either_script_exact_first() {
    let (mut g, _) = build(
        &dirs(&[""]),
        vec![],
        vec![
            page(
                "a.md",
                "title: a",
                "[[社區黨支部工作規定]] [[党员手册]] [[黨員手冊]] [[社区党支部工作规定#第一章-總則]]\n",
            ),
            page("rule.md", "title: 社区党支部工作规定", "## 第一章 总则\n"),
            page("simple.md", "title: 党员手册", ""),
            page("traditional.md", "title: 黨員手冊", ""),
        ],
        &[],
    );
    let d = links::resolve(&mut g);
    assert!(d.is_empty(), "{d:?}");
    let a = &g.pages[0];
    assert_eq!(a.links[0], "../rule/index.html");
    assert_eq!(a.link_texts[0], "社区党支部工作规定");
    assert_eq!(a.links[1], "../simple/index.html");
    assert_eq!(a.links[2], "../traditional/index.html");
    assert_eq!(a.links[3], "../rule/index.html#第一章-总则");
}

#[test]
fn rejects_a_title_that_folds_to_two_pages_as_ambiguous() {
    let (mut g, _) = build(
        &dirs(&[""]),
        vec![],
        vec![
            page("a.md", "title: a", "[[党員手冊]]\n"),
            page("simple.md", "title: 党员手册", ""),
            page("traditional.md", "title: 黨員手冊", ""),
        ],
        &[],
    );
    let d = links::resolve(&mut g);
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].message.contains("more than one page"), "{}", d[0]);
    assert!(d[0].message.contains("content/simple.md"), "{}", d[0]);
}

#[test]
fn a_broken_link_is_worded_from_the_catalogue_in_either_language() {
    use crate::messages::{Lang, format_in, text_in};
    let (mut g, _) = build(
        &dirs(&[""]),
        vec![],
        vec![page(
            "a.md",
            "title: a",
            "[bad](none.md) [[规定＃第十条]]\n",
        )],
        &[],
    );
    let d = links::resolve(&mut g);
    assert_eq!(d.len(), 2, "{d:?}");
    let args: [(&str, &dyn std::fmt::Display); 2] = [("written", &"none.md"), ("path", &"none.md")];
    assert_eq!(
        d[0].message,
        format_in(Lang::En, "site.links.no_file", &args)
    );
    assert_eq!(
        format_in(Lang::Zh, "site.links.no_file", &args),
        "链接 `none.md` 无效：没有 content/none.md 这个文件"
    );
    // The full-width `＃` gets the hint that names the half-width one.
    let hint = d[1].hint.as_deref().unwrap();
    assert!(hint.contains("use the half-width `#`"), "{hint}");
    let zh = text_in(Lang::Zh, "site.links.full_width");
    assert!(zh.contains("半角的 `{ascii}`"), "{zh}");
}
