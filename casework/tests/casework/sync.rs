//! The sync loop against an in-memory relay: the same loop the app runs against the real one.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use casework::sync::{self, LocalStore, Remote, RunError, SyncReport};
use domain::RecordId;
use domain::record::Write;
use domain::sync::{
    Item, PullResponse, PushOutcome, PushRequest, PushResponse, PushResult, SyncState, SyncedStore,
};
use domain::workspace::StoredEntry;

use crate::util::{Desk, FakeDb, at};

/// Runs a future that never waits (everything here is in memory).
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

/// A relay in memory: revisions, optimistic concurrency, pages of `page` items.
#[derive(Default)]
struct MemRelay {
    rev: u64,
    items: BTreeMap<(SyncedStore, RecordId), Item>,
    page: usize,
    /// Fail the pull after this many pages.
    fail_after: Option<usize>,
    pulls: usize,
}

impl MemRelay {
    fn new(page: usize) -> Self {
        Self {
            page,
            ..Self::default()
        }
    }
}

impl Remote for MemRelay {
    type Error = String;

    async fn pull(&mut self, since: u64) -> Result<PullResponse, String> {
        if self.fail_after == Some(self.pulls) {
            return Err("verbinding verbroken".into());
        }
        self.pulls += 1;
        let mut newer: Vec<&Item> = self.items.values().filter(|i| i.rev > since).collect();
        newer.sort_by_key(|i| i.rev);
        let more = newer.len() > self.page;
        let items: Vec<Item> = newer.into_iter().take(self.page).cloned().collect();
        let cursor = items.last().map_or(since, |i| i.rev);
        Ok(PullResponse {
            items,
            cursor,
            more,
        })
    }

    async fn push(&mut self, request: &PushRequest) -> Result<PushResponse, String> {
        let results = request
            .items
            .iter()
            .map(|p| {
                let k = (p.store, p.key);
                let current = self.items.get(&k).map_or(0, |i| i.rev);
                let outcome = if current == p.base {
                    self.rev += 1;
                    let item = Item {
                        store: p.store,
                        key: p.key,
                        rev: self.rev,
                        data: p.data.clone(),
                    };
                    self.items.insert(k, item);
                    PushOutcome::Accepted { rev: self.rev }
                } else {
                    PushOutcome::Conflict {
                        current: self.items[&k].clone(),
                    }
                };
                PushResult {
                    store: p.store,
                    key: p.key,
                    outcome,
                }
            })
            .collect();
        Ok(PushResponse { results })
    }
}

/// A device's store: its bytes, its saved sync state, and how often it was read whole.
#[derive(Default)]
struct Device {
    db: FakeDb,
    saved: Option<SyncState>,
    reads: usize,
    /// Writes the worker makes after the loop read the store and before it stores a page.
    edit_before_write: Option<Vec<Write>>,
}

impl LocalStore for Device {
    type Error = String;

    async fn entries(&mut self) -> Result<Vec<StoredEntry>, String> {
        self.reads += 1;
        Ok(self.db.all())
    }

    async fn write_if_unchanged(
        &mut self,
        writes: &[Write],
        seen: &[StoredEntry],
    ) -> Result<bool, String> {
        // The worker saves while the page is on its way: before it is stored.
        if let Some(edit) = self.edit_before_write.take() {
            self.db.write(&edit);
        }
        let db = &self.db.0;
        let unchanged = sync::unchanged(writes, seen, |w| {
            db.get(&(w.store.name(), w.key.clone())).map(Vec::as_slice)
        });
        if unchanged {
            self.db.write(writes);
        }
        Ok(unchanged)
    }

    async fn save_state(&mut self, state: &SyncState) -> Result<(), String> {
        self.saved = Some(state.clone());
        Ok(())
    }
}

fn run(
    state: &mut SyncState,
    relay: &mut MemRelay,
    device: &mut Device,
) -> Result<SyncReport, RunError<String, String>> {
    block_on(sync::run(state, relay, device))
}

#[test]
fn two_devices_sync_through_the_loop_and_keep_both_sides_of_a_conflict() {
    let mut desk = Desk::new();
    let contact = desk.contact(0, true);
    desk.record(contact, &["De huur is 650 euro per maand."]);
    let mut relay = MemRelay::new(2);

    // The first device pushes everything it has (recordings stay on the device).
    let mut a = Device {
        db: desk.db.clone(),
        ..Device::default()
    };
    let mut a_state = SyncState::default();
    let report = run(&mut a_state, &mut relay, &mut a).unwrap();
    let stored = desk.db.synced();
    assert_eq!(
        report,
        SyncReport {
            received: 0,
            sent: stored,
            conflicts: 0
        }
    );
    assert_eq!(a.saved.as_ref(), Some(&a_state));

    // The second pulls it in pages, reading its store once for the pull and once for the push.
    let mut b = Device::default();
    let mut b_state = SyncState::default();
    let report = run(&mut b_state, &mut relay, &mut b).unwrap();
    assert_eq!(report.received, stored);
    assert_eq!(report.sent, 0);
    assert!(relay.pulls > 3, "several pages: {}", relay.pulls);
    assert_eq!(b.reads, 2, "the store is not read again for every page");
    assert_eq!(b.db.synced(), stored);
    assert_eq!(b.db.entries(), a.db.entries());
    let ws = desk.open(&b.db);
    assert_eq!(ws.transcripts_of(contact).len(), 1);

    // Both change the same note; the second to sync gets a conflict and keeps its own text.
    let change = desk
        .ws
        .stage_contact_note(contact, "Toestel A".into(), at(1))
        .unwrap();
    a.db.write(&change.writes);
    let ws_b = desk.open(&b.db);
    let change = ws_b
        .stage_contact_note(contact, "Toestel B".into(), at(1))
        .unwrap();
    b.db.write(&change.writes);
    assert_eq!(run(&mut a_state, &mut relay, &mut a).unwrap().conflicts, 0);
    let report = run(&mut b_state, &mut relay, &mut b).unwrap();
    assert_eq!(report.conflicts, 1);
    assert_eq!(b_state.conflicts().len(), 1);
    assert_eq!(desk.open(&b.db).contact(contact).unwrap().note, "Toestel B");
}

#[test]
fn a_broken_pull_keeps_the_pages_already_stored() {
    let mut desk = Desk::new();
    let contact = desk.contact(0, true);
    desk.record(contact, &["De huur is 650 euro per maand."]);
    let mut relay = MemRelay::new(2);
    let mut a = Device {
        db: desk.db.clone(),
        ..Device::default()
    };
    run(&mut SyncState::default(), &mut relay, &mut a).unwrap();

    relay.fail_after = Some(relay.pulls + 1);
    let mut b = Device::default();
    let mut state = SyncState::default();
    let err = run(&mut state, &mut relay, &mut b).unwrap_err();
    assert!(matches!(err, RunError::Remote(_)), "{err}");
    assert_eq!(b.db.0.len(), 2, "the first page is stored");
    let saved = b.saved.clone().expect("the state of that page is saved");
    assert_eq!(saved, state);

    // The next sync resumes where it stopped.
    relay.fail_after = None;
    let report = run(&mut state, &mut relay, &mut b).unwrap();
    assert_eq!(report.received, desk.db.synced() - 2);
    assert_eq!(b.db.entries(), a.db.entries());
}

#[test]
fn a_note_saved_while_a_page_arrives_is_never_overwritten() {
    let mut desk = Desk::new();
    let contact = desk.contact(0, true);
    let mut relay = MemRelay::new(50);
    let mut a = Device {
        db: desk.db.clone(),
        ..Device::default()
    };
    let mut a_state = SyncState::default();
    run(&mut a_state, &mut relay, &mut a).unwrap();
    let mut b = Device::default();
    let mut b_state = SyncState::default();
    run(&mut b_state, &mut relay, &mut b).unwrap();

    // Device A changes the note and syncs; on device B the worker types in the same note, and
    // it is saved just as B's background pull is about to store A's version.
    let change = desk
        .ws
        .stage_contact_note(contact, "Van toestel A".into(), at(1))
        .unwrap();
    a.db.write(&change.writes);
    run(&mut a_state, &mut relay, &mut a).unwrap();
    let typed = desk
        .open(&b.db)
        .stage_contact_note(contact, "Net getypt op toestel B".into(), at(2))
        .unwrap();
    b.edit_before_write = Some(typed.writes);
    let reads = b.reads;
    let report = run(&mut b_state, &mut relay, &mut b).unwrap();

    assert_eq!(
        desk.open(&b.db).contact(contact).unwrap().note,
        "Net getypt op toestel B",
        "the pull overwrote what the worker had just saved"
    );
    assert_eq!(
        report.conflicts, 1,
        "both versions are kept for the worker to choose"
    );
    assert_eq!(
        b.reads - reads,
        3,
        "the page was decided again on a fresh read"
    );
}

#[test]
fn a_store_that_keeps_changing_ends_the_sync_for_now() {
    /// A store where every page finds a record changed.
    struct Restless(Device);
    impl LocalStore for Restless {
        type Error = String;
        async fn entries(&mut self) -> Result<Vec<StoredEntry>, String> {
            self.0.entries().await
        }
        async fn write_if_unchanged(
            &mut self,
            _: &[Write],
            _: &[StoredEntry],
        ) -> Result<bool, String> {
            Ok(false)
        }
        async fn save_state(&mut self, state: &SyncState) -> Result<(), String> {
            self.0.save_state(state).await
        }
    }
    let mut desk = Desk::new();
    desk.contact(0, true);
    let mut relay = MemRelay::new(50);
    let mut a = Device {
        db: desk.db.clone(),
        ..Device::default()
    };
    run(&mut SyncState::default(), &mut relay, &mut a).unwrap();
    let mut b = Restless(Device::default());
    let mut state = SyncState::default();
    let err = block_on(sync::run(&mut state, &mut relay, &mut b)).unwrap_err();
    assert!(matches!(err, RunError::Busy), "{err}");
    assert_eq!(state, SyncState::default(), "the state is put back");
    assert!(b.0.db.0.is_empty(), "nothing stored");
}
