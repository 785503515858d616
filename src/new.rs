//! `zhiku new KIND PATH`: starts a page of one kind — regulation,
//! checklist, case or page — with that kind's front matter and a short
//! Chinese skeleton that builds as it is.
//!
//! 1. PATH is read as a path under `content/` ([`content_path`]): `.md`
//!    and a leading `content/` are optional; `..`, absolute paths and
//!    names the build would skip (hidden files, `_index.md`) are refused.
//! 2. The skeleton is the site's own `archetypes/KIND.md` when it has one
//!    (as in Hugo), else the built-in one (`src/new/KIND.md`); its
//!    placeholders `{{ title }}` and `{{ date }}` are filled in
//!    ([`fill`]). Any other `{{ … }}` is an error at its line and column.
//! 3. The result must parse as a page's front matter, so that a broken
//!    archetype is reported here, naming its file and line, and not by the
//!    next build.
//! 4. The file is created, with its folders, never over an existing file
//!    and never through a symbolic link leading out of `content/`.

use std::path::{Component, Path};

use anyhow::Context;

use crate::content::front_matter::Date;
use crate::content::page::{self, PageMeta};
use crate::content::{Kind, discover};
use crate::diagnostics::{Diagnostic, Refused, line_col};
use crate::tr;

/// The folder of a site's own archetypes.
pub const ARCHETYPES_DIR: &str = "archetypes";

/// The placeholders an archetype may use.
pub const PLACEHOLDERS: &[&str] = &["title", "date"];

/// What to create.
#[derive(Debug, Clone)]
pub struct NewOptions {
    /// The kind of page.
    pub kind: Kind,
    /// The path as the user wrote it, relative to `content/`.
    pub path: String,
    /// The title; derived from the file name when absent.
    pub title: Option<String>,
    /// The date `{{ date }}` stands for (today, where the author is).
    pub today: Date,
}

/// What was created.
#[derive(Debug, Clone)]
pub struct Created {
    /// The file, relative to the site folder (`content/cases/a.md`).
    pub file: String,
    /// The page's title.
    pub title: String,
    /// Whether the title was taken from the file name.
    pub title_from_name: bool,
    /// The site's archetype used, relative to the site folder, if any.
    pub archetype: Option<String>,
}

/// Why nothing was created: a refusal the user can act on (a file that
/// exists, a path outside `content/`, a broken archetype), or an IO error.
#[derive(Debug)]
pub enum NewFailure {
    /// Refused, with where and why.
    Refused(Diagnostic),
    /// Reading or writing failed.
    Io(anyhow::Error),
}

impl From<anyhow::Error> for NewFailure {
    fn from(e: anyhow::Error) -> Self {
        NewFailure::Io(e)
    }
}

/// Creates the page described by `options` in the site at `site_dir`.
pub fn new_page(site_dir: &Path, options: &NewOptions) -> Result<Created, NewFailure> {
    if !site_dir.join(crate::config::CONFIG_FILE).is_file() {
        let message = tr!(
            "cli.new_not_a_site",
            dir = site_dir.display(),
            file = crate::config::CONFIG_FILE
        );
        return Err(anyhow::Error::new(Refused(message)).into());
    }
    let rel = content_path(&options.path).map_err(NewFailure::Refused)?;
    let file = format!("content/{rel}");
    let (title, title_from_name) = match &options.title {
        Some(t) => (t.trim().to_string(), false),
        None => (title_from_file_name(&rel), true),
    };
    check_title(&title).map_err(NewFailure::Refused)?;
    let kind = options.kind.as_str();
    let own = format!("{ARCHETYPES_DIR}/{kind}.md");
    let own_path = site_dir.join(&own);
    let (archetype, label) = if own_path.is_file() {
        let bytes = crate::fs::read(&own_path)?;
        let text = page::decode(&own, bytes).map_err(NewFailure::Refused)?;
        (text, Some(own))
    } else {
        (built_in(options.kind).to_string(), None)
    };
    let skeleton = tr!("new.built_in");
    let source = label.as_deref().unwrap_or(&skeleton);
    let text = fill(source, &archetype, &title, options.today).map_err(NewFailure::Refused)?;
    // A page that would not build is refused now, at the archetype's line.
    if let Err(d) = page::parse::<PageMeta>(source, &text) {
        return Err(NewFailure::Refused(
            d.with_hint(tr!("new.would_not_build", file = file)),
        ));
    }
    let content = site_dir.join("content");
    let target = content.join(&rel);
    if crate::fs::symlink_metadata(&target).is_some() {
        return Err(NewFailure::Refused(
            Diagnostic::error(&file, tr!("new.exists")).with_hint(tr!("new.exists_hint")),
        ));
    }
    check_inside(&content, &target, &file)?;
    let parent = target.parent().unwrap_or(&content);
    crate::fs::create_dir_all(parent)?;
    if !crate::fs::write_if_absent(&target, text.as_bytes())? {
        // Created by someone else between the check and the write.
        return Err(NewFailure::Refused(Diagnostic::error(
            &file,
            tr!("new.exists"),
        )));
    }
    Ok(Created {
        file,
        title,
        title_from_name,
        archetype: label,
    })
}

/// The built-in skeleton of a kind.
pub fn built_in(kind: Kind) -> &'static str {
    match kind {
        Kind::Regulation => include_str!("new/regulation.md"),
        Kind::Checklist => include_str!("new/checklist.md"),
        Kind::Case => include_str!("new/case.md"),
        Kind::Quiz => include_str!("new/quiz.md"),
        Kind::Page => include_str!("new/page.md"),
    }
}

/// PATH as written (`cases/a`, `content/cases/a.md`, `cases\a.md`) as a
/// `/`-separated path under `content/` ending in `.md`; refused when it
/// would lead outside `content/` or name a file the build skips.
pub fn content_path(written: &str) -> Result<String, Diagnostic> {
    let refuse =
        |message: String, hint: String| Err(Diagnostic::error(written, message).with_hint(hint));
    let inside = || tr!("new.path_inside_hint");
    let path = written.trim().replace('\\', "/");
    if path.is_empty() || path.ends_with('/') {
        return refuse(tr!("new.path_folder"), inside());
    }
    let mut parts = Vec::new();
    for component in Path::new(&path).components() {
        match component {
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            Component::CurDir => {}
            Component::ParentDir => {
                return refuse(tr!("new.path_outside"), inside());
            }
            Component::RootDir | Component::Prefix(_) => {
                return refuse(tr!("new.path_absolute"), inside());
            }
        }
    }
    if parts.first().is_some_and(|p| p == "content") && parts.len() > 1 {
        parts.remove(0);
    }
    if parts.iter().any(|p| discover::is_ignored_name(p)) {
        return refuse(tr!("new.path_skipped"), tr!("new.path_skipped_hint"));
    }
    let Some(last) = parts.last_mut() else {
        return refuse(tr!("new.path_no_file"), inside());
    };
    if discover::markdown_stem(last).is_none() {
        last.push_str(".md");
    }
    let name = last.clone();
    if discover::markdown_stem(&name) == Some("_index") {
        return refuse(tr!("new.path_index"), tr!("new.path_index_hint"));
    }
    Ok(parts.join("/"))
}

/// A title from a file name: its stem, with `-` and `_` read as spaces
/// (`huiyi-jilu.md` → `huiyi jilu`, `会议记录不全.md` → itself).
fn title_from_file_name(rel: &str) -> String {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let stem = discover::markdown_stem(name).unwrap_or(name);
    stem.replace(['-', '_'], " ").trim().to_string()
}

/// The built-in skeletons write the title in double quotes, so that any
/// title but one holding `"`, `\` or a line break gives valid YAML.
fn check_title(title: &str) -> Result<(), Diagnostic> {
    let bad = title
        .chars()
        .find(|c| matches!(c, '"' | '\\') || c.is_control());
    if title.is_empty() {
        return Err(Diagnostic::error("--title", tr!("new.title_empty"))
            .with_hint(tr!("new.title_empty_hint")));
    }
    if let Some(c) = bad {
        return Err(
            Diagnostic::error("--title", tr!("new.title_char", char = format!("{c:?}")))
                .with_hint(tr!("new.title_char_hint")),
        );
    }
    Ok(())
}

/// Fills the placeholders of `archetype` (read from `source`); any other
/// `{{ … }}` is an error at its line and column.
pub fn fill(source: &str, archetype: &str, title: &str, today: Date) -> Result<String, Diagnostic> {
    let mut out = String::with_capacity(archetype.len() + title.len());
    let mut rest = archetype;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        let name = rest[start + 2..start + len].trim();
        let value = match name {
            "title" => title.to_string(),
            "date" => today.to_string(),
            // A quiz's blank (`{{季度}}`) is the page's own text.
            _ if !name.is_ascii() => rest[start..start + len + 2].to_string(),
            _ => {
                let offset = archetype.len() - rest.len() + start;
                let (line, column) = line_col(archetype, offset);
                let known: Vec<String> = PLACEHOLDERS
                    .iter()
                    .map(|p| format!("{{{{ {p} }}}}"))
                    .collect();
                return Err(Diagnostic::error(
                    source,
                    tr!(
                        "new.placeholder",
                        placeholder = &rest[start..start + len + 2]
                    ),
                )
                .at(line, column)
                .with_hint(tr!("new.placeholder_hint", known = known.join(" and "))));
            }
        };
        out.push_str(&rest[..start]);
        out.push_str(&value);
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Refuses a target whose nearest existing folder lies outside `content/`
/// (a symbolic link on the way): the new file would be written elsewhere.
fn check_inside(content: &Path, target: &Path, file: &str) -> Result<(), NewFailure> {
    if !content.exists() {
        return Ok(());
    }
    let root = crate::fs::canonicalize(content)?;
    let mut existing: &Path = target.parent().unwrap_or(content);
    while !existing.exists() {
        match existing.parent() {
            Some(parent) => existing = parent,
            None => return Ok(()),
        }
    }
    let real =
        crate::fs::canonicalize(existing).with_context(|| tr!("new.cannot_check", file = file))?;
    if real.starts_with(&root) {
        Ok(())
    } else {
        Err(NewFailure::Refused(
            Diagnostic::error(file, tr!("new.through_link", target = real.display()))
                .with_hint(tr!("new.through_link_hint")),
        ))
    }
}

/// Today's date where the author is: the local calendar day (UTC where
/// the system cannot say). Authoring only: builds never read the clock.
pub fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let secs = i64::try_from(secs).unwrap_or(0) + local_offset_seconds(secs);
    civil_from_days(secs.div_euclid(86_400))
}

#[cfg(unix)]
#[allow(clippy::unnecessary_cast)] // `c_long` is not `i64` everywhere
fn local_offset_seconds(secs: u64) -> i64 {
    let Ok(time) = libc::time_t::try_from(secs) else {
        return 0;
    };
    // SAFETY: `localtime_r` only writes the `tm` we own; both pointers are
    // valid for the call.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let result = unsafe { libc::localtime_r(&time, &mut tm) };
    if result.is_null() {
        0
    } else {
        tm.tm_gmtoff as i64
    }
}

#[cfg(not(unix))]
fn local_offset_seconds(_secs: u64) -> i64 {
    0
}

/// The calendar date of a day counted from 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Date {
        year: u16::try_from(year).unwrap_or(1970),
        month: month as u8,
        day: day as u8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_paths_under_content() {
        for (written, rel) in [
            ("cases/a", "cases/a.md"),
            ("cases/a.md", "cases/a.md"),
            ("content/cases/a.md", "cases/a.md"),
            ("./cases/会议记录不全", "cases/会议记录不全.md"),
            ("cases\\a", "cases/a.md"),
            ("a.markdown", "a.markdown"),
            ("content", "content.md"),
        ] {
            assert_eq!(content_path(written).unwrap(), rel, "{written}");
        }
        for bad in [
            "../a.md",
            "cases/../../a.md",
            "/etc/a.md",
            "",
            "cases/",
            ".hidden.md",
            "cases/_index.md",
            "a.md~",
        ] {
            assert!(content_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn fills_placeholders_and_rejects_unknown_ones_at_their_place() {
        let date = Date::parse("2024-03-01").unwrap();
        let text = fill(
            "a.md",
            "title: \"{{ title }}\"\ndate: {{date}}\n",
            "甲",
            date,
        )
        .unwrap();
        assert_eq!(text, "title: \"甲\"\ndate: 2024-03-01\n");
        let d = fill(
            "archetypes/case.md",
            "---\ntitle: x\nby: {{ author }}\n",
            "甲",
            date,
        )
        .unwrap_err();
        assert_eq!((d.line, d.column), (Some(3), Some(5)), "{d}");
        assert!(d.message.contains("{{ author }}"), "{d}");
    }

    #[test]
    fn every_built_in_skeleton_parses_with_any_plain_title() {
        let date = Date::parse("2024-03-01").unwrap();
        for kind in Kind::ALL {
            for title in [
                "会议记录不全",
                "标题：含冒号 # 与井号",
                "[方括号]",
                "- 开头",
            ] {
                let text = fill("x", built_in(kind), title, date).unwrap();
                let parsed = page::parse::<PageMeta>("x", &text).unwrap();
                assert_eq!(parsed.meta.title, title);
                assert_eq!(parsed.meta.kind, Some(kind));
            }
        }
    }

    #[test]
    fn derives_titles_and_refuses_unquotable_ones() {
        assert_eq!(title_from_file_name("cases/huiyi-jilu.md"), "huiyi jilu");
        assert_eq!(title_from_file_name("会议记录不全.md"), "会议记录不全");
        assert!(check_title("a\"b").is_err());
        assert!(check_title("a\nb").is_err());
        assert!(check_title("").is_err());
        assert!(check_title("《规定》“引号”").is_ok());
    }

    #[test]
    fn counts_calendar_days() {
        assert_eq!(civil_from_days(0).to_string(), "1970-01-01");
        assert_eq!(civil_from_days(19_782).to_string(), "2024-02-29");
        assert_eq!(civil_from_days(20_792).to_string(), "2026-12-05");
    }
}
