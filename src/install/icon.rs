//! The app icons as pixels: a white open book, with three lines of text on
//! each page, on the theme colour. Without a font a PNG cannot show the
//! title's first character (the SVG icon does), so the mark is a shape
//! drawn from distance functions: one evaluation per pixel, antialiased by
//! the distance to the nearest edge, the same bytes on every machine.

/// How an icon is framed.
#[derive(Debug, Clone, Copy)]
pub struct Frame {
    /// Corner radius as a fraction of the size; 0 fills the square (for
    /// launchers that cut their own shape, which turn transparency black).
    pub corner: f32,
    /// Size of the book relative to the plain icon: under 1 for maskable
    /// icons, whose outer fifth may be cut away.
    pub scale: f32,
}

/// The plain icon: a rounded square.
pub const ROUNDED: Frame = Frame {
    corner: 0.1875,
    scale: 1.1,
};

/// Full-bleed, for Apple's home screen and for maskable icons: the book
/// stays inside the central circle every launcher mask keeps.
pub const FULL: Frame = Frame {
    corner: 0.0,
    scale: 0.8,
};

/// `size`×`size` RGBA pixels of the icon in `colour`.
pub fn draw(size: u32, colour: [u8; 3], frame: Frame) -> Vec<u8> {
    let n = size as f32;
    let pages = [page(1.0), page(-1.0)];
    let lines: Vec<[P; 2]> = [1.0, -1.0].into_iter().flat_map(text_lines).collect();
    let mut rgba = Vec::with_capacity((size * size * 4) as usize);
    for y in 0..size {
        for x in 0..size {
            // The pixel's centre, in units of the icon, from its middle.
            let p = P((x as f32 + 0.5) / n - 0.5, (y as f32 + 0.5) / n - 0.5);
            let square = if frame.corner > 0.0 {
                cover(rounded_square(p, 0.5, frame.corner) * n)
            } else {
                1.0
            };
            // The book's shapes are measured in its own units; pixels
            // clear of it (most of them) skip the distance functions.
            let q = P(p.0 / frame.scale, p.1 / frame.scale + 0.01);
            let px = frame.scale * n;
            let white = if q.0.abs() > 0.34 || q.1.abs() > 0.25 {
                0.0
            } else {
                let paper = pages
                    .iter()
                    .map(|pg| cover((polygon(q, pg) - 0.012) * px))
                    .fold(0.0, f32::max);
                let ink = lines
                    .iter()
                    .map(|[a, b]| cover((segment(q, *a, *b) - 0.014) * px))
                    .fold(0.0, f32::max);
                paper * (1.0 - ink)
            };
            for c in colour {
                let v = f32::from(c) + (255.0 - f32::from(c)) * white;
                rgba.push(to_byte(v));
            }
            rgba.push(to_byte(255.0 * square));
        }
    }
    rgba
}

/// A point, or a vector.
#[derive(Debug, Clone, Copy)]
struct P(f32, f32);

impl P {
    fn sub(self, o: P) -> P {
        P(self.0 - o.0, self.1 - o.1)
    }
    fn dot(self, o: P) -> f32 {
        self.0 * o.0 + self.1 * o.1
    }
    fn scale(self, k: f32) -> P {
        P(self.0 * k, self.1 * k)
    }
}

/// A page of the book; `side` 1 is the right page, -1 the left. Its top
/// edge rises towards the outer side, as an open book's does.
fn page(side: f32) -> [P; 4] {
    [
        P(0.03 * side, -0.15),
        P(0.30 * side, -0.20),
        P(0.30 * side, 0.17),
        P(0.03 * side, 0.22),
    ]
}

/// The lines of text on a page, parallel to its top edge, from its outer
/// margin on the left page and its inner margin on the right one, so that
/// both read left to right; the last line ends early, as a paragraph does.
fn text_lines(side: f32) -> Vec<[P; 2]> {
    let top = |x: f32| -0.15 - (x.abs() - 0.03) * (0.05 / 0.27);
    let (start, end) = if side > 0.0 {
        (0.08, 0.25)
    } else {
        (-0.25, -0.08)
    };
    [(0.09, end), (0.165, end), (0.24, end - 0.07)]
        .into_iter()
        .map(|(dy, end)| [P(start, top(start) + dy), P(end, top(end) + dy)])
        .collect()
}

/// How much of a pixel a shape covers, from the signed distance of the
/// pixel's centre to the shape's edge, in pixels (negative inside).
fn cover(distance: f32) -> f32 {
    (0.5 - distance).clamp(0.0, 1.0)
}

fn to_byte(v: f32) -> u8 {
    // Clamped to 0..=255 first, so the cast cannot truncate.
    (v.clamp(0.0, 255.0) + 0.5) as u8
}

/// Signed distance from `p` to a square of half-size `half` with corners
/// of radius `radius`, centred on the origin.
fn rounded_square(p: P, half: f32, radius: f32) -> f32 {
    let q = P(p.0.abs() - half + radius, p.1.abs() - half + radius);
    let outside = P(q.0.max(0.0), q.1.max(0.0));
    outside.dot(outside).sqrt() + q.0.max(q.1).min(0.0) - radius
}

/// Signed distance from `p` to a closed polygon (Inigo Quilez's).
fn polygon(p: P, v: &[P]) -> f32 {
    let mut d = p.sub(v[0]).dot(p.sub(v[0]));
    let mut sign = 1.0;
    let mut j = v.len() - 1;
    for i in 0..v.len() {
        let e = v[j].sub(v[i]);
        let w = p.sub(v[i]);
        let b = w.sub(e.scale((w.dot(e) / e.dot(e)).clamp(0.0, 1.0)));
        d = d.min(b.dot(b));
        let c = [p.1 >= v[i].1, p.1 < v[j].1, e.0 * w.1 > e.1 * w.0];
        if c.iter().all(|&x| x) || c.iter().all(|&x| !x) {
            sign = -sign;
        }
        j = i;
    }
    sign * d.sqrt()
}

/// Distance from `p` to the segment from `a` to `b`.
fn segment(p: P, a: P, b: P) -> f32 {
    let (pa, ba) = (p.sub(a), b.sub(a));
    let h = (pa.dot(ba) / ba.dot(ba)).clamp(0.0, 1.0);
    let d = pa.sub(ba.scale(h));
    d.dot(d).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RED: [u8; 3] = [0xa8, 0x23, 0x1b];

    fn pixel(rgba: &[u8], size: u32, x: u32, y: u32) -> [u8; 4] {
        let i = ((y * size + x) * 4) as usize;
        rgba[i..i + 4].try_into().unwrap()
    }

    #[test]
    fn draws_a_white_book_on_the_colour() {
        let size = 64;
        let icon = draw(size, RED, ROUNDED);
        assert_eq!(icon.len(), (size * size * 4) as usize);
        // Rounded corners are transparent; the edges' middles are solid.
        assert_eq!(pixel(&icon, size, 0, 0)[3], 0);
        assert_eq!(pixel(&icon, size, 32, 0), [0xa8, 0x23, 0x1b, 255]);
        // The spine between the pages is the colour; a page's lower
        // margin, under the text, is white.
        assert_eq!(pixel(&icon, size, 32, 40), [0xa8, 0x23, 0x1b, 255]);
        assert_eq!(pixel(&icon, size, 20, 42), [255, 255, 255, 255]);
        // The frame is symmetric; only the short last lines differ.
        for y in 0..size {
            for x in [0, 3, 8] {
                let (l, r) = (
                    pixel(&icon, size, x, y),
                    pixel(&icon, size, size - 1 - x, y),
                );
                assert!(
                    l.iter().zip(r).all(|(a, b)| a.abs_diff(b) <= 1),
                    "({x},{y}) {l:?} vs {r:?}"
                );
            }
        }
    }

    #[test]
    fn a_full_frame_has_no_transparent_pixel() {
        let icon = draw(48, RED, FULL);
        assert!(icon.chunks_exact(4).all(|p| p[3] == 255));
    }
}
