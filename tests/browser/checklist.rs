//! Checklists as a member uses them from disk: ticks persist across
//! reloads and across a rebuild that inserts an item above them; broken
//! storage does not break the list.

use std::path::Path;

use crate::Ctx;
use crate::cdp::{Page, Result};
use crate::sites::{build_site, ensure, file_url};

/// A copy of the domain fixture, so the test can edit its source.
fn fixture() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let out = dir.path().join("out");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/domain"),
        &site,
    );
    build_site(&site, &out);
    (dir, site, out)
}

fn copy_tree(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let target = dst.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `checked` of the item whose label contains `text`.
fn is_checked(page: &mut Page<'_>, text: &str) -> Result<bool> {
    let js = format!(
        "(() => {{ const l = Array.from(document.querySelectorAll('label.task-item')).find(l => l.textContent.includes({t})); \
         if (!l) throw new Error('no item ' + {t}); return l.querySelector('input').checked; }})()",
        t = serde_json::Value::from(text)
    );
    page.eval_bool(&js)
}

/// Whether the item settles as `want` within a few seconds of a load (the
/// checklist script restores ticks once it has run).
fn settles(page: &mut Page<'_>, text: &str, want: bool) -> Result<bool> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    loop {
        if is_checked(page, text)? == want {
            return Ok(true);
        }
        if std::time::Instant::now() > deadline {
            return Ok(false);
        }
        std::thread::sleep(std::time::Duration::from_millis(30));
    }
}

fn click(page: &mut Page<'_>, text: &str) -> Result<()> {
    let js = format!(
        "Array.from(document.querySelectorAll('label.task-item')).find(l => l.textContent.includes({})).querySelector('input').click()",
        serde_json::Value::from(text)
    );
    page.eval(&js).map(|_| ())
}

pub fn ticks_survive_reload_and_an_inserted_item(ctx: &mut Ctx) -> Result<()> {
    let (_dir, site, out) = fixture();
    let url = file_url(&out, "checklists/meeting/index.html");
    let mut page = ctx.browser.new_page()?;
    page.goto(&url)?;
    let problems = page.problems();
    ensure(problems.is_empty(), || format!("{problems:#?}"))?;
    ensure(
        !is_checked(&mut page, "确定议题")? && is_checked(&mut page, "通知全体党员")?,
        || "defaults wrong".into(),
    )?;
    click(&mut page, "确定议题")?;
    click(&mut page, "整理记录")?;
    click(&mut page, "通知全体党员")?; // untick a default
    // Saved under this page's key before the reload (tells a saving fault
    // from a loading one): two ticks and one untick.
    let stored = page.eval(
        "localStorage.getItem(document.querySelector('[data-checklist]').getAttribute('data-checklist'))",
    )?;
    let stored = stored.as_str().unwrap_or("").to_string();
    ensure(
        stored.contains("\"v\":1")
            && stored.matches(":true").count() == 2
            && stored.matches(":false").count() >= 1,
        || format!("not saved before reload: {stored}"),
    )?;
    // Chromium hands localStorage writes to its storage process
    // asynchronously; a reload within milliseconds of the write can come
    // up before it lands (a member reloads seconds later). Wait a moment.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    page.goto(&url)?;
    // On a failure, what storage and the boxes held (it has failed twice
    // in many runs, under load, and never when watched).
    let state = |page: &mut Page<'_>| {
        page.eval(
            "JSON.stringify([localStorage.getItem(document.querySelector('[data-checklist]').getAttribute('data-checklist')), \
             Array.from(document.querySelectorAll('input[data-item]'), i => i.getAttribute('data-item') + '=' + i.checked)])",
        )
        .map(|v| v.to_string())
        .unwrap_or_default()
    };
    if !settles(&mut page, "确定议题", true)? {
        return Err(format!(
            "tick lost on reload; saved before: {stored}; after: {}",
            state(&mut page)
        ));
    }
    ensure(settles(&mut page, "整理记录", true)?, || {
        "tick lost on reload".into()
    })?;
    ensure(settles(&mut page, "通知全体党员", false)?, || {
        "untick of a default lost on reload".into()
    })?;
    // The trainer inserts an item above the ticked ones and rebuilds.
    let source = site.join("content/checklists/meeting.md");
    let text = std::fs::read_to_string(&source)
        .unwrap()
        .replace("## 会前\n\n", "## 会前\n\n- [ ] 新加的一项\n");
    std::fs::write(&source, text).unwrap();
    build_site(&site, &out);
    page.goto(&url)?;
    ensure(!is_checked(&mut page, "新加的一项")?, || {
        "the new item came up ticked".into()
    })?;
    ensure(settles(&mut page, "确定议题", true)?, || {
        "tick lost after inserting an item above".into()
    })?;
    ensure(settles(&mut page, "整理记录", true)?, || {
        "tick lost after inserting an item above".into()
    })?;
    ensure(settles(&mut page, "通知全体党员", false)?, || {
        "untick lost after inserting an item above".into()
    })?;
    let problems = page.problems();
    ensure(problems.is_empty(), || format!("{problems:#?}"))
}

pub fn works_when_storage_is_full_or_blocked(ctx: &mut Ctx) -> Result<()> {
    let (_dir, _site, out) = fixture();
    let url = file_url(&out, "checklists/meeting/index.html");
    let mut page = ctx.browser.new_page()?;
    page.add_init_script(
        "Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };\
         Storage.prototype.getItem = function () { throw new DOMException('blocked', 'SecurityError'); };",
    )?;
    page.goto(&url)?;
    click(&mut page, "确定议题")?;
    ensure(is_checked(&mut page, "确定议题")?, || {
        "ticking does not work without storage".into()
    })?;
    let text = page.eval("document.body.innerText")?;
    ensure(text.as_str().unwrap_or("").contains("无法保存"), || {
        "no note that progress is not saved".into()
    })?;
    let problems = page.problems();
    ensure(problems.is_empty(), || format!("{problems:#?}"))
}
