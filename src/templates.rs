//! Tera templates: loaded from the theme, then overridden by the site's own
//! `templates/` (a file of the same name wins, as in Zola), compiled once,
//! with the site's words ([`crate::ui`]) as `ui` in every template and the
//! `fill` filter that puts values into them.
//!
//! Template faults become diagnostics that name the real template file and
//! line — not the template that happened to include or extend it
//! (zola#1536).

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use tera::{Context, ErrorKind, Tera};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::theme::{Theme, read_tree};
use crate::tr;
use crate::ui::Ui;

/// The compiled templates of the last build, with a digest of their
/// sources: compiling them is most of the templates stage.
#[derive(Default)]
pub struct TemplateCache {
    /// False for a single build: no digest is computed, nothing kept.
    keep: bool,
    last: Option<(u64, Arc<Templates>)>,
}

impl TemplateCache {
    /// A cache that keeps its entries for the next build (`keep`), or one
    /// for a single build that keeps nothing.
    pub fn new(keep: bool) -> TemplateCache {
        TemplateCache {
            keep,
            ..TemplateCache::default()
        }
    }

    /// Stage "templates": the theme and the compiled templates, the last
    /// ones when no template's bytes changed. Problems go to `sink`.
    pub fn load(
        &mut self,
        config: &Config,
        sink: &mut Diagnostics,
    ) -> Option<(Arc<Templates>, Theme)> {
        let theme = match crate::theme::load(config) {
            Ok(t) => t,
            Err(d) => {
                sink.push(d);
                return None;
            }
        };
        let digest = self.keep.then(|| sources_digest(config, &theme));
        if let (Some(d), Some((known, loaded))) = (digest, &self.last)
            && d == *known
        {
            return Some((loaded.clone(), theme));
        }
        match Templates::load(config, &theme) {
            Ok(t) => {
                let loaded = Arc::new(t);
                if let Some(d) = digest {
                    self.last = Some((d, loaded.clone()));
                }
                Some((loaded, theme))
            }
            Err(ds) => {
                sink.extend(ds);
                None
            }
        }
    }
}

/// A digest of every template's and catalogue's name and bytes, the
/// theme's and the site's, and of the language that picks the catalogue.
fn sources_digest(config: &Config, theme: &Theme) -> u64 {
    let mut h = crate::hash::FastHasher::default();
    config.language.hash(&mut h);
    for f in theme.templates.iter().chain(&theme.catalogues) {
        (&f.rel, &f.bytes).hash(&mut h);
    }
    let site_dirs = [
        (config.templates_dir(), "templates"),
        (config.root.join(crate::ui::DIR), crate::ui::DIR),
    ];
    for (dir, label) in &site_dirs {
        match read_tree(dir, label) {
            Ok(site) => {
                for f in &site {
                    (label, &f.rel, &f.bytes).hash(&mut h);
                }
            }
            Err(d) => d.message.hash(&mut h),
        }
    }
    h.finish()
}

/// Compiled templates and where each came from, with the site's words.
#[derive(Debug)]
pub struct Templates {
    tera: Tera,
    files: BTreeMap<String, String>,
    digest: u64,
    ui: Ui,
}

impl Templates {
    /// Compiles the theme's templates with the site's overrides, and loads
    /// the site's words.
    pub fn load(config: &Config, theme: &Theme) -> Result<Templates, Vec<Diagnostic>> {
        let mut sources: BTreeMap<String, (String, String)> = BTreeMap::new();
        let site = read_tree(&config.templates_dir(), "templates").map_err(|d| vec![d])?;
        let (ui, mut errors) = match Ui::load(config, theme) {
            Ok(ui) => (Some(ui), Vec::new()),
            Err(errors) => (None, errors),
        };
        for file in theme.templates.iter().chain(&site) {
            match std::str::from_utf8(&file.bytes) {
                Ok(text) => {
                    sources.insert(file.rel.clone(), (text.to_string(), file.display.clone()));
                }
                Err(_) => errors.push(Diagnostic::error(&file.display, tr!("templates.not_utf8"))),
            }
        }
        let Some(ui) = ui.filter(|_| errors.is_empty()) else {
            return Err(errors);
        };
        let files: BTreeMap<String, String> = sources
            .iter()
            .map(|(k, (_, d))| (k.clone(), d.clone()))
            .collect();
        let mut tera = Tera::default();
        tera.register_filter("fill", crate::ui::fill_filter);
        tera.global_context().insert_value("ui", ui.value().clone());
        tera.add_raw_templates(
            sources
                .iter()
                .map(|(name, (text, _))| (name.as_str(), text.as_str())),
        )
        .map_err(|e| vec![tera_diagnostic(&files, &e, None)])?;
        let digest = {
            use std::hash::{Hash, Hasher};
            let mut h = crate::hash::FastHasher::default();
            for (name, (text, _)) in &sources {
                (name, text).hash(&mut h);
            }
            ui.digest().hash(&mut h);
            h.finish()
        };
        let templates = Templates {
            tera,
            files,
            digest,
            ui,
        };
        let missing: Vec<Diagnostic> = [
            "base.html",
            "index.html",
            "section.html",
            "page.html",
            "404.html",
        ]
        .iter()
        .filter(|name| !templates.has(name))
        .map(|name| {
            Diagnostic::error(
                format!("themes/{}/templates", theme.name),
                tr!("templates.missing_in_theme", name = name),
            )
        })
        .collect();
        if missing.is_empty() {
            Ok(templates)
        } else {
            Err(missing)
        }
    }

    /// A hash of every template's name and text and of the site's words:
    /// equal digests, equal templates (for incremental rebuilds).
    pub fn digest(&self) -> u64 {
        self.digest
    }

    /// The site's words.
    pub fn ui(&self) -> &Ui {
        &self.ui
    }

    /// Whether a template of that name exists.
    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Renders `name`; `source` names the content file being rendered, for
    /// the diagnostic.
    pub fn render(
        &self,
        name: &str,
        context: &Context,
        source: &str,
    ) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| tera_diagnostic(&self.files, &e, Some(source)))
    }
}

fn tera_diagnostic(
    files: &BTreeMap<String, String>,
    e: &tera::Error,
    source: Option<&str>,
) -> Diagnostic {
    let display = |name: &str| {
        files
            .get(name)
            .cloned()
            .unwrap_or_else(|| format!("templates/{name}"))
    };
    let while_rendering = source
        .map(|s| tr!("templates.while_rendering", page = s))
        .unwrap_or_default();
    match e.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let span = report.span();
            Diagnostic::error(
                display(report.filename()),
                format!("{}{while_rendering}", report.message()),
            )
            .at(span.start_line.max(1), span.start_col + 1)
        }
        ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => Diagnostic::error(
            display(tpl),
            tr!(
                "templates.extends_loop",
                chain = inheritance_chain.join(" → ")
            ),
        )
        .with_hint(tr!("templates.extends_loop_hint")),
        ErrorKind::CircularInclude { tpl, include_chain } => Diagnostic::error(
            display(tpl),
            tr!("templates.include_loop", chain = include_chain.join(" → ")),
        ),
        ErrorKind::MissingParent { current, parent } => Diagnostic::error(
            display(current),
            tr!("templates.missing_parent", parent = parent),
        ),
        ErrorKind::TemplateNotFound(name) => Diagnostic::error(
            source.map_or_else(|| "templates".to_string(), str::to_string),
            tr!("templates.not_found", name = name),
        ),
        _ => Diagnostic::error(
            source.unwrap_or("templates"),
            tr!("templates.error", error = e, rendering = while_rendering),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn templates(site_templates: &[(&str, &str)]) -> Result<Templates, Vec<Diagnostic>> {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in site_templates {
            let path = dir.path().join("templates").join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let config = Config::parse(dir.path(), "title = \"t\"").unwrap();
        Templates::load(&config, &crate::theme::embedded())
    }

    #[test]
    fn can_load_the_default_theme() {
        let t = templates(&[]).unwrap();
        assert!(t.has("page.html"));
        assert!(t.files["page.html"].contains("built in"));
    }

    #[test]
    fn site_templates_override_the_theme() {
        let t = templates(&[("page.html", "custom {{ page.title }}")]).unwrap();
        assert_eq!(t.files["page.html"], "templates/page.html");
        let mut ctx = Context::new();
        ctx.insert("page", &serde_json::json!({"title": "x"}));
        assert_eq!(
            t.render("page.html", &ctx, "content/a.md").unwrap(),
            "custom x"
        );
    }

    #[test]
    fn reports_syntax_errors_with_file_and_line() {
        let errs = templates(&[("page.html", "ok\n{% if %}\n")]).unwrap_err();
        assert_eq!(errs[0].path, Path::new("templates/page.html"));
        assert_eq!(errs[0].line, Some(2), "{}", errs[0]);
    }

    #[test]
    fn reports_a_template_that_extends_itself() {
        let errs = templates(&[("page.html", "{% extends \"page.html\" %}")]).unwrap_err();
        assert!(errs[0].message.contains("loop"), "{}", errs[0]);
        assert_eq!(errs[0].path, Path::new("templates/page.html"));
    }
}
