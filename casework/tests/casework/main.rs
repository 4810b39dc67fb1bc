//! The casework crate against real sealed workspaces: drafting, inputs under consent, the
//! dossier overview, report documents and the sync loop.

// Test helpers may fail loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod audio_eval;
mod capture;
mod document;
mod draft;
mod eval;
mod inputs;
mod overview;
mod sync;
mod util;
mod vocabulary;
