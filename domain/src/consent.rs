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
