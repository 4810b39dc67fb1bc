//! Client dossiers.

use serde::{Deserialize, Serialize};

use crate::{RecordId, Timestamp};

/// Longest accepted name, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest accepted file reference, in characters.
pub const MAX_REFERENCE_CHARS: usize = 60;
/// Longest accepted free-text note, in characters.
pub const MAX_NOTES_CHARS: usize = 20_000;

/// A client's dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dossier {
    /// Record id.
    pub id: RecordId,
    /// The client's name as the worker writes it.
    pub name: String,
    /// The organisation's own file reference (dossiernummer), optional.
    pub reference: String,
    /// Date of birth, `YYYY-MM-DD`, optional.
    pub birth_date: Option<String>,
    /// Standing notes about the dossier.
    pub notes: String,
    /// When the dossier was created.
    pub created_at: Timestamp,
    /// When it was last changed.
    pub updated_at: Timestamp,
    /// Actions from the dossier overview that the worker marked as handled
    /// (`transcript-id#segment`).
    #[serde(default)]
    pub done_actions: Vec<String>,
}

/// What the worker typed in the dossier form, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DossierDraft {
    /// Name (required).
    pub name: String,
    /// File reference.
    pub reference: String,
    /// Date of birth, `YYYY-MM-DD` or empty.
    pub birth_date: String,
    /// Notes.
    pub notes: String,
}

/// A dossier form that cannot be saved, with the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DossierError {
    /// The name is empty.
    #[error("name is required")]
    NameMissing,
    /// A field is longer than allowed.
    #[error("{field} is longer than {max} characters")]
    TooLong {
        /// Field name.
        field: &'static str,
        /// Maximum characters.
        max: usize,
    },
    /// The date of birth is not a real `YYYY-MM-DD` date.
    #[error("date of birth must be a real date written as YYYY-MM-DD")]
    BadBirthDate,
}

impl DossierDraft {
    /// Starts a draft from an existing dossier (for editing).
    pub fn from_dossier(d: &Dossier) -> Self {
        Self {
            name: d.name.clone(),
            reference: d.reference.clone(),
            birth_date: d.birth_date.clone().unwrap_or_default(),
            notes: d.notes.clone(),
        }
    }

    /// Validates and normalises (trims) the draft into a dossier.
    ///
    /// # Errors
    /// The first field that cannot be saved.
    pub fn into_dossier(
        self,
        id: RecordId,
        created_at: Timestamp,
        now: Timestamp,
    ) -> Result<Dossier, DossierError> {
        let name = self.name.trim().to_owned();
        if name.is_empty() {
            return Err(DossierError::NameMissing);
        }
        check_len("name", &name, MAX_NAME_CHARS)?;
        let reference = self.reference.trim().to_owned();
        check_len("reference", &reference, MAX_REFERENCE_CHARS)?;
        check_len("notes", &self.notes, MAX_NOTES_CHARS)?;
        let birth_date = match self.birth_date.trim() {
            "" => None,
            date if is_iso_date(date) => Some(date.to_owned()),
            _ => return Err(DossierError::BadBirthDate),
        };
        Ok(Dossier {
            id,
            name,
            reference,
            birth_date,
            notes: self.notes,
            created_at,
            updated_at: now,
            done_actions: Vec::new(),
        })
    }
}

fn check_len(field: &'static str, value: &str, max: usize) -> Result<(), DossierError> {
    if value.chars().count() > max {
        return Err(DossierError::TooLong { field, max });
    }
    Ok(())
}

/// Whether `s` is a real calendar date written `YYYY-MM-DD` (years 1900–2199).
pub fn is_iso_date(s: &str) -> bool {
    extract::Date::is_iso(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(name: &str, birth: &str) -> DossierDraft {
        DossierDraft {
            name: name.into(),
            birth_date: birth.into(),
            ..DossierDraft::default()
        }
    }

    #[test]
    fn valid_draft_is_trimmed() {
        let id = RecordId::random().unwrap();
        let d = draft("  Céline Van Damme ", "1988-02-29")
            .into_dossier(id, Timestamp(1), Timestamp(2))
            .unwrap();
        assert_eq!(d.name, "Céline Van Damme");
        assert_eq!(d.birth_date.as_deref(), Some("1988-02-29"));
        assert_eq!((d.created_at, d.updated_at), (Timestamp(1), Timestamp(2)));
    }

    #[test]
    fn invalid_drafts_name_the_field() {
        let id = RecordId::random().unwrap();
        let t = Timestamp(0);
        assert_eq!(
            draft("   ", "").into_dossier(id, t, t),
            Err(DossierError::NameMissing)
        );
        assert_eq!(
            draft("A", "1989-02-29").into_dossier(id, t, t),
            Err(DossierError::BadBirthDate)
        );
        assert_eq!(
            draft(&"x".repeat(201), "").into_dossier(id, t, t),
            Err(DossierError::TooLong {
                field: "name",
                max: MAX_NAME_CHARS
            })
        );
    }

    #[test]
    fn iso_dates() {
        for ok in ["2000-02-29", "1999-12-31", "2026-11-24"] {
            assert!(is_iso_date(ok), "{ok}");
        }
        for bad in [
            "1900-02-29",
            "2026-13-01",
            "2026-04-31",
            "26-11-24",
            "2026/11/24",
            "２０２６-11-24",
        ] {
            assert!(!is_iso_date(bad), "{bad}");
        }
    }
}
