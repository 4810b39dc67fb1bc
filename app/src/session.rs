//! The session context: the unlocked workspace (or none: locked) and how changes reach storage.

use domain::RecordId;
use domain::workspace::{Change, Unreadable, Workspace, WorkspaceError};
use leptos::prelude::*;

use crate::clock;
use crate::messages;
use crate::storage::{self, StorageError};

/// Why a change was not saved. Displayed to the worker, in Dutch.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The app locked in the meantime.
    #[error(
        "De werkruimte is vergrendeld. Ontgrendel opnieuw; uw tekst staat nog in het formulier."
    )]
    Locked,
    /// The change itself is invalid.
    #[error("{}", messages::workspace_error(.0))]
    Invalid(#[from] WorkspaceError),
    /// Storage failed; nothing was written.
    #[error("Niet bewaard: {0}. Uw tekst staat nog in het formulier.")]
    Storage(#[from] StorageError),
}

/// Handle to the session; cheap to copy into closures.
#[derive(Clone, Copy)]
pub struct Session {
    workspace: RwSignal<Option<Workspace>>,
    unreadable: RwSignal<Vec<Unreadable>>,
    last_activity: RwSignal<i64>,
}

/// Creates the session and provides it to every component below.
pub fn provide_session_context() -> Session {
    let session = Session {
        workspace: RwSignal::new(None),
        unreadable: RwSignal::new(Vec::new()),
        last_activity: RwSignal::new(clock::now().millis()),
    };
    provide_context(session);
    session
}

/// The session provided by [`provide_session_context`].
pub fn use_session() -> Session {
    expect_context::<Session>()
}

impl Session {
    /// Whether a workspace is unlocked (reactive).
    pub fn is_unlocked(&self) -> bool {
        self.workspace.with(Option::is_some)
    }

    /// Reads from the unlocked workspace (reactive); `None` when locked.
    pub fn with<R>(&self, f: impl FnOnce(&Workspace) -> R) -> Option<R> {
        self.workspace.with(|ws| ws.as_ref().map(f))
    }

    /// Reads from the unlocked workspace without subscribing to its changes; for views that
    /// must not be rebuilt by their own saves (an editor keeps its cursor and state).
    pub fn with_untracked<R>(&self, f: impl FnOnce(&Workspace) -> R) -> Option<R> {
        self.workspace.with_untracked(|ws| ws.as_ref().map(f))
    }

    /// Records that could not be read at unlock (reactive).
    pub fn unreadable(&self) -> Vec<Unreadable> {
        self.unreadable.get()
    }

    /// Installs an unlocked workspace.
    pub fn unlock(&self, workspace: Workspace, unreadable: Vec<Unreadable>) {
        self.touch();
        self.unreadable.set(unreadable);
        self.workspace.set(Some(workspace));
    }

    /// Reloads the workspace from `entries` (after a sync wrote to storage).
    pub fn reload(&self, entries: Vec<domain::workspace::StoredEntry>) {
        let mut unreadable = None;
        self.workspace.update(|ws| {
            if let Some(old) = ws.take() {
                let (new, bad) = old.reload(entries);
                *ws = Some(new);
                unreadable = Some(bad);
            }
        });
        if let Some(bad) = unreadable {
            self.unreadable.set(bad);
        }
    }

    /// Forgets the workspace and its keys (they are zeroed on drop).
    pub fn lock(&self) {
        self.workspace.set(None);
        self.unreadable.set(Vec::new());
    }

    /// Notes user activity, postponing auto-lock.
    pub fn touch(&self) {
        self.last_activity.set(clock::now().millis());
    }

    /// Locks if the worker was inactive longer than the preference allows.
    pub fn lock_if_idle(&self) {
        let last = domain::Timestamp(self.last_activity.get_untracked());
        let due = self.workspace.with_untracked(|ws| {
            ws.as_ref()
                .map(|ws| ws.preferences().lock_due(last, clock::now()))
        });
        if due == Some(true) {
            self.lock();
        }
    }

    /// Stages a change against the current workspace, writes it in one transaction and then
    /// applies it. On any failure nothing changes, in memory or in storage.
    ///
    /// # Errors
    /// [`SaveError`] with a message for the worker.
    pub async fn save(
        &self,
        stage: impl FnOnce(&Workspace) -> Result<Change, WorkspaceError>,
    ) -> Result<RecordId, SaveError> {
        let change = self
            .workspace
            .with_untracked(|ws| ws.as_ref().map(stage))
            .ok_or(SaveError::Locked)??;
        storage::write(&change.writes).await?;
        let target = change.target;
        self.workspace.update(|ws| {
            if let Some(ws) = ws {
                ws.apply(change);
            }
        });
        Ok(target)
    }
}
