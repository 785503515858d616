//! Taxonomies: `tags` and `problems`. Each gets an index page listing its
//! terms with counts and a page per term listing its pages by kind.
//!
//! Terms that differ only in script (人力资源 / 人力資源) are one term on
//! purpose, shown in the script of the site's `language` (issue 16): the
//! spelling in that script most pages use, else the most used spelling
//! converted ([`Script::convert`]); for a language that is not Chinese,
//! the spelling most pages use. Term slugs are ASCII
//! transliterations; two different terms whose transliterations collide
//! (Zola merges them silently) get distinct slugs: `-2`, `-3` in the order
//! of their folded names.

use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

use super::SiteGraph;
use crate::config::TaxonomyConfig;
use crate::diagnostics::Diagnostic;
use crate::fold::{Script, fold};
use crate::slug::slugify;
use crate::tr;

/// One taxonomy and its terms.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// Front-matter key (`tags`, `problems`, or a declared name).
    pub name: String,
    /// Title readers see: 标签, 问题类型, 专题.
    pub title: String,
    /// Output folder, ending in `/`.
    pub out_dir: String,
    /// Terms sorted by their transliteration.
    pub terms: Vec<Term>,
    /// Folded name → index into `terms`.
    lookup: HashMap<String, usize>,
}

/// One term of a taxonomy.
#[derive(Debug, Clone)]
pub struct Term {
    /// The spelling shown: in the site's script (see the module).
    pub name: String,
    /// ASCII slug, unique in the taxonomy.
    pub slug: String,
    /// Output folder, ending in `/`.
    pub out_dir: String,
    /// Pages with this term, in site order.
    pub pages: Vec<usize>,
}

impl Term {
    /// The output file, relative to the output root.
    pub fn out_file(&self) -> String {
        format!("{}index.html", self.out_dir)
    }
}

impl Taxonomy {
    /// The output file of the index page.
    pub fn out_file(&self) -> String {
        format!("{}index.html", self.out_dir)
    }

    /// The term a page's value belongs to.
    pub fn term(&self, value: &str) -> Option<&Term> {
        self.lookup
            .get(&fold(value.trim()))
            .map(|&i| &self.terms[i])
    }
}

/// The taxonomies that have at least one term: `tags`, `problems`, then
/// those declared in site.toml; and the errors of pages naming a taxonomy
/// that is not declared.
pub fn build(
    graph: &SiteGraph,
    declared: &[TaxonomyConfig],
    script: Option<Script>,
) -> (Vec<Taxonomy>, Vec<Diagnostic>) {
    let site_order: Vec<usize> = graph
        .sections
        .iter()
        .flat_map(|s| s.pages.iter().copied())
        .collect();
    let mut diagnostics = Vec::new();
    for page in &graph.pages {
        for name in page
            .meta
            .taxonomies
            .keys()
            .filter(|n| !declared.iter().any(|d| &d.name == *n))
        {
            let names: Vec<&str> = declared.iter().map(|d| d.name.as_str()).collect();
            let line = page
                .value_lines
                .iter()
                .find(|(v, _)| v.starts_with(name.as_str()))
                .map_or(1, |(_, l)| *l);
            diagnostics.push(
                Diagnostic::error(
                    format!("content/{}", page.source),
                    tr!("site.taxonomy.unknown", name = name),
                )
                .at_line(line)
                .with_hint(if names.is_empty() {
                    tr!("site.taxonomy.declare_it")
                } else {
                    let names = names.join(crate::messages::text("site.list_separator"));
                    tr!("site.taxonomy.declared", names = names)
                }),
            );
        }
    }
    let mut all: Vec<(String, String)> = vec![
        ("tags".into(), "标签".into()),
        ("problems".into(), "问题类型".into()),
    ];
    all.extend(declared.iter().map(|d| (d.name.clone(), d.title.clone())));
    // Each taxonomy on its own core.
    let taxonomies = all
        .into_par_iter()
        .filter_map(|(name, title)| {
            let values = |p: usize| -> &[String] {
                let meta = &graph.pages[p].meta;
                match name.as_str() {
                    "tags" => &meta.tags,
                    "problems" => &meta.problems,
                    other => meta.taxonomies.get(other).map_or(&[], Vec::as_slice),
                }
            };
            let t = collect(name.clone(), title, &site_order, script, values);
            (!t.terms.is_empty()).then_some(t)
        })
        .collect();
    (taxonomies, diagnostics)
}

/// The pages of one folded term and how often each spelling was used
/// (count, order first seen).
#[derive(Default)]
struct Group {
    spellings: BTreeMap<String, (usize, usize)>,
    pages: Vec<usize>,
}

fn collect<'g>(
    name: String,
    title: String,
    order: &[usize],
    script: Option<Script>,
    values: impl Fn(usize) -> &'g [String],
) -> Taxonomy {
    // Folded name → (spelling → count, first seen), pages.
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    let mut seen = 0;
    for &p in order {
        for value in values(p) {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let Group { spellings, pages } = groups.entry(fold(value)).or_default();
            // Most values repeat a spelling already seen: no allocation then.
            match spellings.get_mut(value) {
                Some(entry) => entry.0 += 1,
                None => {
                    spellings.insert(value.to_string(), (1, seen));
                }
            }
            seen += 1;
            if pages.last() != Some(&p) {
                pages.push(p);
            }
        }
    }
    let out_dir = format!("{name}/");
    let mut slugs_taken: HashMap<String, usize> = HashMap::new();
    let mut terms: Vec<(String, Term)> = groups
        .into_iter()
        .map(|(folded, Group { spellings, pages })| {
            let name = display_name(&folded, &spellings, script);
            let base = match slugify(&folded) {
                s if s.is_empty() => "term".to_string(),
                s => s,
            };
            let n = slugs_taken.entry(base.clone()).or_insert(0);
            *n += 1;
            let slug = if *n == 1 { base } else { format!("{base}-{n}") };
            let term = Term {
                out_dir: format!("{out_dir}{slug}/"),
                name,
                slug,
                pages,
            };
            (folded, term)
        })
        .collect();
    terms.sort_by(|a, b| a.1.slug.cmp(&b.1.slug).then_with(|| a.0.cmp(&b.0)));
    let lookup = terms
        .iter()
        .enumerate()
        .map(|(i, (folded, _))| (folded.clone(), i))
        .collect();
    Taxonomy {
        name,
        title,
        out_dir,
        terms: terms.into_iter().map(|(_, t)| t).collect(),
        lookup,
    }
}

/// The spelling a term is shown in. In the site's script: the most used
/// spelling already written in it (on a tie the one met first), else the
/// most used spelling converted. For other languages: the most used
/// spelling; on a tie the Simplified one, then the one met first.
fn display_name(
    folded: &str,
    spellings: &BTreeMap<String, (usize, usize)>,
    script: Option<Script>,
) -> String {
    let most_used = |in_script: &dyn Fn(&str) -> bool| {
        spellings
            .iter()
            .filter(|(s, _)| in_script(s))
            .max_by(|a, b| {
                a.1.0
                    .cmp(&b.1.0)
                    .then((a.0 == folded).cmp(&(b.0 == folded)))
                    .then(b.1.1.cmp(&a.1.1))
            })
            .map(|(s, _)| s.clone())
    };
    let Some(script) = script else {
        return most_used(&|_| true).unwrap_or_default();
    };
    most_used(&|s| script.is_written_in(s))
        .or_else(|| most_used(&|_| true).map(|s| script.convert(&s)))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taxonomy(pages: &[&[&str]]) -> Taxonomy {
        taxonomy_in(None, pages)
    }

    fn taxonomy_in(script: Option<Script>, pages: &[&[&str]]) -> Taxonomy {
        let values: Vec<Vec<String>> = pages
            .iter()
            .map(|p| p.iter().map(|s| s.to_string()).collect())
            .collect();
        let order: Vec<usize> = (0..values.len()).collect();
        collect("tags".into(), "标签".into(), &order, script, |p| {
            values[p].as_slice()
        })
    }

    #[test]
    fn terms_are_shown_in_the_script_of_the_site() {
        use crate::fold::Variants;
        let (cn, tw) = (
            Some(Script::Simplified),
            Some(Script::Traditional(Variants::Taiwan)),
        );
        // Most pages write it in Traditional; a zh-CN site shows 人力资源.
        let pages: &[&[&str]] = &[&["人力資源"], &["人力資源"], &["人力资源"]];
        assert_eq!(taxonomy_in(cn, pages).terms[0].name, "人力资源");
        assert_eq!(taxonomy_in(tw, pages).terms[0].name, "人力資源");
        // No page writes it in the site's script: converted.
        assert_eq!(taxonomy_in(cn, &[&["黨員"]]).terms[0].name, "党员");
        assert_eq!(taxonomy_in(tw, &[&["发展党员"]]).terms[0].name, "發展黨員");
        // A spelling a page wrote in the site's script is kept, even where
        // converting would spell it otherwise (台 is Traditional too).
        let hk = Some(Script::Traditional(Variants::HongKong));
        assert_eq!(
            taxonomy_in(hk, &[&["台灣"], &["台湾"], &["台湾"]]).terms[0].name,
            "台灣"
        );
        // The slug is the same whichever script it is shown in.
        assert_eq!(taxonomy_in(tw, pages).terms[0].slug, "ren-li-zi-yuan");
    }

    #[test]
    fn terms_differing_only_in_script_are_one_term_in_the_majority_form() {
        let t = taxonomy(&[&["人力资源"], &["人力資源"], &["人力资源", "人力资源"]]);
        assert_eq!(t.terms.len(), 1);
        assert_eq!(t.terms[0].name, "人力资源");
        assert_eq!(t.terms[0].pages, vec![0, 1, 2]);
        assert_eq!(t.terms[0].slug, "ren-li-zi-yuan");
        assert_eq!(t.term("人力資源").unwrap().name, "人力资源");
    }

    #[test]
    fn a_tie_goes_to_the_simplified_form() {
        let t = taxonomy(&[&["三會一課"], &["三会一课"]]);
        assert_eq!(t.terms[0].name, "三会一课");
    }

    #[test]
    fn colliding_transliterations_get_distinct_slugs() {
        // 党员 and 党员 differ; 党院 and 党员 transliterate alike (dang-yuan).
        let t = taxonomy(&[&["党员"], &["党院"]]);
        let slugs: Vec<&str> = t.terms.iter().map(|t| t.slug.as_str()).collect();
        assert_eq!(slugs, ["dang-yuan", "dang-yuan-2"]);
        assert_ne!(t.term("党员").unwrap().slug, t.term("党院").unwrap().slug);
    }
}
