//! Voices in a recording: which voice said each segment (found on the device by speaker
//! attribution) and who each voice is (said by the worker, never guessed).
//!
//! A segment's speaker follows from both: a segment whose voice is certain and named takes the
//! name; every other segment of a recording stays [`Speaker::Unknown`], so drafting never
//! quotes it as anyone's and gives what it promises no owner.

use extract::Speaker;
use serde::{Deserialize, Serialize};

use super::{Transcript, TranscriptError};

/// A stretch of one voice, as speaker attribution reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoiceTurn {
    /// Start in the recording, in milliseconds.
    pub start_ms: u64,
    /// End in the recording, in milliseconds.
    pub end_ms: u64,
    /// The voice, numbered from 0 in order of appearance.
    pub voice: u8,
}

/// The voice of one segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentVoice {
    /// The segment.
    pub segment: u32,
    /// The voice that said most of it.
    pub voice: u8,
    /// Whether that voice said nearly all of it ([`CERTAIN_SHARE`]); an uncertain segment is
    /// never attributed.
    pub certain: bool,
}

/// Who a voice is, as the worker said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoiceName {
    /// The voice.
    pub voice: u8,
    /// Worker, client or another participant.
    pub speaker: Speaker,
}

/// The worker's correction of one segment's speaker, kept like a text correction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeakerEdit {
    /// The segment.
    pub segment: u32,
    /// Who said it; `None` gives the segment back to its voice's name.
    pub speaker: Option<Speaker>,
    /// When.
    pub at: crate::Timestamp,
}

/// Share of a segment's voiced time one voice must hold for the segment to be certain.
pub const CERTAIN_SHARE: f64 = 0.8;

impl Transcript {
    /// Records which voice said each timed segment, from speaker attribution's `turns`. Names
    /// given before are kept; segments take them again.
    pub fn attribute_voices(&mut self, turns: &[VoiceTurn]) {
        self.voices = self
            .segments
            .iter()
            .filter_map(|seg| {
                let (start, end) = (seg.start_ms?, seg.end_ms?);
                let mut heard: Vec<(u8, u64)> = Vec::new();
                for t in turns {
                    let overlap = end.min(t.end_ms).saturating_sub(start.max(t.start_ms));
                    if overlap == 0 {
                        continue;
                    }
                    match heard.iter_mut().find(|(v, _)| *v == t.voice) {
                        Some((_, ms)) => *ms += overlap,
                        None => heard.push((t.voice, overlap)),
                    }
                }
                let total: u64 = heard.iter().map(|(_, ms)| ms).sum();
                let (voice, most) = heard.into_iter().max_by_key(|(_, ms)| *ms)?;
                Some(SegmentVoice {
                    segment: seg.id,
                    voice,
                    certain: most as f64 >= CERTAIN_SHARE * total as f64,
                })
            })
            .collect();
        self.apply_voice_names();
    }

    /// The voices found, in order of appearance.
    pub fn voice_ids(&self) -> Vec<u8> {
        let mut out: Vec<u8> = Vec::new();
        for v in &self.voices {
            if !out.contains(&v.voice) {
                out.push(v.voice);
            }
        }
        out
    }

    /// The voice of `segment`, if attribution found one.
    pub fn voice_of(&self, segment: u32) -> Option<SegmentVoice> {
        self.voices.iter().find(|v| v.segment == segment).copied()
    }

    /// Who `voice` is, if the worker said so.
    pub fn voice_name(&self, voice: u8) -> Option<Speaker> {
        self.voice_names
            .iter()
            .find(|n| n.voice == voice)
            .map(|n| n.speaker)
    }

    /// The worker says who `voice` is (`None` takes the name back). When the worker names
    /// their own voice in a recording of two voices, the other one is the client's.
    ///
    /// # Errors
    /// [`TranscriptError::VoiceNotFound`] for a voice the recording does not have,
    /// [`TranscriptError::NotASpeaker`] for a name that is no person in the conversation.
    pub fn name_voice(
        &mut self,
        voice: u8,
        speaker: Option<Speaker>,
    ) -> Result<(), TranscriptError> {
        let voices = self.voice_ids();
        if !voices.contains(&voice) {
            return Err(TranscriptError::VoiceNotFound);
        }
        if matches!(speaker, Some(Speaker::Note | Speaker::Unknown)) {
            return Err(TranscriptError::NotASpeaker);
        }
        self.voice_names.retain(|n| n.voice != voice);
        if let Some(speaker) = speaker {
            // One voice is the worker's.
            if speaker == Speaker::Worker {
                self.voice_names.retain(|n| n.speaker != Speaker::Worker);
            }
            self.voice_names.push(VoiceName { voice, speaker });
            if speaker == Speaker::Worker
                && let [a, b] = voices[..]
            {
                let other = if a == voice { b } else { a };
                if self.voice_name(other).is_none_or(|s| s == Speaker::Worker) {
                    self.voice_names.retain(|n| n.voice != other);
                    self.voice_names.push(VoiceName {
                        voice: other,
                        speaker: Speaker::Client,
                    });
                }
            }
        }
        self.apply_voice_names();
        Ok(())
    }

    /// The worker says who said `segment` of a recording (`None`: as its voice is named). The
    /// correction is kept in [`Transcript::speaker_edits`] and outlives later voice names.
    ///
    /// # Errors
    /// [`TranscriptError::SegmentNotFound`] for a segment the recording does not have,
    /// [`TranscriptError::NotASpeaker`] for a name that is no person in the conversation.
    pub fn set_speaker(
        &mut self,
        segment: u32,
        speaker: Option<Speaker>,
        now: crate::Timestamp,
    ) -> Result<(), TranscriptError> {
        let recorded = matches!(self.origin, super::TranscriptOrigin::Recorded { .. });
        if !recorded || self.segment(segment).is_none() {
            return Err(TranscriptError::SegmentNotFound);
        }
        if matches!(speaker, Some(Speaker::Note | Speaker::Unknown)) {
            return Err(TranscriptError::NotASpeaker);
        }
        self.speaker_edits.push(SpeakerEdit {
            segment,
            speaker,
            at: now,
        });
        self.apply_voice_names();
        Ok(())
    }

    /// The worker's latest correction of `segment`'s speaker, if any and not taken back.
    pub fn corrected_speaker(&self, segment: u32) -> Option<Speaker> {
        self.speaker_edits
            .iter()
            .rev()
            .find(|e| e.segment == segment)
            .and_then(|e| e.speaker)
    }

    /// Gives every segment of the recording the speaker the worker set for it, else the one
    /// its voice is named as, else [`Speaker::Unknown`] (its voice is uncertain or unnamed).
    fn apply_voice_names(&mut self) {
        if !matches!(self.origin, super::TranscriptOrigin::Recorded { .. }) {
            return;
        }
        let corrected: Vec<Option<Speaker>> = self
            .segments
            .iter()
            .map(|s| self.corrected_speaker(s.id))
            .collect();
        for (seg, corrected) in self.segments.iter_mut().zip(corrected) {
            let voice = self.voices.iter().find(|v| v.segment == seg.id);
            seg.speaker = corrected
                .or_else(|| {
                    let v = voice.filter(|v| v.certain)?;
                    self.voice_names
                        .iter()
                        .find(|n| n.voice == v.voice)
                        .map(|n| n.speaker)
                })
                .unwrap_or(Speaker::Unknown);
        }
    }
}
