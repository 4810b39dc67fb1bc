//! Worker preferences kept in the workspace (encrypted like every record).

use serde::{Deserialize, Serialize};

use crate::Timestamp;

/// Settings the worker can change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Preferences {
    /// Minutes of inactivity after which the app locks and forgets the keys.
    pub auto_lock_minutes: u32,
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            auto_lock_minutes: 5,
        }
    }
}

/// Allowed range for [`Preferences::auto_lock_minutes`].
pub const AUTO_LOCK_RANGE: std::ops::RangeInclusive<u32> = 1..=120;

/// An invalid preference.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PreferencesError {
    /// Auto-lock delay outside [`AUTO_LOCK_RANGE`].
    #[error("auto-lock must be between 1 and 120 minutes, got {0}")]
    AutoLockOutOfRange(u32),
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
        Ok(())
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
            };
            assert_eq!(p.validate(), Err(PreferencesError::AutoLockOutOfRange(bad)));
        }
    }
}
