//! The audio of a running recording or transcription, held only while its contact's client
//! consents.
//!
//! # Design
//! A [`Capture`] is made from a [`ProcessingPermit`], so audio is never gathered for a contact
//! without one. Every piece that arrives is checked against the contact's permit as it stands
//! at that moment ([`permit_now`]): after a revocation (or should the contact be gone) the
//! piece is refused, everything captured so far is dropped, and the capture stays refused; no
//! later piece is taken in. The screen stops the microphone on a revocation too, but pieces
//! already under way arrive after it: this is where they end.

use domain::RecordId;
use domain::consent::{ConsentError, ProcessingPermit};
use domain::workspace::Workspace;

/// The permit of `contact` as it stands now.
///
/// # Errors
/// [`ConsentError::Refused`] or [`ConsentError::Revoked`]; [`ConsentError::PermitMissing`]
/// when the contact is not (or no longer) in the workspace.
pub fn permit_now(ws: &Workspace, contact: RecordId) -> Result<ProcessingPermit, ConsentError> {
    ws.contact(contact)
        .ok_or(ConsentError::PermitMissing { contact })?
        .processing_permit()
}

/// Audio captured for one contact.
#[derive(Debug)]
pub struct Capture {
    contact: RecordId,
    samples: Vec<f32>,
    refused: bool,
}

impl Capture {
    /// A new, empty capture for the permit's contact.
    pub fn new(permit: &ProcessingPermit) -> Self {
        Self {
            contact: permit.contact(),
            samples: Vec::new(),
            refused: false,
        }
    }

    /// The contact being captured.
    pub fn contact(&self) -> RecordId {
        self.contact
    }

    /// Takes in `piece` when `now` (the contact's permit at this moment, see [`permit_now`])
    /// still covers the contact.
    ///
    /// # Errors
    /// The consent error when it does not: the piece and everything captured before it are
    /// dropped, and every later piece is refused as well.
    pub fn push(
        &mut self,
        now: Result<ProcessingPermit, ConsentError>,
        piece: &[f32],
    ) -> Result<(), ConsentError> {
        let allowed = if self.refused {
            Err(ConsentError::Revoked {
                contact: self.contact,
            })
        } else {
            now.and_then(|p| p.covers(self.contact))
        };
        match allowed {
            Ok(()) => {
                self.samples.extend_from_slice(piece);
                Ok(())
            }
            Err(e) => {
                self.refused = true;
                // Freed, not just emptied: nothing of the conversation stays in memory.
                self.samples = Vec::new();
                Err(e)
            }
        }
    }

    /// Whether a piece was refused (the audio is gone).
    pub fn is_refused(&self) -> bool {
        self.refused
    }

    /// The samples captured so far.
    pub fn samples(&self) -> &[f32] {
        &self.samples
    }
}
