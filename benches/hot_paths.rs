//! Micro-benchmarks of the hot paths, per page: front matter, Markdown,
//! templates, slugs and anchors, the search normaliser.
//!
//!     cargo bench --bench hot_paths
//!
//! Whole-build figures come from `cargo run --release --example bench`.

use std::hint::black_box;

use zhiku::content::Kind;
use zhiku::content::page::{self, PageMeta};
use zhiku::markdown::{MarkdownOptions, render};

fn main() {
    divan::main();
}

/// A typical regulation page of the benchmark corpus, about 4 KB.
fn regulation() -> String {
    let mut text = String::from(
        "---\ntitle: 示例基层党支部工作规定\nkind: regulation\nissuer: 示例市委组织部（虚构）\nissued: 2023-06-20\neffective: 2023-07-01\nstatus: current\ntags: [组织建设, 制度建设]\nsummary: 规范基层党支部的组织设置和组织生活。\n---\n\n",
    );
    for chapter in 1..=4 {
        text.push_str(&format!(
            "## 第{}章 总则\n\n",
            zhiku::markdown::numerals::to_chinese(chapter)
        ));
        for article in 1..=6 {
            let n = (chapter - 1) * 6 + article;
            text.push_str(&format!(
                "**第{}条** 党支部应当严格落实“三会一课”制度，按时召开支部党员大会、支部委员会和党小组会，认真上好党课，做好会议记录。\n\n",
                zhiku::markdown::numerals::to_chinese(n)
            ));
        }
    }
    text
}

#[divan::bench]
fn front_matter(bencher: divan::Bencher) {
    let text = regulation();
    bencher.bench(|| page::parse::<PageMeta>("content/a.md", black_box(&text)).unwrap());
}

#[divan::bench]
fn markdown_regulation(bencher: divan::Bencher) {
    let text = regulation();
    let body = page::parse::<PageMeta>("a.md", &text).unwrap().body;
    let opts = MarkdownOptions {
        allow_html: false,
        kind: Kind::Regulation,
    };
    bencher.bench(|| render(black_box(&body), 10, opts));
}

#[divan::bench]
fn markdown_plain_page(bencher: divan::Bencher) {
    let text = regulation();
    let body = page::parse::<PageMeta>("a.md", &text).unwrap().body;
    bencher.bench(|| render(black_box(&body), 10, MarkdownOptions::default()));
}

#[divan::bench]
fn slug_and_anchor(bencher: divan::Bencher) {
    bencher.bench(|| {
        (
            zhiku::slug::slugify(black_box("组织生活会工作清单（二〇二四年修订）")),
            zhiku::slug::anchor(black_box("第三章　组织生活与党员教育")),
        )
    });
}

#[divan::bench]
fn search_normalise_and_tokenise(bencher: divan::Bencher) {
    let text = regulation();
    bencher.bench(|| {
        let mut n = 0;
        zhiku::search::normalize::scan(
            &zhiku::search::normalize::normalize(black_box(&text)),
            |_, _| n += 1,
        );
        n
    });
}

#[divan::bench]
fn template_render(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.toml"), "title = \"基准\"\n").unwrap();
    let config = zhiku::config::Config::parse(dir.path(), "title = \"基准\"").unwrap();
    let templates = zhiku::templates::Templates::load(&config, &zhiku::theme::embedded()).unwrap();
    let mut ctx = tera::Context::new();
    ctx.insert("site", &serde_json::json!({"id": "b", "title": "基准", "description": "", "language": "zh-CN", "base_url": null, "taxonomies": [], "search": true}));
    ctx.insert("root", "../../");
    ctx.insert("nav", &(0..20).map(|i| serde_json::json!({"title": format!("栏目{i}"), "url": "../index.html", "depth": 0, "current": false, "is_page": false})).collect::<Vec<_>>());
    ctx.insert(
        "breadcrumbs",
        &serde_json::json!([{"title": "首页", "url": "../../index.html"}]),
    );
    ctx.insert("prev", &None::<()>);
    ctx.insert("next", &None::<()>);
    ctx.insert(
        "page",
        &serde_json::json!({
            "title": "示例", "kind": "page", "kind_label": "页面", "date": null, "tags": [], "problems": [], "summary": "",
            "content": "<p>正文</p>".repeat(40), "toc": [], "source": "a.md", "meta": {"title": "示例"}, "has_code": false,
            "status": null, "status_label": null, "supersedes": null, "superseded_by": null, "related": [], "backlinks": [],
            "checklist": null, "articles": 0
        }),
    );
    bencher.bench(|| {
        templates
            .render("page.html", black_box(&ctx), "a.md")
            .unwrap()
    });
}
