//! Worker preferences kept in the workspace (encrypted like every record).

use serde::{Deserialize, Serialize};

use crate::Timestamp;
use crate::speech::VoicePrint;

/// Settings the worker can change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Preferences {
    /// Minutes of inactivity after which the app locks and forgets the keys.
    pub auto_lock_minutes: u32,
    /// The worker's name as a client knows it ("Jan Peeters"); empty when not given.
    pub worker_name: String,
    /// The worker's organisation ("OCMW Gent"); empty when not given.
    pub organisation: String,
    /// Whose service and benefit names the recogniser is told to expect.
    pub region: Region,
    /// The worker's own voice profile, if they made one (Instellingen): it names their voice
    /// in a recording without a click. Sealed like every preference; deleted by saving without.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voice_profile: Option<VoiceProfile>,
    /// The speech model the worker chose (its name in the relay's list); `None` is the
    /// relay's default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speech_model: Option<String>,
}

/// The worker's voice profile: their voice print and when they made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoiceProfile {
    /// The print, as the speech worker made it from the worker reading aloud.
    pub print: VoicePrint,
    /// When it was made.
    pub made: Timestamp,
}

/// Most dimensions a [`VoicePrint`] may have (the engine's prints have far fewer).
pub const MAX_PRINT_DIMS: usize = 64;

/// The region whose services and benefits a conversation names ("leefloon" or "bijstand").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// As the browser's language says (`nl-NL`: the Netherlands; anything else: Flanders).
    #[default]
    Browser,
    /// Flanders (`nl-BE`).
    Flanders,
    /// The Netherlands (`nl-NL`).
    Netherlands,
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            auto_lock_minutes: 5,
            worker_name: String::new(),
            organisation: String::new(),
            region: Region::Browser,
            voice_profile: None,
            speech_model: None,
        }
    }
}

/// Most characters of [`Preferences::worker_name`] and [`Preferences::organisation`].
pub const MAX_NAME_CHARS: usize = 120;

/// Allowed range for [`Preferences::auto_lock_minutes`].
pub const AUTO_LOCK_RANGE: std::ops::RangeInclusive<u32> = 1..=120;

/// An invalid preference.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PreferencesError {
    /// Auto-lock delay outside [`AUTO_LOCK_RANGE`].
    #[error("auto-lock must be between 1 and 120 minutes, got {0}")]
    AutoLockOutOfRange(u32),
    /// A name longer than [`MAX_NAME_CHARS`] or with a line break or control character.
    #[error("a name must be one line of at most 120 characters")]
    BadName,
    /// A voice profile with no dimensions, too many, or values that are not finite numbers.
    #[error("the voice profile is damaged")]
    BadVoiceProfile,
}

impl Preferences {
    /// Checks every field.
    ///
    /// # Errors
    /// The first invalid field.
    pub fn validate(&self) -> Result<(), PreferencesError> {
        if !AUTO_LOCK_RANGE.contains(&self.auto_lock_minutes) {
            return Err(PreferencesError::AutoLockOutOfRange(self.auto_lock_minutes));
        }
        if let Some(model) = &self.speech_model
            && !crate::speech::is_model_name(model)
        {
            return Err(PreferencesError::BadName);
        }
        for name in [&self.worker_name, &self.organisation] {
            if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
                return Err(PreferencesError::BadName);
            }
        }
        if let Some(profile) = &self.voice_profile {
            let mean = &profile.print.mean;
            let finite = mean.iter().flatten().all(|x| x.is_finite());
            if mean.is_empty()
                || mean.len() > MAX_PRINT_DIMS
                || !finite
                || profile.print.windows == 0
            {
                return Err(PreferencesError::BadVoiceProfile);
            }
        }
        Ok(())
    }

    /// The language tag whose region's terms the recogniser expects: the chosen region's, or
    /// `browser` (the browser's language) when none was chosen.
    pub fn vocabulary_language(&self, browser: &str) -> String {
        match self.region {
            Region::Browser => browser.to_owned(),
            Region::Flanders => "nl-BE".into(),
            Region::Netherlands => "nl-NL".into(),
        }
    }

    /// Who a client's page and receipt come from: "Van: Jan Peeters, OCMW Gent", with
    /// whichever of the two is given; `None` when neither is.
    pub fn sender_line(&self) -> Option<String> {
        let parts: Vec<&str> = [self.worker_name.trim(), self.organisation.trim()]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect();
        (!parts.is_empty()).then(|| format!("Van: {}", parts.join(", ")))
    }

    /// Whether the app must lock now, given the last user activity.
    pub fn lock_due(&self, last_activity: Timestamp, now: Timestamp) -> bool {
        now.millis().saturating_sub(last_activity.millis())
            >= i64::from(self.auto_lock_minutes) * 60_000
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_is_due_exactly_after_the_delay() {
        let p = Preferences {
            auto_lock_minutes: 2,
            ..Preferences::default()
        };
        let start = Timestamp(1_000_000);
        assert!(!p.lock_due(start, Timestamp(1_000_000 + 119_999)));
        assert!(p.lock_due(start, Timestamp(1_000_000 + 120_000)));
        // A clock that jumps backwards never locks by itself, and never panics.
        assert!(!p.lock_due(start, Timestamp(0)));
    }

    #[test]
    fn range_is_enforced() {
        assert!(Preferences::default().validate().is_ok());
        for bad in [0, 121] {
            let p = Preferences {
                auto_lock_minutes: bad,
                ..Preferences::default()
            };
            assert_eq!(p.validate(), Err(PreferencesError::AutoLockOutOfRange(bad)));
        }
    }
}
