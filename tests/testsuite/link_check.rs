//! Checks that every link and asset reference in a built site is relative,
//! names a file that exists, and (for `#fragment`) an id in that file —
//! what a member opening the site from disk depends on.

use std::path::Path;

/// Problems found, one line each; empty when the site is sound.
pub fn check_site(out: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for (rel, bytes) in super::site_test::snapshot(out) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = without_declared_outside_links(&String::from_utf8(bytes).unwrap());
        let dir = out.join(&rel).parent().unwrap().to_path_buf();
        for url in attribute_values(&html, &["href", "src", "action"]) {
            if let Some(problem) = check_url(out, &dir, &url) {
                problems.push(format!("{rel}: {problem}"));
            }
        }
    }
    problems
}

/// The page without the links that name another host on purpose: the
/// canonical address (never fetched), and menu links site.toml declares
/// external (`rel="external"`, shown as such).
fn without_declared_outside_links(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('>')
            .map_or(rest.len(), |e| start + e + 1);
        let tag = &rest[start..end];
        let declared = tag.starts_with("<link rel=\"canonical\"")
            || (tag.starts_with("<a ") && tag.contains(" rel=\"external"));
        if !declared {
            out.push_str(tag);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn check_url(out: &Path, dir: &Path, url: &str) -> Option<String> {
    let url = url.replace("&amp;", "&").replace("&quot;", "\"");
    if url.starts_with("http://") || url.starts_with("https://") || url.starts_with("//") {
        return Some(format!("links to another host: {url}"));
    }
    if url.starts_with("mailto:") {
        return None;
    }
    if url.starts_with('/') {
        return Some(format!("absolute path: {url}"));
    }
    let (path, fragment) = url
        .split_once('#')
        .map_or((url.as_str(), None), |(p, f)| (p, Some(f)));
    let target = if path.is_empty() {
        None
    } else {
        Some(dir.join(path))
    };
    if let Some(target) = &target {
        if path.ends_with('/') || target.is_dir() {
            return Some(format!("links to a folder, not a file: {url}"));
        }
        if !target.is_file() {
            return Some(format!("links to a missing file: {url}"));
        }
        if !normalised(target).starts_with(normalised(out)) {
            return Some(format!("leaves the output folder: {url}"));
        }
    }
    if let (Some(fragment), Some(target)) = (fragment.filter(|f| !f.is_empty()), &target)
        && target.extension().is_some_and(|e| e == "html")
    {
        let text = std::fs::read_to_string(target).unwrap();
        if !text.contains(&format!("id=\"{fragment}\"")) {
            return Some(format!("no element with id `{fragment}` in {url}"));
        }
    }
    None
}

fn normalised(p: &Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// Values of the named attributes, in order. Enough for our own output,
/// which always quotes attributes with `"`.
pub fn attribute_values(html: &str, names: &[&str]) -> Vec<String> {
    let mut values = Vec::new();
    for name in names {
        let needle = format!(" {name}=\"");
        let mut rest = html;
        while let Some(at) = rest.find(&needle) {
            let start = at + needle.len();
            let end = rest[start..].find('"').map_or(rest.len(), |e| start + e);
            values.push(rest[start..end].to_string());
            rest = &rest[end..];
        }
    }
    values
}

#[test]
fn the_checker_catches_bad_links() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    std::fs::create_dir_all(out.join("a")).unwrap();
    std::fs::write(
        out.join("a/index.html"),
        r#"<a href="../index.html#top">ok</a><a href="/x/">abs</a><a href="../">dir</a><a href="https://cdn.example/x.js">ext</a><a href="missing.html">m</a><a href="../index.html#nope">f</a>"#,
    )
    .unwrap();
    std::fs::write(out.join("index.html"), r#"<h1 id="top">t</h1>"#).unwrap();
    let problems = check_site(out);
    assert_eq!(problems.len(), 5, "{problems:#?}");
}
