//! Incremental rebuilds (issue 7): after every edit, a build that reuses
//! the cache of the builds before it must leave exactly the output of a
//! clean build of the same sources. Random sequences of edits, creations,
//! deletions, renames, front-matter, section and configuration changes on
//! the domain fixture, compared byte for byte after each step.
//!
//! The same runs go through the build cache on disk (issue 15): every
//! build a new process's cache, starting from the folder the builds before
//! it left, some of whose files are damaged on the way.

use std::collections::BTreeMap;
use std::path::Path;

use zhiku::pipeline::Cache;
use zhiku::pipeline::{BuildOptions, build, build_with};

use crate::site_test::{SiteTest, snapshot};

/// A small deterministic generator (xorshift64*), so a failure names its
/// seed and replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A page this test owns: written whole from these fields.
#[derive(Clone)]
struct Owned {
    title: String,
    tags: Vec<String>,
    /// Paths (relative to content/) of pages its body links to.
    links: Vec<String>,
    /// Left out of builds.
    draft: bool,
    paragraphs: Vec<String>,
}

impl Owned {
    fn text(&self) -> String {
        let mut s = format!("---\ntitle: {}\n", self.title);
        if !self.tags.is_empty() {
            s.push_str(&format!("tags: [{}]\n", self.tags.join(", ")));
        }
        if self.draft {
            s.push_str("draft: true\n");
        }
        s.push_str("---\n\n");
        for p in &self.paragraphs {
            s.push_str(p);
            s.push_str("\n\n");
        }
        for l in &self.links {
            s.push_str(&format!("另见[[{l}]]。\n\n"));
        }
        s
    }
}

/// Fixture pages that nothing deletes or renames: safe link targets.
const FIXTURE_PAGES: [&str; 5] = [
    "regulations/new.md",
    "regulations/old.md",
    "cases/a.md",
    "checklists/meeting.md",
    // Quotes 新规定's 第三条 beside an explanation: an edit there must
    // re-render it.
    "cases/quiz.md",
];
const SECTIONS: [&str; 5] = ["", "cases/", "checklists/", "regulations/", "extra/"];
const TAGS: [&str; 5] = ["三会一课", "三會一課", "组织生活会", "台账", "学习"];

struct Run {
    site: SiteTest,
    out: std::path::PathBuf,
    cache: Cache,
    owned: BTreeMap<String, Owned>,
    /// A page whose front matter this step broke, to mend next step.
    broken: Option<String>,
    counter: usize,
}

impl Run {
    fn write_owned(&self, rel: &str) {
        self.site
            .change_file(&format!("content/{rel}"), self.owned[rel].text());
    }

    fn step(&mut self, rng: &mut Rng) -> String {
        self.counter += 1;
        let n = self.counter;
        if let Some(rel) = self.broken.take() {
            self.write_owned(&rel);
            return format!("mend {rel}");
        }
        let owned: Vec<String> = self.owned.keys().cloned().collect();
        let any_page: Vec<String> = FIXTURE_PAGES
            .iter()
            .map(|s| s.to_string())
            .chain(owned.iter().cloned())
            .collect();
        match rng.below(14) {
            0 | 1 => {
                // A new page, linking to some pages.
                let rel = format!("{}p{n}.md", rng.pick(&SECTIONS));
                let links = (0..rng.below(3))
                    .map(|_| rng.pick(&any_page).clone())
                    .collect();
                let tags = (0..rng.below(3))
                    .map(|_| rng.pick(&TAGS).to_string())
                    .collect();
                self.owned.insert(
                    rel.clone(),
                    Owned {
                        title: format!("页面{n}"),
                        tags,
                        links,
                        draft: false,
                        paragraphs: vec![format!("第{n}页的正文，关于组织生活会。")],
                    },
                );
                self.write_owned(&rel);
                format!("create {rel}")
            }
            2 if !owned.is_empty() => {
                // Delete a page, and the links to it.
                let rel = rng.pick(&owned).clone();
                self.owned.remove(&rel);
                self.site.remove_file(&format!("content/{rel}"));
                self.unlink(&rel);
                format!("delete {rel}")
            }
            3 if !owned.is_empty() => {
                // Rename (move) a page; links follow it.
                let rel = rng.pick(&owned).clone();
                let to = format!("{}r{n}.md", rng.pick(&SECTIONS));
                let page = self.owned.remove(&rel).unwrap();
                self.owned.insert(to.clone(), page);
                std::fs::create_dir_all(
                    self.site
                        .root
                        .join(format!("content/{to}"))
                        .parent()
                        .unwrap(),
                )
                .unwrap();
                std::fs::rename(
                    self.site.root.join(format!("content/{rel}")),
                    self.site.root.join(format!("content/{to}")),
                )
                .unwrap();
                for other in self.owned.clone().keys() {
                    let page = self.owned.get_mut(other).unwrap();
                    if page.links.contains(&rel) {
                        for l in &mut page.links {
                            if *l == rel {
                                *l = to.clone();
                            }
                        }
                        self.write_owned(other);
                    }
                }
                format!("rename {rel} → {to}")
            }
            4 if !owned.is_empty() => {
                let rel = rng.pick(&owned).clone();
                self.owned.get_mut(&rel).unwrap().title = format!("改名{n}");
                self.write_owned(&rel);
                format!("retitle {rel}")
            }
            5 if !owned.is_empty() => {
                let rel = rng.pick(&owned).clone();
                let tag = rng.pick(&TAGS).to_string();
                let page = self.owned.get_mut(&rel).unwrap();
                if page.tags.contains(&tag) {
                    page.tags.retain(|t| *t != tag);
                } else {
                    page.tags.push(tag);
                }
                self.write_owned(&rel);
                format!("tags of {rel}")
            }
            6 if !owned.is_empty() => {
                let rel = rng.pick(&owned).clone();
                let target = rng.pick(&any_page).clone();
                if target != rel {
                    self.owned.get_mut(&rel).unwrap().links.push(target);
                }
                self.write_owned(&rel);
                format!("link from {rel}")
            }
            7 => {
                // A body edit of a fixture page: a paragraph, or an article.
                let rel = rng.pick(&FIXTURE_PAGES[..]);
                let path = format!("content/{rel}");
                let mut text = self.site.read(&path);
                if rel.starts_with("regulations/") && rng.below(2) == 0 {
                    text.push_str(&format!("\n第{}条　新增条文{n}。\n", 20 + n));
                } else if rng.below(2) == 0 {
                    // Text only: the site graph stays the same.
                    text.push_str(&format!("\n只改正文的第{n}段。\n"));
                } else {
                    text.push_str(&format!(
                        "\n新增段落{n}，参见[[{}]]。\n",
                        rng.pick(&FIXTURE_PAGES)
                    ));
                }
                self.site.change_file(&path, text);
                format!("append to {rel}")
            }
            8 => {
                // Same size, different bytes, at once: the stat cannot tell.
                let rel = rng.pick(&FIXTURE_PAGES[..]);
                let path = format!("content/{rel}");
                let text = self.site.read(&path);
                let swapped = if text.contains("会") {
                    text.replacen('会', "议", 1)
                } else {
                    text.replacen('议', "会", 1)
                };
                self.site.change_file(&path, swapped);
                format!("same-size edit of {rel}")
            }
            9 => {
                let section = rng.pick(&["cases", "checklists"]);
                let path = format!("content/{section}/_index.md");
                let text = self.site.read(&path);
                let title_line = text
                    .lines()
                    .find(|l| l.starts_with("title:"))
                    .unwrap()
                    .to_string();
                self.site.change_file(
                    &path,
                    text.replacen(&title_line, &format!("title: 栏目{n}"), 1),
                );
                format!("retitle section {section}")
            }
            10 => {
                self.site.change_file(
                    "site.toml",
                    format!("title = \"领域测试站\"\nsite_id = \"domain-test\"\ndescription = \"第{n}版\"\n"),
                );
                "change site.toml".into()
            }
            13 if !owned.is_empty() => {
                // A draft leaves the site (and links to it break); back again.
                let rel = rng.pick(&owned).clone();
                let page = self.owned.get_mut(&rel).unwrap();
                page.draft = !page.draft;
                self.write_owned(&rel);
                format!("toggle draft of {rel}")
            }
            11 if !owned.is_empty() => {
                let rel = rng.pick(&owned).clone();
                self.site.change_file(
                    &format!("content/{rel}"),
                    "---\ntitle: [坏\n---\n\n正文。\n",
                );
                self.broken = Some(rel.clone());
                format!("break the front matter of {rel}")
            }
            _ => {
                // Rewrite a file with its own bytes: nothing changes.
                let rel = rng.pick(&FIXTURE_PAGES[..]);
                let path = format!("content/{rel}");
                self.site.change_file(&path, self.site.read(&path));
                format!("touch {rel}")
            }
        }
    }

    fn unlink(&mut self, gone: &str) {
        for rel in self.owned.clone().keys() {
            let page = self.owned.get_mut(rel).unwrap();
            if page.links.iter().any(|l| l == gone) {
                page.links.retain(|l| l != gone);
                self.write_owned(rel);
            }
        }
    }
}

fn clean_build(root: &Path, out: &Path) -> Result<(), String> {
    let options = BuildOptions {
        write: true,
        output_dir: Some(out.to_path_buf()),
        ..BuildOptions::default()
    };
    build(root, &options, &|_, _| {})
        .map(|_| ())
        .map_err(|f| format!("{:?}", f.diagnostics))
}

/// Where a run's builds keep what they computed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Keep {
    /// One cache in memory for every build (the dev server).
    Memory,
    /// A new cache per build over one folder on disk (`zhiku build`).
    Disk,
}

/// Damages one file of the cache on disk the way a full disk, a killed
/// process or a bad sector would; what was done, if anything.
fn damage(dir: &Path, rng: &mut Rng) -> Option<String> {
    let files: Vec<(String, Vec<u8>)> = snapshot_if_exists(dir)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".bin") || p.ends_with(".html"))
        .collect();
    if files.is_empty() {
        return None;
    }
    let (rel, bytes) = rng.pick(&files).clone();
    let path = dir.join(&rel);
    let (how, damaged) = match rng.below(3) {
        0 => ("truncated", bytes[..bytes.len() / 2].to_vec()),
        1 => ("emptied", Vec::new()),
        _ => {
            // Past the header (magic, key, length, checksum; magic and
            // generation for HTML).
            let header = if rel.ends_with(".html") { 16 } else { 28 };
            let mut b = bytes.clone();
            let at = header + rng.below(b.len().saturating_sub(header).max(1));
            if at < b.len() {
                b[at] ^= 0x5a;
            }
            ("a byte flipped in", b)
        }
    };
    if damaged == bytes {
        return None;
    }
    std::fs::write(&path, damaged).unwrap();
    Some(format!("{how} {rel}"))
}

fn run_seed(seed: u64, steps: usize, keep: Keep) {
    let site = SiteTest::fixture("domain");
    let scratch = tempfile::tempdir().unwrap();
    let out = scratch.path().join("out");
    let disk = scratch.path().join("cache");
    let fresh_cache = || match keep {
        Keep::Memory => Cache::default(),
        Keep::Disk => Cache::once().with_disk(&disk),
    };
    let mut run = Run {
        site,
        out,
        cache: fresh_cache(),
        owned: BTreeMap::new(),
        broken: None,
        counter: 0,
    };
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut log = Vec::new();
    let mut reused_any = false;
    for step in 0..=steps {
        let sources_before = snapshot(&run.site.root);
        if step > 0 {
            log.push(run.step(&mut rng));
        }
        // A file damaged as the configuration changes is one made under the
        // old one: discarded without a word, like every file of it.
        let config_changed = step > 0 && log.last().is_some_and(|l| l == "change site.toml");
        let damaged = (keep == Keep::Disk && step % 4 == 3)
            .then(|| damage(&disk, &mut rng))
            .flatten();
        log.extend(damaged.iter().map(|d| format!("cache: {d}")));
        // A damaged HTML file is only noticed when a page from it is
        // rendered again (or its header is gone).
        let damaged = damaged.filter(|d| !config_changed && d.ends_with(".bin"));
        // What a file watcher would report: the paths whose bytes changed,
        // appeared or went. Every other step passes them to the build.
        let changed = (step % 2 == 1)
            .then(|| changed_paths(&sources_before, &snapshot(&run.site.root), &run.site.root));
        let before = snapshot_if_exists(&run.out);
        // Every third step first builds with the index deferred, as the
        // dev server does, then brings it up to date.
        let defer = step % 3 == 2;
        let options = |defer_search| BuildOptions {
            write: true,
            output_dir: Some(run.out.clone()),
            defer_search,
            changed: changed.clone(),
            ..BuildOptions::default()
        };
        if defer {
            if keep == Keep::Disk {
                run.cache = fresh_cache();
            }
            let _ = build_with(&run.site.root, &options(true), &mut run.cache, &|_, _| {});
        }
        if keep == Keep::Disk {
            run.cache = fresh_cache();
        }
        let incremental = build_with(&run.site.root, &options(false), &mut run.cache, &|_, _| {});
        let clean_out = scratch.path().join(format!("clean{step}"));
        let clean = clean_build(&run.site.root, &clean_out);
        let context = || {
            format!(
                "seed {seed}, step {step}; steps so far:\n{}",
                log.join("\n")
            )
        };
        match (&incremental, &clean) {
            (Ok(report), Ok(())) => {
                reused_any |= report.reused > 0;
                assert!(!report.search_deferred, "{}", context());
                if damaged.is_some() && !defer {
                    assert!(
                        !report.cache_notes.is_empty(),
                        "a damaged cache file went unnoticed\n{}",
                        context()
                    );
                }
                let (a, b) = (snapshot(&run.out), snapshot(&clean_out));
                if a != b {
                    let paths =
                        |s: &[(String, Vec<u8>)]| s.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
                    let differing: Vec<&String> = a
                        .iter()
                        .zip(&b)
                        .filter(|(x, y)| x != y)
                        .map(|(x, _)| &x.0)
                        .collect();
                    panic!(
                        "incremental output differs from a clean build: {differing:?}\nonly incremental: {:?}\nonly clean: {:?}\n{}",
                        paths(&a)
                            .iter()
                            .filter(|p| !paths(&b).contains(p))
                            .collect::<Vec<_>>(),
                        paths(&b)
                            .iter()
                            .filter(|p| !paths(&a).contains(p))
                            .collect::<Vec<_>>(),
                        context()
                    );
                }
            }
            (Err(_), Err(_)) => {
                // A failed build leaves the previous output as it was.
                assert_eq!(snapshot_if_exists(&run.out), before, "{}", context());
            }
            (Ok(_), Err(e)) => panic!("only the clean build failed: {e}\n{}", context()),
            (Err(f), Ok(())) => panic!(
                "only the incremental build failed: {:?}\n{}",
                f.diagnostics,
                context()
            ),
        }
        let _ = std::fs::remove_dir_all(&clean_out);
    }
    assert!(
        reused_any,
        "no build reused anything: the cache does not work"
    );
}

fn changed_paths(
    before: &[(String, Vec<u8>)],
    after: &[(String, Vec<u8>)],
    root: &Path,
) -> Vec<std::path::PathBuf> {
    let before: BTreeMap<&String, &Vec<u8>> = before.iter().map(|(p, b)| (p, b)).collect();
    let after: BTreeMap<&String, &Vec<u8>> = after.iter().map(|(p, b)| (p, b)).collect();
    let mut paths: Vec<std::path::PathBuf> = before
        .keys()
        .chain(after.keys())
        .filter(|p| before.get(*p) != after.get(*p))
        .map(|p| root.join(p))
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

fn snapshot_if_exists(dir: &Path) -> Vec<(String, Vec<u8>)> {
    if dir.exists() {
        snapshot(dir)
    } else {
        Vec::new()
    }
}

#[test]
fn incremental_builds_equal_clean_builds() {
    for seed in 1..=4 {
        run_seed(seed, 45, Keep::Memory);
    }
}

#[test]
fn builds_through_the_cache_on_disk_equal_clean_builds() {
    for seed in 11..=13 {
        run_seed(seed, 40, Keep::Disk);
    }
}

#[test]
fn an_unchanged_site_renders_nothing_again() {
    let site = SiteTest::fixture("domain");
    let out = tempfile::tempdir().unwrap();
    let options = BuildOptions {
        write: true,
        output_dir: Some(out.path().to_path_buf()),
        ..BuildOptions::default()
    };
    let mut cache = Cache::default();
    let first = build_with(&site.root, &options, &mut cache, &|_, _| {}).unwrap();
    assert_eq!(first.reused, 0);
    let second = build_with(&site.root, &options, &mut cache, &|_, _| {}).unwrap();
    // Every page is rendered from templates here: all reused.
    assert_eq!(second.reused, html_files(out.path()));
    assert_eq!(second.write.written, 0);
    // One page's body: that page, and the pages showing its data, again.
    let path = "content/checklists/meeting.md";
    site.change_file(path, site.read(path) + "\n再补一句。\n");
    let third = build_with(&site.root, &options, &mut cache, &|_, _| {}).unwrap();
    assert!(third.reused > 0, "{third:?}");
    assert!(
        third.reused < second.reused,
        "the edited page was not rendered again"
    );
}

fn html_files(out: &Path) -> usize {
    snapshot(out)
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .count()
}

/// File systems keep modified times in coarse steps: an edit right after a
/// build can keep the file's time and size. Simulated by putting the time
/// back; the rebuild must still see the new bytes.
#[test]
fn an_edit_that_keeps_time_and_size_is_seen() {
    let site = SiteTest::fixture("domain");
    let out = tempfile::tempdir().unwrap();
    let options = BuildOptions {
        write: true,
        output_dir: Some(out.path().to_path_buf()),
        ..BuildOptions::default()
    };
    let path = site.root.join("content/cases/a.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, &text).unwrap();
    let mut cache = Cache::default();
    build_with(&site.root, &options, &mut cache, &|_, _| {}).unwrap();
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    let edited = text.replacen("会议不按时召开", "会议不按期召开", 1);
    assert_eq!(edited.len(), text.len());
    std::fs::write(&path, &edited).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    build_with(&site.root, &options, &mut cache, &|_, _| {}).unwrap();
    let page = std::fs::read_to_string(out.path().join("cases/a/index.html")).unwrap();
    assert!(page.contains("会议不按期召开"), "the edit was missed");
}

/// A summary shows the titles of the pages its cross-references name
/// (issue 16): when one of those titles changes, the listings showing the
/// summary are rendered again, though the citing page did not change.
#[test]
fn a_listed_summary_follows_the_title_it_cites() {
    let site = SiteTest::fixture("domain")
        .file("content/extra/t.md", "---\ntitle: 目标甲\n---\n\n正文。\n")
        .file(
            "content/x.md",
            "---\ntitle: 甲\n---\n\n依据[[extra/t.md]]。\n",
        );
    let out = tempfile::tempdir().unwrap();
    let options = BuildOptions {
        write: true,
        output_dir: Some(out.path().to_path_buf()),
        ..BuildOptions::default()
    };
    let mut cache = Cache::default();
    let summary = || {
        let html = std::fs::read_to_string(out.path().join("index.html")).unwrap();
        let list = crate::html::element(&html, "ol class=\"page-list\"").to_string();
        let x = &list[list.find("x/index.html").unwrap()..];
        crate::html::text(crate::html::element(x, "p class=\"page-item-summary\""))
    };
    build_with(&site.root, &options, &mut cache, &|_, _| {}).unwrap();
    assert_eq!(summary(), "依据目标甲。");
    // Not on the home page's navigation: only the summary shows it there.
    site.change_file("content/extra/t.md", "---\ntitle: 目标乙\n---\n\n正文。\n");
    build_with(&site.root, &options, &mut cache, &|_, _| {}).unwrap();
    assert_eq!(summary(), "依据目标乙。");
}
