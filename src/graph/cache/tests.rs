use super::*;
use crate::content::PageMeta;
use crate::markdown::{MarkdownOptions, render};

fn page(rel: &str, title: &str, body: &str) -> PageSource {
    PageSource {
        rel: rel.into(),
        meta: PageMeta {
            title: title.into(),
            ..Default::default()
        }
        .into(),
        rendered: render(body, 3, MarkdownOptions::default()).into(),
        value_lines: Default::default(),
    }
}

fn site(b_body: &str) -> Vec<PageSource> {
    vec![
        page("a.md", "甲", "引用 [[乙]]。\n\n## 会前\n\n准备。\n"),
        page("b.md", "乙", b_body),
    ]
}

fn build(
    cache: &mut GraphCache,
    pages: Vec<PageSource>,
    fresh: Option<&[String]>,
) -> (SiteGraph, Vec<Taxonomy>) {
    let dirs = vec![String::new()];
    let config =
        crate::config::Config::parse(std::path::Path::new("/site"), "title = \"知库\"").unwrap();
    let (graph, taxonomies, _) = cache.build(Inputs {
        dirs: &dirs,
        sections: Vec::new(),
        pages,
        assets: &[],
        config: &config,
        fresh,
    });
    (graph, taxonomies)
}

fn html(graph: &SiteGraph) -> Vec<String> {
    graph
        .pages
        .iter()
        .map(|p| p.rendered.html.to_string())
        .collect()
}

#[test]
fn a_body_edit_reuses_the_graph_and_gives_what_a_new_one_would() {
    let mut cache = GraphCache::new(true);
    let (graph, taxonomies) = build(&mut cache, site("旧的正文。\n"), None);
    assert!(!cache.reused());
    cache.keep(graph, taxonomies);

    let fresh = ["b.md".to_string()];
    let (graph, taxonomies) = build(&mut cache, site("新的正文。\n"), Some(&fresh));
    assert!(cache.reused());
    let (clean, _) = build(&mut GraphCache::default(), site("新的正文。\n"), None);
    assert_eq!(html(&graph), html(&clean));
    assert!(html(&graph)[1].contains("新的正文"));
    cache.keep(graph, taxonomies);
}

#[test]
fn anything_the_graph_reads_builds_it_anew() {
    let fresh = ["b.md".to_string()];
    for changed in ["新的正文，加了链接 [[甲]]。\n", "## 新标题\n\n正文。\n"] {
        let mut cache = GraphCache::new(true);
        let (graph, taxonomies) = build(&mut cache, site("旧的正文。\n"), None);
        cache.keep(graph, taxonomies);
        let (graph, _) = build(&mut cache, site(changed), Some(&fresh));
        assert!(!cache.reused(), "{changed}");
        assert!(html(&graph)[1].contains("正文"));
    }
    // Front matter: a new title changes what links to it show.
    let mut cache = GraphCache::new(true);
    let (graph, taxonomies) = build(&mut cache, site("正文。\n"), None);
    cache.keep(graph, taxonomies);
    let mut pages = site("正文。\n");
    pages[1] = page("b.md", "乙（修订）", "正文。\n");
    let (graph, _) = build(&mut cache, pages, Some(&fresh));
    assert!(!cache.reused());
    assert_eq!(graph.pages[1].meta.title, "乙（修订）");
}

#[test]
fn unnamed_changes_a_failed_build_or_a_single_build_keep_nothing() {
    let fresh = ["b.md".to_string()];
    // The caller did not name the changes.
    let mut cache = GraphCache::new(true);
    let (graph, taxonomies) = build(&mut cache, site("旧。\n"), None);
    cache.keep(graph, taxonomies);
    build(&mut cache, site("新。\n"), None);
    assert!(!cache.reused());
    // That build was not kept (it did not succeed): nothing to reuse.
    build(&mut cache, site("又新。\n"), Some(&fresh));
    assert!(!cache.reused());
    // A cache for one build keeps nothing.
    let mut once = GraphCache::default();
    let (graph, taxonomies) = build(&mut once, site("旧。\n"), None);
    once.keep(graph, taxonomies);
    build(&mut once, site("新。\n"), Some(&fresh));
    assert!(!once.reused());
    // A file read anew that is not a page (a section, a draft, an error).
    let mut cache = GraphCache::new(true);
    let (graph, taxonomies) = build(&mut cache, site("旧。\n"), None);
    cache.keep(graph, taxonomies);
    build(&mut cache, site("新。\n"), Some(&["_index.md".to_string()]));
    assert!(!cache.reused());
}
