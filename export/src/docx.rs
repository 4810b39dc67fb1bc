//! DOCX (WordprocessingML) export.

use crate::Document;
use crate::zip::{Entry, TooLarge, write};

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A paragraph; `size` in half-points, `bold` for headings.
fn paragraph(text: &str, size: u32, bold: bool, space_before: u32) -> String {
    let b = if bold { "<w:b/>" } else { "" };
    format!(
        "<w:p><w:pPr><w:spacing w:before=\"{space_before}\" w:after=\"80\"/></w:pPr><w:r><w:rPr>{b}<w:sz w:val=\"{size}\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
        escape(text)
    )
}

/// The document as a DOCX file.
///
/// # Errors
/// [`TooLarge`] for a document beyond zip's limits.
pub fn to_docx(doc: &Document) -> Result<Vec<u8>, TooLarge> {
    let mut body = paragraph(&doc.title, 36, true, 0);
    for line in &doc.subtitle {
        body.push_str(&paragraph(line, 20, false, 0));
    }
    for s in &doc.sections {
        body.push_str(&paragraph(&s.heading, 26, true, 240));
        if s.paragraphs.is_empty() {
            body.push_str(&paragraph("—", 22, false, 0));
        }
        for p in &s.paragraphs {
            body.push_str(&paragraph(p, 22, false, 0));
        }
    }
    body.push_str(&paragraph(Document::DISCLOSURE_HEADING, 24, true, 360));
    for line in doc.disclosure() {
        body.push_str(&paragraph(line, 20, false, 0));
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1134\" w:right=\"1134\" w:bottom=\"1134\" w:left=\"1134\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
    );
    let core = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{}</dc:title><dc:language>nl-BE</dc:language></cp:coreProperties>",
        escape(&doc.title)
    );
    write(&[
        Entry {
            name: "[Content_Types].xml",
            data: CONTENT_TYPES.as_bytes(),
        },
        Entry {
            name: "_rels/.rels",
            data: RELS.as_bytes(),
        },
        Entry {
            name: "docProps/core.xml",
            data: core.as_bytes(),
        },
        Entry {
            name: "word/document.xml",
            data: document.as_bytes(),
        },
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_disclosure_included() {
        let mut doc = crate::sample();
        doc.sections[0].paragraphs.push("A & B <c>".into());
        let bytes = to_docx(&doc).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("A &amp; B &lt;c&gt;"));
        assert!(text.contains(Document::DISCLOSURE_HEADING));
        assert!(text.contains("met toestemming van de cliënt."));
    }
}
