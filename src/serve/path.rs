//! From a request target to a file under the root, or a refusal.
//!
//! Two steps, so that the dangerous one is a pure function with table tests:
//!
//! 1. [`parse_target`] (no IO): drop the query and fragment, split on `/`,
//!    percent-decode each segment exactly once, and refuse anything that
//!    could name a place other than the one it spells: `.`/`..` segments,
//!    empty segments (`//`), backslashes, NUL, colons (Windows drive letters
//!    and NTFS streams), a `/` that came out of `%2f`, bad escapes, and
//!    non-UTF-8. There is no deny-list of paths: what is left is a list of
//!    plain names.
//! 2. [`locate`] (IO): join the names onto the root, canonicalise, and serve
//!    only if the canonical path is still inside the canonical root. This
//!    also refuses a symlink in the root that points outside it.
//!    zhiku's own bookkeeping in the output (the manifest, the temporary
//!    files of a build in progress) is not served either.
//!
//! The lesson of Zola CVE-2023-40274 and MkDocs CVE-2021-40978: decode once,
//! canonicalise, compare with the canonical root.

use std::path::{Path, PathBuf};

/// A request path that passed [`parse_target`]: plain names, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RequestPath {
    /// Decoded segments; none is empty, `.`, `..`, or holds `/`, `\`, `:`
    /// or NUL. Empty for the root.
    pub(super) segments: Vec<String>,
    /// Whether the path ended in `/` (the root always does).
    pub(super) trailing_slash: bool,
    /// The raw query after `?`, if any, kept for redirects.
    pub(super) query: Option<String>,
}

/// Parses a request target into plain path segments, or `None` when it is
/// not one we serve (answered with 404).
pub(super) fn parse_target(target: &str) -> Option<RequestPath> {
    let (before_fragment, _) = split_once_or_all(target, '#');
    let (raw_path, query) = match before_fragment.split_once('?') {
        Some((path, query)) => (path, Some(query.to_owned())),
        None => (before_fragment, None),
    };
    let rest = raw_path.strip_prefix('/')?;
    if rest.is_empty() {
        return Some(RequestPath {
            segments: Vec::new(),
            trailing_slash: true,
            query,
        });
    }
    let trailing_slash = rest.ends_with('/');
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let segments = rest
        .split('/')
        .map(decode_segment)
        .collect::<Option<Vec<_>>>()?;
    Some(RequestPath {
        segments,
        trailing_slash,
        query,
    })
}

fn split_once_or_all(s: &str, c: char) -> (&str, Option<&str>) {
    match s.split_once(c) {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    }
}

/// Decodes one segment (once) and checks that it is a plain name.
fn decode_segment(raw: &str) -> Option<String> {
    let bytes = percent_decode(raw)?;
    let name = String::from_utf8(bytes).ok()?;
    let plain = !name.is_empty()
        && !name.bytes().all(|b| b == b'.')
        && !name.contains(['/', '\\', ':', '\0']);
    plain.then_some(name)
}

/// Percent-decodes once; a `%` not followed by two hex digits is refused.
fn percent_decode(raw: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(raw.len());
    let mut bytes = raw.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let hi = hex_value(bytes.next()?)?;
            let lo = hex_value(bytes.next()?)?;
            out.push(hi << 4 | lo);
        } else {
            out.push(b);
        }
    }
    Some(out)
}

fn hex_value(b: u8) -> Option<u8> {
    char::from(b)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// Percent-encodes a decoded segment for a `Location` header: everything but
/// RFC 3986 unreserved characters.
fn percent_encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// What a parsed path names under the root.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Located {
    /// A file inside the root (canonical path).
    File(PathBuf),
    /// A folder asked for without its trailing slash: redirect here
    /// (a relative reference, resolved by the browser against the request).
    Redirect(String),
    /// Nothing we may serve.
    Missing,
}

/// Finds the file a request path names: a file, a folder's `index.html`, or
/// nothing. Only paths whose canonical form lies inside the canonical root
/// are ever returned.
pub(super) fn locate(root: &Path, path: &RequestPath) -> Located {
    if is_bookkeeping(path) {
        return Located::Missing;
    }
    let Ok(root) = crate::fs::canonicalize(root) else {
        return Located::Missing;
    };
    let mut joined = root.clone();
    joined.extend(&path.segments);
    let Some(target) = inside(&root, &joined) else {
        return Located::Missing;
    };
    if crate::fs::is_dir(&target) {
        if !path.trailing_slash {
            return Located::Redirect(redirect_to_folder(path));
        }
        return match inside(&root, &target.join("index.html")) {
            Some(index) if is_file(&index) => Located::File(index),
            _ => Located::Missing,
        };
    }
    if path.trailing_slash || !is_file(&target) {
        return Located::Missing;
    }
    Located::File(target)
}

/// The build's list of the files it wrote, and files being written, are
/// zhiku's business, not the site's.
fn is_bookkeeping(path: &RequestPath) -> bool {
    path.segments.as_slice() == [crate::output::MANIFEST]
        || path.segments.iter().any(|s| crate::fs::is_temporary(s))
}

/// The canonical form of `path` if it exists and lies inside `root`.
fn inside(root: &Path, path: &Path) -> Option<PathBuf> {
    let canonical = crate::fs::canonicalize(path).ok()?;
    canonical.starts_with(root).then_some(canonical)
}

fn is_file(canonical: &Path) -> bool {
    // The path is canonical, so there is no symlink left to (not) follow.
    crate::fs::symlink_metadata(canonical).is_some_and(|m| m.is_file())
}

/// `name/` (relative to the request's own path), with the query kept so that
/// `/search?q=x` lands on `/search/?q=x`.
fn redirect_to_folder(path: &RequestPath) -> String {
    let last = path.segments.last().map_or("", String::as_str);
    let mut location = format!("{}/", percent_encode(last));
    if let Some(query) = &path.query {
        location.push('?');
        // httparse lets bytes over 0x7F through in a target; keep the header
        // ASCII.
        for c in query.chars() {
            if c.is_ascii() {
                location.push(c);
            } else {
                let mut buf = [0; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    location.push_str(&format!("%{b:02X}"));
                }
            }
        }
    }
    location
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segments(target: &str) -> Option<Vec<String>> {
        parse_target(target).map(|p| p.segments)
    }

    #[test]
    fn can_parse_plain_paths() {
        assert_eq!(segments("/"), Some(vec![]));
        assert_eq!(segments("/a/b.css"), Some(vec!["a".into(), "b.css".into()]));
        let folder = parse_target("/docs/").unwrap();
        assert_eq!(folder.segments, vec!["docs"]);
        assert!(folder.trailing_slash);
        assert!(!parse_target("/docs").unwrap().trailing_slash);
    }

    #[test]
    fn can_decode_once() {
        assert_eq!(segments("/%E5%85%9A%E5%91%98/"), Some(vec!["党员".into()]));
        assert_eq!(segments("/a%20b"), Some(vec!["a b".into()]));
        // Decoded once: `%252e%252e` is the name `%2e%2e`, not `..`.
        assert_eq!(
            segments("/%252e%252e/x"),
            Some(vec!["%2e%2e".into(), "x".into()])
        );
    }

    #[test]
    fn drops_query_and_fragment() {
        let p = parse_target("/search/?q=%E5%85%9A#top").unwrap();
        assert_eq!(p.segments, vec!["search"]);
        assert_eq!(p.query.as_deref(), Some("q=%E5%85%9A"));
        assert_eq!(segments("/a#/../../etc/passwd"), Some(vec!["a".into()]));
        assert_eq!(segments("/a?x=/../../etc"), Some(vec!["a".into()]));
    }

    #[test]
    fn rejects_escapes_from_the_root() {
        for target in [
            "/../../etc/passwd",
            "/..",
            "/a/../../b",
            "/./a",
            "/...",
            "/%2e%2e%2fetc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E/x",
            "/..%5c..%5cetc/passwd",
            "/a%5cb",
            "/a\\b",
            "//etc/passwd",
            "/a//b",
            "/c:/windows/win.ini",
            "/C%3A/windows/win.ini",
            "/file.txt::$DATA",
            "/a%00.html",
            "/a%2fb",
            "/%2F",
            "/%ff",
            "/%E5%85",
            "/%zz",
            "/%2",
            "?raw??",
            "#",
            "",
            "*",
            "http://evil.example/",
            "../etc/passwd",
        ] {
            assert_eq!(parse_target(target), None, "{target:?} should be refused");
        }
    }

    #[test]
    fn raw_query_suffix_does_not_change_the_path() {
        // Vite's `?raw??` bypass (CVE-2025-30208): the query is dropped, the
        // path is judged alone.
        assert_eq!(segments("/../etc/passwd?raw??"), None);
        assert_eq!(
            segments("/@fs/etc/passwd?raw??"),
            Some(vec!["@fs".into(), "etc".into(), "passwd".into()])
        );
    }

    #[test]
    fn redirects_keep_the_query_and_encode_the_name() {
        let p = parse_target("/a/%E5%85%9A?q=%20x").unwrap();
        assert_eq!(redirect_to_folder(&p), "%E5%85%9A/?q=%20x");
        let p = parse_target("/search?q=党").unwrap();
        assert_eq!(redirect_to_folder(&p), "search/?q=%E5%85%9A");
    }

    #[test]
    fn can_locate_files_folders_and_misses() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        crate::fs::write_new(&root.join("index.html"), b"home").unwrap();
        crate::fs::write_new(&root.join("docs/index.html"), b"docs").unwrap();
        crate::fs::write_new(&root.join("empty/.keep"), b"").unwrap();
        crate::fs::write_new(&root.join("a.css"), b"a").unwrap();
        let canonical = crate::fs::canonicalize(root).unwrap();
        let at = |t: &str| locate(root, &parse_target(t).unwrap());

        assert_eq!(at("/"), Located::File(canonical.join("index.html")));
        assert_eq!(
            at("/docs/"),
            Located::File(canonical.join("docs/index.html"))
        );
        assert_eq!(at("/docs"), Located::Redirect("docs/".into()));
        assert_eq!(at("/a.css"), Located::File(canonical.join("a.css")));
        assert_eq!(at("/a.css/"), Located::Missing);

        crate::fs::write_new(&root.join(crate::output::MANIFEST), b"a.css\n").unwrap();
        crate::fs::write_new(&root.join("docs/.index.html.zhiku-tmp-42"), b"x").unwrap();
        assert_eq!(at("/.zhiku-manifest"), Located::Missing);
        assert_eq!(at("/docs/.index.html.zhiku-tmp-42"), Located::Missing);
        assert_eq!(at("/empty/"), Located::Missing);
        assert_eq!(at("/nope.html"), Located::Missing);
    }

    #[cfg(unix)]
    #[test]
    fn rejects_symlinks_leaving_the_root() {
        let outside = tempfile::tempdir().unwrap();
        crate::fs::write_new(&outside.path().join("secret.txt"), b"secret").unwrap();
        crate::fs::write_new(&outside.path().join("index.html"), b"secret").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        crate::fs::write_new(&root.join("inside.txt"), b"ok").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), root.join("file-link"))
            .unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("dir-link")).unwrap();
        std::os::unix::fs::symlink(root.join("inside.txt"), root.join("inner-link")).unwrap();
        let at = |t: &str| locate(root, &parse_target(t).unwrap());

        assert_eq!(at("/file-link"), Located::Missing);
        assert_eq!(at("/dir-link/"), Located::Missing);
        assert_eq!(at("/dir-link/secret.txt"), Located::Missing);
        let canonical = crate::fs::canonicalize(root).unwrap();
        assert_eq!(
            at("/inner-link"),
            Located::File(canonical.join("inside.txt"))
        );
    }
}
