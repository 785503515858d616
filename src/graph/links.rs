//! Resolves every internal link and image of every page to a relative URL
//! that names the target file, and reports the ones that do not resolve.
//!
//! A destination is resolved against the linking file's folder in
//! `content/` (or against `content/` itself when it starts with `/`), so
//! authors link to what they see in their editor: `../cases/a.md#问题`.
//! The URL written into the page is relative to the page's own output
//! folder and always names a file (`../../cases/a/index.html#问题`), so the
//! site works from any sub-path and from disk.

use std::collections::HashMap;

use super::SiteGraph;
use crate::diagnostics::Diagnostic;
use crate::markdown::{Heading, LinkRef, escape_html};

/// What a content path points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Page(usize),
    Section(usize),
    Asset(usize),
}

/// Fills `links` of every page and section; returns the broken ones.
pub fn resolve(graph: &mut SiteGraph) -> Vec<Diagnostic> {
    let index = target_index(graph);
    let mut diagnostics = Vec::new();
    let mut page_links = Vec::with_capacity(graph.pages.len());
    for (i, page) in graph.pages.iter().enumerate() {
        let from = From {
            rel: &page.source,
            out_dir: &page.out_dir,
            own: Target::Page(i),
        };
        page_links.push(resolve_all(
            graph,
            &index,
            &from,
            &page.rendered.links,
            &mut diagnostics,
        ));
    }
    let mut section_links = Vec::with_capacity(graph.sections.len());
    for (i, section) in graph.sections.iter().enumerate() {
        let rel = section.source.clone().unwrap_or_default();
        let from = From {
            rel: &rel,
            out_dir: &section.out_dir,
            own: Target::Section(i),
        };
        section_links.push(resolve_all(
            graph,
            &index,
            &from,
            &section.rendered.links,
            &mut diagnostics,
        ));
    }
    for (page, links) in graph.pages.iter_mut().zip(page_links) {
        page.links = links;
    }
    for (section, links) in graph.sections.iter_mut().zip(section_links) {
        section.links = links;
    }
    diagnostics
}

struct From<'a> {
    rel: &'a str,
    out_dir: &'a str,
    own: Target,
}

fn target_index(graph: &SiteGraph) -> HashMap<String, Target> {
    let mut index = HashMap::new();
    for (i, s) in graph.sections.iter().enumerate() {
        index.insert(s.dir.clone(), Target::Section(i));
        let file = if s.dir.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{}/_index.md", s.dir)
        };
        index.insert(file, Target::Section(i));
    }
    for (i, p) in graph.pages.iter().enumerate() {
        index.insert(p.source.clone(), Target::Page(i));
    }
    for (i, a) in graph.assets.iter().enumerate() {
        index.insert(a.rel.clone(), Target::Asset(i));
    }
    index
}

fn resolve_all(
    graph: &SiteGraph,
    index: &HashMap<String, Target>,
    from: &From<'_>,
    links: &[LinkRef],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<String> {
    links
        .iter()
        .map(|link| {
            resolve_one(graph, index, from, link).unwrap_or_else(|message| {
                let (message, hint) = message;
                let mut d = Diagnostic::error(format!("content/{}", from.rel), message)
                    .at(link.line, link.column);
                if let Some(hint) = hint {
                    d = d.with_hint(hint);
                }
                diagnostics.push(d);
                String::new()
            })
        })
        .collect()
}

type Failure = (String, Option<String>);

fn resolve_one(
    graph: &SiteGraph,
    index: &HashMap<String, Target>,
    from: &From<'_>,
    link: &LinkRef,
) -> Result<String, Failure> {
    let without_query = |s: &str| s.split('?').next().unwrap_or("").to_string();
    let (path, fragment) = match link.url.split_once('#') {
        Some((p, f)) => (without_query(p), Some(percent_decode(f))),
        None => (without_query(&link.url), None),
    };
    let path = percent_decode(&path);
    let target = if path.is_empty() {
        from.own
    } else {
        let base = if path.starts_with('/') {
            ""
        } else {
            super::parent_dir(from.rel)
        };
        let joined = normalise(base, path.trim_start_matches('/')).ok_or_else(|| {
            (
                format!("link `{}` leads outside the content folder", link.url),
                None,
            )
        })?;
        *index.get(joined.trim_end_matches('/')).ok_or_else(|| {
            (
                format!("broken link `{}`: there is no content/{joined}", link.url),
                suggest_file(index, &joined),
            )
        })?
    };
    let (out_file, headings): (String, Option<&[Heading]>) = match target {
        Target::Page(i) => (
            graph.pages[i].out_file(),
            Some(&graph.pages[i].rendered.headings),
        ),
        Target::Section(i) => (
            graph.sections[i].out_file(),
            Some(&graph.sections[i].rendered.headings),
        ),
        Target::Asset(i) => (graph.assets[i].out.clone(), None),
    };
    let mut url = relative_url(from.out_dir, &out_file);
    if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
        let headings = headings.unwrap_or(&[]);
        if !headings.iter().any(|h| h.id == fragment) {
            return Err((
                format!(
                    "broken link `{}`: the target has no heading `#{fragment}`",
                    link.url
                ),
                Some(suggest_anchor(headings)),
            ));
        }
        url.push('#');
        url.push_str(&fragment);
    }
    Ok(escape_html(&url))
}

fn suggest_file(index: &HashMap<String, Target>, wanted: &str) -> Option<String> {
    let name = wanted.rsplit('/').next().unwrap_or(wanted);
    let mut matches: Vec<&String> = index
        .keys()
        .filter(|k| k.rsplit('/').next() == Some(name))
        .collect();
    matches.sort();
    matches
        .first()
        .map(|m| format!("did you mean content/{m}?"))
}

fn suggest_anchor(headings: &[Heading]) -> String {
    if headings.is_empty() {
        return "the target page has no headings".into();
    }
    let ids: Vec<String> = headings
        .iter()
        .take(8)
        .map(|h| format!("#{}", h.id))
        .collect();
    format!(
        "its headings are {}{}",
        ids.join(", "),
        if headings.len() > 8 { ", …" } else { "" }
    )
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls_name_the_file() {
        assert_eq!(relative_url("", "index.html"), "index.html");
        assert_eq!(
            relative_url("cases/a/", "regulations/b/index.html"),
            "../../regulations/b/index.html"
        );
        assert_eq!(
            relative_url("cases/a/", "cases/b/index.html"),
            "../b/index.html"
        );
        assert_eq!(relative_url("cases/a/", "cases/a/index.html"), "index.html");
        assert_eq!(relative_url("cases/", "index.html"), "../index.html");
        assert_eq!(relative_url("", "cases/pic.png"), "cases/pic.png");
    }

    #[test]
    fn normalises_paths_and_refuses_escapes() {
        assert_eq!(
            normalise("cases", "../regulations/a.md").as_deref(),
            Some("regulations/a.md")
        );
        assert_eq!(normalise("", "./a.md").as_deref(), Some("a.md"));
        assert_eq!(normalise("a/b", "../../../x.md"), None);
        assert_eq!(normalise("a", "b/").as_deref(), Some("a/b/"));
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("%E7%AC%AC%E5%8D%81%E6%9D%A1"), "第十条");
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
