//! Colour on the terminal (issue 17): `--color auto|always|never`, and
//! `NO_COLOR`. Only what goes to stderr is coloured: the labels of
//! diagnostics, the caret under the column, and hints.

use std::sync::atomic::{AtomicBool, Ordering};

static COLOR: AtomicBool = AtomicBool::new(false);

/// Colours what is printed from now on, or stops.
pub fn set_color(on: bool) {
    COLOR.store(on, Ordering::Relaxed);
}

/// Whether output is coloured.
pub fn color() -> bool {
    COLOR.load(Ordering::Relaxed)
}

/// A colour and weight from ANSI's set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Errors: bold red.
    Error,
    /// Warnings: bold yellow.
    Warning,
    /// Hints and notes: bold cyan.
    Hint,
    /// The caret under a column: bold red.
    Caret,
    /// Locations and the gutter: dim.
    Dim,
}

/// `text` in `style` when colour is on, else as it is.
pub fn paint(style: Style, text: &str) -> String {
    paint_if(color(), style, text)
}

fn paint_if(on: bool, style: Style, text: &str) -> String {
    if !on || text.is_empty() {
        return text.to_string();
    }
    let code = match style {
        Style::Error | Style::Caret => "1;31",
        Style::Warning => "1;33",
        Style::Hint => "1;36",
        Style::Dim => "2",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// `error: message`, the label in the current language and colour.
pub fn error(message: &str) -> String {
    label("cli.error", Style::Error, message)
}

/// `note: message`.
pub fn note(message: &str) -> String {
    label("cli.note", Style::Hint, message)
}

/// `message` after the label the catalogue's `key` gives (`错误：…`),
/// the label painted.
pub fn label(key: &str, style: Style, message: &str) -> String {
    let full = crate::messages::format(key, &[("message", &"\u{0}")]);
    match full.split_once('\u{0}') {
        Some((label, rest)) => format!("{}{message}{rest}", paint(style, label)),
        None => full,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paints_only_when_colour_is_on() {
        assert_eq!(paint_if(false, Style::Error, "错误"), "错误");
        assert_eq!(
            paint_if(true, Style::Error, "错误"),
            "\x1b[1;31m错误\x1b[0m"
        );
    }
}
