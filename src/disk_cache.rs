//! The build cache on disk (`.zhiku-cache/` in the site folder): what one
//! `zhiku build` computed, kept for the next, so that an unchanged site or
//! a one-page edit is not read, rendered and indexed again in a new
//! process. Each stage keeps its own files here (see `sources` and
//! `pipeline::publish`); this module only stores and checks them.
//!
//! Every file starts with a header: a magic string, the cache key, the
//! payload's length and its CRC-32. The key is a digest of the cache
//! format, the zhiku version, the running binary (its size and modified
//! time: a rebuilt zhiku may render differently under the same version)
//! and the build's setting (site.toml and options). A file made under
//! another key is ignored in silence; a file that is truncated, damaged or
//! does not decode is ignored with a note, and never trusted. Writes go to
//! a temporary name first and are renamed into place, so a killed build
//! leaves whole files only.
//!
//! The folder holds a `.gitignore` that ignores everything in it, and a
//! `CACHEDIR.TAG` (bford.info/cachedir) so that backup tools skip it.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::messages;

/// The cache folder's name, in the site folder.
pub const DIR: &str = ".zhiku-cache";

/// Bumped whenever a cached type changes shape.
const FORMAT: u32 = 2;
const MAGIC: &[u8; 8] = b"zhikuc\0\x01";
/// Magic, key, payload length, CRC-32.
const HEADER: usize = 8 + 8 + 8 + 4;

/// A folder of checked cache files, all made under one key.
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
    key: u64,
    notes: Mutex<Vec<String>>,
}

impl Store {
    /// The cache in `dir`, for builds under `setting` (a digest of the
    /// configuration and options). Nothing is created until a file is saved.
    pub fn new(dir: &Path, setting: u64) -> Store {
        Store {
            dir: dir.to_path_buf(),
            key: crate::hash::of((
                FORMAT,
                env!("CARGO_PKG_VERSION"),
                binary_identity(),
                setting,
                // Kept warnings are worded in the language they were made in.
                crate::messages::lang(),
            )),
            notes: Mutex::default(),
        }
    }

    /// The value kept under `name`, if there is one made under this key and
    /// it is whole.
    pub fn load<T: DeserializeOwned>(&self, name: &str) -> Option<T> {
        match self.find(name) {
            Found::Whole(value) => Some(value),
            Found::Missing | Found::Stale => None,
        }
    }

    /// The value kept under `name`, or whether a file is there that cannot
    /// be used (made under another key, or damaged: to be replaced).
    pub fn find<T: DeserializeOwned>(&self, name: &str) -> Found<T> {
        let path = self.dir.join(name);
        let Ok(bytes) = std::fs::read(&path) else {
            return Found::Missing;
        };
        match self.check(&bytes) {
            Check::Whole(payload) => match postcard::from_bytes(payload) {
                Ok(value) => Found::Whole(value),
                Err(_) => {
                    self.note(&path, messages::text("cli.cache_why.does_not_decode"));
                    Found::Stale
                }
            },
            Check::OtherKey => Found::Stale,
            Check::Damaged(why) => {
                self.note(&path, why);
                Found::Stale
            }
        }
    }

    /// Keeps `value` under `name`, replacing what was there. A failure is
    /// a note, not an error: the build does not depend on its cache.
    pub fn save<T: Serialize + ?Sized>(&self, name: &str, value: &T) -> bool {
        use std::io::{Seek, SeekFrom, Write};
        self.write_with(name, |file| {
            file.write_all(MAGIC)?;
            file.write_all(&self.key.to_le_bytes())?;
            // Length and checksum, filled in once the payload is written.
            file.write_all(&[0; 12])?;
            // Streamed: no copy of the payload in memory (a shard of a
            // large site is megabytes, and a freed buffer of that size
            // stays in the process's heap).
            let counted =
                postcard::to_io(value, Counted::new(&mut *file)).map_err(std::io::Error::other)?;
            let (_, len, crc) = counted.finish();
            file.seek(SeekFrom::Start(16))?;
            file.write_all(&len.to_le_bytes())?;
            file.write_all(&crc.to_le_bytes())
        })
    }

    /// Writes a file under `name`: to a temporary name, then renamed into
    /// place; false, with a note, if it failed. No fsync: a file lost in a
    /// crash is found damaged, or missing, and built again.
    pub fn write_with(
        &self,
        name: &str,
        write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
    ) -> bool {
        use std::io::Write;
        let path = self.dir.join(name);
        let temporary = temporary_name(&path);
        let result = (|| -> anyhow::Result<()> {
            if let Some(parent) = path.parent() {
                self.prepare(parent)?;
            }
            let mut file = std::io::BufWriter::new(std::fs::File::create(&temporary)?);
            write(&mut file)?;
            file.flush()?;
            drop(file);
            std::fs::rename(&temporary, &path)?;
            Ok(())
        })();
        if let Err(e) = &result {
            let _ = std::fs::remove_file(&temporary);
            self.note(
                &path,
                &messages::format(
                    "cli.cache_why.not_written",
                    &[("error", &format_args!("{e:#}"))],
                ),
            );
        }
        result.is_ok()
    }

    /// The file kept under `name`, opened for reading.
    pub fn open(&self, name: &str) -> Option<std::fs::File> {
        std::fs::File::open(self.dir.join(name)).ok()
    }

    /// Notes that the file kept under `name` failed a check of its own.
    pub fn damaged(&self, name: &str, why: &str) {
        self.note(&self.dir.join(name), why);
    }

    /// Removes the file kept under `name`, if any.
    pub fn remove(&self, name: &str) {
        let _ = std::fs::remove_file(self.dir.join(name));
    }

    /// What went wrong with the cache so far (for the build's report),
    /// once each.
    pub fn take_notes(&self) -> Vec<String> {
        std::mem::take(&mut *self.notes.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Creates the folder (and `sub`) with its `.gitignore` and tag.
    fn prepare(&self, sub: &Path) -> std::io::Result<()> {
        if sub.is_dir() {
            return Ok(());
        }
        std::fs::create_dir_all(sub)?;
        prepare(&self.dir)
    }

    fn check<'b>(&self, bytes: &'b [u8]) -> Check<'b> {
        if bytes.len() < HEADER || &bytes[..8] != MAGIC {
            return Check::Damaged(messages::text("cli.cache_why.not_ours"));
        }
        let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or_default());
        if word(8) != self.key {
            return Check::OtherKey;
        }
        let payload = &bytes[HEADER..];
        if word(16) != payload.len() as u64 {
            return Check::Damaged(messages::text("cli.cache_why.truncated"));
        }
        let crc = u32::from_le_bytes(bytes[24..28].try_into().unwrap_or_default());
        if crc32fast::hash(payload) != crc {
            return Check::Damaged(messages::text("cli.cache_why.checksum"));
        }
        Check::Whole(payload)
    }

    fn note(&self, path: &Path, why: &str) {
        let mut notes = self.notes.lock().unwrap_or_else(|e| e.into_inner());
        let note = messages::format(
            "cli.cache_ignored",
            &[("path", &path.display()), ("why", &why)],
        );
        if !notes.contains(&note) {
            notes.push(note);
        }
    }
}

/// Creates the cache folder `dir` if need be, with the `.gitignore` that
/// keeps it out of git and the tag that backup tools honour.
pub fn prepare(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        std::fs::write(ignore, "# zhiku's build cache: never commit it.\n*\n")?;
    }
    let tag = dir.join("CACHEDIR.TAG");
    if !tag.exists() {
        std::fs::write(
            tag,
            "Signature: 8a477f597d28d172789f06886806bc55\n\
             # This folder is zhiku's build cache; `zhiku clean` removes it.\n",
        )?;
    }
    Ok(())
}

/// Where a file is written before it is renamed into place.
fn temporary_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// A writer that counts and checksums what goes through it.
struct Counted<W> {
    inner: W,
    len: u64,
    crc: crc32fast::Hasher,
}

impl<W: std::io::Write> Counted<W> {
    fn new(inner: W) -> Self {
        Counted {
            inner,
            len: 0,
            crc: crc32fast::Hasher::new(),
        }
    }

    fn finish(self) -> (W, u64, u32) {
        (self.inner, self.len, self.crc.finalize())
    }
}

impl<W: std::io::Write> std::io::Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.crc.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// `#[serde(deserialize_with = "crate::disk_cache::long_text")]` for the
/// long strings of cached values (a page's HTML, its units' text): checked
/// as UTF-8 with SIMD instead of std's byte-at-a-time path, which Chinese
/// text takes. The encoding is a string's, so values written without it
/// read back with it.
pub fn long_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct Text;
    impl<'de> serde::de::Visitor<'de> for Text {
        type Value = String;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }

        fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<String, E> {
            simdutf8::basic::from_utf8(v)
                .map(str::to_owned)
                .map_err(|_| E::custom("invalid UTF-8"))
        }

        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_owned())
        }
    }
    d.deserialize_bytes(Text)
}

/// What [`Store::find`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum Found<T> {
    /// No file.
    Missing,
    /// A file made under another key, or damaged.
    Stale,
    /// The value.
    Whole(T),
}

enum Check<'b> {
    Whole(&'b [u8]),
    OtherKey,
    Damaged(&'static str),
}

/// The running binary's size and modified time: a zhiku built again from
/// changed sources does not trust its predecessor's cache.
fn binary_identity() -> Option<(u64, std::time::SystemTime)> {
    let meta = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

/// Removes the cache folder of the site at `root`; the bytes it held, or
/// `None` when there was none.
pub fn clean(root: &Path) -> anyhow::Result<Option<u64>> {
    let dir = root.join(DIR);
    if !crate::fs::is_dir(&dir) {
        return Ok(None);
    }
    let size = folder_size(&dir);
    std::fs::remove_dir_all(&dir).map_err(|e| {
        anyhow::Error::new(e).context(messages::format(
            "output.fs.remove",
            &[("path", &dir.display())],
        ))
    })?;
    Ok(Some(size))
}

fn folder_size(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => folder_size(&e.path()),
            Ok(t) if t.is_file() => e.metadata().map_or(0, |m| m.len()),
            _ => 0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(dir: &Path) -> Store {
        Store::new(dir, 7)
    }

    #[test]
    fn a_value_comes_back_as_it_was_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let s = store(&tmp.path().join(DIR));
        let value = vec![("甲".to_string(), 1u64), ("乙".to_string(), 2)];
        s.save("sub/a.bin", &value);
        assert_eq!(s.load::<Vec<(String, u64)>>("sub/a.bin"), Some(value));
        assert!(s.take_notes().is_empty());
        let ignore = std::fs::read_to_string(tmp.path().join(DIR).join(".gitignore")).unwrap();
        assert!(ignore.lines().any(|l| l == "*"), "{ignore}");
        assert!(tmp.path().join(DIR).join("CACHEDIR.TAG").is_file());
    }

    #[test]
    fn another_key_is_ignored_in_silence() {
        let tmp = tempfile::tempdir().unwrap();
        store(tmp.path()).save("a.bin", &1u32);
        let other = Store::new(tmp.path(), 8);
        assert_eq!(other.load::<u32>("a.bin"), None);
        assert!(other.take_notes().is_empty());
        assert_eq!(store(tmp.path()).load::<u32>("a.bin"), Some(1));
    }

    #[test]
    fn damaged_and_truncated_files_are_ignored_with_a_note() {
        let tmp = tempfile::tempdir().unwrap();
        let s = store(tmp.path());
        let path = tmp.path().join("a.bin");
        s.save("a.bin", &"第一条 内容".repeat(20));
        let whole = std::fs::read(&path).unwrap();
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("truncated", whole[..whole.len() - 3].to_vec()),
            ("header cut", whole[..10].to_vec()),
            ("empty", Vec::new()),
            ("flipped", {
                let mut b = whole.clone();
                let last = b.len() - 1;
                b[last] ^= 0x40;
                b
            }),
            (
                "garbage",
                b"not a cache file at all, but long enough".to_vec(),
            ),
        ];
        for (what, bytes) in cases {
            std::fs::write(&path, &bytes).unwrap();
            assert_eq!(s.load::<String>("a.bin"), None, "{what}");
            let notes = s.take_notes();
            assert_eq!(notes.len(), 1, "{what}: {notes:?}");
            assert!(notes[0].contains("a.bin"), "{what}: {notes:?}");
        }
        // A payload that passes the checksum but is not the type asked for.
        s.save("a.bin", &[0xffu8; 3]);
        assert_eq!(s.load::<String>("a.bin"), None);
        assert_eq!(s.take_notes().len(), 1);
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Page {
        #[serde(deserialize_with = "long_text")]
        html: String,
    }

    #[test]
    fn long_text_is_checked_as_utf8() {
        let tmp = tempfile::tempdir().unwrap();
        let s = store(tmp.path());
        let page = Page {
            html: "<p>第一条　党支部……</p>".repeat(100),
        };
        s.save("p.bin", &page);
        assert_eq!(s.load::<Page>("p.bin"), Some(page));
        // The same encoding with bytes that are not UTF-8 (a lone
        // continuation byte inside a Chinese character).
        let mut bytes = "第一条".as_bytes().to_vec();
        bytes[1] = b'a';
        s.save("p.bin", &(serde_bytes_like(&bytes),));
        assert_eq!(s.load::<Page>("p.bin"), None);
        assert_eq!(s.take_notes().len(), 1);
    }

    /// A byte string, encoded as postcard encodes a string.
    fn serde_bytes_like(bytes: &[u8]) -> impl Serialize + '_ {
        struct B<'a>(&'a [u8]);
        impl Serialize for B<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(self.0)
            }
        }
        B(bytes)
    }

    #[test]
    fn clean_removes_the_folder_and_says_how_much() {
        let tmp = tempfile::tempdir().unwrap();
        assert_eq!(clean(tmp.path()).unwrap(), None);
        store(&tmp.path().join(DIR)).save("x/a.bin", &vec![1u8; 1000]);
        assert!(clean(tmp.path()).unwrap().unwrap() > 1000);
        assert!(!tmp.path().join(DIR).exists());
    }
}
