//! The shape of the code, as issue 14 measures it: long functions (Rust
//! and the theme's JavaScript: `themes/default/static/assets` and the
//! search runtime's sources in `themes/default/search`), long files, and
//! cycles between the crate's top-level modules. Code under test (`tests.rs`, `tests/` folders,
//! `#[cfg(test)]` modules) does not count.
//!
//! cargo run --example shape [-- --limit-fn 80 --limit-file 700]
//!
//! It prints every function and file over its limit and every cycle, then
//! one line of figures, and exits with 1 when any limit is passed.
//! The scan is lexical (braces outside strings, characters and comments),
//! which is exact for rustfmt-formatted code and plain ES5 functions. A
//! classic script's wrapper (`(function () { … })();` at the start of a
//! line) is its file's scope, as a module would be, not a function.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn main() {
    let mut limit_fn = 80;
    let mut limit_file = 700;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || -> usize {
            args.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{a} needs a number"))
        };
        match a.as_str() {
            "--limit-fn" => limit_fn = value(),
            "--limit-file" => limit_file = value(),
            other => panic!("unknown argument {other}"),
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut rust = Vec::new();
    walk(&root.join("src"), "rs", &mut rust);
    // The theme's scripts, and the search runtime's sources, which the
    // build joins into `assets/search.js` (src/theme.rs).
    let mut js = Vec::new();
    walk(&root.join("themes/default/static/assets"), "js", &mut js);
    walk(&root.join("themes/default/search"), "js", &mut js);

    let mut long_fns = Vec::new();
    let mut long_files = Vec::new();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut fn_count = 0;
    for path in &rust {
        let rel = path.strip_prefix(root).unwrap().display().to_string();
        if is_test_file(&rel) {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let code = without_test_modules(&text);
        let lines = code.lines().count();
        if lines > limit_file {
            long_files.push((lines, rel.clone()));
        }
        for (name, n) in functions(&code, rust_fn_name, false) {
            fn_count += 1;
            if n > limit_fn {
                long_fns.push((n, format!("{rel}: fn {name}")));
            }
        }
        let module = top_module(&rel);
        for used in crate_uses(&code) {
            if used != module {
                edges.entry(module.clone()).or_default().insert(used);
            }
        }
    }
    // The JavaScript apart as well: (functions, longest, largest file).
    let mut js_figures = (0, 0, 0);
    for path in &js {
        let rel = path.strip_prefix(root).unwrap().display().to_string();
        let text = std::fs::read_to_string(path).unwrap();
        let lines = text.lines().count();
        js_figures.2 = js_figures.2.max(lines);
        if lines > limit_file {
            long_files.push((lines, rel.clone()));
        }
        for (name, n) in functions(&text, js_fn_name, true) {
            fn_count += 1;
            js_figures.0 += 1;
            js_figures.1 = js_figures.1.max(n);
            if n > limit_fn {
                long_fns.push((n, format!("{rel}: function {name}")));
            }
        }
    }
    long_fns.sort_by(|a, b| b.cmp(a));
    long_files.sort_by(|a, b| b.cmp(a));
    let cycles = cycles(&edges);

    println!("## Functions over {limit_fn} lines ({})\n", long_fns.len());
    for (n, what) in &long_fns {
        println!("{n:>5}  {what}");
    }
    println!(
        "\n## Files over {limit_file} lines ({})\n",
        long_files.len()
    );
    for (n, what) in &long_files {
        println!("{n:>5}  {what}");
    }
    println!("\n## Module cycles ({})\n", cycles.len());
    for cycle in &cycles {
        println!("  {}", cycle.join(" → "));
    }
    let pipeline = std::fs::read_to_string(root.join("src/pipeline/mod.rs")).unwrap_or_default();
    let pipeline_code = without_test_modules(&pipeline);
    let build_with = functions(&pipeline_code, rust_fn_name, false)
        .into_iter()
        .find(|(name, _)| name == "build_with")
        .map_or(0, |(_, n)| n);
    println!(
        "\nfunctions {fn_count}, over {limit_fn} lines {}; files over {limit_file} lines {}; \
         module cycles {}; src/pipeline/mod.rs {} lines; build_with {build_with} lines",
        long_fns.len(),
        long_files.len(),
        cycles.len(),
        pipeline_code.lines().count(),
    );
    let (js_fns, js_longest, js_largest) = js_figures;
    println!(
        "javascript: {} files, functions {js_fns}, longest {js_longest} lines; largest file {js_largest} lines",
        js.len()
    );
    if !(long_fns.is_empty() && long_files.is_empty() && cycles.is_empty()) {
        std::process::exit(1);
    }
}

fn walk(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

fn is_test_file(rel: &str) -> bool {
    rel.ends_with("/tests.rs") || rel.contains("/tests/")
}

/// `src/a/b.rs` and `src/a.rs` are module `a`; `src/lib.rs`, `main.rs`: `crate`.
fn top_module(rel: &str) -> String {
    let rest = rel.strip_prefix("src/").unwrap_or(rel);
    let first = rest.split('/').next().unwrap_or(rest);
    let name = first.strip_suffix(".rs").unwrap_or(first);
    match name {
        "lib" | "main" => "crate".into(),
        other => other.into(),
    }
}

/// The text with every `#[cfg(test)]` item (a test module, a test-only
/// function) blanked out.
fn without_test_modules(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() == "#[cfg(test)]" {
            // Skip the attribute and the item after it.
            let mut depth = 0i32;
            let mut opened = false;
            i += 1;
            while i < lines.len() {
                let line = lines[i];
                i += 1;
                for c in code_chars(line, false) {
                    match c {
                        '{' => {
                            depth += 1;
                            opened = true;
                        }
                        '}' => depth -= 1,
                        _ => {}
                    }
                }
                let ended = (opened && depth <= 0) || (!opened && line.trim_end().ends_with(';'));
                if ended {
                    break;
                }
            }
            continue;
        }
        out.push(lines[i]);
        i += 1;
    }
    out.join("\n")
}

/// The characters of a line that are code: not inside a string, a
/// character literal (Rust), a regular expression (JavaScript) or a `//`
/// comment (good enough for braces).
fn code_chars(line: &str, js: bool) -> Vec<char> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    let mut quote: Option<char> = None;
    while i < chars.len() {
        let c = chars[i];
        match quote {
            Some(q) => {
                if c == '\\' {
                    i += 1;
                } else if c == q {
                    quote = None;
                }
            }
            None => {
                if c == '/' && chars.get(i + 1) == Some(&'/') {
                    break;
                }
                if c == '/' && js && regex_may_start(&out) {
                    // A regular expression literal: to its closing `/`,
                    // past escapes and character classes.
                    let mut class = false;
                    i += 1;
                    while i < chars.len() {
                        match chars[i] {
                            '\\' => i += 1,
                            '[' => class = true,
                            ']' => class = false,
                            '/' if !class => break,
                            _ => {}
                        }
                        i += 1;
                    }
                } else if c == '"' || c == '`' || (js && c == '\'') {
                    quote = Some(c);
                } else if c == '\'' {
                    // A char literal ('{', '\n'), not a lifetime ('a).
                    let close = if chars.get(i + 1) == Some(&'\\') {
                        chars[i + 2..]
                            .iter()
                            .position(|&d| d == '\'')
                            .map(|p| i + 2 + p)
                    } else if chars.get(i + 2) == Some(&'\'') {
                        Some(i + 2)
                    } else {
                        None
                    };
                    if let Some(end) = close {
                        i = end + 1;
                        continue;
                    }
                    out.push(c);
                } else {
                    out.push(c);
                }
            }
        }
        i += 1;
    }
    out
}

/// Whether a `/` after `before` (code so far) starts a regular expression
/// rather than dividing.
fn regex_may_start(before: &[char]) -> bool {
    match before.iter().rev().find(|c| !c.is_whitespace()) {
        None => true,
        Some(c) => "(,=:[!&|?{};+-*%<>~^".contains(*c),
    }
}

fn rust_fn_name(line: &str) -> Option<String> {
    let t = line.trim_start();
    let mut words = t.split_whitespace().peekable();
    while let Some(w) = words.peek() {
        if w.starts_with("pub") || ["const", "async", "unsafe", "extern"].contains(w) {
            words.next();
        } else {
            break;
        }
    }
    if words.next()? != "fn" {
        return None;
    }
    let name = words.next()?;
    Some(name.split(['(', '<']).next().unwrap_or(name).to_string())
}

fn js_fn_name(line: &str) -> Option<String> {
    let at = line.find("function")?;
    let before = &line[..at];
    if before.ends_with(|c: char| c.is_alphanumeric() || c == '_') {
        return None;
    }
    let rest = line[at + "function".len()..].trim_start();
    let name: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
        .collect();
    // Anonymous functions count under the name of what holds them.
    let name = if name.is_empty() {
        before
            .trim_end()
            .trim_end_matches(['=', ':', '(', ' '])
            .rsplit([' ', '.', '(', ','])
            .next()
            .filter(|s| !s.is_empty())
            .map_or("(anonymous)".to_string(), |s| format!("{s} (anonymous)"))
    } else {
        name
    };
    rest.contains('(').then_some(name)
}

/// Every function whose header `name_of` recognises, with its length in
/// lines from the header to its closing brace. Nested functions are
/// counted on their own and inside the function that holds them.
fn functions(code: &str, name_of: fn(&str) -> Option<String>, js: bool) -> Vec<(String, usize)> {
    let lines: Vec<&str> = code.lines().collect();
    let mut out = Vec::new();
    for (start, line) in lines.iter().enumerate() {
        let Some(name) = name_of(line) else { continue };
        // A classic script's wrapper, `(function () { … })();`, is the
        // file's scope (what a module would be), not a function.
        if js && line.starts_with("(function") {
            continue;
        }
        let mut depth = 0i32;
        let mut opened = false;
        let mut end = None;
        'scan: for (k, l) in lines.iter().enumerate().skip(start) {
            // Only from the header on the first line.
            let from = if k == start {
                l.find("fn ").or_else(|| l.find("function")).unwrap_or(0)
            } else {
                0
            };
            for c in code_chars(&l[from..], js) {
                match c {
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' => {
                        depth -= 1;
                        if opened && depth == 0 {
                            end = Some(k);
                            break 'scan;
                        }
                    }
                    // A declaration without a body (`fn f();` in a trait).
                    ';' if !opened => break 'scan,
                    _ => {}
                }
            }
        }
        if let Some(end) = end {
            out.push((name, end - start + 1));
        }
    }
    out
}

/// Top-level modules this code names: `crate::x` anywhere, and `use
/// crate::{x, y::z}` groups.
fn crate_uses(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let body = &group[..group.find('}').unwrap_or(group.len())];
            // The first segment of each path in the group.
            for part in split_top_level(body) {
                let name = ident(part.trim());
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

/// Splits `a, b::{c, d}, e` at the commas outside braces.
fn split_top_level(body: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0;
    let mut from = 0;
    for (i, c) in body.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&body[from..i]);
                from = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&body[from..]);
    parts
}

/// The strongly connected components of more than one module (Tarjan's
/// algorithm), each listed in order.
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        if let Some(next) = s.edges.get(v) {
            for w in next {
                let w = w.as_str();
                if !s.index.contains_key(w) {
                    visit(s, w);
                    let lw = s.low[w];
                    let lv = s.low.get_mut(v).unwrap();
                    *lv = (*lv).min(lw);
                } else if s.on_stack.contains(w) {
                    let iw = s.index[w];
                    let lv = s.low.get_mut(v).unwrap();
                    *lv = (*lv).min(iw);
                }
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.out.push(component);
            }
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in edges.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}
