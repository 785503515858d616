//! The search stage of a build, with its cache: an index whose inputs did
//! not change is not built again, and its files already on disk are not
//! offered to the writer again.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::graph::SiteGraph;
use crate::graph::taxonomy::Taxonomy;
use crate::output::OutputFile;

/// The last index built: a digest of its inputs, and its files.
#[derive(Default)]
pub struct IndexCache {
    /// False for a single build: nothing kept in memory.
    keep: bool,
    /// Compute the inputs' digest even so (a cache on disk keeps it).
    pub(crate) digests: bool,
    last: Option<(u64, Arc<Vec<OutputFile>>)>,
}

/// Data files by path, with their hashes ([`super::PackedFile`]).
type Packed = HashMap<String, super::PackedFile>;

/// The index an output folder holds.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct OnDisk {
    /// Path → hash of the bytes.
    pub files: HashMap<String, u64>,
    /// The digest of the inputs those files were built from (`None`: an
    /// older index, deferred).
    pub digest: Option<u64>,
    /// The data files, with the hash of their content before packing
    /// ([`super::Packer`]): a file whose content is the same is not packed
    /// again.
    pub packed: HashMap<String, super::PackedFile>,
}

/// What the stage needs besides the graph.
pub struct Inputs<'a> {
    /// The site's configuration.
    pub config: &'a Config,
    /// A digest of it.
    pub config_digest: u64,
    /// Leave the index on disk as it is (the dev server rebuilds it right
    /// after the pages, so that a reload need not wait for it).
    pub defer: bool,
    /// The digest of a content file's bytes (0 when unknown).
    pub source_digest: &'a (dyn Fn(&str) -> u64 + Sync),
    /// What the output folder holds, when the last build there is known.
    pub on_disk: Option<&'a OnDisk>,
}

/// The stage's outcome.
#[derive(Default)]
pub struct Indexed {
    /// Every path of the index in the output (written now, or before).
    pub paths: Vec<String>,
    /// Files to hand to the writer.
    pub write: Vec<OutputFile>,
    /// What the output will hold once written.
    pub on_disk: OnDisk,
    /// Figures, when the index was built.
    pub stats: Option<super::IndexStats>,
    /// The index on disk is older than the pages.
    pub deferred: bool,
}

impl IndexCache {
    /// A cache that keeps its entries for the next build (`keep`), or one
    /// for a single build that keeps nothing.
    pub fn new(keep: bool) -> IndexCache {
        IndexCache {
            keep,
            ..IndexCache::default()
        }
    }

    /// Stage "search": the index, unless disabled or the build already
    /// failed. Unit texts are only needed here: they are dropped
    /// afterwards, unless the source cache shares them.
    pub fn index(
        &mut self,
        graph: &mut SiteGraph,
        taxonomies: &[Taxonomy],
        inputs: &Inputs<'_>,
        sink: &mut Diagnostics,
    ) -> Indexed {
        let mut out = Indexed::default();
        if inputs.config.search.enabled && !sink.has_errors() {
            // The digest decides whether an index can be kept: the last
            // one in memory, or the one on disk.
            // Deferred, the index on disk stays as it is and the next build
            // decides: the page that waits for this one does not wait for
            // the digest either.
            let deferring = inputs.defer && inputs.on_disk.is_some();
            let digest = (!deferring && (self.keep || self.digests || inputs.on_disk.is_some()))
                .then(|| index_digest(inputs, graph, taxonomies));
            let current = |disk: &OnDisk| disk.digest.is_some() && disk.digest == digest;
            match inputs.on_disk.filter(|&d| inputs.defer || current(d)) {
                Some(disk) => out.keep_on_disk(disk, digest),
                None => match self.build(graph, taxonomies, inputs, digest, &mut out) {
                    Ok((files, packed)) => out.offer(files, packed, inputs.on_disk, digest),
                    Err(d) => sink.push(d),
                },
            }
        }
        for page in &mut graph.pages {
            if let Some(rendered) = Arc::get_mut(&mut page.rendered) {
                rendered.units = Vec::new();
            }
        }
        out
    }

    /// The index's files (a data file the output folder already holds
    /// has no bytes), and every data file's hashes: the last ones if their
    /// inputs are the same.
    fn build(
        &mut self,
        graph: &SiteGraph,
        taxonomies: &[Taxonomy],
        inputs: &Inputs<'_>,
        digest: Option<u64>,
        out: &mut Indexed,
    ) -> Result<(Arc<Vec<OutputFile>>, Packed), crate::diagnostics::Diagnostic> {
        if let Some((d, files)) = &self.last
            && Some(*d) == digest
        {
            return Ok((files.clone(), HashMap::new()));
        }
        let synonyms = super::synonyms::Synonyms::new(&inputs.config.search.synonyms);
        let known: Packed = inputs
            .on_disk
            .map(|disk| {
                disk.packed
                    .iter()
                    .filter(|(path, p)| disk.files.get(*path) == Some(&p.1))
                    .map(|(path, p)| (path.clone(), *p))
                    .collect()
            })
            .unwrap_or_default();
        let kept_any = !known.is_empty();
        let index = super::build_over(graph, taxonomies, &synonyms, super::Packer::new(known))?;
        out.stats = Some(index.stats);
        let files = Arc::new(index.files);
        // Files left on disk have no bytes: only a complete index is kept
        // for a later build (which may write into another folder).
        if let Some(d) = digest.filter(|_| self.keep && !kept_any) {
            self.last = Some((d, files.clone()));
        } else {
            self.last = None;
        }
        Ok((files, index.packed))
    }
}

impl Indexed {
    /// The index on disk stays as it is; the next build brings it up to date.
    fn keep_on_disk(&mut self, disk: &OnDisk, digest: Option<u64>) {
        self.paths = disk.files.keys().cloned().collect();
        self.paths.sort();
        self.on_disk.files = disk.files.clone();
        self.on_disk.packed = disk.packed.clone();
        self.on_disk.digest = disk.digest.filter(|&d| Some(d) == digest);
        self.deferred = self.on_disk.digest.is_none();
    }

    /// Offers the writer the files whose bytes are not on disk already
    /// (moved, not copied, unless the cache shares them).
    fn offer(
        &mut self,
        files: Arc<Vec<OutputFile>>,
        packed: Packed,
        disk: Option<&OnDisk>,
        digest: Option<u64>,
    ) {
        let files = Arc::try_unwrap(files).unwrap_or_else(|shared| (*shared).clone());
        for f in files {
            self.paths.push(f.path.clone());
            let kept = packed.get(&f.path).filter(|_| f.bytes.is_empty());
            let hash = kept.map_or_else(|| crate::hash::bytes(&f.bytes), |p| p.1);
            self.on_disk.files.insert(f.path.clone(), hash);
            if kept.is_none() && disk.and_then(|d| d.files.get(&f.path)) != Some(&hash) {
                self.write.push(f);
            }
        }
        self.on_disk.packed = packed;
        self.on_disk.digest = digest;
    }
}

/// Everything the index is built from: each page's source (text, title,
/// tags), kind and address, and the taxonomies' spellings of terms.
fn index_digest(inputs: &Inputs<'_>, graph: &SiteGraph, taxonomies: &[Taxonomy]) -> u64 {
    let mut h = crate::hash::FastHasher::default();
    inputs.config_digest.hash(&mut h);
    for p in &graph.pages {
        // The index also reads what a page takes from others: its
        // section's title and its wikilinks' texts (other pages' titles).
        let section = graph
            .sections
            .get(p.section)
            .map(|s| (&s.meta.title, s.source.is_some()));
        (
            (inputs.source_digest)(&p.source),
            &p.source,
            p.kind.as_str(),
            &p.out_dir,
            section,
            &p.link_texts,
        )
            .hash(&mut h);
    }
    for t in taxonomies {
        t.name.hash(&mut h);
        for term in &t.terms {
            (&term.name, &term.slug).hash(&mut h);
        }
    }
    h.finish()
}
