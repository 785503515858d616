//! `zhiku pack`: the built site as a zip, read back by a small reader of
//! the central directory written here (not the crate's own), and extracted
//! by Info-ZIP's `unzip` and Python's `zipfile` as members would.

use std::ffi::OsString;
use std::path::Path;
use std::process::{Command, Output};

use crate::site_test::{SiteTest, snapshot};
use crate::tool;

/// Runs `zhiku pack ARGS` in the site folder with the temporary folder at
/// `tmp`, so that a test can see the build folder is cleaned up.
fn pack(site: &SiteTest, args: &[&str], tmp: &Path) -> Output {
    std::fs::create_dir_all(tmp).unwrap();
    crate::site_test::zhiku()
        .arg("pack")
        .args(args)
        .current_dir(&site.root)
        .env("TMPDIR", tmp)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> usize {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap()) as usize
}

/// One entry: its name, general purpose flags, and contents.
struct Entry {
    name: String,
    flags: u16,
    bytes: Vec<u8>,
}

/// Reads every entry through the central directory (as unzip tools do).
fn read_zip(zip: &[u8]) -> Vec<Entry> {
    let end = zip.len() - 22;
    assert_eq!(u32_at(zip, end), 0x0605_4b50, "no end record");
    let count = usize::from(u16_at(zip, end + 10));
    let mut at = u32_at(zip, end + 16);
    let mut entries = Vec::new();
    for _ in 0..count {
        assert_eq!(u32_at(zip, at), 0x0201_4b50, "bad central header");
        let method = u16_at(zip, at + 10);
        let compressed = u32_at(zip, at + 20);
        let name_len = usize::from(u16_at(zip, at + 28));
        let skip = name_len + usize::from(u16_at(zip, at + 30)) + usize::from(u16_at(zip, at + 32));
        let local = u32_at(zip, at + 42);
        let name = String::from_utf8(zip[at + 46..at + 46 + name_len].to_vec()).unwrap();
        let data_at = local
            + 30
            + usize::from(u16_at(zip, local + 26))
            + usize::from(u16_at(zip, local + 28));
        let data = &zip[data_at..data_at + compressed];
        let bytes = match method {
            0 => data.to_vec(),
            8 => miniz_oxide::inflate::decompress_to_vec(data).unwrap(),
            m => panic!("{name}: method {m}"),
        };
        assert_eq!(bytes.len(), u32_at(zip, at + 24), "{name}");
        entries.push(Entry {
            name,
            flags: u16_at(zip, at + 8),
            bytes,
        });
        at += 46 + skip;
    }
    entries
}

fn names(entries: &[Entry]) -> Vec<&str> {
    entries.iter().map(|e| e.name.as_str()).collect()
}

#[test]
fn can_pack_the_domain_fixture_into_a_zip_of_its_build() {
    let site = SiteTest::fixture("domain").file("static/资料/说明.txt", "离线阅读说明");
    let tmp = site.root.join("../tmp");
    let out = pack(&site, &[], &tmp);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("Packed 5 pages into domain-test.zip (") && stdout.ends_with(").\n"),
        "{stdout}"
    );
    assert!(!site.exists("public"), "pack wrote into public/");
    assert!(
        std::fs::read_dir(&tmp).unwrap().next().is_none(),
        "the build folder was left in the temporary folder"
    );

    let entries = read_zip(&std::fs::read(site.root.join("domain-test.zip")).unwrap());
    let names = names(&entries);
    for expected in [
        "index.html",
        "regulations/new/index.html",
        "cases/a/index.html",
        "checklists/meeting/index.html",
        "search/meta.js",
        "assets/zhiku.css",
        "资料/说明.txt",
    ] {
        assert!(names.contains(&expected), "{expected} missing: {names:?}");
    }
    assert!(!names.iter().any(|n| n.contains("zhiku-manifest")));
    for e in &entries {
        assert_eq!(e.flags & (1 << 11), 1 << 11, "no UTF-8 flag on {}", e.name);
    }
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "entries are not in path order");

    // The zip holds exactly what `zhiku build` writes (less the manifest).
    site.build().unwrap();
    let built: Vec<(String, Vec<u8>)> = snapshot(&site.root.join("public"))
        .into_iter()
        .filter(|(rel, _)| rel != ".zhiku-manifest")
        .collect();
    let packed: Vec<(String, Vec<u8>)> = entries.into_iter().map(|e| (e.name, e.bytes)).collect();
    assert_eq!(
        packed.iter().map(|(n, _)| n).collect::<Vec<_>>(),
        built.iter().map(|(n, _)| n).collect::<Vec<_>>()
    );
    assert!(packed == built, "a packed file differs from the built one");
}

#[test]
fn packing_twice_gives_the_same_bytes_and_a_change_gives_others() {
    let site = SiteTest::fixture("domain");
    let tmp = site.root.join("../tmp");
    for name in ["a.zip", "b.zip"] {
        let out = pack(&site, &["-o", name], &tmp);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    let a = std::fs::read(site.root.join("a.zip")).unwrap();
    assert!(
        a == std::fs::read(site.root.join("b.zip")).unwrap(),
        "two packs differ"
    );

    site.change_file(
        "content/cases/a.md",
        site.read("content/cases/a.md") + "\n补充一句。\n",
    );
    let out = pack(&site, &["-o", "c.zip"], &tmp);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(a != std::fs::read(site.root.join("c.zip")).unwrap());
}

/// Packs the domain fixture, extracts the zip with `program` (`args` given
/// the zip and the folder to extract into), and compares every file, names
/// included, with what `zhiku build` writes. Fails when `program` cannot
/// run (see `tool`).
fn extracts_with(
    program: &str,
    probe: &str,
    install: &str,
    args: impl Fn(&Path, &Path) -> Vec<OsString>,
) {
    if !tool::require(program, probe, install) {
        return;
    }
    let site = SiteTest::fixture("domain").file("static/资料/说明.txt", "离线阅读说明");
    let out = pack(&site, &["-o", "site.zip"], &site.root.join("../tmp"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let dest = site.root.join("../extracted");
    let run = Command::new(program)
        .args(args(&site.root.join("site.zip"), &dest))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{program} failed: {}{}",
        text(&run.stdout),
        text(&run.stderr)
    );

    site.build().unwrap();
    let built: Vec<(String, Vec<u8>)> = snapshot(&site.root.join("public"))
        .into_iter()
        .filter(|(rel, _)| rel != ".zhiku-manifest")
        .collect();
    let extracted = snapshot(&dest);
    assert_eq!(
        extracted.iter().map(|(n, _)| n).collect::<Vec<_>>(),
        built.iter().map(|(n, _)| n).collect::<Vec<_>>(),
        "{program} extracted other files than the build's"
    );
    for ((name, got), (_, want)) in extracted.iter().zip(&built) {
        assert!(got == want, "{program} extracted {name} with other bytes");
    }
}

#[test]
fn info_zip_unzip_extracts_the_pack() {
    extracts_with("unzip", "-v", "apt-get install -y unzip", |zip, dest| {
        vec!["-q".into(), zip.into(), "-d".into(), dest.into()]
    });
}

#[test]
fn python_zipfile_extracts_the_pack() {
    extracts_with(
        "python3",
        "--version",
        "apt-get install -y python3",
        |zip, dest| {
            vec![
                "-m".into(),
                "zipfile".into(),
                "-e".into(),
                zip.into(),
                dest.into(),
            ]
        },
    );
}

#[test]
fn can_pack_into_a_folder_under_the_site_id() {
    let site = SiteTest::fixture("domain").file("carry/.keep", "");
    let out = pack(&site, &["-o", "carry"], &site.root.join("../tmp"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(site.exists("carry/domain-test.zip"));
    assert!(text(&out.stdout).contains("carry/domain-test.zip"));
}

#[test]
fn rejects_a_broken_site_and_writes_no_zip() {
    let site = SiteTest::minimal()
        .file("site.toml", "title = \"测试\"\nsite_id = \"broken\"\n")
        .file("content/b.md", "---\ntitle: 乙\n---\n\n[x](gone.md)\n")
        .file("old.zip", "the previous copy");
    let tmp = site.root.join("../tmp");
    let out = pack(&site, &[], &tmp);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("error: content/b.md:5:1: broken link `gone.md`"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    assert!(!site.exists("broken.zip"));
    assert!(!site.exists("public"));
    assert!(std::fs::read_dir(&tmp).unwrap().next().is_none());

    // An existing zip at the target stays as it was.
    let out = pack(&site, &["-o", "old.zip"], &tmp);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(site.read("old.zip"), "the previous copy");
    let files: Vec<_> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!files.iter().any(|f| f.contains("zhiku-tmp")), "{files:?}");
}

#[test]
fn help_says_what_the_zip_is_for() {
    let site = SiteTest::minimal();
    let out = site.run(&["pack", "--help"]);
    assert!(out.status.success());
    let help = text(&out.stdout);
    for words in [
        "index.html",
        "unzip",
        "from disk",
        "no network",
        "-o, --output <FILE>",
        "--drafts",
    ] {
        assert!(help.contains(words), "`{words}` not in:\n{help}");
    }
}
