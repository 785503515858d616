//! zhiku (知库) compiles a folder of curated Markdown — regulation texts,
//! meeting checklists, case studies — into a static site that works from a
//! web server and opened from disk.
//!
//! The build, one module per stage, data flowing one way ([`pipeline`]
//! names them in order, each owning its cache entry):
//!
//! 1. [`config`]: `site.toml` → [`config::Config`].
//! 2. [`sources`]: every Markdown file of `content/` read, per file and
//!    cached: [`content::discover`](mod@content::discover) walks the folder,
//!    [`content::front_matter`] / [`content::page`] type the front matter,
//!    [`markdown`] renders the body (comrak's AST: headings, articles,
//!    links, checklist items).
//! 3. [`graph`]: sections, pages, order, navigation, links and taxonomies,
//!    built anew every build.
//! 4. [`templates`] (over [`theme`]): the compiled tera templates, with
//!    the site's own words in its language ([`ui`]).
//! 5. [`search`]: the offline search index ([`search::stage`] runs it in a
//!    build).
//! 6. [`render`]: one context per page, section, taxonomy and print page;
//!    [`render::assets`] the static files.
//! 7. [`output`]: writes only what changed, atomically, never on error.
//!
//! Editions and tools on top: [`init`] and [`new`] start a site and its
//! pages; [`pack`] zips a build or makes the
//! single-file edition for members to carry; [`install`] and [`offline`]
//! let members install a site and read it offline; [`serve`], [`watch`]
//! and [`preview`] rebuild while an editor writes; [`cli`] is a thin layer
//! over all of them, naming zhiku in its hints through [`invocation`].
//! Leaves shared by the stages: [`diagnostics`], [`fs`], [`hash`],
//! [`base64`], [`fold`], [`slug`], [`width`].

pub mod base64;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod disk_cache;
pub mod fold;
pub mod fs;
pub mod graph;
pub mod hash;
pub mod init;
pub mod install;
pub mod invocation;
pub mod markdown;
pub mod messages;
pub mod new;
pub mod offline;
pub mod output;
pub mod pack;
pub mod pipeline;
pub mod preview;
pub mod render;
pub mod search;
pub mod serve;
pub mod slug;
pub mod sources;
pub mod templates;
pub mod term;
pub mod theme;
pub mod ui;
pub mod watch;
pub mod width;
