//! A small deterministic zip writer: the same files give the same bytes.
//!
//! The archive is the plain PKWARE format (APPNOTE 6.3), the subset every
//! unzip tool reads — Windows Explorer's "Extract all", macOS Archive
//! Utility, Android file managers (`java.util.zip`), Info-ZIP, 7-Zip,
//! Python's `zipfile`:
//!
//! - **UTF-8 names, bit 11 set on every entry.** Without the "language
//!   encoding flag" a reader decodes names in the system's legacy code page
//!   (GBK on Chinese Windows, CP437 elsewhere), so any non-ASCII name comes
//!   out garbled. Output paths are ASCII slugs, but a site's own `static/`
//!   files keep their names; the flag costs nothing on ASCII names.
//! - **A fixed timestamp (1980-01-01 00:00, the earliest DOS date) and fixed
//!   attributes** (made by Unix, mode 0644). Real modification times would
//!   make every pack of an unchanged site differ; fixed ones make the zip a
//!   function of its contents, so a trainer can compare checksums to tell
//!   whether two copies are the same site. No extra fields (they would
//!   carry times again), no comment, no data descriptors: sizes and CRCs
//!   are known before each entry is written.
//! - **Stored or deflated, whichever is smaller.** Images and the search
//!   index are already compressed: deflating them again only costs time on
//!   the phone that unpacks them. The deflate stream comes from
//!   `miniz_oxide` at a fixed level; a new version of it could give other
//!   (equally valid) bytes, so "same bytes" holds for one zhiku binary.
//! - **No folder entries.** Every reader above creates the folders a path
//!   needs; a folder entry only matters for an empty folder, which a build
//!   never writes. Fewer entries, nothing else to keep deterministic.
//! - **Names in strictly increasing byte order**, checked: the caller sorts,
//!   the writer refuses duplicates and disorder rather than silently
//!   writing an archive whose bytes depend on a walk order.
//! - **No ZIP64.** A site that needs it (65,535 entries or more, 4 GiB or
//!   more) is refused with an error before the archive is complete; the
//!   largest 16- and 32-bit values are ZIP64 markers, so they are not used.

use std::io::Write;

use anyhow::{Result, bail};

use crate::tr;

/// The deflate level: zlib's default, the balance zip tools use.
const LEVEL: u8 = 6;
/// General purpose bit 11: file names are UTF-8.
const FLAG_UTF8: u16 = 1 << 11;
/// Version needed to extract: 2.0 (deflate).
const VERSION_NEEDED: u16 = 20;
/// Version made by: Unix (3) in the high byte, so readers apply the mode
/// in the external attributes; 2.0 in the low byte.
const VERSION_MADE_BY: u16 = (3 << 8) | 20;
/// A regular file, rw-r--r--, in the Unix half of the external attributes.
const EXTERNAL_ATTRIBUTES: u32 = 0o100_644 << 16;
/// 1980-01-01 in DOS date format: (year − 1980) << 9 | month << 5 | day.
const DOS_DATE: u16 = (1 << 5) | 1;
/// 00:00:00.
const DOS_TIME: u16 = 0;
const METHOD_STORE: u16 = 0;
const METHOD_DEFLATE: u16 = 8;

/// The most entries without ZIP64 (0xFFFF means "see the ZIP64 record").
pub const MAX_ENTRIES: usize = 0xFFFE;
/// The largest size or offset without ZIP64 (0xFFFF_FFFF is its marker).
pub const MAX_BYTES: u64 = 0xFFFF_FFFE;

/// One file, checksummed and compressed, ready to be appended. Building
/// entries is independent work, so callers may prepare them in parallel.
#[derive(Debug, Clone)]
pub struct Entry {
    name: String,
    method: u16,
    crc: u32,
    size: u32,
    data: Vec<u8>,
}

impl Entry {
    /// Prepares `bytes` under `name`, a relative path with `/` separators.
    /// Refuses names that could unpack outside the target folder, and
    /// files too large for a zip without ZIP64.
    pub fn new(name: &str, bytes: &[u8]) -> Result<Entry> {
        check_name(name)?;
        let size = u32::try_from(bytes.len())
            .ok()
            .filter(|&s| u64::from(s) <= MAX_BYTES)
            .ok_or_else(|| too_large(tr!("output.pack.zip.one_file_too_large", name = name)))?;
        let deflated = miniz_oxide::deflate::compress_to_vec(bytes, LEVEL);
        let (method, data) = if deflated.len() < bytes.len() {
            (METHOD_DEFLATE, deflated)
        } else {
            (METHOD_STORE, bytes.to_vec())
        };
        Ok(Entry {
            name: name.to_string(),
            method,
            crc: crc32fast::hash(bytes),
            size,
            data,
        })
    }

    /// The path inside the archive.
    pub fn name(&self) -> &str {
        &self.name
    }
}

fn check_name(name: &str) -> Result<()> {
    let safe = !name.starts_with('/')
        && !name.contains('\\')
        && name
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != "..");
    if !safe {
        bail!(tr!("output.pack.zip.not_plain", name = name));
    }
    if name.len() > usize::from(u16::MAX) {
        bail!(tr!("output.pack.zip.name_too_long", name = name));
    }
    Ok(())
}

/// Refuses, before any work, more files than a zip without ZIP64 holds.
pub fn check_entry_count(files: usize) -> Result<()> {
    if files > MAX_ENTRIES {
        return Err(too_large(tr!("output.pack.zip.files", n = files)));
    }
    Ok(())
}

fn too_large(why: String) -> anyhow::Error {
    anyhow::anyhow!(tr!(
        "output.pack.zip.too_large",
        why = why,
        max = MAX_ENTRIES
    ))
}

/// Writes entries to `out` as they come, then the central directory.
#[derive(Debug)]
pub struct ZipWriter<W: Write> {
    out: W,
    offset: u64,
    central: Vec<u8>,
    entries: usize,
    last_name: Option<String>,
    max_entries: usize,
    max_bytes: u64,
}

impl<W: Write> ZipWriter<W> {
    /// Starts an archive written to `out`.
    pub fn new(out: W) -> Self {
        Self::with_limits(out, MAX_ENTRIES, MAX_BYTES)
    }

    /// Lower limits let the tests reach them without writing 4 GiB.
    fn with_limits(out: W, max_entries: usize, max_bytes: u64) -> Self {
        ZipWriter {
            out,
            offset: 0,
            central: Vec::new(),
            entries: 0,
            last_name: None,
            max_entries,
            max_bytes,
        }
    }

    /// Appends one entry. Names must come in strictly increasing byte order.
    pub fn add(&mut self, entry: &Entry) -> Result<()> {
        if let Some(last) = &self.last_name
            && entry.name.as_str() <= last.as_str()
        {
            bail!(
                "zip entries must be added in sorted order without duplicates: `{}` came after `{last}`",
                entry.name
            );
        }
        if self.entries >= self.max_entries {
            return Err(too_large(tr!("output.pack.zip.too_many_files")));
        }
        let header = self.offset;
        let end = header + 30 + entry.name.len() as u64 + entry.data.len() as u64;
        if end > self.max_bytes {
            return Err(too_large(tr!("output.pack.zip.too_big")));
        }
        let mut local = Vec::with_capacity(30 + entry.name.len());
        put32(&mut local, 0x0403_4b50);
        put16(&mut local, VERSION_NEEDED);
        fixed_fields(&mut local, entry);
        put16(&mut local, 0); // extra field length
        local.extend_from_slice(entry.name.as_bytes());
        self.out.write_all(&local)?;
        self.out.write_all(&entry.data)?;

        put32(&mut self.central, 0x0201_4b50);
        put16(&mut self.central, VERSION_MADE_BY);
        put16(&mut self.central, VERSION_NEEDED);
        fixed_fields(&mut self.central, entry);
        put16(&mut self.central, 0); // extra field length
        put16(&mut self.central, 0); // comment length
        put16(&mut self.central, 0); // disk number
        put16(&mut self.central, 0); // internal attributes
        put32(&mut self.central, EXTERNAL_ATTRIBUTES);
        put32(&mut self.central, to_u32(header));
        self.central.extend_from_slice(entry.name.as_bytes());

        self.offset = end;
        self.entries += 1;
        self.last_name = Some(entry.name.clone());
        Ok(())
    }

    /// Writes the central directory and its end record; returns the output
    /// and the archive's size in bytes.
    pub fn finish(mut self) -> Result<(W, u64)> {
        let central_size = self.central.len() as u64;
        if self.offset + central_size > self.max_bytes {
            return Err(too_large(tr!("output.pack.zip.too_big")));
        }
        let entries = u16::try_from(self.entries).expect("checked in add");
        let mut end = Vec::with_capacity(22);
        put32(&mut end, 0x0605_4b50);
        put16(&mut end, 0); // this disk
        put16(&mut end, 0); // disk of the central directory
        put16(&mut end, entries);
        put16(&mut end, entries);
        put32(&mut end, to_u32(central_size));
        put32(&mut end, to_u32(self.offset));
        put16(&mut end, 0); // comment length
        self.out.write_all(&self.central)?;
        self.out.write_all(&end)?;
        self.out.flush()?;
        Ok((self.out, self.offset + central_size + end.len() as u64))
    }
}

/// Whether `head` (a file's first bytes) starts like a zip this writer
/// makes: a local header with the UTF-8 flag and the fixed 1980-01-01
/// timestamp. `zhiku pack` replaces only such a file without `--force`.
pub fn is_ours(head: &[u8]) -> bool {
    let u16_at = |i: usize| head.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
    head.starts_with(&0x0403_4b50u32.to_le_bytes())
        && u16_at(6) == Some(FLAG_UTF8)
        && u16_at(10) == Some(DOS_TIME)
        && u16_at(12) == Some(DOS_DATE)
}

/// Builds a whole archive in memory from `(name, bytes)` pairs given in
/// sorted order.
pub fn zip<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Result<Vec<u8>> {
    let mut writer = ZipWriter::new(Vec::new());
    for (name, bytes) in files {
        writer.add(&Entry::new(name, bytes)?)?;
    }
    Ok(writer.finish()?.0)
}

/// The fields the local header and the central directory share, from the
/// flags to the name length.
fn fixed_fields(buf: &mut Vec<u8>, entry: &Entry) {
    put16(buf, FLAG_UTF8);
    put16(buf, entry.method);
    put16(buf, DOS_TIME);
    put16(buf, DOS_DATE);
    put32(buf, entry.crc);
    put32(buf, to_u32(entry.data.len() as u64));
    put32(buf, entry.size);
    put16(
        buf,
        u16::try_from(entry.name.len()).expect("checked in Entry::new"),
    );
}

fn to_u32(n: u64) -> u32 {
    u32::try_from(n).expect("sizes are checked against MAX_BYTES before writing")
}

fn put16(buf: &mut Vec<u8>, n: u16) {
    buf.extend_from_slice(&n.to_le_bytes());
}

fn put32(buf: &mut Vec<u8>, n: u32) {
    buf.extend_from_slice(&n.to_le_bytes());
}

#[cfg(test)]
mod tests;
