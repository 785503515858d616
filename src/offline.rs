//! The list of every file of a build, with a revision per file, for the
//! service worker that keeps a site readable offline once installed from a
//! web server (issue 8): `offline.json` at the output root.
//!
//! ```json
//! {"build":"3f…","files":[["assets/zhiku.css","9c2e41d07a1b"],["index.html","…"]]}
//! ```
//!
//! A revision is a hash of the file's bytes, so a member's saved copy is
//! brought up to date by fetching only the files whose revision changed;
//! `build` (a hash of the whole list) tells the page that there is
//! something to update. Same files, same list, byte for byte.

use std::collections::HashMap;
use std::hash::Hasher;

use crate::hash::FastHasher;
use crate::output::OutputFile;

/// Where the list is written.
pub const LIST: &str = "offline.json";

/// A file's revision: 48 bits of a hash of its bytes, in hex.
pub fn revision(bytes: &[u8]) -> u64 {
    let mut h = FastHasher::default();
    h.write(bytes);
    h.finish() >> 16
}

/// The list for `paths`, each with its revision from `revisions`.
pub fn list(paths: &[String], revisions: &HashMap<String, u64>) -> OutputFile {
    let mut files: Vec<(&str, u64)> = paths
        .iter()
        .filter(|p| p.as_str() != LIST)
        .map(|p| (p.as_str(), revisions.get(p).copied().unwrap_or(0)))
        .collect();
    files.sort_unstable();
    files.dedup_by(|a, b| a.0 == b.0);
    let mut entries = String::with_capacity(files.len() * 40);
    for (i, (path, rev)) in files.iter().enumerate() {
        if i > 0 {
            entries.push(',');
        }
        entries.push_str(
            &serde_json::to_string(&[path.to_string(), format!("{rev:012x}")]).unwrap_or_default(),
        );
    }
    let build = revision(entries.as_bytes());
    OutputFile {
        path: LIST.into(),
        bytes: format!("{{\"build\":\"{build:012x}\",\"files\":[{entries}]}}\n").into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_file_with_its_revision_in_order() {
        let paths = vec!["index.html".to_string(), "a/index.html".to_string()];
        let revisions: HashMap<String, u64> = [
            ("index.html".to_string(), revision(b"home")),
            ("a/index.html".to_string(), revision(b"page a")),
        ]
        .into();
        let file = list(&paths, &revisions);
        let json: serde_json::Value = serde_json::from_slice(&file.bytes).unwrap();
        assert_eq!(json["files"][0][0], "a/index.html");
        assert_eq!(json["files"][1][0], "index.html");
        assert_eq!(json["files"][1][1].as_str().unwrap().len(), 12);
        // Any change of bytes changes the build id.
        let mut changed = revisions.clone();
        changed.insert("index.html".into(), revision(b"home, edited"));
        let other: serde_json::Value =
            serde_json::from_slice(&list(&paths, &changed).bytes).unwrap();
        assert_ne!(json["build"], other["build"]);
        assert_eq!(list(&paths, &revisions), file);
    }
}
