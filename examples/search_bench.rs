//! The search benchmark: builds a generated corpus, then prints the figures
//! issue 6 asks for — recall against a plain substring scan, bytes a
//! browser loads per query (measured in headless Chromium over `file://`),
//! query time after the shards are loaded, the bundle on disk, and the
//! index build's share of the build.
//!
//! ```text
//! cargo run --release --example search_bench -- [--pages 10000] [--queries 40] [--seed 1] [--work DIR]
//! ```
//!
//! Needs Chromium for the browser figures (`ZHIKU_CHROMIUM` or on PATH);
//! without it, prints the others.

#[path = "support/corpus.rs"]
mod corpus;

#[path = "../tests/browser/cdp.rs"]
#[allow(dead_code, unreachable_pub)]
mod cdp;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

use zhiku::search::encode::{decode, parse_shard, unpack};
use zhiku::search::normalize::{normalize, query_tokens};

struct Args {
    pages: usize,
    queries: usize,
    seed: u64,
    work: PathBuf,
}

fn main() {
    let args = parse_args();
    let target = corpus::build_binaries();
    let corpus = corpus::zhiku_corpus(&target, &args.work, args.pages, args.seed);
    let out = args.work.join(format!("search-out-{}", args.pages));
    let _ = std::fs::remove_dir_all(&out);
    let build = Command::new(target.join("zhiku"))
        .arg("build")
        .arg(&corpus)
        .arg("-o")
        .arg(&out)
        .args(["--quiet", "--timings"])
        .output()
        .expect("zhiku");
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let timings = String::from_utf8_lossy(&build.stderr).to_string();
    println!(
        "# zhiku search benchmark: {} pages, seed {}",
        args.pages, args.seed
    );
    println!();
    bundle_and_build_share(&out, &timings);
    let mut index = Index::load(&out.join("search"));
    let pages = page_texts(&corpus.join("content"));
    let queries = sample_queries(&pages, args.queries, args.seed);
    recall(&mut index, &pages, &queries);
    match cdp::find_chromium() {
        Some(exe) => browser_figures(&exe, &out, &queries),
        None => println!("\nbrowser figures skipped: Chromium not found"),
    }
}

fn parse_args() -> Args {
    let mut args = Args {
        pages: 10_000,
        queries: 40,
        seed: 1,
        work: PathBuf::from("target/bench"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut v = || it.next().unwrap_or_else(|| panic!("{a} needs a value"));
        match a.as_str() {
            "--pages" => args.pages = v().parse().expect("--pages"),
            "--queries" => args.queries = v().parse().expect("--queries"),
            "--seed" => args.seed = v().parse().expect("--seed"),
            "--work" => args.work = PathBuf::from(v()),
            other => {
                panic!("unknown argument {other}; see the doc comment of examples/search_bench.rs")
            }
        }
    }
    args
}

fn files_under(dir: &Path) -> Vec<(PathBuf, u64)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let meta = e.metadata().unwrap();
            if meta.is_dir() {
                stack.push(e.path());
            } else {
                out.push((e.path(), meta.len()));
            }
        }
    }
    out
}

fn bundle_and_build_share(out: &Path, timings: &str) {
    let files = files_under(&out.join("search"));
    let bytes: u64 = files.iter().map(|f| f.1).sum();
    println!("| figure | value | target |");
    println!("| --- | --- | --- |");
    println!(
        "| search bundle on disk | {:.1} MB in {} files | ≤ 26 MB (half of Pagefind's 52.8 MB) |",
        bytes as f64 / 1e6,
        files.len()
    );
    let stage = |name: &str| {
        timings
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let total = stage("total");
    let search = stage("search");
    let largest = timings
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with("total"))
        .filter_map(|l| {
            Some((
                l.split_whitespace().next()?.to_string(),
                l.split_whitespace().nth(1)?.parse::<f64>().ok()?,
            ))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(n, _)| n)
        .unwrap_or_default();
    println!(
        "| index build | {search:.0} ms of {total:.0} ms ({:.0}%); largest stage: {largest} | ≤ 20%, never the largest |",
        search / total * 100.0
    );
}

/// Title + body of every page, normalised, keyed by output file.
fn page_texts(content: &Path) -> Vec<(String, String)> {
    let mut pages = Vec::new();
    for (path, _) in files_under(content) {
        if path.extension().is_none_or(|e| e != "md")
            || path.file_name().is_some_and(|n| n == "_index.md")
        {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let parsed = zhiku::content::page::parse::<zhiku::content::PageMeta>("x", &text).unwrap();
        let rel = path
            .strip_prefix(content)
            .unwrap()
            .to_string_lossy()
            .trim_end_matches(".md")
            .to_string();
        pages.push((
            format!("{rel}/index.html"),
            normalize(&format!("{}\n{}", parsed.meta.title, parsed.body)),
        ));
    }
    pages.sort();
    pages
}

/// Deterministic queries: 2–4 consecutive CJK characters from the text of
/// pages chosen by a small PRNG.
fn sample_queries(pages: &[(String, String)], n: usize, seed: u64) -> Vec<String> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut queries = Vec::new();
    while queries.len() < n {
        let (_, text) = &pages[(next() % pages.len() as u64) as usize];
        let chars: Vec<char> = text.chars().collect();
        let len = 2 + (next() % 3) as usize;
        let start = (next() % chars.len().max(1) as u64) as usize;
        let q: String = chars.iter().skip(start).take(len).collect();
        if q.chars().count() == len
            && q.chars().all(zhiku::search::normalize::is_cjk)
            && !queries.contains(&q)
        {
            queries.push(q);
        }
    }
    queries
}

/// The index as written, read back from its files.
struct Index {
    plan: zhiku::search::ShardPlan,
    terms: HashMap<usize, HashMap<String, Vec<u8>>>,
    unit_page: Vec<String>,
    dir: PathBuf,
}

fn payload(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    let start = text
        .find(',')
        .and_then(|i| text[i + 1..].find(',').map(|j| i + j + 2))
        .unwrap();
    let end = text.rfind(");").unwrap();
    serde_json::from_str(&text[start..end]).unwrap()
}

/// A packed payload (terms, units, pages), unpacked.
fn packed(path: &Path) -> Vec<u8> {
    unpack(payload(path).as_str().unwrap()).unwrap()
}

/// A packed JSON payload (units, pages).
fn packed_json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&packed(path)).unwrap()
}

impl Index {
    fn load(dir: &Path) -> Index {
        let meta = payload(&dir.join("meta.js"));
        let plan = zhiku::search::ShardPlan::from_meta(&meta);
        let page_chunk = meta["pageChunk"].as_u64().unwrap() as usize;
        let pages = meta["pages"].as_u64().unwrap() as usize;
        let page_urls: Vec<String> = (0..pages.div_ceil(page_chunk))
            .flat_map(|n| {
                packed_json(&dir.join(format!("pages/{n}.js")))
                    .as_array()
                    .unwrap()
                    .clone()
            })
            .map(|p| p[1].as_str().unwrap().to_string())
            .collect();
        let units = meta["units"].as_u64().unwrap() as usize;
        let unit_chunk = meta["unitChunk"].as_u64().unwrap() as usize;
        let unit_page: Vec<String> = (0..units.div_ceil(unit_chunk))
            .flat_map(|n| {
                packed_json(&dir.join(format!("units/{n}.js")))
                    .as_array()
                    .unwrap()
                    .clone()
            })
            .map(|u| page_urls[u[0].as_u64().unwrap() as usize].clone())
            .collect();
        Index {
            plan,
            terms: HashMap::new(),
            unit_page,
            dir: dir.to_path_buf(),
        }
    }

    fn shard(&mut self, s: usize) -> &HashMap<String, Vec<u8>> {
        let dir = self.dir.clone();
        self.terms.entry(s).or_insert_with(|| {
            parse_shard(&packed(&dir.join(format!("terms/{s}.js"))))
                .unwrap()
                .into_iter()
                .collect()
        })
    }

    /// Pages whose units hold every query token (AND): what the page's
    /// runtime can find.
    fn pages_for(&mut self, query: &str) -> BTreeSet<String> {
        let mut units: Option<BTreeSet<u32>> = None;
        for t in query_tokens(query) {
            let ids = if t.prefix {
                self.plan.for_prefix(&t.term)
            } else {
                vec![self.plan.of(&t.term)]
            };
            let mut shard = HashMap::new();
            for id in ids {
                shard.extend(self.shard(id).clone());
            }
            let found: BTreeSet<u32> = shard
                .iter()
                .filter(|(term, _)| {
                    if t.prefix {
                        term.starts_with(&t.term)
                    } else {
                        **term == t.term
                    }
                })
                .flat_map(|(_, p)| decode(p).into_iter().map(|(u, _)| u))
                .collect();
            units = Some(match units {
                Some(u) => u.intersection(&found).copied().collect(),
                None => found,
            });
        }
        units
            .unwrap_or_default()
            .into_iter()
            .map(|u| self.unit_page[u as usize].clone())
            .collect()
    }
}

fn recall(index: &mut Index, pages: &[(String, String)], queries: &[String]) {
    let (mut expected, mut found, mut worst) = (0usize, 0usize, 1.0f64);
    for q in queries {
        let truth: BTreeSet<&String> = pages
            .iter()
            .filter(|(_, text)| text.contains(q.as_str()))
            .map(|(url, _)| url)
            .collect();
        let hits = index.pages_for(q);
        let got = truth.iter().filter(|u| hits.contains(**u)).count();
        expected += truth.len();
        found += got;
        if !truth.is_empty() {
            worst = worst.min(got as f64 / truth.len() as f64);
        }
    }
    println!(
        "| recall ({} queries of 2–4 characters from the pages' text) | {:.2}% of {expected} page matches found; worst query {:.0}% | every page that contains the query |",
        queries.len(),
        found as f64 / expected.max(1) as f64 * 100.0,
        worst * 100.0
    );
}

fn browser_figures(exe: &Path, out: &Path, queries: &[String]) {
    let mut browser = match cdp::Browser::launch(exe) {
        Ok(b) => b,
        Err(e) => return println!("\nbrowser figures skipped: {e}"),
    };
    let out = std::fs::canonicalize(out).expect("output folder");
    let start = format!("file://{}/index.html", out.display());
    let (mut loaded, mut times, mut term_loads) = (Vec::new(), Vec::new(), Vec::new());
    for q in queries {
        let mut page = browser.new_page().expect("tab");
        // The runtime removes each data script once loaded: record them as
        // they are added.
        page.add_init_script(
            "window.__loaded = []; new MutationObserver(ms => ms.forEach(m => m.addedNodes.forEach(n => { \
             if (n.tagName === 'SCRIPT' && n.src) window.__loaded.push(n.src); }))).observe(document, { childList: true, subtree: true });",
        )
        .expect("init script");
        page.goto(&start).expect("open");
        // What the header box does on first use: load the runtime, then search.
        let script = format!(
            "new Promise((ok, no) => {{ const s = document.createElement('script'); s.src = 'assets/search.js'; s.onload = ok; s.onerror = no; document.head.appendChild(s); }})\
             .then(() => zhikuSearch.search({q}, zhikuSearch.boxFiles)).then(() => {{ const t0 = performance.now(); return zhikuSearch.search({q}, zhikuSearch.boxFiles).then(r => [performance.now() - t0, r.ms]); }})",
            q = serde_json::Value::from(q.as_str())
        );
        let timing = page.eval(&script).expect("search");
        times.push(timing[1].as_f64().unwrap_or(f64::NAN));
        let urls = page.eval("window.__loaded").expect("loaded scripts");
        loaded.push(bytes_loaded(&urls, "/search/"));
        term_loads.push(bytes_loaded(&urls, "/search/terms/"));
    }
    term_loads.sort_unstable();
    loaded.sort_unstable();
    times.sort_by(f64::total_cmp);
    let runtime = std::fs::metadata(out.join("assets/search.js")).map_or(0, |m| m.len());
    println!(
        "| index bytes loaded per query (meta, fold, shards, unit and page files the search box loads) | median {:.0} KB (min {:.0}, max {:.0}); plus {:.0} KB of search.js once | ≤ 250 KB, aim 120 KB |",
        loaded[loaded.len() / 2] as f64 / 1024.0,
        loaded[0] as f64 / 1024.0,
        loaded[loaded.len() - 1] as f64 / 1024.0,
        runtime as f64 / 1024.0
    );
    println!(
        "| of which term shards | median {:.0} KB (max {:.0}) | |",
        term_loads[term_loads.len() / 2] as f64 / 1024.0,
        term_loads[term_loads.len() - 1] as f64 / 1024.0
    );
    println!(
        "| query time after shards are loaded (headless Chromium) | median {:.1} ms, max {:.1} ms | < 20 ms median |",
        times[times.len() / 2],
        times[times.len() - 1]
    );
}

/// Total size on disk of the loaded `file://` scripts whose URL contains
/// `part`.
fn bytes_loaded(urls: &serde_json::Value, part: &str) -> u64 {
    urls.as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| u.as_str())
        .filter(|u| u.contains(part))
        .filter_map(|u| std::fs::metadata(decode_path(u.trim_start_matches("file://"))).ok())
        .map(|m| m.len())
        .sum()
}

/// A `file://` URL's path with `%XX` escapes decoded.
fn decode_path(path: &str) -> String {
    zhiku::graph::links::percent_decode(path)
}
