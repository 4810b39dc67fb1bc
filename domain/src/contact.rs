//! Contacts: one conversation (or visit, or call) with a client.

use serde::{Deserialize, Serialize};

use crate::consent::{ConsentChoice, ConsentDecision, ConsentError, ProcessingPermit, Revocation};
use crate::{RecordId, Timestamp};

/// Longest accepted contact note, in characters (about 40 pages).
pub const MAX_NOTE_CHARS: usize = 100_000;

/// The form a contact took.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    /// A conversation at the office.
    Gesprek,
    /// A home visit.
    Huisbezoek,
    /// A phone call.
    Telefonisch,
    /// A video call.
    Videogesprek,
}

impl ContactKind {
    /// All kinds, in the order the UI offers them.
    pub const ALL: [Self; 4] = [
        Self::Gesprek,
        Self::Huisbezoek,
        Self::Telefonisch,
        Self::Videogesprek,
    ];

    /// Dutch label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Gesprek => "Gesprek",
            Self::Huisbezoek => "Huisbezoek",
            Self::Telefonisch => "Telefonisch contact",
            Self::Videogesprek => "Videogesprek",
        }
    }

    /// Stable code used in forms and storage.
    pub fn code(self) -> &'static str {
        match self {
            Self::Gesprek => "gesprek",
            Self::Huisbezoek => "huisbezoek",
            Self::Telefonisch => "telefonisch",
            Self::Videogesprek => "videogesprek",
        }
    }

    /// Parses [`ContactKind::code`].
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A contact with a client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Record id.
    pub id: RecordId,
    /// The dossier this contact belongs to.
    pub dossier: RecordId,
    /// The form of the contact.
    pub kind: ContactKind,
    /// When the contact started.
    pub started_at: Timestamp,
    /// The client's consent decision for this contact.
    pub consent: ConsentDecision,
    /// The contact note (verslag) as the worker wrote or edited it.
    pub note: String,
    /// Set when the client revoked consent; from then on no recording or model run.
    #[serde(default)]
    pub revoked: Option<Revocation>,
    /// When the contact was last changed.
    pub updated_at: Timestamp,
}

/// A contact note that cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ContactError {
    /// The note is longer than [`MAX_NOTE_CHARS`].
    #[error("the note is longer than {MAX_NOTE_CHARS} characters")]
    NoteTooLong,
}

impl Contact {
    /// Starts a contact. A contact cannot exist without the client's decision, which is asked
    /// anew for every contact.
    pub fn start(
        id: RecordId,
        dossier: RecordId,
        kind: ContactKind,
        choice: ConsentChoice,
        now: Timestamp,
    ) -> Self {
        Self {
            id,
            dossier,
            kind,
            started_at: now,
            consent: ConsentDecision { choice, at: now },
            note: String::new(),
            revoked: None,
            updated_at: now,
        }
    }

    /// A permit to record and to run models for this contact.
    ///
    /// # Errors
    /// [`ConsentError::Refused`] when the client said "nee", [`ConsentError::Revoked`] after a
    /// revocation.
    pub fn processing_permit(&self) -> Result<ProcessingPermit, ConsentError> {
        if self.revoked.is_some() {
            Err(ConsentError::Revoked { contact: self.id })
        } else if self.consent.is_given() {
            Ok(ProcessingPermit::new(self.id))
        } else {
            Err(ConsentError::Refused { contact: self.id })
        }
    }

    /// Whether recording and AI may be used now: "ja", and not revoked.
    pub fn ai_allowed(&self) -> bool {
        self.consent.is_given() && self.revoked.is_none()
    }

    /// Replaces the note.
    ///
    /// # Errors
    /// [`ContactError::NoteTooLong`]; the contact is unchanged then.
    pub fn set_note(&mut self, note: String, now: Timestamp) -> Result<(), ContactError> {
        if note.chars().count() > MAX_NOTE_CHARS {
            return Err(ContactError::NoteTooLong);
        }
        self.note = note;
        self.updated_at = now;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(choice: ConsentChoice) -> Contact {
        Contact::start(
            RecordId::random().unwrap(),
            RecordId::random().unwrap(),
            ContactKind::Gesprek,
            choice,
            Timestamp(42),
        )
    }

    #[test]
    fn refused_contact_gives_no_permit() {
        let c = contact(ConsentChoice::Refused);
        assert_eq!(
            c.processing_permit(),
            Err(ConsentError::Refused { contact: c.id })
        );
    }

    #[test]
    fn given_contact_gives_a_permit_for_itself() {
        let c = contact(ConsentChoice::Given);
        let permit = c.processing_permit().unwrap();
        assert_eq!(permit.contact(), c.id);
        assert_eq!(c.consent.at, Timestamp(42));
    }

    #[test]
    fn overlong_note_leaves_contact_unchanged() {
        let mut c = contact(ConsentChoice::Refused);
        c.set_note("eerste".into(), Timestamp(50)).unwrap();
        assert_eq!(
            c.set_note("x".repeat(MAX_NOTE_CHARS + 1), Timestamp(60)),
            Err(ContactError::NoteTooLong)
        );
        assert_eq!(c.note, "eerste");
        assert_eq!(c.updated_at, Timestamp(50));
    }

    #[test]
    fn kind_codes_round_trip() {
        for k in ContactKind::ALL {
            assert_eq!(ContactKind::from_code(k.code()), Some(k));
        }
        assert_eq!(ContactKind::from_code("chat"), None);
    }
}
