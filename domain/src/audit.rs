//! The audit log of a dossier: append-only, encrypted like every record.
//!
//! Every event is its own record with a fresh id, written in the same transaction as the change
//! it describes, and never updated. It says what happened, when, and on which device — never
//! content about the client.

use serde::{Deserialize, Serialize};

use crate::consent::{Channel, ConsentChoice};
use crate::{RecordId, Timestamp};

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
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
    /// A share link was revoked.
    ShareRevoked {
        /// The report.
        report: RecordId,
        /// The share id.
        share: String,
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
            Self::ShareRevoked { .. } => "Link naar het verslag ingetrokken".into(),
            Self::ActionHandled { done: true, .. } => "Afspraak afgehandeld".into(),
            Self::ActionHandled { done: false, .. } => "Afspraak heropend".into(),
        }
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
