//! The build cache on disk (issue 15), through the binary: `zhiku build`
//! keeps `.zhiku-cache/`, a later build starts from it and leaves the same
//! site as a build without it; damaged files are ignored with a note;
//! `--no-cache` and `zhiku clean`.

use std::path::Path;

use zhiku::pipeline::{BuildOptions, Cache, build_with};

use crate::site_test::{SiteTest, snapshot};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Builds with the binary; stdout and stderr.
fn build(site: &SiteTest, args: &[&str]) -> (String, String) {
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let out = site.run(&all);
    assert!(out.status.success(), "{}", text(&out.stderr));
    (text(&out.stdout), text(&out.stderr))
}

/// The site as a build without any cache makes it.
fn clean_output(site: &SiteTest) -> Vec<(String, Vec<u8>)> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build(site, &["--no-cache", "-o", out.to_str().unwrap()]);
    snapshot(&out)
}

fn public(site: &SiteTest) -> Vec<(String, Vec<u8>)> {
    snapshot(&site.root.join("public"))
}

fn cache_files(site: &SiteTest) -> Vec<(String, Vec<u8>)> {
    snapshot(&site.root.join(".zhiku-cache"))
        .into_iter()
        .filter(|(p, _)| p.ends_with(".bin"))
        .collect()
}

#[test]
fn build_keeps_a_cache_that_git_ignores_and_clean_removes_it() {
    let site = SiteTest::fixture("domain");
    build(&site, &["--no-cache"]);
    assert!(!site.exists(".zhiku-cache"), "--no-cache wrote a cache");
    build(&site, &[]);
    let ignore = site.read(".zhiku-cache/.gitignore");
    assert!(ignore.lines().any(|l| l.trim() == "*"), "{ignore}");
    assert!(
        site.read(".zhiku-cache/CACHEDIR.TAG")
            .starts_with("Signature: 8a477f597d28d172789f06886806bc55")
    );
    assert!(!cache_files(&site).is_empty());

    let (stdout, _) = build(&site, &[]);
    assert!(stdout.contains(": 0 files written"), "{stdout}");

    let out = site.run(&["clean"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Removed the build cache"),
        "{}",
        text(&out.stdout)
    );
    assert!(!site.exists(".zhiku-cache"));
    let again = site.run(&["clean"]);
    assert!(
        text(&again.stdout).contains("no build cache"),
        "{}",
        text(&again.stdout)
    );
    assert!(site.exists("public/index.html"), "clean removed the output");
}

#[test]
fn a_build_from_the_cache_equals_a_build_without_it() {
    let site = SiteTest::fixture("domain");
    build(&site, &[]);
    let path = "content/checklists/meeting.md";
    site.change_file(path, site.read(path) + "\n缓存之后补充的一句。\n");
    build(&site, &[]);
    let built = public(&site);
    assert!(
        text(
            &built
                .iter()
                .find(|(p, _)| p == "checklists/meeting/index.html")
                .unwrap()
                .1
        )
        .contains("缓存之后补充的一句")
    );
    assert_eq!(built, clean_output(&site));
}

#[test]
fn outputs_removed_by_hand_are_written_again() {
    let site = SiteTest::fixture("domain");
    build(&site, &[]);
    let before = public(&site);
    let search_file = before
        .iter()
        .map(|(p, _)| p.as_str())
        .find(|p| p.starts_with("search/") && p.contains("units"))
        .expect("an index unit file")
        .to_string();
    site.remove_file("public/cases/a/index.html");
    site.remove_file(&format!("public/{search_file}"));
    build(&site, &[]);
    assert_eq!(public(&site), before);
}

#[test]
fn a_damaged_cache_is_ignored_with_a_note() {
    let site = SiteTest::fixture("domain");
    build(&site, &[]);
    let files = cache_files(&site);
    assert!(
        files.iter().any(|(p, _)| p.starts_with("written/")),
        "{files:?}"
    );
    for (rel, bytes) in &files {
        // Cut every file short: sources and the record of what was written.
        let path = site.root.join(".zhiku-cache").join(rel);
        std::fs::write(path, &bytes[..bytes.len() / 2]).unwrap();
    }
    let path = "content/cases/a.md";
    site.change_file(path, site.read(path) + "\n损坏缓存后的修改。\n");
    let (_, stderr) = build(&site, &[]);
    assert!(stderr.contains("note: build cache file"), "{stderr}");
    assert!(stderr.contains("ignored"), "{stderr}");
    assert_eq!(public(&site), clean_output(&site));
    // The build replaced them: the next one has nothing to say.
    let (_, stderr) = build(&site, &[]);
    assert!(!stderr.contains("note:"), "{stderr}");
}

#[test]
fn damaged_html_in_the_cache_is_rendered_again_from_the_source() {
    let site = SiteTest::fixture("domain");
    build(&site, &[]);
    let expected = public(&site);
    let mut damaged = 0;
    for (rel, mut bytes) in snapshot(&site.root.join(".zhiku-cache")) {
        if rel.ends_with(".html") && bytes.len() > 40 {
            // Inside the pages' HTML, past the file's header.
            let middle = 16 + (bytes.len() - 16) / 2;
            bytes[middle] ^= 0x21;
            std::fs::write(site.root.join(".zhiku-cache").join(&rel), bytes).unwrap();
            damaged += 1;
        }
    }
    assert!(damaged > 0);
    // Every page is rendered again, from HTML that fails its check.
    std::fs::remove_dir_all(site.root.join("public")).unwrap();
    let (_, stderr) = build(&site, &[]);
    assert!(stderr.contains("failed its check"), "{stderr}");
    assert_eq!(public(&site), expected);
}

#[test]
fn a_new_process_renders_nothing_again_for_an_unchanged_site() {
    let site = SiteTest::fixture("domain");
    let out = tempfile::tempdir().unwrap();
    let cache_dir = site.root.join(".zhiku-cache");
    let options = BuildOptions {
        write: true,
        output_dir: Some(out.path().to_path_buf()),
        ..BuildOptions::default()
    };
    // Each build with a cache of its own over the folder: a new process.
    let run = || {
        let mut cache = Cache::once().with_disk(&cache_dir);
        build_with(&site.root, &options, &mut cache, &|_, _| {}).unwrap()
    };
    let first = run();
    assert_eq!(first.reused, 0);
    let second = run();
    assert_eq!(second.reused, html_files(out.path()));
    assert_eq!(second.write.written, 0);
    assert!(second.search.is_none(), "the index was built again");
    let path = "content/regulations/old.md";
    site.change_file(path, site.read(path) + "\n再补一句。\n");
    let third = run();
    assert!(
        third.reused > 0 && third.reused < second.reused,
        "{third:?}"
    );
    assert!(third.search.is_some(), "the index was not built again");
}

fn html_files(out: &Path) -> usize {
    snapshot(out)
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .count()
}

/// The dev server's cache (`zhiku serve`, `zhiku watch`: kept in memory
/// between rebuilds, and on disk between sessions) starts its next session
/// from the entries on disk: a file whose size and time are as they were
/// is not read again. It once saved only the HTML, so every session read
/// and rendered every file again (issue 15, serve's start from the cache).
///
/// Shown by changing a page's bytes behind the cache's back, keeping its
/// size and modified time: the next session still shows the old text.
#[test]
fn a_new_dev_server_session_starts_from_the_entries_on_disk() {
    let site = SiteTest::fixture("domain");
    let page = site.root.join("content/cases/a.md");
    // Old enough for its time to be trusted (see `sources::RACY`).
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let set_time = || {
        let file = std::fs::File::options().write(true).open(&page).unwrap();
        file.set_modified(an_hour_ago).unwrap();
    };
    set_time();
    let out = tempfile::tempdir().unwrap();
    let options = BuildOptions {
        write: true,
        output_dir: Some(out.path().to_path_buf()),
        ..BuildOptions::default()
    };
    let cache_dir = site.root.join(".zhiku-cache");
    let session = || {
        let mut cache = Cache::default().with_disk(&cache_dir);
        build_with(&site.root, &options, &mut cache, &|_, _| {}).unwrap()
    };
    session();
    let shown = || std::fs::read_to_string(out.path().join("cases/a/index.html")).unwrap();
    assert!(shown().contains("会议不按时召开"));
    let text = site.read("content/cases/a.md");
    let swapped = text.replacen("会议不按时召开", "会议不按期召开", 1);
    assert_eq!(swapped.len(), text.len());
    std::fs::write(&page, swapped).unwrap();
    set_time();
    let second = session();
    assert!(
        shown().contains("会议不按时召开"),
        "the second session read the file again"
    );
    assert_eq!(second.write.written, 0, "{second:?}");
}
