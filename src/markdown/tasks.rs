//! Task-list items: labelled checkboxes everywhere, and on checklist pages
//! interactive items with stable ids.
//!
//! comrak writes a bare `<input>` before an item's text, which screen
//! readers announce as an unlabelled checkbox (axe: critical). Each task
//! item becomes a plain item whose first paragraph is wrapped in a `<label>`
//! together with its checkbox.
//!
//! On a checklist page an item's id is derived from its text and the
//! heading it is under (会前 / 会中 / 会后), so a member's ticks survive
//! when other items are added, removed or reordered; two items with the
//! same text under the same heading are told apart by their order.

use std::collections::HashMap;

use comrak::Arena;
use comrak::nodes::{AstNode, NodeValue};

use super::{Note, escape_html};

/// One item of a checklist.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChecklistItem {
    /// Stable id (8 characters of `a-z0-9`, `-2`… for repeats).
    pub id: String,
    /// The item's own text (first paragraph).
    pub text: String,
    /// Index into the page's headings of the heading it is under.
    pub heading: Option<usize>,
    /// `[x]` in the source: checked by default.
    pub checked: bool,
    /// 1-based line in the file.
    pub line: usize,
}

/// Labels every task item; with `interactive`, gives each an id and leaves
/// its checkbox enabled. `headings` are the texts of the page's headings in
/// document order.
pub fn mark<'a>(
    arena: &'a Arena<'a>,
    root: &'a AstNode<'a>,
    headings: &[String],
    interactive: bool,
    line_offset: usize,
) -> (Vec<ChecklistItem>, Vec<Note>) {
    let mut items = Vec::new();
    let mut notes = Vec::new();
    let mut heading: Option<usize> = None;
    let mut seen_headings = 0;
    let mut repeats: HashMap<String, (usize, usize)> = HashMap::new();
    let nodes: Vec<_> = root.descendants().collect();
    for node in nodes {
        // Look at the variant without cloning the node's strings.
        let task = match &node.data().value {
            NodeValue::Heading(_) => None,
            NodeValue::TaskItem(task) => Some(task.symbol.is_some()),
            _ => continue,
        };
        match task {
            None => {
                heading = Some(seen_headings);
                seen_headings += 1;
            }
            Some(checked) => {
                let Some(NodeValue::List(list)) = node.parent().map(|p| p.data().value.clone())
                else {
                    continue;
                };
                node.data_mut().value = NodeValue::Item(list);
                let first = node
                    .first_child()
                    .filter(|p| matches!(p.data().value, NodeValue::Paragraph));
                let text = first
                    .map(|p| collapse(&p.collect_text()))
                    .unwrap_or_default();
                let line = node.data().sourcepos.start.line + line_offset;
                let id = if interactive {
                    let context = heading
                        .and_then(|h| headings.get(h))
                        .map_or("", String::as_str);
                    let base = item_id(context, &text);
                    let (count, first_line) = repeats.entry(base.clone()).or_insert((0, line));
                    *count += 1;
                    if *count > 1 {
                        notes.push(Note {
                            line,
                            message: crate::tr!(
                                "site.markdown.item_repeats",
                                text = text,
                                line = first_line
                            ),
                        });
                        Some(format!("{base}-{count}"))
                    } else {
                        Some(base)
                    }
                } else {
                    None
                };
                label(arena, node, first, checked, id.as_deref());
                if let Some(id) = id {
                    items.push(ChecklistItem {
                        id,
                        text,
                        heading,
                        checked,
                        line,
                    });
                }
            }
        }
    }
    (items, notes)
}

fn label<'a>(
    arena: &'a Arena<'a>,
    item: &'a AstNode<'a>,
    first: Option<&'a AstNode<'a>>,
    checked: bool,
    id: Option<&str>,
) {
    let raw = |html: String| arena.alloc(AstNode::from(NodeValue::Raw(html)));
    let checked = if checked { " checked" } else { "" };
    let input = match id {
        Some(id) => format!(
            "<label class=\"task-item\"><input type=\"checkbox\" class=\"task-list-item-checkbox\" data-item=\"{}\"{checked}> ",
            escape_html(id)
        ),
        None => format!(
            "<label class=\"task-item\"><input type=\"checkbox\" class=\"task-list-item-checkbox\"{checked} disabled> "
        ),
    };
    match first {
        Some(p) => {
            p.prepend(raw(input));
            p.append(raw("</label>".into()));
        }
        None => item.prepend(raw(format!(
            "{input}<span class=\"visually-hidden\">待办事项</span></label>"
        ))),
    }
}

/// 8 characters of base 36 from a 64-bit FNV-1a hash of the heading and
/// the text. Whitespace is collapsed first, so re-wrapping a line keeps
/// the id.
pub fn item_id(heading: &str, text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in collapse(heading)
        .bytes()
        .chain([0x1f])
        .chain(collapse(text).bytes())
    {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let mut n = hash % 36u64.pow(8);
    let mut id = [b'0'; 8];
    for slot in id.iter_mut().rev() {
        *slot = b"0123456789abcdefghijklmnopqrstuvwxyz"[(n % 36) as usize];
        n /= 36;
    }
    String::from_utf8_lossy(&id).into_owned()
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
