//! What is inside an envelope, and the two object stores records live in.

use serde::{Deserialize, Serialize};

use crate::RecordId;
use crate::audit::AuditEvent;
use crate::contact::Contact;
use crate::crypto::{Envelope, EnvelopeError, KeyRef, SecretKey};
use crate::dossier::Dossier;
use crate::preferences::Preferences;
use crate::report::Report;
use crate::transcript::Transcript;

/// The id under which the single [`Preferences`] record is stored.
pub const PREFERENCES_ID: RecordId = RecordId::from_bytes([0; 16]);

/// A decrypted record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Record {
    /// A client dossier.
    Dossier(Dossier),
    /// A contact.
    Contact(Contact),
    /// Worker preferences.
    Preferences(Preferences),
    /// A report (draft or validated). Boxed: reports are much larger than other records.
    Report(Box<Report>),
    /// A contact's transcript; sealed with the contact key.
    Transcript(Transcript),
    /// An audit event (never updated).
    Audit(AuditEvent),
}

/// The object stores a workspace is persisted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Store {
    /// Sealed records, keyed by record id.
    Records,
    /// Wrapped per-contact keys, keyed by contact id. Deleting an entry shreds that contact's
    /// audio and transcript.
    Keys,
    /// Sealed recordings (WAV, contact key), keyed by transcript id. Read only when played,
    /// never loaded with the workspace.
    Audio,
}

impl Store {
    /// The IndexedDB object store name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Records => "records",
            Self::Keys => "keys",
            Self::Audio => "audio",
        }
    }
}

/// One value to put into (or delete from) a store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Write {
    /// Target store.
    pub store: Store,
    /// Key within the store (a record id in hex).
    pub key: String,
    /// Bytes to put; `None` deletes the key.
    pub value: Option<Vec<u8>>,
}

/// Why a stored record cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RecordError {
    /// The envelope is malformed or fails authentication.
    #[error(transparent)]
    Envelope(#[from] EnvelopeError),
    /// The record's contact key is gone (shredded) or was never on this device.
    #[error("the key for this record is not available")]
    KeyUnavailable,
    /// The decrypted bytes are not a record this build understands.
    #[error("record content is not understood: {0}")]
    Format(String),
    /// The record claims another id than the one it is stored under.
    #[error("record content belongs to another id")]
    IdMismatch,
}

impl Record {
    /// The id the record must be stored under.
    pub fn id(&self) -> RecordId {
        match self {
            Self::Dossier(d) => d.id,
            Self::Contact(c) => c.id,
            Self::Preferences(_) => PREFERENCES_ID,
            Self::Report(r) => r.id,
            Self::Transcript(t) => t.id,
            Self::Audit(a) => a.id,
        }
    }

    /// The key this record must be sealed with: its contact's key for transcripts (so revoking
    /// consent can shred them), the workspace key for everything else.
    pub fn key_ref(&self) -> KeyRef {
        match self {
            Self::Transcript(t) => KeyRef::Contact(t.contact),
            _ => KeyRef::Workspace,
        }
    }

    /// Seals the record as `version` with `key`, which must be the key [`Record::key_ref`] names.
    ///
    /// # Errors
    /// [`RecordError::Envelope`] when sealing fails.
    pub fn seal(&self, key: &SecretKey, version: u64) -> Result<Vec<u8>, RecordError> {
        let json = serde_json::to_vec(self).map_err(|e| RecordError::Format(e.to_string()))?;
        let env = Envelope::seal(key, self.key_ref(), &self.id(), version, &json)?;
        Ok(env.to_bytes())
    }

    /// Opens a record stored under `id`, looking up contact keys with `contact_key`.
    ///
    /// # Errors
    /// A [`RecordError`] naming what is wrong; the stored bytes are never modified.
    pub fn open<'k>(
        workspace_key: &SecretKey,
        contact_key: impl Fn(RecordId) -> Option<&'k SecretKey>,
        id: RecordId,
        bytes: &[u8],
    ) -> Result<(u64, Self), RecordError> {
        let env = Envelope::parse(bytes)?;
        let key = match env.key {
            KeyRef::Workspace => workspace_key,
            KeyRef::Contact(contact) => contact_key(contact).ok_or(RecordError::KeyUnavailable)?,
        };
        let plain = env.open(key, &id)?;
        let record: Self =
            serde_json::from_slice(&plain).map_err(|e| RecordError::Format(e.to_string()))?;
        if record.id() != id {
            return Err(RecordError::IdMismatch);
        }
        Ok((env.version, record))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Timestamp;
    use crate::consent::ConsentChoice;
    use crate::contact::ContactKind;

    #[test]
    fn record_round_trips_and_hides_its_type() {
        let key = SecretKey::generate().unwrap();
        let c = Contact::start(
            RecordId::random().unwrap(),
            RecordId::random().unwrap(),
            ContactKind::Huisbezoek,
            ConsentChoice::Refused,
            Timestamp(5),
        );
        let bytes = Record::Contact(c.clone()).seal(&key, 3).unwrap();
        assert!(!bytes.windows(7).any(|w| w == b"contact"));
        let (version, back) = Record::open(&key, |_| None, c.id, &bytes).unwrap();
        assert_eq!((version, back), (3, Record::Contact(c)));
    }

    #[test]
    fn contact_sealed_record_needs_its_key() {
        let workspace = SecretKey::generate().unwrap();
        let contact_key = SecretKey::generate().unwrap();
        let contact = RecordId::random().unwrap();
        let id = PREFERENCES_ID;
        let json = serde_json::to_vec(&Record::Preferences(Preferences::default())).unwrap();
        let bytes = Envelope::seal(&contact_key, KeyRef::Contact(contact), &id, 1, &json)
            .unwrap()
            .to_bytes();
        let found = Record::open(
            &workspace,
            |c| (c == contact).then_some(&contact_key),
            id,
            &bytes,
        );
        assert!(found.is_ok());
        let shredded = Record::open(&workspace, |_| None, id, &bytes);
        assert_eq!(shredded, Err(RecordError::KeyUnavailable));
    }

    #[test]
    fn unknown_record_type_is_a_format_error() {
        let key = SecretKey::generate().unwrap();
        let id = RecordId::random().unwrap();
        let bytes = Envelope::seal(&key, KeyRef::Workspace, &id, 1, br#"{"type":"hologram"}"#)
            .unwrap()
            .to_bytes();
        assert!(matches!(
            Record::open(&key, |_| None, id, &bytes),
            Err(RecordError::Format(_))
        ));
    }
}
