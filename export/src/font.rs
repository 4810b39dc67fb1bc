//! TrueType fonts for the PDF writer: reading the few tables it needs and writing a subset.
//!
//! # Design
//! A PDF that shows any client's name must carry its own font. The PDF writer embeds a TrueType
//! font as a CIDFontType2 with `Identity-H` encoding, which needs only what this module gives:
//! the glyph for a character (`cmap` formats 4 and 12), its advance width (`hmtx`), a few
//! metrics for the font descriptor (`head`, `hhea`, `OS/2`), and a font program that holds only
//! the glyphs used.
//!
//! The subset renumbers glyphs densely from 0 (`.notdef` stays 0) in the order they were first
//! used, pulls in the components of composite glyphs (and rewrites their glyph indices), and
//! keeps exactly the tables ISO 32000-1 (9.9) requires of an embedded TrueType program: `head`,
//! `hhea`, `loca` (always long), `maxp`, `cvt `, `prep`, `glyf`, `hmtx`, `fpgm`. The hinting
//! programs are copied whole: glyph instructions may call into them.
//!
//! Every read is bounds-checked: a damaged font is a [`FontError`], never a panic.

use std::collections::HashMap;

/// Why a font cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum FontError {
    /// The data is not a TrueType font (or a collection, which is not supported).
    #[error("not a TrueType font")]
    NotTrueType,
    /// A table the writer needs is missing.
    #[error("the font has no {0} table")]
    MissingTable(&'static str),
    /// A table is shorter than its own fields say.
    #[error("the font's {0} table is damaged")]
    Damaged(&'static str),
    /// The font has no Unicode character map.
    #[error("the font has no Unicode character map")]
    NoUnicodeCmap,
}

/// A parsed TrueType font.
#[derive(Debug, Clone)]
pub struct Font<'a> {
    data: &'a [u8],
    tables: HashMap<[u8; 4], &'a [u8]>,
    cmap: Cmap<'a>,
    /// Design units per em.
    units_per_em: u16,
    num_glyphs: u16,
    long_loca: bool,
    num_h_metrics: u16,
    /// PostScript name (ASCII letters, digits, `-`), for the PDF `/BaseFont`.
    postscript_name: String,
    metrics: Metrics,
}

/// Metrics for the PDF font descriptor, in design units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metrics {
    /// `xMin yMin xMax yMax` over all glyphs.
    pub bbox: [i16; 4],
    /// Ascender.
    pub ascent: i16,
    /// Descender (negative).
    pub descent: i16,
    /// Height of capital letters.
    pub cap_height: i16,
}

#[derive(Debug, Clone, Copy)]
enum Cmap<'a> {
    Format4(&'a [u8]),
    Format12(&'a [u8]),
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    let bytes = data.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([bytes[0], bytes[1]]))
}

fn i16_at(data: &[u8], at: usize) -> Option<i16> {
    u16_at(data, at).map(|v| i16::from_be_bytes(v.to_be_bytes()))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    let bytes = data.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
}

fn usize_at(data: &[u8], at: usize) -> Option<usize> {
    u32_at(data, at).and_then(|v| usize::try_from(v).ok())
}

impl<'a> Font<'a> {
    /// Reads a TrueType font (`.ttf`, glyph outlines in `glyf`).
    ///
    /// # Errors
    /// [`FontError`] when the data is not a TrueType font, lacks a table the PDF writer needs or
    /// is damaged.
    pub fn parse(data: &'a [u8]) -> Result<Self, FontError> {
        let version = u32_at(data, 0).ok_or(FontError::NotTrueType)?;
        if version != 0x0001_0000 && version != u32::from_be_bytes(*b"true") {
            return Err(FontError::NotTrueType);
        }
        let count = u16_at(data, 4).ok_or(FontError::NotTrueType)?;
        let mut tables = HashMap::new();
        for i in 0..usize::from(count) {
            let record = 12 + 16 * i;
            let tag = data.get(record..record + 4).ok_or(FontError::NotTrueType)?;
            let offset = usize_at(data, record + 8).ok_or(FontError::NotTrueType)?;
            let length = usize_at(data, record + 12).ok_or(FontError::NotTrueType)?;
            let body = offset
                .checked_add(length)
                .and_then(|end| data.get(offset..end))
                .ok_or(FontError::NotTrueType)?;
            tables.insert([tag[0], tag[1], tag[2], tag[3]], body);
        }
        let table = |tag: &'static str| -> Result<&'a [u8], FontError> {
            let key: [u8; 4] = tag
                .as_bytes()
                .try_into()
                .map_err(|_| FontError::NotTrueType)?;
            tables
                .get(&key)
                .copied()
                .ok_or(FontError::MissingTable(tag))
        };
        let head = table("head")?;
        let hhea = table("hhea")?;
        let maxp = table("maxp")?;
        table("hmtx")?;
        table("loca")?;
        table("glyf")?;
        let damaged = |t| move || FontError::Damaged(t);
        let units_per_em = u16_at(head, 18).ok_or_else(damaged("head"))?;
        let bbox = [
            i16_at(head, 36).ok_or_else(damaged("head"))?,
            i16_at(head, 38).ok_or_else(damaged("head"))?,
            i16_at(head, 40).ok_or_else(damaged("head"))?,
            i16_at(head, 42).ok_or_else(damaged("head"))?,
        ];
        let long_loca = i16_at(head, 50).ok_or_else(damaged("head"))? == 1;
        let ascent = i16_at(hhea, 4).ok_or_else(damaged("hhea"))?;
        let descent = i16_at(hhea, 6).ok_or_else(damaged("hhea"))?;
        let num_h_metrics = u16_at(hhea, 34).ok_or_else(damaged("hhea"))?;
        let num_glyphs = u16_at(maxp, 4).ok_or_else(damaged("maxp"))?;
        if num_h_metrics == 0 {
            return Err(FontError::Damaged("hhea"));
        }
        // OS/2 version 2 and later carry sCapHeight; otherwise the ascent will do.
        let cap_height = tables
            .get(b"OS/2")
            .filter(|os2| u16_at(os2, 0).is_some_and(|v| v >= 2))
            .and_then(|os2| i16_at(os2, 88))
            .unwrap_or(ascent);
        let cmap = find_cmap(table("cmap")?)?;
        let postscript_name = tables
            .get(b"name")
            .and_then(|name| postscript_name(name))
            .unwrap_or_else(|| "Font".to_owned());
        Ok(Self {
            data,
            tables,
            cmap,
            units_per_em,
            num_glyphs,
            long_loca,
            num_h_metrics,
            postscript_name,
            metrics: Metrics {
                bbox,
                ascent,
                descent,
                cap_height,
            },
        })
    }

    /// The glyph for `c`, if the font has one.
    pub fn glyph(&self, c: char) -> Option<u16> {
        let c = u32::from(c);
        let gid = match self.cmap {
            Cmap::Format4(t) => format4_lookup(t, c),
            Cmap::Format12(t) => format12_lookup(t, c),
        }?;
        (gid != 0 && gid < self.num_glyphs).then_some(gid)
    }

    /// Advance width of a glyph in design units (0 for glyphs the font does not have).
    pub fn advance(&self, glyph: u16) -> u16 {
        let hmtx = self.tables.get(b"hmtx").copied().unwrap_or_default();
        let index = usize::from(glyph.min(self.num_h_metrics - 1));
        u16_at(hmtx, 4 * index).unwrap_or(0)
    }

    /// Design units per em.
    pub fn units_per_em(&self) -> u16 {
        self.units_per_em
    }

    /// The PostScript name.
    pub fn postscript_name(&self) -> &str {
        &self.postscript_name
    }

    /// Metrics for the font descriptor.
    pub fn metrics(&self) -> Metrics {
        self.metrics
    }

    /// The raw font data.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    fn glyph_data(&self, glyph: u16) -> Result<&'a [u8], FontError> {
        let loca = self.tables.get(b"loca").copied().unwrap_or_default();
        let glyf = self.tables.get(b"glyf").copied().unwrap_or_default();
        let i = usize::from(glyph);
        let (start, end) = if self.long_loca {
            (usize_at(loca, 4 * i), usize_at(loca, 4 * i + 4))
        } else {
            (
                u16_at(loca, 2 * i).map(|v| 2 * usize::from(v)),
                u16_at(loca, 2 * i + 2).map(|v| 2 * usize::from(v)),
            )
        };
        match (start, end) {
            (Some(start), Some(end)) if start <= end => {
                glyf.get(start..end).ok_or(FontError::Damaged("glyf"))
            }
            _ => Err(FontError::Damaged("loca")),
        }
    }

    /// A font program with only `glyphs` (old glyph ids, in their new order; `.notdef` is
    /// added as glyph 0 when missing) and the components they need. Returns the program and
    /// the old glyph id of every new glyph id.
    ///
    /// # Errors
    /// [`FontError::Damaged`] when a glyph's outline or location cannot be read.
    pub fn subset(&self, glyphs: &[u16]) -> Result<(Vec<u8>, Vec<u16>), FontError> {
        let mut order: Vec<u16> = vec![0];
        let mut new_id: HashMap<u16, u16> = HashMap::from([(0, 0)]);
        let mut add = |old: u16, order: &mut Vec<u16>| -> Result<(), FontError> {
            if old >= self.num_glyphs {
                return Err(FontError::Damaged("glyf"));
            }
            if let std::collections::hash_map::Entry::Vacant(e) = new_id.entry(old) {
                let id = u16::try_from(order.len()).map_err(|_| FontError::Damaged("glyf"))?;
                e.insert(id);
                order.push(old);
            }
            Ok(())
        };
        for &g in glyphs {
            add(g, &mut order)?;
        }
        // Components of composite glyphs (which may themselves be composite).
        let mut i = 0;
        while i < order.len() {
            for component in components(self.glyph_data(order[i])?)? {
                add(component.glyph, &mut order)?;
            }
            i += 1;
        }

        let mut glyf = Vec::new();
        let mut loca = Vec::with_capacity(4 * (order.len() + 1));
        let mut hmtx = Vec::with_capacity(4 * order.len());
        let lsb_table = self.tables.get(b"hmtx").copied().unwrap_or_default();
        for &old in &order {
            loca.extend_from_slice(&offset32(glyf.len())?.to_be_bytes());
            let data = self.glyph_data(old)?;
            let start = glyf.len();
            glyf.extend_from_slice(data);
            for component in components(data)? {
                let new = new_id
                    .get(&component.glyph)
                    .copied()
                    .ok_or(FontError::Damaged("glyf"))?;
                glyf[start + component.at..start + component.at + 2]
                    .copy_from_slice(&new.to_be_bytes());
            }
            while glyf.len() % 4 != 0 {
                glyf.push(0);
            }
            let lsb = if old < self.num_h_metrics {
                i16_at(lsb_table, 4 * usize::from(old) + 2)
            } else {
                let extra = usize::from(old - self.num_h_metrics);
                i16_at(lsb_table, 4 * usize::from(self.num_h_metrics) + 2 * extra)
            }
            .unwrap_or(0);
            hmtx.extend_from_slice(&self.advance(old).to_be_bytes());
            hmtx.extend_from_slice(&lsb.to_be_bytes());
        }
        loca.extend_from_slice(&offset32(glyf.len())?.to_be_bytes());
        let count = u16::try_from(order.len()).map_err(|_| FontError::Damaged("glyf"))?;

        let mut head = self
            .tables
            .get(b"head")
            .copied()
            .filter(|t| t.len() >= 54)
            .ok_or(FontError::Damaged("head"))?
            .to_vec();
        head[8..12].copy_from_slice(&[0; 4]); // checksumAdjustment, set below
        head[50..52].copy_from_slice(&1u16.to_be_bytes()); // long loca
        let mut hhea = self
            .tables
            .get(b"hhea")
            .copied()
            .filter(|t| t.len() >= 36)
            .ok_or(FontError::Damaged("hhea"))?
            .to_vec();
        hhea[34..36].copy_from_slice(&count.to_be_bytes());
        let mut maxp = self
            .tables
            .get(b"maxp")
            .copied()
            .filter(|t| t.len() >= 6)
            .ok_or(FontError::Damaged("maxp"))?
            .to_vec();
        maxp[4..6].copy_from_slice(&count.to_be_bytes());

        let mut tables: Vec<([u8; 4], Vec<u8>)> = vec![
            (*b"glyf", glyf),
            (*b"head", head),
            (*b"hhea", hhea),
            (*b"hmtx", hmtx),
            (*b"loca", loca),
            (*b"maxp", maxp),
        ];
        for tag in [b"cvt ", b"fpgm", b"prep"] {
            if let Some(t) = self.tables.get(tag) {
                tables.push((*tag, t.to_vec()));
            }
        }
        tables.sort_by_key(|(tag, _)| *tag);
        let program = write_font(&tables)?;
        Ok((program, order))
    }
}

fn offset32(n: usize) -> Result<u32, FontError> {
    u32::try_from(n).map_err(|_| FontError::Damaged("glyf"))
}

/// A component reference inside a composite glyph: the glyph it names and where that index is.
struct Component {
    glyph: u16,
    at: usize,
}

fn components(data: &[u8]) -> Result<Vec<Component>, FontError> {
    let damaged = || FontError::Damaged("glyf");
    if data.is_empty() || i16_at(data, 0).ok_or_else(damaged)? >= 0 {
        return Ok(Vec::new());
    }
    const ARGS_ARE_WORDS: u16 = 0x0001;
    const HAVE_SCALE: u16 = 0x0008;
    const MORE_COMPONENTS: u16 = 0x0020;
    const HAVE_XY_SCALE: u16 = 0x0040;
    const HAVE_2X2: u16 = 0x0080;
    let mut out = Vec::new();
    let mut at = 10;
    loop {
        let flags = u16_at(data, at).ok_or_else(damaged)?;
        let glyph = u16_at(data, at + 2).ok_or_else(damaged)?;
        out.push(Component { glyph, at: at + 2 });
        at += 4;
        at += if flags & ARGS_ARE_WORDS != 0 { 4 } else { 2 };
        if flags & HAVE_SCALE != 0 {
            at += 2;
        } else if flags & HAVE_XY_SCALE != 0 {
            at += 4;
        } else if flags & HAVE_2X2 != 0 {
            at += 8;
        }
        if flags & MORE_COMPONENTS == 0 {
            return Ok(out);
        }
    }
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// Writes an sfnt with `tables` (sorted by tag) and fixes `head.checksumAdjustment`.
fn write_font(tables: &[([u8; 4], Vec<u8>)]) -> Result<Vec<u8>, FontError> {
    let count = u16::try_from(tables.len()).map_err(|_| FontError::NotTrueType)?;
    let mut power = 1u16;
    let mut log2 = 0u16;
    while power * 2 <= count {
        power *= 2;
        log2 += 1;
    }
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    out.extend_from_slice(&count.to_be_bytes());
    out.extend_from_slice(&(power * 16).to_be_bytes());
    out.extend_from_slice(&log2.to_be_bytes());
    out.extend_from_slice(&((count - power) * 16).to_be_bytes());
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, body) in tables {
        if tag == b"head" {
            head_at = Some(offset);
        }
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(body).to_be_bytes());
        out.extend_from_slice(&offset32(offset)?.to_be_bytes());
        out.extend_from_slice(&offset32(body.len())?.to_be_bytes());
        offset += body.len().next_multiple_of(4);
    }
    for (_, body) in tables {
        out.extend_from_slice(body);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    if let Some(at) = head_at {
        let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjustment.to_be_bytes());
    }
    Ok(out)
}

fn find_cmap(cmap: &[u8]) -> Result<Cmap<'_>, FontError> {
    let count = u16_at(cmap, 2).ok_or(FontError::Damaged("cmap"))?;
    let mut format4 = None;
    let mut format12 = None;
    for i in 0..usize::from(count) {
        let record = 4 + 8 * i;
        let platform = u16_at(cmap, record).ok_or(FontError::Damaged("cmap"))?;
        let encoding = u16_at(cmap, record + 2).ok_or(FontError::Damaged("cmap"))?;
        let offset = usize_at(cmap, record + 4).ok_or(FontError::Damaged("cmap"))?;
        let unicode = platform == 0 || (platform == 3 && matches!(encoding, 1 | 10));
        if !unicode {
            continue;
        }
        let subtable = cmap.get(offset..).ok_or(FontError::Damaged("cmap"))?;
        match u16_at(subtable, 0) {
            Some(4) => format4 = format4.or(Some(subtable)),
            Some(12) => format12 = format12.or(Some(subtable)),
            _ => {}
        }
    }
    format12
        .map(Cmap::Format12)
        .or(format4.map(Cmap::Format4))
        .ok_or(FontError::NoUnicodeCmap)
}

fn format4_lookup(t: &[u8], c: u32) -> Option<u16> {
    let c = u16::try_from(c).ok()?;
    let segments = usize::from(u16_at(t, 6)? / 2);
    let ends = 14;
    let starts = ends + 2 * segments + 2;
    let deltas = starts + 2 * segments;
    let ranges = deltas + 2 * segments;
    for s in 0..segments {
        if c > u16_at(t, ends + 2 * s)? {
            continue;
        }
        let start = u16_at(t, starts + 2 * s)?;
        if c < start {
            return None;
        }
        let delta = u16_at(t, deltas + 2 * s)?;
        let range = u16_at(t, ranges + 2 * s)?;
        if range == 0 {
            return Some(c.wrapping_add(delta));
        }
        let at = ranges + 2 * s + usize::from(range) + 2 * usize::from(c - start);
        let gid = u16_at(t, at)?;
        return (gid != 0).then(|| gid.wrapping_add(delta));
    }
    None
}

fn format12_lookup(t: &[u8], c: u32) -> Option<u16> {
    let groups = usize::try_from(u32_at(t, 12)?).ok()?;
    let (mut lo, mut hi) = (0, groups);
    while lo < hi {
        let mid = (lo + hi) / 2;
        let at = 16 + 12 * mid;
        let start = u32_at(t, at)?;
        let end = u32_at(t, at + 4)?;
        if c < start {
            hi = mid;
        } else if c > end {
            lo = mid + 1;
        } else {
            return u16::try_from(u32_at(t, at + 8)? + (c - start)).ok();
        }
    }
    None
}

/// The PostScript name (name id 6) from the `name` table, kept to characters PDF names allow.
fn postscript_name(name: &[u8]) -> Option<String> {
    let count = usize::from(u16_at(name, 2)?);
    let strings = usize::from(u16_at(name, 4)?);
    for i in 0..count {
        let record = 6 + 12 * i;
        let platform = u16_at(name, record)?;
        let id = u16_at(name, record + 6)?;
        if id != 6 {
            continue;
        }
        let length = usize::from(u16_at(name, record + 8)?);
        let offset = usize::from(u16_at(name, record + 10)?);
        let bytes = name.get(strings + offset..strings + offset + length)?;
        let text: String = if platform == 3 || platform == 0 {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|p| u16::from_be_bytes([p[0], p[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        } else {
            bytes.iter().map(|&b| char::from(b)).collect()
        };
        let clean: String = text
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        if !clean.is_empty() {
            return Some(clean);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert_eq!(
            Font::parse(b"not a font").unwrap_err(),
            FontError::NotTrueType
        );
        let mut header = 0x0001_0000u32.to_be_bytes().to_vec();
        header.extend_from_slice(&[0, 1, 0, 0, 0, 0, 0, 0]);
        header.extend_from_slice(b"head\0\0\0\0\0\0\xff\xff\0\0\0\x10");
        assert_eq!(Font::parse(&header).unwrap_err(), FontError::NotTrueType);
    }

    #[test]
    fn checksum_pads_the_last_word() {
        assert_eq!(checksum(&[0, 0, 0, 1, 2]), 1 + 0x0200_0000);
    }
}
