//! Per-contact consent for recording and AI support.
//!
//! The rules from practice, enforced here rather than only in the UI:
//!
//! - Opt-in, per contact, asked again every time: a [`crate::contact::Contact`] cannot exist
//!   without a [`ConsentDecision`].
//! - Only the choice and its moment are stored. There is no reason field, and a stored decision
//!   with any extra field is rejected when read.
//! - Refusing changes nothing about the work: a refused contact has every screen and the same
//!   report; it only never yields a [`ProcessingPermit`].
//! - Recording and every model run take a [`ProcessingPermit`], which only a contact with a "ja"
//!   can hand out. Code that tries without one does not compile; code that asks a refused
//!   contact for one gets [`ConsentError`].

use serde::{Deserialize, Serialize};

use crate::{RecordId, Timestamp};

/// The client's answer to the consent question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentChoice {
    /// "Ja": recording, on-device transcription and drafting may be used for this contact.
    Given,
    /// "Nee": the alternative path, by hand, with the same template and the same care.
    Refused,
}

/// A consent decision: the choice and the moment, nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentDecision {
    /// What the client chose.
    pub choice: ConsentChoice,
    /// When the choice was recorded.
    pub at: Timestamp,
}

impl ConsentDecision {
    /// Whether recording and AI support may be used.
    pub fn is_given(&self) -> bool {
        self.choice == ConsentChoice::Given
    }
}

/// How the client revoked consent. Recorded so the service can show it acted on every channel;
/// never a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// In the conversation itself.
    Mondeling,
    /// By phone.
    Telefonisch,
    /// By e-mail.
    Email,
    /// With a form.
    Formulier,
}

impl Channel {
    /// All channels, in the order the UI offers them.
    pub const ALL: [Self; 4] = [
        Self::Mondeling,
        Self::Telefonisch,
        Self::Email,
        Self::Formulier,
    ];

    /// Dutch label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Mondeling => "mondeling",
            Self::Telefonisch => "telefonisch",
            Self::Email => "per e-mail",
            Self::Formulier => "met een formulier",
        }
    }

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Mondeling => "mondeling",
            Self::Telefonisch => "telefonisch",
            Self::Email => "email",
            Self::Formulier => "formulier",
        }
    }

    /// Parses [`Channel::code`].
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// A revocation: when, by which channel, and what it did. No reason field exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revocation {
    /// When.
    pub at: Timestamp,
    /// How.
    pub channel: Channel,
    /// Transcripts destroyed (with the contact's key).
    pub transcripts_deleted: u32,
    /// Draft sentences that cited them, now flagged for the worker.
    pub sentences_flagged: u32,
    /// Validated reports kept (archive duty): "title, versie n".
    pub reports_kept: Vec<String>,
}

impl Revocation {
    /// The receipt for the client, in Dutch: what stopped, what was deleted, what was kept and
    /// why, whom to contact. `moment` formats the time for the reader.
    pub fn receipt(&self, moment: impl Fn(Timestamp) -> String) -> Vec<String> {
        let mut lines = vec![
            format!(
                "U hebt uw toestemming ingetrokken op {} ({}).",
                moment(self.at),
                self.channel.label()
            ),
            "Gestopt: opnemen en AI-ondersteuning voor dit gesprek, vanaf dat moment.".to_owned(),
            format!(
                "Verwijderd op dit toestel: de opname en de uitschrijving van het gesprek \
                 (aantal uitschrijvingen: {}); de sleutel waarmee ze versleuteld waren, is vernietigd.",
                self.transcripts_deleted
            ),
        ];
        if self.reports_kept.is_empty() {
            lines.push("Bewaard: geen gevalideerde verslagen over dit gesprek.".to_owned());
        } else {
            lines.push(format!(
                "Bewaard: {} — gevalideerde verslagen blijven in uw dossier omdat de wet \
                 (archiefplicht) dat vraagt. Ze vermelden dat de bronnen verwijderd zijn.",
                self.reports_kept.join("; ")
            ));
        }
        lines.push(
            "Uw keuze verandert niets aan uw rechten of aan onze inzet. Vragen? Neem contact op \
             met uw maatschappelijk werker of met de functionaris voor gegevensbescherming van \
             uw OCMW of gemeente."
                .to_owned(),
        );
        lines
    }
}

/// The words the worker uses to ask, shown on the consent screen.
pub const CONSENT_QUESTION: &str = "Mag ik dit gesprek opnemen? De opname wordt op dit toestel \
     uitgeschreven en helpt mij het verslag te maken. Ik lees en controleer alles zelf.";

/// The reassurance shown with the question, in neutral words.
pub const CONSENT_REASSURANCE: &str = "Uw keuze verandert niets aan uw rechten of aan onze inzet.";

/// Proof that a contact's client said "ja". Required to record or to run a model.
///
/// It has no public constructor: the only way to get one is
/// [`crate::contact::Contact::processing_permit`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessingPermit {
    contact: RecordId,
}

impl ProcessingPermit {
    pub(crate) fn new(contact: RecordId) -> Self {
        Self { contact }
    }

    /// The contact this permit is for.
    pub fn contact(&self) -> RecordId {
        self.contact
    }

    /// Checks that this permit covers `contact`.
    ///
    /// # Errors
    /// [`ConsentError::OtherContact`] when the permit belongs to another contact.
    pub fn covers(&self, contact: RecordId) -> Result<(), ConsentError> {
        if self.contact == contact {
            Ok(())
        } else {
            Err(ConsentError::OtherContact { contact })
        }
    }
}

/// Why recording or a model run may not start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConsentError {
    /// The client said "nee" for this contact.
    #[error("no consent for contact {contact}: recording and AI are not available")]
    Refused {
        /// The contact.
        contact: RecordId,
    },
    /// AI processing was attempted without presenting a permit.
    #[error("no consent permit was presented for contact {contact}")]
    PermitMissing {
        /// The contact.
        contact: RecordId,
    },
    /// The client revoked consent for this contact.
    #[error("consent for contact {contact} was revoked: recording and AI are stopped")]
    Revoked {
        /// The contact.
        contact: RecordId,
    },
    /// A permit for one contact was presented for another.
    #[error("the permit does not cover contact {contact}")]
    OtherContact {
        /// The contact the permit was presented for.
        contact: RecordId,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decision_serialises_only_choice_and_moment() {
        let d = ConsentDecision {
            choice: ConsentChoice::Refused,
            at: Timestamp(1_700_000_000_000),
        };
        assert_eq!(
            serde_json::to_string(&d).unwrap(),
            r#"{"choice":"refused","at":1700000000000}"#
        );
    }

    #[test]
    fn a_stored_reason_is_rejected() {
        let with_reason = r#"{"choice":"refused","at":1,"reason":"wantrouwen"}"#;
        assert!(serde_json::from_str::<ConsentDecision>(with_reason).is_err());
    }

    #[test]
    fn permit_covers_only_its_contact() {
        let a = RecordId::random().unwrap();
        let b = RecordId::random().unwrap();
        let permit = ProcessingPermit::new(a);
        assert_eq!(permit.covers(a), Ok(()));
        assert_eq!(
            permit.covers(b),
            Err(ConsentError::OtherContact { contact: b })
        );
    }
}
