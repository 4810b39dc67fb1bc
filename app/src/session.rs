//! The session context: the unlocked workspace (or none: locked) and how changes reach storage.

use domain::RecordId;
use domain::consent::ProcessingPermit;
use domain::workspace::{Change, Unreadable, Workspace, WorkspaceError};
use leptos::prelude::*;

use crate::clock;
use crate::messages;
use crate::storage::{self, StorageError};

/// An edit of a transcript, staged under its contact's processing permit.
pub type StageEdit =
    Box<dyn FnOnce(&Workspace, &ProcessingPermit) -> Result<Change, WorkspaceError>>;

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
///
/// # Design: locking never loses work
/// Locking hides every screen at once ([`Session::is_unlocked`] turns false), but work that is
/// still running when the lock comes — a recording, a transcription, a note not yet written —
/// holds a [`WorkGuard`]. The unlocked workspace (and with it the keys) stays in memory, out of
/// sight of every screen, until the last guard is dropped: the work finishes and is stored
/// sealed, and only then are the keys forgotten. Without running work the keys go at once.
#[derive(Clone, Copy)]
pub struct Session {
    workspace: RwSignal<Option<Workspace>>,
    unreadable: RwSignal<Vec<Unreadable>>,
    last_activity: RwSignal<i64>,
    /// The screen is locked (the workspace may still be held for running work).
    screen_locked: RwSignal<bool>,
    /// Running work that must be stored before the keys are forgotten.
    work: StoredValue<u32>,
    /// Saves applied so far; a reload compares it around its read of storage.
    saves: StoredValue<u64>,
}

/// How many times [`Session::reload_from_storage`] reads storage at most.
const RELOAD_TRIES: u32 = 20;

/// Running work that must reach storage before a lock forgets the keys. Dropping it ends the
/// work; the last one dropped after a lock completes the lock.
pub struct WorkGuard {
    session: Session,
}

impl Drop for WorkGuard {
    fn drop(&mut self) {
        let left = self
            .session
            .work
            .try_update_value(|n| {
                *n = n.saturating_sub(1);
                *n
            })
            .unwrap_or(0);
        if left == 0 && self.session.screen_locked.try_get_untracked() == Some(true) {
            self.session.forget();
        }
    }
}

/// Creates the session and provides it to every component below.
pub fn provide_session_context() -> Session {
    let session = Session {
        workspace: RwSignal::new(None),
        unreadable: RwSignal::new(Vec::new()),
        last_activity: RwSignal::new(clock::now().millis()),
        screen_locked: RwSignal::new(true),
        work: StoredValue::new(0),
        saves: StoredValue::new(0),
    };
    provide_context(session);
    session
}

/// The session provided by [`provide_session_context`].
pub fn use_session() -> Session {
    expect_context::<Session>()
}

impl Session {
    /// Whether the screens may show the workspace (reactive): unlocked and not locked since.
    pub fn is_unlocked(&self) -> bool {
        !self.screen_locked.get() && self.workspace.with(Option::is_some)
    }

    /// [`Session::is_unlocked`], without subscribing.
    pub fn is_unlocked_untracked(&self) -> bool {
        !self.screen_locked.get_untracked() && self.workspace.with_untracked(Option::is_some)
    }

    /// Whether the screen is locked (reactive), whether or not running work still holds the
    /// workspace behind it.
    pub fn is_locked(&self) -> bool {
        self.screen_locked.get()
    }

    /// Marks work that must be stored before a lock forgets the keys; see [`WorkGuard`].
    pub fn begin_work(&self) -> WorkGuard {
        self.work.update_value(|n| *n += 1);
        WorkGuard { session: *self }
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
        self.screen_locked.set(false);
    }

    /// Reloads the workspace from storage after a sync wrote to it.
    ///
    /// A save applied while storage was being read may be missing from what was read (its
    /// write came after the read), and installing that read would hide it until the next
    /// reload, so the read is made again. Reads take milliseconds and saves follow the
    /// worker's hand, so this ends at once in practice; after [`RELOAD_TRIES`] reads the last
    /// one is installed (the save is stored all the same).
    ///
    /// # Errors
    /// A storage failure; the workspace is then left as it was.
    pub async fn reload_from_storage(&self) -> Result<(), StorageError> {
        for _ in 1..RELOAD_TRIES {
            let seen = self.saves.get_value();
            let entries = storage::load_all().await?;
            if self.saves.get_value() == seen {
                self.reload(entries);
                return Ok(());
            }
        }
        self.reload(storage::load_all().await?);
        Ok(())
    }

    /// Reloads the workspace from `entries`.
    fn reload(&self, entries: Vec<domain::workspace::StoredEntry>) {
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

    /// Locks the screen at once. The workspace and its keys are forgotten (zeroed on drop) as
    /// soon as no running work holds a [`WorkGuard`]: at once when nothing runs.
    pub fn lock(&self) {
        self.screen_locked.set(true);
        if self.work.get_value() == 0 {
            self.forget();
        }
    }

    /// Forgets the workspace and its keys (they are zeroed on drop).
    fn forget(&self) {
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
        let change = self.workspace.with_untracked(|ws| ws.as_ref().map(stage));
        self.store(change).await
    }

    /// Writes a staged change and applies it (one copy for every caller of [`Session::save`]).
    async fn store(
        &self,
        change: Option<Result<Change, WorkspaceError>>,
    ) -> Result<RecordId, SaveError> {
        let change = change.ok_or(SaveError::Locked)??;
        storage::write(&change.writes).await?;
        let target = change.target;
        self.workspace.update(|ws| {
            if let Some(ws) = ws {
                ws.apply(change);
            }
        });
        self.saves.update_value(|n| *n += 1);
        Ok(target)
    }

    /// Saves an edit of transcript `id` in the background (boxed: one copy of the saving code
    /// for every kind of edit), staged under its contact's
    /// processing permit (no permit, no edit: the transcript of a revoked contact cannot
    /// change); `error` shows what went wrong, or is cleared.
    pub fn save_transcript_edit(
        self,
        id: RecordId,
        error: RwSignal<Option<String>>,
        stage: StageEdit,
    ) {
        leptos::task::spawn_local(async move {
            let result = self
                .save(|ws| {
                    let t = ws
                        .transcript(id)
                        .ok_or(WorkspaceError::TranscriptNotFound)?;
                    let permit = ws
                        .contact(t.contact)
                        .ok_or(WorkspaceError::ContactNotFound)?
                        .processing_permit()?;
                    stage(ws, &permit)
                })
                .await;
            match result {
                Ok(_) => error.set(None),
                Err(err) => error.set(Some(err.to_string())),
            }
        });
    }
}
