//! A PNG writer for the app icons: 8-bit RGBA, no interlace, one IDAT
//! chunk compressed with miniz_oxide (already a dependency), CRC-32 per
//! chunk (crc32fast; PNG uses zip's polynomial).
//!
//! Each row is filtered with "Up" (the difference from the row above), so
//! the icons' large flat areas become runs of zeros that deflate to almost
//! nothing.

/// The eight bytes every PNG file starts with.
pub const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

/// Encodes `rgba` (`width * height * 4` bytes, rows top to bottom, straight
/// alpha) as a PNG file.
///
/// # Panics
/// If `rgba` does not hold exactly `width * height` pixels.
pub fn encode_rgba(width: u32, height: u32, rgba: &[u8]) -> Vec<u8> {
    let stride = width as usize * 4;
    assert_eq!(rgba.len(), stride * height as usize, "pixel count");
    let mut filtered = Vec::with_capacity((stride + 1) * height as usize);
    let mut previous: &[u8] = &[];
    for row in rgba.chunks_exact(stride.max(1)).take(height as usize) {
        if previous.is_empty() {
            filtered.push(0); // None: the first row has nothing above it.
            filtered.extend_from_slice(row);
        } else {
            filtered.push(2); // Up
            filtered.extend(row.iter().zip(previous).map(|(a, b)| a.wrapping_sub(*b)));
        }
        previous = row;
    }
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    // Bit depth 8, colour type 6 (RGBA), deflate, adaptive filters, no interlace.
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    let idat = miniz_oxide::deflate::compress_to_vec_zlib(&filtered, 6);
    let mut png = SIGNATURE.to_vec();
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &idat);
    chunk(&mut png, b"IEND", &[]);
    png
}

/// Appends a chunk: length, type, data, CRC-32 of type and data.
fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    let len = u32::try_from(data.len()).expect("a PNG chunk holds less than 4 GiB");
    png.extend_from_slice(&len.to_be_bytes());
    let start = png.len();
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    let crc = crc32fast::hash(&png[start..]);
    png.extend_from_slice(&crc.to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The chunks of a PNG file: (type, data), after checking each CRC.
    fn chunks(png: &[u8]) -> Vec<([u8; 4], Vec<u8>)> {
        assert_eq!(png[..8], SIGNATURE, "signature");
        let mut out = Vec::new();
        let mut at = 8;
        while at < png.len() {
            let len = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
            let kind: [u8; 4] = png[at + 4..at + 8].try_into().unwrap();
            let data = png[at + 8..at + 8 + len].to_vec();
            let crc = u32::from_be_bytes(png[at + 8 + len..at + 12 + len].try_into().unwrap());
            assert_eq!(
                crc,
                crc32fast::hash(&png[at + 4..at + 8 + len]),
                "CRC of {kind:?}"
            );
            out.push((kind, data));
            at += 12 + len;
        }
        assert_eq!(at, png.len(), "trailing bytes");
        out
    }

    /// Undoes the filters (None and Up are all the writer uses).
    fn unfilter(data: &[u8], width: usize) -> Vec<u8> {
        let stride = width * 4;
        let mut out: Vec<u8> = Vec::new();
        for row in data.chunks_exact(stride + 1) {
            let above = out.len().checked_sub(stride).map(|s| out[s..].to_vec());
            match (row[0], above) {
                (0, _) => out.extend_from_slice(&row[1..]),
                (2, Some(above)) => {
                    out.extend(row[1..].iter().zip(&above).map(|(a, b)| a.wrapping_add(*b)));
                }
                (f, _) => panic!("unexpected filter {f}"),
            }
        }
        out
    }

    #[test]
    fn can_encode_pixels_that_decode_back() {
        let (w, h) = (3u32, 2u32);
        let pixels: Vec<u8> = (0..w * h * 4).map(|i| (i * 37 % 256) as u8).collect();
        let png = encode_rgba(w, h, &pixels);
        let chunks = chunks(&png);
        let kinds: Vec<&[u8; 4]> = chunks.iter().map(|(k, _)| k).collect();
        assert_eq!(kinds, [b"IHDR", b"IDAT", b"IEND"]);
        let ihdr = &chunks[0].1;
        assert_eq!(ihdr.len(), 13);
        assert_eq!(u32::from_be_bytes(ihdr[0..4].try_into().unwrap()), w);
        assert_eq!(u32::from_be_bytes(ihdr[4..8].try_into().unwrap()), h);
        assert_eq!(ihdr[8..], [8, 6, 0, 0, 0], "8-bit RGBA, not interlaced");
        let raw = miniz_oxide::inflate::decompress_to_vec_zlib(&chunks[1].1).unwrap();
        assert_eq!(raw.len(), (w as usize * 4 + 1) * h as usize);
        assert_eq!(unfilter(&raw, w as usize), pixels);
        assert!(chunks[2].1.is_empty());
    }

    #[test]
    fn same_pixels_same_bytes() {
        let pixels = vec![200u8; 8 * 8 * 4];
        assert_eq!(encode_rgba(8, 8, &pixels), encode_rgba(8, 8, &pixels));
    }
}
