//! User-facing faults in a site's content, configuration or templates.
//!
//! A [`Diagnostic`] is plain data — the file, the line and column where they
//! are known, a message and an optional hint — so tests can assert on
//! locations structurally. Stages push diagnostics into a [`Diagnostics`]
//! sink and keep going; the pipeline fails once, at the end, if any error was
//! recorded (the ripgrep `messages.rs` habit). This module holds the only
//! renderer: [`Diagnostic::render`] for the terminal, with the source line
//! and a caret under the column ([`snippet`]), and `Display` for one-line
//! uses.

mod snippet;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::term::{self, Style};

/// How bad a diagnostic is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    /// The build cannot succeed.
    Error,
    /// Worth fixing; the build still succeeds.
    Warning,
}

/// An error that asks the user to change something (a folder in the way, a
/// file zhiku will not replace) rather than one the system raised:
/// commands exit with 1 for it, not with 3 as for an I/O error.
#[derive(Debug)]
pub struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

/// Whether `e` is, or was caused by, a [`Refused`].
pub fn is_refusal(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| cause.is::<Refused>())
}

/// One fault, located in a file of the site.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, relative to the site root where possible.
    pub path: PathBuf,
    /// 1-based line in the file, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters) in the line, when known.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// What to do about it, when we can tell.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error in `path`, with no position yet.
    pub fn error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning in `path`, with no position yet.
    pub fn warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(path, message)
        }
    }

    /// Sets the 1-based line and column.
    #[must_use]
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Sets the 1-based line only.
    #[must_use]
    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// Adds advice on how to fix it.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether this is an error (as opposed to a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col`, as editors and terminals link it.
    pub fn location(&self) -> String {
        let path = self.path.display();
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{path}:{l}:{c}"),
            (Some(l), None) => format!("{path}:{l}"),
            _ => path.to_string(),
        }
    }
}

impl Diagnostic {
    /// The diagnostic as the terminal shows it: the `severity: path:line:col:
    /// message` line (unchanged, for editors and scripts that parse it), then
    /// the source line with a caret under the column, then the hint. The
    /// file is read now, from `site_root` joined with [`Diagnostic::path`],
    /// and only for a diagnostic with a line; when it cannot be read, or is
    /// not UTF-8, the source line is left out.
    pub fn render(&self, site_root: &Path) -> String {
        let mut out = self.headline();
        out.push('\n');
        if let Some(line) = self.line {
            // The prefix bounds what a junk file costs; the lines diagnostics
            // point at are near the top (front matter) or in real pages.
            let text = crate::fs::read_prefix(&site_root.join(&self.path), 16 << 20)
                .ok()
                .flatten()
                .map(|bytes| match String::from_utf8(bytes) {
                    Ok(text) => text,
                    // Cut mid-character, or not UTF-8 at all: the lines
                    // before the first bad byte still show.
                    Err(e) => {
                        let valid = e.utf8_error().valid_up_to();
                        String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned()
                    }
                });
            if let Some(shown) = text.and_then(|t| snippet::snippet(&t, line, self.column)) {
                out.push_str(&shown);
            }
        }
        if let Some(hint) = &self.hint {
            out.push_str(&format!(
                "  {}\n",
                term::label("cli.hint", Style::Hint, hint)
            ));
        }
        out
    }

    /// `error: path:line:col: message` (`错误：path:line:col：message`),
    /// the label coloured on a terminal.
    fn headline(&self) -> String {
        let (key, style) = match self.severity {
            Severity::Error => ("cli.error", Style::Error),
            Severity::Warning => ("cli.warning", Style::Warning),
        };
        let label = crate::messages::format(key, &[("message", &"")]);
        let label = label.trim_end_matches([':', '：', ' ']);
        let painted = term::paint(style, label);
        let location = self.location();
        crate::tr!(
            "cli.located",
            label = painted,
            location = location,
            message = self.message
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.headline())?;
        if let Some(hint) = &self.hint {
            let hint = term::label("cli.hint", Style::Hint, hint);
            write!(f, "\n  {hint}")?;
        }
        Ok(())
    }
}

/// The sink every stage reports into.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    /// Warnings count as errors (`--strict`).
    strict: bool,
}

impl Diagnostics {
    /// An empty sink.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Records many.
    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diagnostics);
    }

    /// Makes warnings fail the build as errors do (`--strict`, for CI).
    pub fn set_strict(&mut self, strict: bool) {
        self.strict = strict;
    }

    /// Whether any error was recorded; with [`Diagnostics::set_strict`],
    /// any warning too.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.is_error() || self.strict)
    }

    /// Number of errors recorded.
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// Everything recorded, sorted by file, position and message so that
    /// output does not depend on thread scheduling.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.path, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.path, b.line, b.column, b.severity, &b.message))
        });
        self.items.dedup();
        self.items
    }

    /// Borrow what was recorded so far, in insertion order.
    pub fn as_slice(&self) -> &[Diagnostic] {
        &self.items
    }
}

/// The path of `path` relative to `root`, or `path` itself when it is not
/// inside `root`. Diagnostics name files the way the user sees them.
pub fn relative_to(path: &Path, root: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Turns a byte offset in `text` into a 1-based line and column (column in
/// characters, which is what editors show for CJK text).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_locate_offsets_in_cjk_text() {
        let text = "第一行\n第二行 abc";
        assert_eq!(line_col(text, 0), (1, 1));
        let offset = text.find('a').unwrap();
        assert_eq!(line_col(text, offset), (2, 5));
    }

    #[test]
    fn renders_location_and_hint() {
        let d = Diagnostic::error("content/a.md", "bad")
            .at(4, 2)
            .with_hint("fix it");
        assert_eq!(
            d.to_string(),
            "error: content/a.md:4:2: bad\n  hint: fix it"
        );
    }

    #[test]
    fn sorting_is_stable_and_dedups() {
        let mut sink = Diagnostics::new();
        sink.push(Diagnostic::error("b.md", "x"));
        sink.push(Diagnostic::error("a.md", "y").at(2, 1));
        sink.push(Diagnostic::error("b.md", "x"));
        let sorted = sink.sorted();
        assert_eq!(sorted.len(), 2);
        assert_eq!(sorted[0].path, PathBuf::from("a.md"));
    }
}
