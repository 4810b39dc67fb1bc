//! Transcripts and recordings in the workspace: reading them, storing them under a permit, the
//! sealed audio, and the worker's corrections.

use super::{Change, Effect, Versioned, Workspace, WorkspaceError, newest_first, sealed_audio};
use crate::audit::AuditKind;
use crate::consent::ProcessingPermit;
use crate::crypto::{Envelope, KeyRef};
use crate::record::{Record, RecordError};
use crate::transcript::Transcript;
use crate::{RecordId, Timestamp};

impl Workspace {
    /// A contact's transcripts, newest first.
    pub fn transcripts_of(&self, contact: RecordId) -> Vec<&Transcript> {
        newest_first(
            &self.transcripts,
            |t| t.contact == contact,
            |t| (t.created_at, t.id),
        )
    }

    /// One transcript.
    pub fn transcript(&self, id: RecordId) -> Option<&Transcript> {
        self.transcripts.get(&id).map(|v| &v.value)
    }

    /// Stages a transcript. Recording and transcription need the client's "ja": the permit
    /// must cover the transcript's contact.
    ///
    /// # Errors
    /// [`WorkspaceError::Consent`] for a permit of another contact,
    /// [`WorkspaceError::ContactNotFound`], or a missing contact key.
    pub fn stage_transcript(
        &self,
        permit: &ProcessingPermit,
        transcript: Transcript,
    ) -> Result<Change, WorkspaceError> {
        permit.covers(transcript.contact)?;
        if !self.contacts.contains_key(&transcript.contact) {
            return Err(WorkspaceError::ContactNotFound);
        }
        let version = self
            .transcripts
            .get(&transcript.id)
            .map_or(1, |v| v.version + 1);
        let writes = vec![self.sealed(&Record::Transcript(transcript.clone()), version)?];
        let (contact, at) = (transcript.contact, transcript.created_at);
        let change = Change {
            target: transcript.id,
            writes,
            audit: Vec::new(),
            effect: Effect::Transcript(Versioned {
                version,
                value: transcript,
            }),
        };
        let dossier = self
            .contacts
            .get(&contact)
            .map_or(contact, |c| c.value.dossier);
        self.audited(change, dossier, AuditKind::TranscriptStored { contact }, at)
    }

    /// Stages a recorded transcript with its audio (a WAV file), both sealed with the contact's
    /// key and written in one transaction: the audio goes to [`Store::Audio`] under the
    /// transcript's id.
    ///
    /// # Errors
    /// As [`Workspace::stage_transcript`].
    pub fn stage_recording(
        &self,
        permit: &ProcessingPermit,
        transcript: Transcript,
        wav: &[u8],
    ) -> Result<Change, WorkspaceError> {
        let (id, contact) = (transcript.id, transcript.contact);
        let mut change = self.stage_transcript(permit, transcript)?;
        let key = self
            .contact_keys
            .get(&contact)
            .ok_or(RecordError::KeyUnavailable)?;
        change.writes.push(sealed_audio(key, contact, id, wav)?);
        Ok(change)
    }

    /// Opens the sealed audio of transcript `id`, as read from [`Store::Audio`].
    ///
    /// # Errors
    /// [`RecordError::KeyUnavailable`] when the transcript or its contact key is gone (consent
    /// revoked), [`RecordError::Envelope`] for damaged bytes or audio sealed for another
    /// transcript or contact.
    pub fn open_audio(&self, id: RecordId, sealed: &[u8]) -> Result<Vec<u8>, RecordError> {
        let transcript = self.transcript(id).ok_or(RecordError::KeyUnavailable)?;
        let envelope = Envelope::parse(sealed)?;
        if envelope.key != KeyRef::Contact(transcript.contact) {
            return Err(RecordError::IdMismatch);
        }
        let key = self
            .contact_keys
            .get(&transcript.contact)
            .ok_or(RecordError::KeyUnavailable)?;
        Ok(envelope.open(key, &id)?)
    }

    /// Stages the worker's correction of one segment of a transcript (the text before is kept
    /// in the transcript). Needs the contact's permit, like the transcript itself.
    ///
    /// # Errors
    /// [`WorkspaceError::TranscriptNotFound`], [`WorkspaceError::Transcript`], or as
    /// [`Workspace::stage_transcript`].
    pub fn stage_segment_correction(
        &self,
        permit: &ProcessingPermit,
        transcript: RecordId,
        segment: u32,
        text: &str,
        now: Timestamp,
    ) -> Result<Change, WorkspaceError> {
        self.stage_edited_transcript(permit, transcript, |t| t.correct(segment, text, now))
    }

    /// Stages who a voice of a recording is, as the worker says (`None` takes the name back);
    /// every segment of that voice takes the name. Needs the contact's permit.
    ///
    /// # Errors
    /// [`WorkspaceError::TranscriptNotFound`], [`WorkspaceError::Transcript`], or as
    /// [`Workspace::stage_transcript`].
    pub fn stage_voice_name(
        &self,
        permit: &ProcessingPermit,
        transcript: RecordId,
        voice: u8,
        speaker: Option<extract::Speaker>,
    ) -> Result<Change, WorkspaceError> {
        self.stage_edited_transcript(permit, transcript, |t| t.name_voice(voice, speaker))
    }

    /// Stages the worker's correction of who said one segment of a recording (`None`: as its
    /// voice is named). Needs the contact's permit.
    ///
    /// # Errors
    /// [`WorkspaceError::TranscriptNotFound`], [`WorkspaceError::Transcript`], or as
    /// [`Workspace::stage_transcript`].
    pub fn stage_segment_speaker(
        &self,
        permit: &ProcessingPermit,
        transcript: RecordId,
        segment: u32,
        speaker: Option<extract::Speaker>,
        now: Timestamp,
    ) -> Result<Change, WorkspaceError> {
        self.stage_edited_transcript(permit, transcript, |t| t.set_speaker(segment, speaker, now))
    }

    /// Stages `transcript` after `edit`, which the worker's change makes to a copy of it.
    pub(super) fn stage_edited_transcript(
        &self,
        permit: &ProcessingPermit,
        transcript: RecordId,
        edit: impl FnOnce(&mut Transcript) -> Result<(), crate::transcript::TranscriptError>,
    ) -> Result<Change, WorkspaceError> {
        let mut corrected = self
            .transcript(transcript)
            .cloned()
            .ok_or(WorkspaceError::TranscriptNotFound)?;
        edit(&mut corrected)?;
        permit.covers(corrected.contact)?;
        let version = self
            .transcripts
            .get(&transcript)
            .map_or(1, |v| v.version + 1);
        let writes = vec![self.sealed(&Record::Transcript(corrected.clone()), version)?];
        Ok(Change {
            target: transcript,
            writes,
            audit: Vec::new(),
            effect: Effect::Transcript(Versioned {
                version,
                value: corrected,
            }),
        })
    }
}
