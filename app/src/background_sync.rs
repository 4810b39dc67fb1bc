//! Sync in the background. With sync switched on, this device pulls when the workspace is
//! unlocked, when the browser is back online and every few minutes, and pushes a change within
//! a minute: a check runs every [`CHECK_EVERY`] and syncs when something waits or a pull is due.
//! Pages are stored compare-and-set (`casework::sync`), so a pull never overwrites what the
//! worker saves meanwhile. One sync runs at a time, the worker's "Nu synchroniseren" included.

use std::cell::Cell;
use std::time::Duration;

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::clock;
use crate::session::Session;
use crate::storage;
use crate::sync_client::{self, SyncReport};

/// How often the device checks whether something waits to be sent.
const CHECK_EVERY: Duration = Duration::from_secs(20);
/// How long after the last sync a pull is due even when nothing waits here.
const PULL_EVERY_MS: i64 = 3 * 60 * 1000;

thread_local! {
    static RUNNING: Cell<bool> = const { Cell::new(false) };
    /// The page's activity, for syncs started outside a component (the check, a button).
    static ACTIVITY: Cell<Option<SyncActivity>> = const { Cell::new(None) };
}

/// What the sync card shows of the background sync (reactive).
#[derive(Debug, Clone, Copy)]
pub struct SyncActivity {
    /// When the last sync on this page finished (ms since the epoch).
    pub last_sync: RwSignal<Option<i64>>,
    /// Changes on this device the relay does not have yet, as last counted.
    pub waiting: RwSignal<Option<usize>>,
    /// Why the last background sync did not finish, in Dutch.
    pub problem: RwSignal<Option<String>>,
    /// Bumped after every finished sync, so that views showing sync state read it again.
    pub finished: RwSignal<u64>,
}

/// The background sync's activity, as provided by [`start`].
pub fn use_sync_activity() -> SyncActivity {
    expect_context::<SyncActivity>()
}

/// Runs one sync ([`sync_client::sync_now`]) once no other runs: a sync already under way
/// (the background's) is waited for, and this one then takes what came after it.
///
/// # Errors
/// As `sync_now`.
pub async fn sync_once(session: Session) -> Result<SyncReport, String> {
    while RUNNING.get() {
        crate::yield_now::yield_to_browser().await;
    }
    RUNNING.set(true);
    let result = sync_client::sync_now(session).await;
    RUNNING.set(false);
    if let (Ok(_), Some(activity)) = (&result, ACTIVITY.get()) {
        activity.last_sync.set(Some(clock::now().millis()));
        activity.waiting.set(Some(0));
        activity.problem.set(None);
        activity.finished.update(|n| *n += 1);
    }
    result
}

/// One check: counts what waits, and syncs when something does, a pull is due or `force`.
async fn check(session: Session, activity: SyncActivity, force: bool) {
    if !session.is_unlocked_untracked() || RUNNING.get() {
        return;
    }
    let Ok(device) = sync_client::load(session).await else {
        return;
    };
    if device.credential.is_none() {
        return;
    }
    let Ok(entries) = storage::load_all().await else {
        return;
    };
    let waiting = device.state.changes(&entries).items.len();
    activity.waiting.set(Some(waiting));
    let last = activity.last_sync.get_untracked().or(device.last_sync);
    let pull_due = last.is_none_or(|at| clock::now().millis() - at >= PULL_EVERY_MS);
    if !(force || waiting > 0 || pull_due) {
        return;
    }
    if let Err(e) = sync_once(session).await {
        activity.problem.set(Some(if waiting > 0 {
            format!("Synchroniseren lukt nu niet ({e}); {waiting} wijziging(en) wachten en gaan mee zodra het kan.")
        } else {
            format!("Synchroniseren lukt nu niet ({e}); het wordt zo opnieuw geprobeerd.")
        }));
    }
}

/// Starts the background sync for this page and provides its [`SyncActivity`].
pub fn start(session: Session) {
    let activity = SyncActivity {
        last_sync: RwSignal::new(None),
        waiting: RwSignal::new(None),
        problem: RwSignal::new(None),
        finished: RwSignal::new(0),
    };
    provide_context(activity);
    ACTIVITY.set(Some(activity));
    let run = move |force: bool| spawn_local(check(session, activity, force));
    // A pull when the workspace is unlocked.
    Effect::new(move |_| {
        if session.is_unlocked() {
            run(true);
        }
    });
    let online = window_event_listener(ev::online, move |_| run(true));
    let timer = set_interval_with_handle(move || run(false), CHECK_EVERY).ok();
    on_cleanup(move || {
        online.remove();
        if let Some(timer) = timer {
            timer.clear();
        }
    });
}
