//! How the single-file edition links (issue 8): every page and section it
//! holds has an anchor, images are inlined.

use std::collections::HashMap;

/// The anchor of a page or section in the single-file edition.
pub fn single_anchor(prefix: char, out_dir: &str) -> String {
    let path = out_dir.trim_end_matches('/').replace('/', "-");
    if path.is_empty() {
        format!("{prefix}-home")
    } else {
        format!("{prefix}-{path}")
    }
}

/// How the single-file edition links: every page and section it holds
/// has an anchor; images are inlined.
#[derive(Debug, Default)]
pub struct InFile {
    /// Output file (`cases/a/index.html`) → element id in the file.
    pub anchors: HashMap<String, String>,
    /// Output path of an image → its `data:` URL.
    pub images: HashMap<String, String>,
}

impl InFile {
    /// Where a link to `target` (an output path, maybe with `#fragment`)
    /// goes in the file: `#anchor`, `#anchor#fragment` (the file's script
    /// finds the fragment inside that page), an image's data, or the
    /// table of contents for what the file does not hold.
    pub fn href(&self, target: &str) -> String {
        let (path, fragment) = match target.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (target, None),
        };
        if let Some(data) = self.images.get(path) {
            return data.clone();
        }
        match (self.anchors.get(path), fragment) {
            (Some(anchor), Some(f)) if !f.is_empty() => format!("#{anchor}#{f}"),
            (Some(anchor), _) => format!("#{anchor}"),
            (None, _) => "#toc".into(),
        }
    }
}

/// `relative` (a URL relative to the folder `from`) as a path from the
/// output root, fragment kept.
pub(super) fn from_root(from: &str, relative: &str) -> String {
    let (path, fragment) = match relative.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (relative, None),
    };
    let mut parts: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    if path.is_empty() {
        parts.push("index.html");
    }
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            seg => parts.push(seg),
        }
    }
    let mut out = parts.join("/");
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

