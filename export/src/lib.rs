//! Reports leave Zorgvuldig as DOCX, PDF or plain text, and always with their AI-use disclosure:
//! a [`Document`] has no way to be built without one.
//!
//! The writers are small and nearly dependency-free so they run in the browser as well: [`docx`]
//! writes WordprocessingML in a zip ([`zip`]), [`pdf`] writes PDF 1.4 with an embedded subset of
//! a TrueType font ([`font`]), so that every client's name shows as written.

pub mod docx;
pub mod font;
pub mod pdf;
pub mod zip;

/// A section of a document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Heading.
    pub heading: String,
    /// Paragraphs (one per sentence).
    pub paragraphs: Vec<String>,
}

/// A document ready to export. It travels to the export worker as JSON.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Title ("Sociaal verslag").
    pub title: String,
    /// Lines under the title (client, contact date, template version, status).
    pub subtitle: Vec<String>,
    /// Sections in order.
    pub sections: Vec<Section>,
    disclosure: Vec<String>,
}

impl Document {
    /// A document. The disclosure is required and printed at the end of every export.
    pub fn new(
        title: String,
        subtitle: Vec<String>,
        sections: Vec<Section>,
        disclosure: Vec<String>,
    ) -> Self {
        Self {
            title,
            subtitle,
            sections,
            disclosure,
        }
    }

    /// The disclosure lines.
    pub fn disclosure(&self) -> &[String] {
        &self.disclosure
    }

    /// Heading of the disclosure block.
    pub const DISCLOSURE_HEADING: &'static str = "Gebruik van AI bij dit verslag";

    /// The document as plain text (for "kopieer als tekst").
    pub fn plain_text(&self) -> String {
        let mut out = format!("{}\n", self.title);
        for line in &self.subtitle {
            out.push_str(line);
            out.push('\n');
        }
        for s in &self.sections {
            out.push_str(&format!("\n{}\n", s.heading));
            if s.paragraphs.is_empty() {
                out.push_str("—\n");
            }
            for p in &s.paragraphs {
                out.push_str(p);
                out.push('\n');
            }
        }
        out.push_str(&format!("\n{}\n", Self::DISCLOSURE_HEADING));
        for line in &self.disclosure {
            out.push_str(line);
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
pub(crate) fn sample() -> Document {
    Document::new(
        "Sociaal verslag".into(),
        vec![
            "Cliënt: Céline Janssens".into(),
            "Contact: 25-11-2026".into(),
        ],
        vec![
            Section {
                heading: "Schulden".into(),
                paragraphs: vec![
                    "Vermeld bedrag (schulden): € 2.340.".into(),
                    "cliënt: “Ik betaal elke maand 50 euro af.”".into(),
                ],
            },
            Section {
                heading: "Voorstel".into(),
                paragraphs: vec![],
            },
        ],
        vec![
            "Bij dit verslag werd AI-ondersteuning gebruikt, met toestemming van de cliënt.".into(),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_ends_with_the_disclosure() {
        let text = sample().plain_text();
        assert!(text.starts_with("Sociaal verslag\nCliënt: Céline Janssens\n"));
        assert!(text.contains("\nSchulden\nVermeld bedrag (schulden): € 2.340.\n"));
        assert!(text.contains("\nVoorstel\n—\n"));
        assert!(text.trim_end().ends_with("met toestemming van de cliënt."));
    }
}
