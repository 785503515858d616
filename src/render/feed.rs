//! What changed, for members: the Atom feed (`atom.xml`, when the site has
//! a `base_url`) and the home page's 最近更新 list. Both order pages by
//! front matter dates (`updated`, else `date`), never by file times, so a
//! build of the same sources writes the same bytes.

use super::*;
use crate::content::front_matter::Date;

/// Where the feed is written.
pub const FEED: &str = "atom.xml";

/// How many pages the feed lists.
const FEED_ENTRIES: usize = 30;

/// How many pages the home page's 最近更新 list shows.
pub(super) const RECENT_ENTRIES: usize = 8;

/// When a page last changed, by its front matter.
fn changed(page: &Page) -> Option<Date> {
    page.meta.updated.or(page.meta.date)
}

/// The `n` most recently changed pages, newest first (ties: site order).
pub(super) fn recent(graph: &SiteGraph, n: usize) -> Vec<usize> {
    let mut dated: Vec<(Date, usize, usize)> = graph
        .sections
        .iter()
        .flat_map(|s| s.pages.iter().copied())
        .enumerate()
        .filter_map(|(rank, p)| changed(&graph.pages[p]).map(|d| (d, rank, p)))
        .collect();
    let by_newest =
        |a: &(Date, usize, usize), b: &(Date, usize, usize)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
    if dated.len() > n {
        dated.select_nth_unstable_by(n, by_newest);
        dated.truncate(n);
    }
    dated.sort_by(by_newest);
    dated.into_iter().map(|(_, _, p)| p).collect()
}

/// A page in the 最近更新 list.
#[derive(Serialize)]
pub(super) struct RecentView<'a> {
    #[serde(flatten)]
    item: PageListItem<'a>,
    /// When it changed (`updated`, else `date`).
    changed: String,
    /// Whether that was a change after it first appeared.
    is_update: bool,
}

impl<'a> Site<'a> {
    /// The home page's 最近更新 list, for a file in `from`.
    pub(super) fn recent_views(&self, from: &str) -> Vec<RecentView<'a>> {
        recent(self.graph, RECENT_ENTRIES)
            .into_iter()
            .map(|p| {
                let page = &self.graph.pages[p];
                RecentView {
                    item: self.list_item(from, page),
                    changed: changed(page).map(|d| d.to_string()).unwrap_or_default(),
                    is_update: page.meta.updated.is_some_and(|u| Some(u) != page.meta.date),
                }
            })
            .collect()
    }
}

/// `atom.xml`: the most recently changed pages, with absolute links.
pub fn atom(config: &Config, ui: &Ui, base_url: &str, graph: &SiteGraph) -> OutputFile {
    let pages = recent(graph, FEED_ENTRIES);
    let stamp = |d: Date| format!("{d}T00:00:00Z");
    // The newest entry's date: the same sources give the same feed.
    let updated = pages
        .first()
        .and_then(|&p| changed(&graph.pages[p]))
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), stamp);
    let e = escape_html;
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n\
         \x20 <title>{title}</title>\n",
        lang = e(&config.language),
        title = e(&config.title),
    );
    if !config.description.is_empty() {
        xml.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            e(&config.description)
        ));
    }
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{self_url}\"/>\n\
         \x20 <link rel=\"alternate\" type=\"text/html\" href=\"{home}\"/>\n\
         \x20 <id>{home}</id>\n\
         \x20 <updated>{updated}</updated>\n\
         \x20 <generator>zhiku</generator>\n",
        self_url = e(&format!("{base_url}{FEED}")),
        home = e(base_url),
    ));
    for p in pages {
        let page = &graph.pages[p];
        let url = e(&format!("{base_url}{}", page.out_dir));
        let changed = changed(page).map(stamp).unwrap_or_default();
        xml.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n    <id>{url}</id>\n    <updated>{changed}</updated>\n",
            e(&page.meta.title)
        ));
        if let Some(date) = page.meta.date {
            xml.push_str(&format!("    <published>{}</published>\n", stamp(date)));
        }
        xml.push_str(&format!(
            "    <category term=\"{}\" label=\"{}\"/>\n",
            page.kind.as_str(),
            e(ui.text(&format!("kind.{}", page.kind.as_str())))
        ));
        let summary = page.summary();
        if !summary.is_empty() {
            xml.push_str(&format!("    <summary>{}</summary>\n", e(&summary)));
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    OutputFile {
        path: FEED.into(),
        bytes: xml.into_bytes(),
    }
}
