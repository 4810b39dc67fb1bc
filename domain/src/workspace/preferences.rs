//! The worker's preferences in the workspace.

use super::{Change, Effect, Versioned, Workspace, WorkspaceError};
use crate::preferences::Preferences;
use crate::record::{PREFERENCES_ID, Record};

impl Workspace {
    /// Current preferences.
    pub fn preferences(&self) -> &Preferences {
        &self.preferences.value
    }

    /// Stages new preferences.
    ///
    /// # Errors
    /// [`WorkspaceError::Preferences`] for invalid values.
    pub fn stage_preferences(&self, prefs: Preferences) -> Result<Change, WorkspaceError> {
        prefs.validate()?;
        let version = self.preferences.version + 1;
        let writes = vec![self.sealed(&Record::Preferences(prefs.clone()), version)?];
        Ok(Change {
            target: PREFERENCES_ID,
            writes,
            audit: Vec::new(),
            effect: Effect::Preferences(Versioned {
                version,
                value: prefs,
            }),
        })
    }
}
