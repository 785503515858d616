//! The file watcher behind `zhiku serve` and `zhiku watch` (issue 7).
//!
//! [`classify`] says, without IO, what a changed path means for the site:
//! a page, a template, a static file, the theme or `site.toml` — or noise
//! (editor temporaries, the output folder, `.git/`) to be ignored.

mod classify;

pub use classify::classify;

/// What a change affects, so the caller can tell a page edit from a
/// template or configuration change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Change {
    /// Under `content/`: pages, section indexes, images beside pages.
    Content,
    /// Under the site's `templates/`.
    Template,
    /// Under the site's `static/`.
    Static,
    /// Under the theme folder.
    Theme,
    /// `site.toml`.
    Config,
}

impl Change {
    /// Every kind, as a [`Batch::rescan`] reports them.
    pub const ALL: [Change; 5] = [
        Change::Content,
        Change::Template,
        Change::Static,
        Change::Theme,
        Change::Config,
    ];
}
