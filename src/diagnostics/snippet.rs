//! The source line under a diagnostic with a caret under its column, as
//! rustc and annotate-snippets show it:
//!
//! ```text
//!   |
//! 2 | title：以案促改
//!   |      ^^
//! ```
//!
//! Columns count characters; the caret line is padded by display width, so
//! it stays under the right character when Chinese text (two columns wide
//! on a terminal) comes before it. Our own few lines rather than a crate:
//! one line, one caret, coloured by [`crate::term`].

use crate::term::{Style, paint};
use crate::width::char_width;

/// The most terminal columns of a line shown; a longer line is cut around
/// the column, with `…` where it was cut.
const MAX_WIDTH: usize = 100;

/// The snippet for `line` (1-based) of `text` with a caret under `column`
/// (1-based, in characters; `None` shows the line alone), each line ending
/// in `\n`. `None` when the line does not exist or looks binary: a snippet
/// of junk helps nobody.
pub(super) fn snippet(text: &str, line: usize, column: Option<usize>) -> Option<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let source = text.split('\n').nth(line.checked_sub(1)?)?;
    let source = source.strip_suffix('\r').unwrap_or(source);
    if source.chars().any(|c| c.is_control() && c != '\t') {
        return None;
    }
    // A tab is shown as four spaces (its width on a terminal varies).
    let cells: Vec<(char, usize)> = source
        .chars()
        .map(|c| {
            if c == '\t' {
                (' ', 4)
            } else {
                (c, char_width(c))
            }
        })
        .collect();
    let at = column.map(|c| c.saturating_sub(1).min(cells.len()));
    let (start, end) = window(&cells, at.unwrap_or(0));
    let mut shown = String::new();
    let mut pad = 0;
    if start > 0 {
        shown.push('…');
        pad += 1;
    }
    for (i, &(c, w)) in cells[start..end].iter().enumerate() {
        if c == ' ' && w == 4 {
            shown.push_str("    ");
        } else {
            shown.push(c);
        }
        if at.is_some_and(|at| start + i < at) {
            pad += w;
        }
    }
    if end < cells.len() {
        shown.push('…');
    }
    let number = line.to_string();
    let gutter = " ".repeat(number.len());
    let bar = |left: &str| paint(Style::Dim, &format!("{left} |"));
    let mut out = format!("{}\n{} {}\n", bar(&gutter), bar(&number), shown.trim_end());
    if let Some(at) = at {
        // As many carets as the character is wide; one past the end.
        let carets = cells.get(at).map_or(1, |&(_, w)| w);
        out.push_str(&format!(
            "{} {}{}\n",
            bar(&gutter),
            " ".repeat(pad),
            paint(Style::Caret, &"^".repeat(carets))
        ));
    }
    Some(out)
}

/// The cells `start..end` of a line to show: all of it when it fits in
/// [`MAX_WIDTH`], else a stretch that keeps `at` about a third in.
fn window(cells: &[(char, usize)], at: usize) -> (usize, usize) {
    let total: usize = cells.iter().map(|&(_, w)| w).sum();
    if total <= MAX_WIDTH {
        return (0, cells.len());
    }
    let mut start = at.min(cells.len());
    let mut used = 0;
    while start > 0 && used + cells[start - 1].1 <= MAX_WIDTH / 3 {
        start -= 1;
        used += cells[start].1;
    }
    let mut end = start;
    let mut used = 0;
    while end < cells.len() && used + cells[end].1 <= MAX_WIDTH {
        used += cells[end].1;
        end += 1;
    }
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn puts_the_caret_under_the_column_by_display_width() {
        // Column 6 is the full-width colon, after five ASCII letters; on the
        // next line, two Chinese characters (four columns) precede `[`.
        let text = "---\ntitle：以案促改\n甲乙[丙\n";
        assert_eq!(
            snippet(text, 2, Some(6)).unwrap(),
            "  |\n2 | title：以案促改\n  |      ^^\n"
        );
        assert_eq!(
            snippet(text, 3, Some(3)).unwrap(),
            "  |\n3 | 甲乙[丙\n  |     ^\n"
        );
    }

    #[test]
    fn shows_the_line_alone_without_a_column_and_a_caret_past_the_end() {
        let text = "a\r\nbc\r\n";
        assert_eq!(snippet(text, 2, None).unwrap(), "  |\n2 | bc\n");
        assert_eq!(snippet(text, 2, Some(3)).unwrap(), "  |\n2 | bc\n  |   ^\n");
        assert_eq!(snippet(text, 1, Some(1)).unwrap(), "  |\n1 | a\n  | ^\n");
    }

    #[test]
    fn skips_missing_lines_and_binary_junk() {
        assert_eq!(snippet("a\n", 5, Some(1)), None);
        assert_eq!(snippet("a\n", 0, Some(1)), None);
        assert_eq!(snippet("\u{0}\u{1}PNG\n", 1, Some(1)), None);
    }

    #[test]
    fn cuts_long_lines_around_the_column() {
        let line = format!("{}X{}", "中".repeat(300), "文".repeat(300));
        let out = snippet(&line, 1, Some(301)).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[1].starts_with("1 | …中"), "{out}");
        assert!(lines[1].ends_with("文…"), "{out}");
        assert!(
            crate::width::display_width(lines[1]) < MAX_WIDTH + 10,
            "{out}"
        );
        // The caret sits under the X, however the line was cut.
        let x = crate::width::display_width(lines[1].split('X').next().unwrap());
        assert_eq!(lines[2].find('^'), Some(x), "{out}");
    }

    #[test]
    fn widens_tabs_consistently() {
        assert_eq!(
            snippet("\tkey: v\n", 1, Some(2)).unwrap(),
            "  |\n1 |     key: v\n  |     ^\n"
        );
    }
}
