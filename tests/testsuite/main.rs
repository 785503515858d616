//! zhiku's integration tests: one binary, a module per feature (see
//! README.md in this folder).

// A test binary has no public API; `pub` here means "shared by modules".
#![allow(unreachable_pub)]

mod build;
mod cli;
mod config;
mod customise;
mod disk_cache;
mod domain;
mod front_matter;
mod html;
mod incremental;
mod install;
mod link_check;
mod links;
mod markdown;
mod messages;
mod new;
mod pack;
mod quiz;
mod relevance;
mod reliability;
mod rendered;
mod sections;
mod serve;
mod single_file;
mod site_test;
mod templates;
mod tool;
mod ui_language;
