//! Reading an [`AuditKind`] through one flat struct rather than serde's internally tagged
//! enum: the same JSON (`{"kind": "report_shared", "report": …}`), read with a fraction of the
//! code (the app downloads it), and as strict: a missing field, a field the kind does not
//! have, an unknown field or an unknown kind is refused.

use serde::{Deserialize, Deserializer};

use super::{AuditKind, Problem};
use crate::RecordId;
use crate::consent::{Channel, ConsentChoice};

/// Every field any kind has, by name (a name means the same thing in every kind).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FlatKind {
    kind: String,
    #[serde(default, deserialize_with = "given")]
    contact: Option<RecordId>,
    #[serde(default, deserialize_with = "given")]
    consent: Option<ConsentChoice>,
    #[serde(default, deserialize_with = "given")]
    channel: Option<Channel>,
    #[serde(default, deserialize_with = "given")]
    transcripts_deleted: Option<u32>,
    #[serde(default, deserialize_with = "given")]
    report: Option<RecordId>,
    #[serde(default, deserialize_with = "given")]
    template: Option<String>,
    #[serde(default, deserialize_with = "given")]
    proposals: Option<u32>,
    #[serde(default, deserialize_with = "given")]
    version: Option<u32>,
    #[serde(default, deserialize_with = "given")]
    format: Option<String>,
    #[serde(default, deserialize_with = "given")]
    share: Option<String>,
    #[serde(default, deserialize_with = "given")]
    days: Option<u32>,
    #[serde(default, deserialize_with = "given")]
    pin: Option<bool>,
    #[serde(default, deserialize_with = "given")]
    whole: Option<bool>,
    #[serde(default, deserialize_with = "given")]
    records: Option<u32>,
    #[serde(default, deserialize_with = "given")]
    contacts: Option<u32>,
    #[serde(default, deserialize_with = "given")]
    reports: Option<u32>,
    #[serde(default, deserialize_with = "given")]
    validated_reports: Option<u32>,
    #[serde(default, deserialize_with = "given")]
    transcripts: Option<u32>,
    #[serde(default, deserialize_with = "given")]
    sentence: Option<u32>,
    #[serde(default, deserialize_with = "given")]
    problem: Option<Problem>,
    #[serde(default, deserialize_with = "given")]
    action: Option<String>,
    #[serde(default, deserialize_with = "given")]
    done: Option<bool>,
}

/// A field that is there has a value: `null` is refused, as a field the kind does not have.
fn given<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// The value of a field the kind must have.
fn need<T>(value: &mut Option<T>, name: &str) -> Result<T, String> {
    value
        .take()
        .ok_or_else(|| format!("missing field `{name}`"))
}

impl FlatKind {
    /// Whether a field is left that the kind read does not have.
    fn any_left(&self) -> bool {
        let numbers = [
            self.transcripts_deleted,
            self.proposals,
            self.version,
            self.days,
            self.records,
            self.contacts,
            self.reports,
            self.validated_reports,
            self.transcripts,
            self.sentence,
        ];
        let texts = [&self.template, &self.format, &self.share, &self.action];
        numbers.iter().any(Option::is_some)
            || texts.iter().any(|t| t.is_some())
            || [self.pin, self.whole, self.done]
                .iter()
                .any(Option::is_some)
            || self.contact.is_some()
            || self.report.is_some()
            || self.consent.is_some()
            || self.channel.is_some()
            || self.problem.is_some()
    }
}

impl TryFrom<FlatKind> for AuditKind {
    type Error = String;

    fn try_from(mut f: FlatKind) -> Result<Self, String> {
        let kind = match f.kind.as_str() {
            "dossier_created" => Self::DossierCreated,
            "contact_started" => Self::ContactStarted {
                contact: need(&mut f.contact, "contact")?,
                consent: need(&mut f.consent, "consent")?,
            },
            "consent_revoked" => Self::ConsentRevoked {
                contact: need(&mut f.contact, "contact")?,
                channel: need(&mut f.channel, "channel")?,
                transcripts_deleted: need(&mut f.transcripts_deleted, "transcripts_deleted")?,
            },
            "transcript_stored" => Self::TranscriptStored {
                contact: need(&mut f.contact, "contact")?,
            },
            "report_started" => Self::ReportStarted {
                report: need(&mut f.report, "report")?,
                template: need(&mut f.template, "template")?,
                proposals: need(&mut f.proposals, "proposals")?,
            },
            "report_validated" => Self::ReportValidated {
                report: need(&mut f.report, "report")?,
                version: need(&mut f.version, "version")?,
            },
            "report_exported" => Self::ReportExported {
                report: need(&mut f.report, "report")?,
                format: need(&mut f.format, "format")?,
            },
            "report_shared" => Self::ReportShared {
                report: need(&mut f.report, "report")?,
                share: need(&mut f.share, "share")?,
                days: need(&mut f.days, "days")?,
                pin: need(&mut f.pin, "pin")?,
            },
            "receipt_shared" => Self::ReceiptShared {
                contact: need(&mut f.contact, "contact")?,
                share: need(&mut f.share, "share")?,
                days: need(&mut f.days, "days")?,
            },
            "share_revoked" => Self::ShareRevoked {
                report: need(&mut f.report, "report")?,
                share: need(&mut f.share, "share")?,
            },
            "exported" => Self::Exported {
                whole: need(&mut f.whole, "whole")?,
            },
            "imported" => Self::Imported {
                records: need(&mut f.records, "records")?,
            },
            "dossier_deleted" => Self::DossierDeleted {
                contacts: need(&mut f.contacts, "contacts")?,
                reports: need(&mut f.reports, "reports")?,
                validated_reports: need(&mut f.validated_reports, "validated_reports")?,
                transcripts: need(&mut f.transcripts, "transcripts")?,
            },
            "problem_reported" => Self::ProblemReported {
                report: need(&mut f.report, "report")?,
                sentence: need(&mut f.sentence, "sentence")?,
                problem: need(&mut f.problem, "problem")?,
            },
            "action_handled" => Self::ActionHandled {
                action: need(&mut f.action, "action")?,
                done: need(&mut f.done, "done")?,
            },
            other => return Err(format!("unknown audit event kind `{other}`")),
        };
        if f.any_left() {
            return Err(format!("a field that `{}` does not have", f.kind));
        }
        Ok(kind)
    }
}
