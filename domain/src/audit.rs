//! The audit log of a dossier: append-only, encrypted like every record.
//!
//! Every event is its own record with a fresh id, written in the same transaction as the change
//! it describes, and never updated. It says what happened, when, and on which device — never
//! content about the client.

use serde::{Deserialize, Serialize};

use crate::consent::{Channel, ConsentChoice};
use crate::{RecordId, Timestamp};

mod flat;

/// What happened. Written as `{"kind": "snake_case_name", …its fields}`; read through one
/// flat struct (`flat.rs`) with far less code than serde's internally tagged enum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "flat::FlatKind")]
pub enum AuditKind {
    /// The dossier was created.
    DossierCreated,
    /// A contact started with the client's decision.
    ContactStarted {
        /// The contact.
        contact: RecordId,
        /// Ja or nee.
        consent: ConsentChoice,
    },
    /// Consent was revoked; the contact's transcripts were destroyed.
    ConsentRevoked {
        /// The contact.
        contact: RecordId,
        /// How the client revoked.
        channel: Channel,
        /// Transcripts destroyed.
        transcripts_deleted: u32,
    },
    /// A transcript was stored (recorded or typed notes).
    TranscriptStored {
        /// The contact.
        contact: RecordId,
    },
    /// A report was started: drafted with AI, or empty to write by hand.
    ReportStarted {
        /// The report.
        report: RecordId,
        /// `id@version` of the template.
        template: String,
        /// Proposals drafted (0 when written by hand).
        proposals: u32,
    },
    /// A report was validated.
    ReportValidated {
        /// The report.
        report: RecordId,
        /// Its version.
        version: u32,
    },
    /// A report was exported.
    ReportExported {
        /// The report.
        report: RecordId,
        /// "docx", "pdf" or "tekst".
        format: String,
    },
    /// A validated report was shared with the client through a link.
    ReportShared {
        /// The report.
        report: RecordId,
        /// The share id on the relay (random; the key is never stored).
        share: String,
        /// Days until the link expires.
        days: u32,
        /// Whether a PIN protects it.
        pin: bool,
    },
    /// The receipt of a revocation was shared with the client through a link.
    ReceiptShared {
        /// The contact whose consent was revoked.
        contact: RecordId,
        /// The share id on the relay.
        share: String,
        /// Days until the link expires.
        days: u32,
    },
    /// A share link was revoked.
    ShareRevoked {
        /// The report.
        report: RecordId,
        /// The share id.
        share: String,
    },
    /// The dossier (alone, or with the whole workspace) was exported to an open archive.
    Exported {
        /// Whether the whole workspace was exported.
        whole: bool,
    },
    /// Records of this dossier were imported from an archive.
    Imported {
        /// Records added.
        records: u32,
    },
    /// The dossier was deleted with everything in it; this event is all that stays.
    DossierDeleted {
        /// Contacts deleted.
        contacts: u32,
        /// Reports deleted.
        reports: u32,
        /// Of which validated.
        validated_reports: u32,
        /// Transcripts deleted.
        transcripts: u32,
    },
    /// The worker reported a problem with a drafted sentence ("meld een fout").
    ProblemReported {
        /// The report.
        report: RecordId,
        /// The sentence id within the report.
        sentence: u32,
        /// What was wrong.
        problem: Problem,
    },
    /// An action from the overview was marked handled (or open again).
    ActionHandled {
        /// The action key.
        action: String,
        /// Handled or reopened.
        done: bool,
    },
}

impl AuditKind {
    /// Dutch description.
    pub fn describe(&self) -> String {
        match self {
            Self::DossierCreated => "Dossier aangemaakt".into(),
            Self::ContactStarted {
                consent: ConsentChoice::Given,
                ..
            } => "Contact gestart; toestemming gegeven".into(),
            Self::ContactStarted {
                consent: ConsentChoice::Refused,
                ..
            } => "Contact gestart; geen toestemming (gewoon pad)".into(),
            Self::ConsentRevoked {
                channel,
                transcripts_deleted,
                ..
            } => format!(
                "Toestemming ingetrokken ({}); {transcripts_deleted} uitschrijving(en) verwijderd",
                channel.label()
            ),
            Self::TranscriptStored { .. } => "Uitschrijving bewaard".into(),
            Self::ReportStarted {
                template,
                proposals: 0,
                ..
            } => format!("Verslag gestart zonder AI ({template})"),
            Self::ReportStarted {
                template,
                proposals,
                ..
            } => format!("Verslagontwerp gegenereerd ({template}, {proposals} voorstellen)"),
            Self::ReportValidated { version, .. } => {
                format!("Verslag gevalideerd (versie {version})")
            }
            Self::ReportExported { format, .. } => format!("Verslag geëxporteerd ({format})"),
            Self::ReportShared { days, pin, .. } => format!(
                "Verslag gedeeld met de cliënt via een link ({days} dagen geldig{})",
                if *pin { ", met pincode" } else { "" }
            ),
            Self::ReceiptShared { days, .. } => format!(
                "Bevestiging van de intrekking gedeeld met de cliënt via een link ({days} dagen geldig)"
            ),
            Self::ShareRevoked { .. } => "Link naar het verslag ingetrokken".into(),
            Self::Exported { whole: true } => "Alle gegevens geëxporteerd (open formaat)".into(),
            Self::Exported { whole: false } => "Dossier geëxporteerd (open formaat)".into(),
            Self::Imported { records } => format!("{records} gegeven(s) geïmporteerd"),
            Self::DossierDeleted {
                contacts,
                reports,
                validated_reports,
                transcripts,
            } => format!(
                "Dossier verwijderd: {contacts} contact(en), {reports} verslag(en) waarvan \
                 {validated_reports} gevalideerd, {transcripts} uitschrijving(en)"
            ),
            Self::ProblemReported { problem, .. } => {
                format!("Fout gemeld in een voorstel: {}", problem.label())
            }
            Self::ActionHandled { done: true, .. } => "Afspraak afgehandeld".into(),
            Self::ActionHandled { done: false, .. } => "Afspraak heropend".into(),
        }
    }
}

/// What was wrong with a drafted sentence, as the worker reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// "Fout": says something other than what was said.
    Wrong,
    /// "Onvolledig": leaves out something that matters.
    Incomplete,
    /// "Verzonnen": not in the conversation at all.
    Invented,
}

impl Problem {
    /// Every kind, in the order the app offers them.
    pub const ALL: [Self; 3] = [Self::Wrong, Self::Incomplete, Self::Invented];

    /// Dutch label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Wrong => "fout",
            Self::Incomplete => "onvolledig",
            Self::Invented => "verzonnen",
        }
    }

    /// Stable code (CSV, form values).
    pub fn code(self) -> &'static str {
        match self {
            Self::Wrong => "wrong",
            Self::Incomplete => "incomplete",
            Self::Invented => "invented",
        }
    }

    /// The kind for a [`Problem::code`].
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// One audit event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditEvent {
    /// Record id (fresh for every event).
    pub id: RecordId,
    /// The dossier it belongs to.
    pub dossier: RecordId,
    /// When.
    pub at: Timestamp,
    /// Which device (a random id made on first use).
    pub device: String,
    /// What.
    pub kind: AuditKind,
}

/// The share links (reports and revocation receipts) among `events` that were made and not
/// revoked since (they may still have
/// expired on the relay), in the order given.
pub fn live_shares<'a>(events: &[&'a AuditEvent]) -> Vec<&'a AuditEvent> {
    let revoked: Vec<&str> = events
        .iter()
        .filter_map(|e| match &e.kind {
            AuditKind::ShareRevoked { share, .. } => Some(share.as_str()),
            _ => None,
        })
        .collect();
    events
        .iter()
        .copied()
        .filter(|e| {
            matches!(&e.kind, AuditKind::ReportShared { share, .. } | AuditKind::ReceiptShared { share, .. }
                if !revoked.contains(&share.as_str()))
        })
        .collect()
}
