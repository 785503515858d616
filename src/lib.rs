//! zhiku (知库) compiles a folder of curated Markdown — regulation texts,
//! meeting checklists, case studies — into a static site that works from a
//! web server and opened from disk.
//!
//! The pipeline, one module per stage, data flowing one way:
//!
//! 1. [`config`]: `site.toml` → [`config::Config`].
//! 2. [`content::discover`]: walk `content/` into source files.
//! 3. [`content::front_matter`] / [`content::page`]: typed front matter.
//! 4. [`markdown`]: Markdown → HTML, headings and links, via comrak's AST.
//! 5. [`graph`]: sections, pages, order, navigation; links resolved here.
//! 6. [`templates`]: tera renders one context per page.
//! 7. [`output`]: writes only what changed, atomically, never on error.
//!
//! [`pipeline`] runs them in order; [`cli`] is a thin layer on top.
//! [`pack`] zips a build for members to carry; [`install`] and
//! [`offline`] let members install it from a web server and read it offline.

pub mod base64;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod fold;
pub mod fs;
pub mod graph;
pub mod hash;
pub mod init;
pub mod install;
pub mod markdown;
pub mod memo;
pub mod offline;
pub mod output;
pub mod pack;
pub mod pipeline;
pub mod preview;
pub mod render;
pub mod search;
pub mod serve;
pub mod slug;
pub mod templates;
pub mod theme;
pub mod watch;
