//! What `site.toml` puts around every page besides the title: the menu and
//! the footer. Their links are resolved against the site once per build,
//! like a page's, and faults point at site.toml's line and column; each
//! page then gets them relative to its own folder (or in-file, in the
//! single-file edition).

use std::borrow::Cow;
use std::hash::{Hash, Hasher};

use serde::Serialize;

use crate::config::{At, CONFIG_FILE, Config};
use crate::content::Kind;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::graph::SiteGraph;
use crate::graph::links::resolve_from_root;
use crate::markdown::{self, LinkKind, LinkRef, MarkdownOptions, Slots, escape_html, fill_slots};

/// The menu and footer of a site, resolved.
#[derive(Debug, Default)]
pub struct Chrome {
    menu: Vec<MenuEntry>,
    footer: Option<Footer>,
}

#[derive(Debug, Hash)]
struct MenuEntry {
    title: String,
    /// A path from the output root, or the address outside the site.
    to: String,
    external: bool,
}

#[derive(Debug, Hash)]
struct Footer {
    /// HTML with link slots.
    html: String,
    /// Each slot's path from the output root (empty when it failed).
    links: Vec<String>,
    /// Each wikilink's default text.
    texts: Vec<String>,
}

/// A menu item as templates see it.
#[derive(Debug, Serialize)]
pub(super) struct MenuView<'a> {
    title: &'a str,
    url: String,
    external: bool,
    current: bool,
}

impl Chrome {
    /// Resolves the menu's content paths and the footer's links; each one
    /// that leads nowhere is an error at its place in site.toml.
    pub fn resolve(config: &Config, graph: &SiteGraph, sink: &mut Diagnostics) -> Chrome {
        let link = |url: &str, At(line, column): At| LinkRef {
            url: url.to_string(),
            line,
            column,
            kind: LinkKind::Link,
        };
        let internal: Vec<LinkRef> = config
            .menu
            .iter()
            .filter(|m| !m.external)
            .map(|m| link(&m.url, m.at))
            .collect();
        let mut resolved = resolve_from_root(graph, &internal).into_iter();
        let mut menu = Vec::with_capacity(config.menu.len());
        for item in &config.menu {
            let to = if item.external {
                item.url.clone()
            } else {
                match resolved.next() {
                    Some(Ok((to, _))) => to,
                    Some(Err((message, hint))) => {
                        sink.push(fault(
                            crate::tr!(
                                "site.render.menu_item",
                                title = item.title,
                                message = message
                            ),
                            hint,
                            (item.at.0, item.at.1),
                        ));
                        continue;
                    }
                    None => continue,
                }
            };
            menu.push(MenuEntry {
                title: item.title.clone(),
                to,
                external: item.external,
            });
        }
        let footer = config
            .footer
            .as_ref()
            .map(|(text, at)| footer(text, *at, graph, sink));
        Chrome { menu, footer }
    }

    /// A digest of everything it shows, for the outputs' fingerprints.
    pub fn digest(&self) -> u64 {
        let mut h = crate::hash::FastHasher::default();
        (&self.menu, &self.footer).hash(&mut h);
        h.finish()
    }
}

/// The footer's Markdown rendered, its links resolved.
fn footer(text: &str, at: At, graph: &SiteGraph, sink: &mut Diagnostics) -> Footer {
    let options = MarkdownOptions {
        allow_html: false,
        kind: Kind::Page,
    };
    let rendered = markdown::render(text, 0, options);
    let mut links = Vec::with_capacity(rendered.links.len());
    let mut texts = Vec::with_capacity(rendered.links.len());
    for (link, result) in rendered
        .links
        .iter()
        .zip(resolve_from_root(graph, &rendered.links))
    {
        match result {
            Ok((to, text)) => {
                links.push(to);
                texts.push(if matches!(link.kind, LinkKind::Wiki { .. }) {
                    text
                } else {
                    String::new()
                });
            }
            Err((message, hint)) => {
                // The footer's first line follows the opening quote.
                let (line, column) = if link.line <= 1 {
                    (at.0, at.1 + link.column)
                } else {
                    (at.0 + link.line - 1, link.column)
                };
                let message = crate::tr!("site.render.footer", message = message);
                sink.push(fault(message, hint, (line, column)));
                links.push(String::new());
                texts.push(String::new());
            }
        }
    }
    Footer {
        html: rendered.html.to_string(),
        links,
        texts,
    }
}

fn fault(message: String, hint: Option<String>, (line, column): (usize, usize)) -> Diagnostic {
    let d = Diagnostic::error(CONFIG_FILE, message).at(line, column);
    match hint {
        Some(hint) => d.with_hint(hint),
        None => d,
    }
}

impl<'a> super::Site<'a> {
    /// The menu for a file in the folder `from`.
    pub(super) fn menu(&self, from: &str) -> Vec<MenuView<'a>> {
        let here = format!("{from}index.html");
        self.chrome
            .menu
            .iter()
            .map(|m| MenuView {
                title: &m.title,
                url: if m.external {
                    m.to.clone()
                } else {
                    self.url(from, &m.to)
                },
                external: m.external,
                current: !m.external && m.to.split('#').next() == Some(here.as_str()),
            })
            .collect()
    }

    /// The footer's HTML for a file in the folder `from`.
    pub(super) fn footer(&self, from: &str) -> Option<String> {
        let footer = self.chrome.footer.as_ref()?;
        Some(fill_slots(
            &footer.html,
            &FooterSlots {
                site: self,
                from,
                footer,
            },
        ))
    }
}

struct FooterSlots<'s, 'a> {
    site: &'s super::Site<'a>,
    from: &'s str,
    footer: &'s Footer,
}

impl Slots for FooterSlots<'_, '_> {
    fn link(&self, n: usize) -> Cow<'_, str> {
        match self.footer.links.get(n) {
            Some(to) if !to.is_empty() => Cow::Owned(escape_html(&self.site.url(self.from, to))),
            _ => Cow::Borrowed(""),
        }
    }

    fn text(&self, n: usize) -> Cow<'_, str> {
        self.footer
            .texts
            .get(n)
            .map_or(Cow::Borrowed(""), |t| Cow::Owned(escape_html(t)))
    }

    fn cited(&self, _id: &str) -> Cow<'_, str> {
        Cow::Borrowed("")
    }
}
