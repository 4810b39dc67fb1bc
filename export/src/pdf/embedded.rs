//! An embedded TrueType font as a PDF Type 0 font (CIDFontType2, `Identity-H`): two bytes per
//! glyph in the content stream, a subset of the font program, and a `ToUnicode` map so the text
//! can be searched, copied and extracted.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::shaping::{Piece, shape};
use crate::font::{Font, FontError};

/// A font being used by one document: which glyphs were shown, under which new ids.
#[derive(Debug)]
pub(crate) struct Face<'a> {
    font: Font<'a>,
    /// Old glyph id of each new glyph id (0 is `.notdef`).
    order: Vec<u16>,
    /// New glyph id of each old glyph id used.
    new_id: HashMap<u16, u16>,
    /// The logical text of each new glyph id, for `ToUnicode`.
    text: Vec<(char, Option<char>)>,
}

impl<'a> Face<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Result<Self, FontError> {
        Ok(Self {
            font: Font::parse(data)?,
            order: vec![0],
            new_id: HashMap::from([(0, 0)]),
            text: vec![('\u{FFFD}', None)],
        })
    }

    fn glyph(&self, piece: &Piece) -> u16 {
        self.font
            .glyph(piece.shown)
            .or_else(|| self.font.glyph(piece.source.0))
            .unwrap_or(0)
    }

    /// Width of `text` in 1/1000 em.
    pub(crate) fn text_width(&self, text: &str) -> f32 {
        let units: u32 = shape(text)
            .iter()
            .map(|p| u32::from(self.font.advance(self.glyph(p))))
            .sum();
        units as f32 * 1000.0 / f32::from(self.font.units_per_em())
    }

    /// `text` as PDF hex strings of new glyph ids, one per run of one direction, each with its
    /// offset from the start of the line in 1/1000 em; records the glyphs used.
    ///
    /// Right-to-left runs are strings of their own: readers that restore the logical order of
    /// a string that is mostly right-to-left (pdf.js does, for text selection and search) then
    /// reverse only that run, not the left-to-right words beside it.
    pub(crate) fn show(&mut self, text: &str) -> Vec<(f32, String)> {
        let scale = 1000.0 / f32::from(self.font.units_per_em());
        let mut runs: Vec<(f32, String)> = Vec::new();
        let mut offset = 0.0;
        let mut previous_rtl = None;
        for piece in shape(text) {
            if previous_rtl != Some(piece.rtl) {
                if let Some((_, hex)) = runs.last_mut() {
                    hex.push('>');
                }
                runs.push((offset, String::from("<")));
                previous_rtl = Some(piece.rtl);
            }
            let old = self.glyph(&piece);
            offset += f32::from(self.font.advance(old)) * scale;
            let id = match self.new_id.get(&old) {
                Some(&id) => id,
                // A document has far fewer than 65,536 distinct glyphs; beyond that, `.notdef`.
                None => match u16::try_from(self.order.len()) {
                    Ok(id) => {
                        self.order.push(old);
                        self.new_id.insert(old, id);
                        self.text.push(piece.source);
                        id
                    }
                    Err(_) => 0,
                },
            };
            if let Some((_, hex)) = runs.last_mut() {
                let _ = write!(hex, "{id:04X}");
            }
        }
        match runs.last_mut() {
            Some((_, hex)) => hex.push('>'),
            None => runs.push((0.0, "<>".into())),
        }
        runs
    }

    /// The PDF objects of this font: the Type 0 font, and the objects it refers to, to be
    /// numbered from `rest` on (CID font, descriptor, font program, `ToUnicode`).
    pub(crate) fn objects(&self, rest: usize) -> Result<(Vec<u8>, Vec<Vec<u8>>), FontError> {
        let (program, all) = self.font.subset(&self.order[1..])?;
        let scale = 1000.0 / f32::from(self.font.units_per_em());
        let widths: Vec<String> = all
            .iter()
            .map(|&g| format!("{}", (f32::from(self.font.advance(g)) * scale).round()))
            .collect();
        // The subset's tag: six capital letters from its contents (ISO 32000-1, 9.6.4).
        let mut hash = crc32fast::hash(&program);
        let tag: String = (0..6)
            .map(|_| {
                let letter = char::from(b'A' + (hash % 26) as u8);
                hash /= 26;
                letter
            })
            .collect();
        let name = format!("{tag}+{}", self.font.postscript_name());
        let m = self.font.metrics();
        let s = |v: i16| (f32::from(v) * scale).round();
        let (cid, descriptor, file, to_unicode) = (rest, rest + 1, rest + 2, rest + 3);
        let type0 = format!(
            "<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H \
                 /DescendantFonts [{cid} 0 R] /ToUnicode {to_unicode} 0 R >>"
        )
        .into_bytes();
        let parts = vec![
            format!(
                "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} \
                 /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
                 /FontDescriptor {descriptor} 0 R /CIDToGIDMap /Identity /DW 1000 /W [0 [{}]] >>",
                widths.join(" ")
            )
            .into_bytes(),
            format!(
                "<< /Type /FontDescriptor /FontName /{name} /Flags 32 /FontBBox [{} {} {} {}] \
                 /ItalicAngle 0 /Ascent {} /Descent {} /CapHeight {} /StemV 80 \
                 /FontFile2 {file} 0 R >>",
                s(m.bbox[0]),
                s(m.bbox[1]),
                s(m.bbox[2]),
                s(m.bbox[3]),
                s(m.ascent),
                s(m.descent),
                s(m.cap_height),
            )
            .into_bytes(),
            super::stream(&format!("/Length1 {}", program.len()), &program),
            super::stream("", self.to_unicode().as_bytes()),
        ];
        Ok((type0, parts))
    }

    fn to_unicode(&self) -> String {
        let mut map = String::from(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
             /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
             /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
             1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
        );
        let entries: Vec<(usize, &(char, Option<char>))> = self.text.iter().enumerate().collect();
        for block in entries.chunks(100) {
            let _ = writeln!(map, "{} beginbfchar", block.len());
            for (id, (first, second)) in block {
                let mut utf16 = String::new();
                for c in std::iter::once(*first).chain(*second) {
                    for unit in c.encode_utf16(&mut [0; 2]) {
                        let _ = write!(utf16, "{unit:04X}");
                    }
                }
                let _ = writeln!(map, "<{id:04X}> <{utf16}>");
            }
            map.push_str("endbfchar\n");
        }
        map.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
        map
    }
}
