//! What Zorgvuldig does with a dossier, natively testable: the app's screens call these
//! functions through thin wrappers, and the relay's tests drive the same sync loop.
//!
//! - [`capture`]: the audio of a running recording, refused and dropped once consent is revoked;
//! - [`inputs`]: which notes and transcripts of a dossier may feed a draft, decided only through
//!   each contact's [`domain::consent::ProcessingPermit`];
//! - [`draft`]: "Verslag genereren", from the inputs to the staged report;
//! - [`overview`]: the dossier overview (open actions, facts that changed);
//! - [`document`]: a report as an export document, with its disclosure and status lines;
//! - [`sync`]: the pull/push loop between a device's store and the relay;
//! - [`vocabulary`]: the names and terms a recording's recogniser is prompted with;
//! - `eval` (feature `source`, on by default; the app leaves it out): the drafting evaluation
//!   (`zorgvuldig-eval`), on exactly the drafting above.
//!
//! Nothing here touches a browser API: the clock, the calendar day of a moment and the date
//! format are passed in, so the same code runs in the app (wasm32) and in native tests.

pub mod capture;
pub mod document;
pub mod draft;
#[cfg(feature = "source")]
pub mod eval;
pub mod inputs;
pub mod overview;
pub mod sync;
pub mod vocabulary;

use domain::RecordId;
use domain::crypto::CryptoError;
use domain::workspace::WorkspaceError;

/// A calendar day, as the drafting and the overview read dates.
pub use extract::Date;

/// A fresh random record id.
///
/// # Errors
/// [`WorkspaceError::Crypto`] when the platform has no random source.
pub fn new_id() -> Result<RecordId, WorkspaceError> {
    RecordId::random().map_err(|e| WorkspaceError::Crypto(CryptoError::from(e)))
}

/// The calendar day of `at` in UTC: the fallback where the local day is unknown.
pub fn utc_day(at: domain::Timestamp) -> Date {
    Date::from_days_since_epoch(at.millis().div_euclid(86_400_000))
}
