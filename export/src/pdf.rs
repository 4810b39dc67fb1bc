//! PDF export: PDF 1.4, A4, the standard Helvetica fonts with WinAnsi encoding, lines wrapped by
//! Helvetica's glyph widths, pages broken as needed, "pagina n van N" in the footer.

use std::fmt::Write as _;

use crate::Document;

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 56.0;
const TEXT_W: f32 = PAGE_W - 2.0 * MARGIN;

/// Helvetica advance widths (1/1000 em) for ASCII 32..=126, from the standard AFM.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// WinAnsi byte for a character; `?` for characters the standard fonts cannot show.
fn win_ansi(c: char) -> u8 {
    match c {
        ' '..='~' => c as u8,
        '€' => 0x80,
        '‚' => 0x82,
        '„' => 0x84,
        '…' => 0x85,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '\u{a0}'..='\u{ff}' => c as u32 as u8,
        _ => b'?',
    }
}

/// Width of a character in 1/1000 em: ASCII from the table, accented letters as their base.
fn width(c: char) -> f32 {
    let base = match c {
        'à'..='å' => 'a',
        'è'..='ë' => 'e',
        'ì'..='ï' => 'i',
        'ò'..='ö' => 'o',
        'ù'..='ü' => 'u',
        'ç' => 'c',
        'ñ' => 'n',
        'À'..='Å' => 'A',
        'È'..='Ë' => 'E',
        'Ì'..='Ï' => 'I',
        'Ò'..='Ö' => 'O',
        'Ù'..='Ü' => 'U',
        'Ç' => 'C',
        c => c,
    };
    match base {
        ' '..='~' => f32::from(HELVETICA[base as usize - 32]),
        '—' => 1000.0,
        '‘' | '’' | '‚' => 222.0,
        '“' | '”' | '„' => 333.0,
        _ => 556.0,
    }
}

fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    // Bold glyphs are up to ~10 % wider; wrapping errs on the safe side.
    let factor = if bold { 1.1 } else { 1.0 };
    text.chars().map(width).sum::<f32>() * size / 1000.0 * factor
}

/// Breaks `text` into lines no wider than the text column.
fn wrap(text: &str, size: f32, bold: bool) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, size, bold) <= TEXT_W || line.is_empty() {
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

fn pdf_string(text: &str) -> String {
    let mut out = String::from("(");
    for c in text.chars() {
        match win_ansi(c) {
            b'(' => out.push_str("\\("),
            b')' => out.push_str("\\)"),
            b'\\' => out.push_str("\\\\"),
            b @ 32..=126 => out.push(char::from(b)),
            b => {
                let _ = write!(out, "\\{b:03o}");
            }
        }
    }
    out.push(')');
    out
}

struct Layout {
    pages: Vec<String>,
    current: String,
    y: f32,
}

impl Layout {
    fn new() -> Self {
        Self {
            pages: Vec::new(),
            current: String::new(),
            y: PAGE_H - MARGIN,
        }
    }

    fn line(&mut self, text: &str, size: f32, bold: bool) {
        let leading = size * 1.35;
        if self.y - leading < MARGIN + 20.0 {
            self.pages.push(std::mem::take(&mut self.current));
            self.y = PAGE_H - MARGIN;
        }
        self.y -= leading;
        let font = if bold { "F2" } else { "F1" };
        let _ = writeln!(
            self.current,
            "BT /{font} {size} Tf {MARGIN:.2} {:.2} Td {} Tj ET",
            self.y,
            pdf_string(text)
        );
    }

    fn paragraph(&mut self, text: &str, size: f32, bold: bool, space_before: f32) {
        self.y -= space_before;
        for l in wrap(text, size, bold) {
            self.line(&l, size, bold);
        }
    }

    fn finish(mut self) -> Vec<String> {
        self.pages.push(self.current);
        self.pages
    }
}

/// The document as a PDF file.
pub fn to_pdf(doc: &Document) -> Vec<u8> {
    let mut layout = Layout::new();
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
    let pages = layout.finish();
    let total = pages.len();

    // Objects: 1 catalog, 2 pages, 3 Helvetica, 4 Helvetica-Bold, 5 info, then page + content.
    let mut objects: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        String::new(), // pages, filled below
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".into(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
            .into(),
        format!(
            "<< /Title {} /Producer (Zorgvuldig) >>",
            pdf_string(&doc.title)
        ),
    ];
    let mut kids = Vec::new();
    for (i, content) in pages.iter().enumerate() {
        let page_obj = objects.len() + 1;
        kids.push(format!("{page_obj} 0 R"));
        let footer = format!(
            "BT /F1 8 Tf {MARGIN:.2} {:.2} Td {} Tj ET\n",
            MARGIN - 20.0,
            pdf_string(&format!("{} – pagina {} van {total}", doc.title, i + 1))
        );
        let stream = format!("{content}{footer}");
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R >>",
            page_obj + 1
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{stream}endstream",
            stream.len()
        ));
    }
    objects[1] = format!(
        "<< /Type /Pages /Kids [{}] /Count {total} >>",
        kids.join(" ")
    );

    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for o in offsets {
        // Each xref entry is exactly 20 bytes: "nnnnnnnnnn ggggg n" + space + newline.
        let _ = writeln!(table, "{o:010} 00000 n ");
    }
    let _ = write!(
        table,
        "trailer\n<< /Size {} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    out.extend_from_slice(table.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cross_reference_points_at_every_object() {
        let pdf = to_pdf(&crate::sample());
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
    fn dutch_characters_are_encoded_in_win_ansi() {
        assert_eq!(
            pdf_string("€ é ë “x” (a)"),
            "(\\200 \\351 \\353 \\223x\\224 \\(a\\))"
        );
    }

    #[test]
    fn long_paragraphs_wrap_and_pages_break() {
        let lines = wrap(&"woord ".repeat(200), 11.0, false);
        assert!(lines.len() > 5);
        assert!(lines.iter().all(|l| text_width(l, 11.0, false) <= TEXT_W));
        let mut doc = crate::sample();
        doc.sections[0].paragraphs =
            vec!["Een lange zin over de situatie van de cliënt.".into(); 120];
        let pdf = String::from_utf8_lossy(&to_pdf(&doc)).into_owned();
        assert!(
            pdf.contains("/Count 3") || pdf.contains("/Count 4"),
            "expected several pages"
        );
        assert!(pdf.contains("pagina 1 van"));
    }
}
