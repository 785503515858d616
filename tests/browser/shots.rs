//! Screenshots for a person to look at, in `target/screenshots/`, checked
//! before they are kept: a screenshot test fails when the file was not
//! written afresh, is not a PNG of the viewport's size, or shows a page
//! that sticks out sideways at that width.

use std::path::{Path, PathBuf};

use crate::cdp::{Page, Result};
use crate::sites::ensure;

/// Where the screenshots go.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots")
}

/// Screenshots `page`, whose viewport is `width` × `height` CSS pixels at
/// scale 1, into `dir()/name`, after checking that nothing on it overflows
/// horizontally; then reads the file back and checks its size.
pub fn capture(page: &mut Page<'_>, name: &str, (width, height): (u32, u32)) -> Result<()> {
    let path = dir().join(name);
    // A file left by an earlier run must not pass for this one.
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(format!("{}: {e}", path.display()));
        }
        _ => {}
    }
    let sticking_out = overflowing(page)?;
    ensure(sticking_out.is_empty(), || {
        format!(
            "{name}: at {width}px these stick out sideways:\n{}",
            sticking_out.join("\n")
        )
    })?;
    page.screenshot(&path)?;
    let png = std::fs::read(&path).map_err(|e| format!("{name} was not written: {e}"))?;
    let size = png_size(&png).ok_or_else(|| format!("{name} is not a PNG"))?;
    ensure(size == (width, height), || {
        format!("{name} is {size:?} pixels, not the viewport's ({width}, {height})")
    })
}

/// The visible elements that reach past either side of the screen, other
/// than those inside a box that clips or scrolls them and itself fits (a
/// wide table in its scroller), outermost first, with the page's own scroll
/// width when that is wider than the screen.
pub fn overflowing(page: &mut Page<'_>) -> Result<Vec<String>> {
    // The width is the root's clientWidth, not innerWidth: in mobile
    // emulation the layout viewport, and so innerWidth, widens to whatever
    // sticks out, and then every element "fits" it.
    const SCRIPT: &str = r"(() => {
      const w = document.documentElement.clientWidth, out = [], seen = [];
      const fits = r => r.left >= -0.5 && r.right <= w + 0.5;
      const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
        (e.classList.length ? '.' + Array.from(e.classList).join('.') : '');
      if (document.documentElement.scrollWidth > w) {
        out.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + w);
      }
      for (const e of document.body.querySelectorAll('*')) {
        const s = getComputedStyle(e), r = e.getBoundingClientRect();
        if (s.display === 'none' || s.visibility === 'hidden' || r.width === 0 || r.height === 0 || fits(r)) continue;
        let clipped = false;
        for (let a = e.parentElement; a && a !== document.body && !clipped; a = a.parentElement) {
          clipped = getComputedStyle(a).overflowX !== 'visible' && fits(a.getBoundingClientRect());
        }
        // Name the outermost element only, not each of its children too.
        if (clipped || seen.some(o => o.contains(e))) continue;
        seen.push(e);
        out.push(name(e) + ' spans ' + Math.round(r.left) + '..' + Math.round(r.right) + ' of 0..' + w);
      }
      return out;
    })()";
    let found = page.eval(SCRIPT)?;
    Ok(found
        .as_array()
        .ok_or_else(|| format!("the overflow check returned {found}"))?
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect())
}

/// Width and height from a PNG's header (its signature, then the IHDR
/// chunk), or `None` when `bytes` is not a PNG.
pub(crate) fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    let ihdr = bytes.strip_prefix(SIGNATURE)?.get(4..16)?;
    let be = |b: &[u8]| u32::from_be_bytes(b.try_into().unwrap());
    (&ihdr[..4] == b"IHDR").then(|| (be(&ihdr[4..8]), be(&ihdr[8..12])))
}
