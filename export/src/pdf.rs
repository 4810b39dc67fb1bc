//! PDF export: A4, lines wrapped by the font's own glyph widths, pages broken as needed,
//! "pagina n van N" in the footer, the AI-use disclosure at the end.
//!
//! # Design
//! A report names its client, and clients are called Ayşe Yılmaz, Łukasz Wójcik, Nguyễn Văn Anh
//! or محمد: the PDF must show every such name and give it back when the text is copied or
//! extracted. So the writer embeds a TrueType font ([`Fonts::Embedded`]): only the glyphs used
//! (see [`crate::font`]), as a Type 0 font with `Identity-H` encoding and a `ToUnicode` map,
//! with Arabic joined and laid out right to left (`shaping`). The app ships DejaVu Sans and
//! DejaVu Sans Bold, which cover Latin (Turkish, Polish, Romanian, Vietnamese and more),
//! Cyrillic, Greek and Arabic.
//!
//! The font is loaded only when a PDF is made. Should it be unavailable (offline before the
//! first PDF), [`Fonts::Standard`] still writes the standard Helvetica fonts, as before, but only
//! for a document whose every character they can show ([`fits_standard_fonts`]); otherwise it is
//! [`PdfError::NeedsFont`], never a name with question marks.
//!
//! Content streams and the font program are compressed (Flate). The file is PDF 1.4; it does not
//! claim PDF/A conformance.

mod embedded;
mod shaping;
mod standard;

use std::fmt::Write as _;

use crate::Document;
use crate::font::FontError;

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 56.0;
const TEXT_W: f32 = PAGE_W - 2.0 * MARGIN;

/// The fonts a PDF is written with.
#[derive(Debug, Clone, Copy)]
pub enum Fonts<'a> {
    /// TrueType fonts (`.ttf` data), embedded as subsets: any character they have.
    Embedded {
        /// Body text.
        regular: &'a [u8],
        /// Headings.
        bold: &'a [u8],
    },
    /// The standard Helvetica fonts, not embedded: Western European characters only.
    Standard,
}

/// Why a PDF could not be written.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum PdfError {
    /// An embedded font could not be read.
    #[error("het lettertype voor de PDF is onbruikbaar: {0}")]
    Font(#[from] FontError),
    /// The standard fonts cannot show a character of the document.
    #[error("het lettertype voor de PDF is niet geladen en “{0}” kan zonder niet getoond worden")]
    NeedsFont(char),
}

/// Every text of the document, in order.
fn texts(doc: &Document) -> impl Iterator<Item = &str> {
    std::iter::once(doc.title.as_str())
        .chain(doc.subtitle.iter().map(String::as_str))
        .chain(doc.sections.iter().flat_map(|s| {
            std::iter::once(s.heading.as_str()).chain(s.paragraphs.iter().map(String::as_str))
        }))
        .chain(doc.disclosure().iter().map(String::as_str))
}

/// The first character of `doc` that the standard fonts cannot show, if any.
pub fn outside_standard_fonts(doc: &Document) -> Option<char> {
    texts(doc)
        .flat_map(str::chars)
        .find(|&c| standard::win_ansi(c).is_none() && !c.is_whitespace())
}

/// Whether [`Fonts::Standard`] can show every character of `doc`.
pub fn fits_standard_fonts(doc: &Document) -> bool {
    outside_standard_fonts(doc).is_none()
}

/// The two faces of a document (regular, bold).
enum Faces<'a> {
    Embedded(Box<[embedded::Face<'a>; 2]>),
    Standard,
}

impl Faces<'_> {
    fn text_width(&self, text: &str, size: f32, bold: bool) -> f32 {
        let em = match self {
            Self::Embedded(faces) => faces[usize::from(bold)].text_width(text),
            Self::Standard => standard::text_width(text, bold),
        };
        em * size / 1000.0
    }

    /// `text` as PDF strings, each with its offset from the line's start in 1/1000 em.
    fn show(&mut self, text: &str, bold: bool) -> Vec<(f32, String)> {
        match self {
            Self::Embedded(faces) => faces[usize::from(bold)].show(text),
            Self::Standard => vec![(0.0, standard::literal(text))],
        }
    }

    /// Text-showing operators for `text` at (`x`, `y`) in font `font` (a resource name).
    fn draw(&mut self, text: &str, bold: bool, size: f32, x: f32, y: f32) -> String {
        let font = if bold { "F2" } else { "F1" };
        let mut out = String::new();
        for (offset, shown) in self.show(text, bold) {
            let _ = writeln!(
                out,
                "BT /{font} {size} Tf {:.2} {y:.2} Td {shown} Tj ET",
                x + offset * size / 1000.0
            );
        }
        out
    }
}

struct Layout<'a> {
    faces: Faces<'a>,
    pages: Vec<String>,
    current: String,
    y: f32,
}

impl<'a> Layout<'a> {
    fn new(faces: Faces<'a>) -> Self {
        Self {
            faces,
            pages: Vec::new(),
            current: String::new(),
            y: PAGE_H - MARGIN,
        }
    }

    /// Breaks `text` into lines no wider than the text column.
    fn wrap(&self, text: &str, size: f32, bold: bool) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if line.is_empty() || self.faces.text_width(&candidate, size, bold) <= TEXT_W {
                line = candidate;
            } else {
                lines.push(std::mem::take(&mut line));
                line = word.to_owned();
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }

    fn line(&mut self, text: &str, size: f32, bold: bool) {
        let leading = size * 1.35;
        if self.y - leading < MARGIN + 20.0 {
            self.pages.push(std::mem::take(&mut self.current));
            self.y = PAGE_H - MARGIN;
        }
        self.y -= leading;
        let drawn = self.faces.draw(text, bold, size, MARGIN, self.y);
        self.current.push_str(&drawn);
    }

    fn paragraph(&mut self, text: &str, size: f32, bold: bool, space_before: f32) {
        self.y -= space_before;
        for l in self.wrap(text, size, bold) {
            self.line(&l, size, bold);
        }
    }
}

/// A stream object: `extra` dictionary entries, the data compressed.
fn stream(extra: &str, data: &[u8]) -> Vec<u8> {
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(data, 9);
    let mut out = format!(
        "<< /Length {} /Filter /FlateDecode {extra} >>\nstream\n",
        packed.len()
    )
    .into_bytes();
    out.extend_from_slice(&packed);
    out.extend_from_slice(b"\nendstream");
    out
}

/// A text string for the document information: UTF-16BE with a byte order mark.
fn info_string(text: &str) -> String {
    let mut out = String::from("<FEFF");
    for unit in text.encode_utf16() {
        let _ = write!(out, "{unit:04X}");
    }
    out.push('>');
    out
}

/// The document as a PDF file.
///
/// # Errors
/// [`PdfError::Font`] when an embedded font cannot be read; [`PdfError::NeedsFont`] with
/// [`Fonts::Standard`] when the document has a character those fonts cannot show.
pub fn to_pdf(doc: &Document, fonts: Fonts<'_>) -> Result<Vec<u8>, PdfError> {
    let faces = match fonts {
        Fonts::Embedded { regular, bold } => Faces::Embedded(Box::new([
            embedded::Face::new(regular)?,
            embedded::Face::new(bold)?,
        ])),
        Fonts::Standard => {
            if let Some(c) = outside_standard_fonts(doc) {
                return Err(PdfError::NeedsFont(c));
            }
            Faces::Standard
        }
    };
    let mut layout = Layout::new(faces);
    layout.paragraph(&doc.title, 18.0, true, 0.0);
    for line in &doc.subtitle {
        layout.paragraph(line, 10.0, false, 0.0);
    }
    for s in &doc.sections {
        layout.paragraph(&s.heading, 13.0, true, 10.0);
        if s.paragraphs.is_empty() {
            layout.paragraph("—", 11.0, false, 0.0);
        }
        for p in &s.paragraphs {
            layout.paragraph(p, 11.0, false, 2.0);
        }
    }
    layout.paragraph(Document::DISCLOSURE_HEADING, 12.0, true, 16.0);
    for line in doc.disclosure() {
        layout.paragraph(line, 10.0, false, 1.0);
    }
    let Layout {
        mut faces,
        mut pages,
        current,
        ..
    } = layout;
    pages.push(current);
    let total = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        let footer = format!("{} – pagina {} van {total}", doc.title, i + 1);
        page.push_str(&faces.draw(&footer, false, 8.0, MARGIN, MARGIN - 20.0));
    }

    // Objects: 1 catalog, 2 pages, 3 info, 4 regular font, 5 bold font, then pages and their
    // contents, then the rest of the embedded fonts' objects.
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R /Lang (nl) >>".to_vec(),
        Vec::new(), // pages, filled below
        format!(
            "<< /Title {} /Producer (Zorgvuldig) >>",
            info_string(&doc.title)
        )
        .into_bytes(),
        Vec::new(), // regular font
        Vec::new(), // bold font
    ];
    let mut kids = Vec::new();
    for content in &pages {
        let page_obj = objects.len() + 1;
        kids.push(format!("{page_obj} 0 R"));
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents {} 0 R >>",
            page_obj + 1
        ).into_bytes());
        objects.push(stream("", content.as_bytes()));
    }
    objects[1] = format!(
        "<< /Type /Pages /Kids [{}] /Count {total} >>",
        kids.join(" ")
    )
    .into_bytes();
    match &faces {
        Faces::Embedded(embedded) => {
            for (slot, face) in [3, 4].into_iter().zip(embedded.iter()) {
                // The Type 0 font takes the reserved slot; its other objects go at the end.
                let (font, parts) = face.objects(objects.len() + 1)?;
                objects[slot] = font;
                objects.extend(parts);
            }
        }
        Faces::Standard => {
            objects[3] = standard::FONTS[0].as_bytes().to_vec();
            objects[4] = standard::FONTS[1].as_bytes().to_vec();
        }
    }

    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for o in offsets {
        // Each xref entry is exactly 20 bytes: "nnnnnnnnnn ggggg n" + space + newline.
        let _ = writeln!(table, "{o:010} 00000 n ");
    }
    let _ = write!(
        table,
        "trailer\n<< /Size {} /Root 1 0 R /Info 3 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    out.extend_from_slice(table.as_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cross_reference_points_at_every_object() {
        let pdf = to_pdf(&crate::sample(), Fonts::Standard).unwrap();
        let find = |needle: &[u8]| {
            pdf.windows(needle.len())
                .rposition(|w| w == needle)
                .unwrap()
        };
        let after = find(b"startxref\n") + b"startxref\n".len();
        let digits: Vec<u8> = pdf[after..]
            .iter()
            .copied()
            .take_while(u8::is_ascii_digit)
            .collect();
        let start: usize = String::from_utf8(digits).unwrap().parse().unwrap();
        assert!(pdf[start..].starts_with(b"xref\n"));
        let table = String::from_utf8(pdf[start..].to_vec()).unwrap();
        let entries: Vec<&str> = table
            .lines()
            .skip(3)
            .take_while(|l| l.ends_with(" n "))
            .collect();
        assert!(entries.len() >= 7);
        for (i, e) in entries.iter().enumerate() {
            let offset: usize = e[..10].parse().unwrap();
            assert!(
                pdf[offset..].starts_with(format!("{} 0 obj", i + 1).as_bytes()),
                "object {}",
                i + 1
            );
        }
    }

    #[test]
    fn long_paragraphs_wrap_and_pages_break() {
        let layout = Layout::new(Faces::Standard);
        let lines = layout.wrap(&"woord ".repeat(200), 11.0, false);
        assert!(lines.len() > 5);
        assert!(
            lines
                .iter()
                .all(|l| layout.faces.text_width(l, 11.0, false) <= TEXT_W)
        );
        let mut doc = crate::sample();
        doc.sections[0].paragraphs =
            vec!["Een lange zin over de situatie van de cliënt.".into(); 120];
        let pdf = String::from_utf8_lossy(&to_pdf(&doc, Fonts::Standard).unwrap()).into_owned();
        assert!(
            pdf.contains("/Count 3") || pdf.contains("/Count 4"),
            "expected several pages"
        );
    }

    #[test]
    fn standard_fonts_refuse_what_they_cannot_show() {
        let mut doc = crate::sample();
        assert!(fits_standard_fonts(&doc));
        doc.subtitle[0] = "Cliënt: Ayşe Yılmaz".into();
        assert!(!fits_standard_fonts(&doc));
        assert_eq!(
            to_pdf(&doc, Fonts::Standard).unwrap_err(),
            PdfError::NeedsFont('ş')
        );
    }

    #[test]
    fn a_damaged_font_is_an_error() {
        let err = to_pdf(
            &crate::sample(),
            Fonts::Embedded {
                regular: b"nope",
                bold: b"nope",
            },
        )
        .unwrap_err();
        assert_eq!(err, PdfError::Font(FontError::NotTrueType));
    }

    #[test]
    fn the_title_is_stored_as_unicode() {
        assert_eq!(info_string("Aş"), "<FEFF0041015F>");
    }
}
