//! A report as an export document (DOCX, PDF, text): title, who and when, the sentences, and
//! the AI-use disclosure, always.

use domain::Timestamp;
use domain::report::Report;

/// The Dutch status line: validated, or a draft not yet validated.
pub fn status_line(report: &Report) -> String {
    match &report.validated {
        Some(_) => format!("Gevalideerd verslag, versie {}", report.version),
        None => format!("ONTWERP, versie {} – nog niet gevalideerd", report.version),
    }
}

/// `report` as an export document for `client`, whose contact was at `contact_moment`.
/// `moment` writes a moment in the worker's time zone ("24-11-2026 om 10:03").
pub fn document(
    report: &Report,
    client: &str,
    contact_moment: Timestamp,
    moment: impl Fn(Timestamp) -> String,
) -> export::Document {
    let sections = report
        .sections
        .iter()
        .map(|s| export::Section {
            heading: s.title.clone(),
            paragraphs: report
                .sentences
                .iter()
                // A sentence whose source was destroyed has no text until the worker writes it.
                .filter(|x| x.section == s.id && !x.text.is_empty())
                .map(|x| x.text.clone())
                .collect(),
        })
        .collect();
    export::Document::new(
        report.template.title.clone(),
        vec![
            format!("Cliënt: {client}"),
            format!("Contact: {}", moment(contact_moment)),
            format!(
                "Sjabloon: {} versie {}",
                report.template.id, report.template.version
            ),
            status_line(report),
        ],
        sections,
        report.disclosure(&moment).lines,
    )
}

/// `report` as its client reads it through a share link: the sections that say something,
/// lines under the title in plain words (no template id), and the AI-use disclosure in plain Dutch
/// ([`Report::client_disclosure`]) with who approved it. `sender` is who the page comes from
/// ([`domain::preferences::Preferences::sender_line`]: "Van: Jan Peeters, OCMW Gent").
pub fn for_client(
    report: &Report,
    client: &str,
    contact_moment: Timestamp,
    sender: Option<String>,
    moment: impl Fn(Timestamp) -> String,
) -> domain::share::SharedReport {
    let official = document(report, client, contact_moment, &moment);
    let mut subtitle = vec![
        format!("Voor: {client}"),
        format!("Gesprek van {}", moment(contact_moment)),
    ];
    subtitle.extend(sender);
    domain::share::SharedReport {
        title: official.title.clone(),
        subtitle,
        // A section with nothing in it says nothing to the client.
        sections: official
            .sections
            .iter()
            .filter(|s| !s.paragraphs.is_empty())
            .map(|s| domain::share::SharedSection {
                heading: s.heading.clone(),
                paragraphs: s.paragraphs.clone(),
            })
            .collect(),
        disclosure: report.client_disclosure(&moment),
    }
}
