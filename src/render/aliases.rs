//! `aliases:` in front matter: a page's old addresses, each written as a
//! small page that sends the reader to the new one, so a link shared in a
//! chat group before a file was renamed keeps working — on a web server
//! and from disk alike (a meta refresh and a relative link; a script keeps
//! the `#第五条` of the old link).

use std::collections::HashMap;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::graph::links::{percent_decode, relative_url};
use crate::graph::{Page, SiteGraph};
use crate::markdown::escape_html;
use crate::output::OutputFile;
use crate::tr;
use crate::ui::Ui;

/// The redirect pages of every page's `aliases`. An alias that is not a
/// plain path in the site, or that takes a path something else writes
/// (`taken`, or another alias), is an error at its line in front matter.
pub fn redirects(
    config: &Config,
    ui: &Ui,
    graph: &SiteGraph,
    taken: &[String],
    sink: &mut Diagnostics,
) -> Vec<OutputFile> {
    // Most sites have no aliases: then the paths need no map (the dev
    // server runs this on every rebuild).
    if graph.pages.iter().all(|p| p.meta.aliases.is_empty()) {
        return Vec::new();
    }
    let mut used: HashMap<String, String> = taken
        .iter()
        .map(|p| (p.to_lowercase(), String::new()))
        .collect();
    let mut files = Vec::new();
    for page in &graph.pages {
        for alias in &page.meta.aliases {
            let fault = |message: String| {
                let (line, column) = place(config, page, alias);
                Diagnostic::error(format!("content/{}", page.source), message).at(line, column)
            };
            let path = match alias_file(alias) {
                Ok(path) => path,
                Err(message) => {
                    sink.push(fault(message).with_hint(tr!("site.render.alias_hint")));
                    continue;
                }
            };
            match used.get(&path.to_lowercase()) {
                Some(owner) if owner.is_empty() => {
                    sink.push(
                        fault(tr!("site.render.alias_taken", alias = alias, path = path))
                            .with_hint(tr!("site.render.alias_taken_hint")),
                    );
                    continue;
                }
                Some(owner) => {
                    sink.push(fault(tr!(
                        "site.render.alias_twice",
                        alias = alias,
                        owner = owner
                    )));
                    continue;
                }
                None => {}
            }
            used.insert(path.to_lowercase(), page.source.clone());
            files.push(OutputFile {
                bytes: redirect_page(config, ui, page, &path).into_bytes(),
                path,
            });
        }
    }
    files
}

/// The file an alias writes: `cases/old/` and `cases/old` →
/// `cases/old/index.html`; `old.html` as written.
fn alias_file(alias: &str) -> Result<String, String> {
    let written = alias.trim();
    let decoded = percent_decode(written).replace('\\', "/");
    let path = decoded.trim_start_matches('/');
    if written.contains("://") || path.starts_with("mailto:") {
        return Err(tr!("site.render.alias_not_a_path", alias = alias));
    }
    let segments: Vec<&str> = path
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    if segments.contains(&"..") {
        return Err(tr!("site.render.alias_outside", alias = alias));
    }
    if segments.is_empty() {
        return Err(tr!("site.render.alias_home", alias = alias));
    }
    let joined = segments.join("/");
    let is_file = [".html", ".htm"]
        .iter()
        .any(|e| joined.to_ascii_lowercase().ends_with(e));
    Ok(if is_file {
        joined
    } else {
        format!("{joined}/index.html")
    })
}

/// The page at the old address: a meta refresh (works from disk with
/// scripts off), a script that keeps the old link's fragment, a link.
fn redirect_page(config: &Config, ui: &Ui, page: &Page, alias_file: &str) -> String {
    let dir = alias_file.rsplit_once('/').map_or("", |(d, _)| d);
    let dir = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    let url = relative_url(&dir, &page.out_file());
    let canonical = config
        .base_url
        .as_ref()
        .map_or_else(|| url.clone(), |b| format!("{b}{}", page.out_dir));
    let title = escape_html(&page.meta.title);
    let js_url = serde_json::to_string(&url)
        .unwrap_or_default()
        .replace("</", "<\\/");
    let (url, canonical) = (escape_html(&url), escape_html(&canonical));
    let link = format!("<a href=\"{url}\">{title}</a>");
    let (heading, moved) = (
        ui.html("alias.title", &[("title", &title)]),
        ui.html("alias.moved", &[("link", &link)]),
    );
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{heading}</title>\n<meta name=\"robots\" content=\"noindex\">\n\
         <link rel=\"canonical\" href=\"{canonical}\">\n\
         <script>location.replace({js_url}+location.hash)</script>\n\
         <meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n\
         <p data-zhiku-alias>{moved}</p>\n</body>\n</html>\n",
        lang = escape_html(&config.language),
    )
}

/// Where `alias` is written in the page's front matter, read back from
/// the file (only ever for an error): the first line after `aliases:`
/// that holds it, else the line the parse stage noted.
fn place(config: &Config, page: &Page, alias: &str) -> (usize, usize) {
    let wanted = alias.trim();
    let noted = page
        .value_lines
        .iter()
        .find(|(v, _)| v == wanted)
        .map_or(1, |(_, l)| *l);
    let Ok(text) = crate::fs::read_to_string(&config.content_dir().join(&page.source)) else {
        return (noted, 1);
    };
    let mut lines = text.lines().enumerate().skip(1);
    let key = lines.by_ref().find(|(_, l)| l.starts_with("aliases"));
    let front_matter = lines.take_while(|(_, l)| l.trim_end() != "---");
    let found = key.into_iter().chain(front_matter).find_map(|(i, line)| {
        let at = line.find(wanted)?;
        Some((i + 1, line[..at].chars().count() + 1))
    });
    found.unwrap_or((noted, 1))
}

#[cfg(test)]
mod tests {
    use super::alias_file;

    #[test]
    fn can_turn_old_addresses_into_files() {
        assert_eq!(alias_file("cases/old/").unwrap(), "cases/old/index.html");
        assert_eq!(alias_file("/cases/old").unwrap(), "cases/old/index.html");
        assert_eq!(alias_file("old.html").unwrap(), "old.html");
        assert_eq!(
            alias_file("%E6%A1%88%E4%BE%8B/旧/").unwrap(),
            "案例/旧/index.html"
        );
    }

    #[test]
    fn rejects_addresses_outside_the_site() {
        for bad in ["../x/", "https://example.org/a/", "/", "", "a/../../b"] {
            assert!(alias_file(bad).is_err(), "{bad}");
        }
    }
}
