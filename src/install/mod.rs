//! The installable site (issue 8): a web app manifest and its icons, so
//! that a member who opens the site from a web server can put it on a
//! phone's home screen. The theme's service worker (`sw.js`, see
//! `themes/default/static/`) then keeps it readable offline.
//!
//! 1. [`manifest`]: `manifest.webmanifest` from site.toml (name, short
//!    name, description, language) with the theme's colours.
//! 2. [`icon_svg`]: the title's first character, white on the theme
//!    colour, as the header's mark shows it.
//! 3. PNG icons for launchers that want bitmaps: [`icon::draw`] then
//!    [`png::encode_rgba`]. They do not depend on the site, so they are
//!    drawn once per process.
//!
//! Every URL is relative to the manifest at the output root, so the site
//! installs from any sub-path. Opened from disk, browsers ignore all of it.

pub mod icon;
pub mod png;

use std::sync::OnceLock;

use rayon::prelude::*;

use serde_json::json;

use crate::config::Config;
use crate::output::OutputFile;
use crate::width::{char_width, display_width};

/// Where the manifest is written.
pub const MANIFEST: &str = "manifest.webmanifest";

/// The theme colour: `--accent` of the default theme's light scheme (a
/// test checks zhiku.css still has it).
pub const THEME_COLOR: &str = "#a8231b";

/// The splash screen behind the icon: `--bg` of the light scheme.
pub const BACKGROUND_COLOR: &str = "#fbf9f5";

const COLOR_RGB: [u8; 3] = [0xa8, 0x23, 0x1b];

/// The widest a short name may be, counting a CJK character as two: what
/// fits under an icon on a home screen (about six Chinese characters).
const SHORT_WIDTH: usize = 12;

/// The bitmap icons: path, size in pixels, frame, purpose.
const PNG_ICONS: [(&str, u32, icon::Frame, &str); 4] = [
    ("assets/icon-192.png", 192, icon::ROUNDED, "any"),
    ("assets/icon-512.png", 512, icon::ROUNDED, "any"),
    ("assets/icon-maskable-512.png", 512, icon::FULL, "maskable"),
    // iOS ignores the manifest's icons and fills transparency with black.
    ("assets/apple-touch-icon.png", 180, icon::FULL, ""),
];

/// The SVG icon's path.
pub const ICON_SVG: &str = "assets/icon.svg";

/// The system font stack of zhiku.css: the SVG names no web font.
const FONT_STACK: &str = "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', \
     'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', \
     'Noto Sans SC', 'WenQuanYi Micro Hei', 'Helvetica Neue', Arial, sans-serif";

/// The manifest, the SVG icon and the PNG icons; `logo` is the bytes of
/// the site's logo, when site.toml names one.
pub fn files(config: &Config, logo: Option<&[u8]>) -> Vec<OutputFile> {
    let mut files = vec![
        OutputFile {
            path: MANIFEST.into(),
            bytes: manifest(config, logo).into_bytes(),
        },
        OutputFile {
            path: ICON_SVG.into(),
            bytes: icon_svg(&config.title).into_bytes(),
        },
    ];
    files.extend(png_icons().iter().map(|(path, bytes)| OutputFile {
        path: (*path).into(),
        bytes: bytes.clone(),
    }));
    files
}

/// The PNG icons, drawn and encoded on first use (a tenth of a second
/// that a rebuild need not pay again).
fn png_icons() -> &'static [(&'static str, Vec<u8>)] {
    static ICONS: OnceLock<Vec<(&'static str, Vec<u8>)>> = OnceLock::new();
    ICONS.get_or_init(|| {
        PNG_ICONS
            .par_iter()
            .map(|&(path, size, frame, _)| {
                let pixels = icon::draw(size, COLOR_RGB, frame);
                (path, png::encode_rgba(size, size, &pixels))
            })
            .collect()
    })
}

/// The smallest logo that becomes the installed app's icon: launchers ask
/// for 192 px (Android's home screen), and a smaller image would be
/// blurred there; zhiku's drawn icon stays instead.
pub const APP_ICON_MIN: u32 = 192;

/// How the logo serves as the app's icon: `Some(sizes)` (`"any"` for SVG,
/// `"512x512"`) when it is an SVG or a square PNG of at least
/// [`APP_ICON_MIN`] pixels.
pub fn logo_icon_sizes(path: &str, bytes: &[u8]) -> Option<String> {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".svg") {
        return Some("any".into());
    }
    let (width, height) = png_size(bytes)?;
    (width == height && width >= APP_ICON_MIN).then(|| format!("{width}x{height}"))
}

/// A PNG's width and height, from its header.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.len() < 24 || &bytes[..8] != b"\x89PNG\r\n\x1a\n" || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let word =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    Some((word(16), word(20)))
}

/// `manifest.webmanifest`: what a browser needs to install the site.
pub fn manifest(config: &Config, logo: Option<&[u8]>) -> String {
    let logo_icon = config
        .logo
        .as_ref()
        .zip(logo)
        .and_then(|((path, _), bytes)| Some((path, logo_icon_sizes(path, bytes)?)));
    let icons = match logo_icon {
        Some((path, sizes)) => {
            let kind = if sizes == "any" {
                "image/svg+xml"
            } else {
                "image/png"
            };
            vec![json!({ "src": path, "sizes": sizes, "type": kind, "purpose": "any" })]
        }
        None => {
            let mut icons = vec![json!({
                "src": ICON_SVG,
                "sizes": "any",
                "type": "image/svg+xml",
            })];
            for (path, size, _, purpose) in PNG_ICONS.iter().filter(|i| !i.3.is_empty()) {
                icons.push(json!({
                    "src": path,
                    "sizes": format!("{size}x{size}"),
                    "type": "image/png",
                    "purpose": purpose,
                }));
            }
            icons
        }
    };
    let short = config
        .short_title
        .clone()
        .unwrap_or_else(|| short_name(&config.title));
    let mut manifest = json!({
        "name": config.title,
        "short_name": short,
        "lang": config.language,
        "start_url": "./index.html",
        "scope": "./",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": icons,
    });
    if !config.description.is_empty() {
        manifest["description"] = json!(config.description);
    }
    let mut text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    text.push('\n');
    text
}

/// The title's first character, white on the theme colour, in a rounded
/// square: the header's mark as an icon.
pub fn icon_svg(title: &str) -> String {
    let mark = title.trim().chars().next().unwrap_or('知');
    let mark = crate::markdown::escape_html(&mark.to_string());
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 512 512\">\
         <rect width=\"512\" height=\"512\" rx=\"96\" fill=\"{THEME_COLOR}\"/>\
         <text x=\"256\" y=\"256\" dy=\"0.36em\" text-anchor=\"middle\" font-size=\"300\" \
         font-weight=\"700\" fill=\"#fff\" font-family=\"{FONT_STACK}\">{mark}</text></svg>\n"
    )
}

/// The name under the icon: the title when it fits; else its part before
/// a separator (`知库 · 某街道` → `知库`); else its start.
pub fn short_name(title: &str) -> String {
    let title = title.trim();
    if display_width(title) <= SHORT_WIDTH {
        return title.to_string();
    }
    for sep in [
        '·', '・', '|', '｜', '—', '–', ':', '：', '(', '（', ',', '，',
    ] {
        if let Some((head, _)) = title.split_once(sep) {
            let head = head.trim();
            if !head.is_empty() && display_width(head) <= SHORT_WIDTH {
                return head.to_string();
            }
        }
    }
    let mut out = String::new();
    let mut used = 0;
    for c in title.chars() {
        used += char_width(c);
        if used > SHORT_WIDTH {
            break;
        }
        out.push(c);
    }
    // Latin words are not cut in the middle when a whole one fits.
    if title[out.len()..].starts_with(|c: char| c.is_ascii_alphanumeric())
        && let Some(space) = out.rfind(' ')
    {
        out.truncate(space);
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests;
