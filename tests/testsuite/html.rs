//! Readers of built HTML for assertions: one element by its opening tag,
//! and the links inside it. A feature test asserts on the element that
//! carries the feature, not on the whole page, where the navigation or
//! another box may hold the same link (STYLE.md, habit 18).
//!
//! These read zhiku's own output, which closes every element it opens;
//! they are not an HTML parser.

/// The first element whose opening tag begins `<{start}` (a tag name, or
/// a name and its first attributes as written: `section class="backlinks"`),
/// from its `<` to the end of its closing tag. `None` when there is none.
pub fn find_element<'a>(html: &'a str, start: &str) -> Option<&'a str> {
    span(html, start).map(|span| &html[span])
}

/// Where [`find_element`]'s element is in `html`.
fn span(html: &str, start: &str) -> Option<std::ops::Range<usize>> {
    let name = start.split_whitespace().next()?;
    let open = format!("<{start}");
    let at = html
        .match_indices(&open)
        .map(|(at, _)| at)
        .find(|&at| ends_tag_name(&html[at + open.len()..]) || start != name)?;
    let mut depth = 0usize;
    let mut pos = at;
    while let Some(off) = html[pos..].find('<') {
        let tag = pos + off;
        let rest = &html[tag + 1..];
        if is_tag(rest, name) {
            depth += 1;
        } else if let Some(closing) = rest.strip_prefix('/')
            && is_tag(closing, name)
        {
            depth -= 1;
            if depth == 0 {
                return Some(at..tag + rest.find('>')? + 2);
            }
        }
        pos = tag + 1;
    }
    None
}

/// [`find_element`], or a panic that names what was looked for and shows
/// the page.
#[track_caller]
pub fn element<'a>(html: &'a str, start: &str) -> &'a str {
    match find_element(html, start) {
        Some(element) => element,
        None => panic!("no <{start}…> in:\n{html}"),
    }
}

/// Each link in `html` as `[href, text]`, the text without its tags.
pub fn links(html: &str) -> Vec<[String; 2]> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(span) = span(rest, "a") {
        let a = &rest[span.clone()];
        let open_end = a.find('>').unwrap();
        let href = a[..open_end]
            .split_once(" href=\"")
            .and_then(|(_, v)| v.split_once('"'))
            .map_or("", |(v, _)| v);
        let inner = &a[open_end + 1..a.len() - "</a>".len()];
        out.push([href.to_string(), text(inner)]);
        rest = &rest[span.end..];
    }
    out
}

/// `html` without its tags.
pub fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether `rest` (what follows a `<`) starts with the tag `name`.
fn is_tag(rest: &str, name: &str) -> bool {
    rest.strip_prefix(name).is_some_and(ends_tag_name)
}

fn ends_tag_name(rest: &str) -> bool {
    rest.starts_with(|c: char| c == '>' || c == '/' || c.is_ascii_whitespace())
}

#[test]
fn element_takes_nested_elements_of_its_name_and_links_their_text() {
    let html = "<nav><a href=\"x\">X</a></nav><div class=\"box\" id=\"b\"><div><a class=\"l\" href=\"y\"><b>Y</b> y</a></div></div><div>after</div>";
    let box_ = element(html, "div class=\"box\"");
    assert_eq!(
        box_,
        "<div class=\"box\" id=\"b\"><div><a class=\"l\" href=\"y\"><b>Y</b> y</a></div></div>"
    );
    assert_eq!(links(box_), [["y", "Y y"]]);
    assert_eq!(links(html).len(), 2);
    assert_eq!(find_element(html, "section"), None);
    assert_eq!(
        find_element("<abbr>a</abbr><a href=\"z\">z</a>", "a"),
        Some("<a href=\"z\">z</a>")
    );
}
