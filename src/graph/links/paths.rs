//! Paths and URLs between files of the site: joining, relative URLs,
//! percent-decoding. Pure functions, no graph.

/// Joins `rel` onto the folder `base` (both relative to `content/`),
/// resolving `.` and `..`; `None` if it climbs out of `content/`.
pub fn normalise(base: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if rel.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// The folder a Markdown link in `from_rel` names when it points at a
/// section (`cases/_index.md`, `cases/`, `../cases`), as a content path
/// (`cases`); a page, an asset or a path outside `content/` gives a path
/// that names no section, which callers simply do not find.
pub fn linked_folder(from_rel: &str, url: &str) -> Option<String> {
    let path = url.split(['#', '?']).next().unwrap_or_default();
    if path.is_empty() || path.contains("://") || path.starts_with("mailto:") {
        return None;
    }
    let path = percent_decode(path);
    let base = if path.starts_with('/') {
        ""
    } else {
        crate::graph::parent_dir(from_rel)
    };
    let joined = normalise(base, path.trim_start_matches('/'))?;
    let joined = joined.trim_end_matches('/');
    let dir = match joined.strip_suffix("_index.md") {
        Some(dir) => dir.trim_end_matches('/'),
        None => joined,
    };
    Some(dir.to_string())
}

/// The relative URL from a page in `from_dir` (`a/b/`, or `""` at the
/// root) to `to_file` (`a/c/index.html`), both relative to the output root.
pub fn relative_url(from_dir: &str, to_file: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = to_file.split('/').collect();
    let (to_dirs, file) = to.split_at(to.len() - 1);
    let common = from.iter().zip(to_dirs).take_while(|(a, b)| a == b).count();
    let mut url = "../".repeat(from.len() - common);
    for dir in &to_dirs[common..] {
        url.push_str(dir);
        url.push('/');
    }
    url.push_str(file[0]);
    url
}

/// Decodes `%XX` escapes; invalid sequences are kept as written.
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
