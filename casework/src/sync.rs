//! The sync loop: pull every page from the relay into the device's store, then push what
//! changed on the device. One loop for the app (IndexedDB and `fetch`) and the relay's
//! integration tests (an in-memory store and a TLS client).
//!
//! # Design
//! The rules (what is a change, what is a conflict) are [`SyncState`]'s; this loop only moves
//! pages. The device's entries are read once before the pull: each page's writes are applied
//! to that copy as they are stored, so a long pull does not read (or decrypt) the whole store
//! again per page. They are read once more before the push, so what the worker changed while
//! the pull ran is pushed now rather than on the next sync. The state is saved after every
//! page: an interrupted sync resumes from the last stored page.
//!
//! Sync runs in the background while the worker edits, so a page is stored compare-and-set
//! ([`LocalStore::write_if_unchanged`]): each record it writes must still hold the bytes the
//! decision was made on. Where the worker saved one meanwhile, nothing of the page is stored,
//! the state is put back, and the page is decided again on what is stored now (the worker's
//! edit then meets the remote one as a change or a conflict, never overwritten).
//!
//! Both traits use `async fn`: in the browser the futures are not `Send` (one thread), and the
//! loop is always awaited in place, never spawned, so no `Send` bound is wanted.

use domain::record::Write;
use domain::sync::{PullResponse, PushRequest, PushResponse, SyncError, SyncState};
use domain::workspace::StoredEntry;

/// The relay, seen from a device.
#[allow(async_fn_in_trait)] // Browser futures are not `Send`; see the module's design note.
pub trait Remote {
    /// Why a request failed.
    type Error;

    /// One page of entries changed after revision `since`.
    ///
    /// # Errors
    /// A transport or relay failure.
    async fn pull(&mut self, since: u64) -> Result<PullResponse, Self::Error>;

    /// Offers this device's changes.
    ///
    /// # Errors
    /// A transport or relay failure.
    async fn push(&mut self, request: &PushRequest) -> Result<PushResponse, Self::Error>;
}

/// The device's store of sealed entries and its sync state.
#[allow(async_fn_in_trait)] // Browser futures are not `Send`; see the module's design note.
pub trait LocalStore {
    /// Why reading or writing failed.
    type Error;

    /// Every stored entry (sealed bytes).
    ///
    /// # Errors
    /// A storage failure.
    async fn entries(&mut self) -> Result<Vec<StoredEntry>, Self::Error>;

    /// Applies `writes` in one transaction, but only if every key they write still holds what
    /// `seen` holds for it (absent where `seen` has no entry): `Ok(false)`, with nothing
    /// stored, when one was changed meanwhile. [`seen_value`] finds the value to compare.
    ///
    /// # Errors
    /// A storage failure; nothing of `writes` is stored then.
    async fn write_if_unchanged(
        &mut self,
        writes: &[Write],
        seen: &[StoredEntry],
    ) -> Result<bool, Self::Error>;

    /// Stores the sync state.
    ///
    /// # Errors
    /// A storage failure.
    async fn save_state(&mut self, state: &SyncState) -> Result<(), Self::Error>;
}

/// What one sync did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Entries received and stored.
    pub received: usize,
    /// Entries sent and accepted.
    pub sent: usize,
    /// Conflicts waiting for the worker.
    pub conflicts: usize,
}

/// What `seen` holds for the key that `write` writes: the value a compare-and-set store must
/// still find there ([`LocalStore::write_if_unchanged`]).
pub fn seen_value<'a>(seen: &'a [StoredEntry], write: &Write) -> Option<&'a [u8]> {
    seen.iter()
        .find(|e| e.store == write.store && e.key == write.key)
        .map(|e| e.bytes.as_slice())
}

/// Whether every key `writes` writes still holds what `seen` holds for it, `current` giving
/// what the store holds now (`None`: absent): the compare of a compare-and-set store.
pub fn unchanged<'a>(
    writes: &[Write],
    seen: &[StoredEntry],
    current: impl Fn(&Write) -> Option<&'a [u8]>,
) -> bool {
    writes.iter().all(|w| current(w) == seen_value(seen, w))
}

/// How often a page is decided again because the worker kept changing what it writes, before
/// the sync gives up for now (the next one starts afresh).
const MAX_RETRIES: usize = 8;

/// Why a sync stopped. What was stored before stays stored.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError<R, L> {
    /// The relay could not be reached or refused.
    #[error("{0}")]
    Remote(R),
    /// The device's store failed.
    #[error("{0}")]
    Local(L),
    /// The relay's answer does not fit what was sent.
    #[error(transparent)]
    Answer(#[from] SyncError),
    /// The records a page writes kept changing on the device while it was stored.
    #[error(
        "de gegevens op dit toestel veranderden tijdens het synchroniseren; het wordt zo opnieuw geprobeerd"
    )]
    Busy,
}

/// Applies `writes` to the device's entries as read, so the next page is compared with what is
/// stored now. A linear search per write: a page holds a bounded number of entries, and this
/// adds no map type to the browser bundle.
fn apply(entries: &mut Vec<StoredEntry>, writes: &[Write]) {
    for w in writes {
        let at = entries
            .iter()
            .position(|e| e.store == w.store && e.key == w.key);
        match (
            &w.value,
            at.and_then(|i| entries.get_mut(i).map(|e| (i, e))),
        ) {
            (Some(bytes), Some((_, entry))) => entry.bytes.clone_from(bytes),
            (Some(bytes), None) => entries.push(StoredEntry {
                store: w.store,
                key: w.key.clone(),
                bytes: bytes.clone(),
            }),
            (None, Some((i, _))) => {
                entries.swap_remove(i);
            }
            (None, None) => {}
        }
    }
}

/// Pulls everything new, then pushes this device's changes.
///
/// # Errors
/// [`RunError`]; pages stored before the failure stay stored, with the state saved for them.
/// After a failed write `state` may be ahead of what is stored: load the saved state again
/// before the next sync (the app does on every sync).
pub async fn run<R: Remote, L: LocalStore>(
    state: &mut SyncState,
    remote: &mut R,
    local: &mut L,
) -> Result<SyncReport, RunError<R::Error, L::Error>> {
    let mut report = SyncReport::default();
    let mut entries = local.entries().await.map_err(RunError::Local)?;
    loop {
        let page = remote.pull(state.cursor).await.map_err(RunError::Remote)?;
        let mut retries = 0;
        let outcome = loop {
            let before = state.clone();
            let outcome = state.apply_pull(&entries, &page);
            let stored = local
                .write_if_unchanged(&outcome.writes, &entries)
                .await
                .map_err(RunError::Local)?;
            if stored {
                break outcome;
            }
            // The worker saved a record this page writes: decide again on what is stored now.
            *state = before;
            retries += 1;
            if retries > MAX_RETRIES {
                return Err(RunError::Busy);
            }
            entries = local.entries().await.map_err(RunError::Local)?;
        };
        apply(&mut entries, &outcome.writes);
        report.received += outcome.writes.len();
        local.save_state(state).await.map_err(RunError::Local)?;
        if !page.more {
            break;
        }
    }
    let entries = local.entries().await.map_err(RunError::Local)?;
    let push = state.changes(&entries);
    if !push.items.is_empty() {
        let answer = remote.push(&push).await.map_err(RunError::Remote)?;
        let conflicts = state.apply_push(&push, &answer)?;
        report.sent = push.items.len() - conflicts;
    }
    report.conflicts = state.conflicts().len();
    local.save_state(state).await.map_err(RunError::Local)?;
    Ok(report)
}
