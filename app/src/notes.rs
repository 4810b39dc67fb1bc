//! Contact notes while the worker types them.
//!
//! The text lives here, at the level of the app, not in the editor: leaving the screen, a
//! re-render or a lock never drops what was typed. Every change is written sealed (the
//! contact record, encrypted with the workspace key) shortly after the last keystroke, at once
//! when the editor goes away (navigation), and before a lock lets go of the keys.

use std::collections::HashMap;
use std::time::Duration;

use domain::RecordId;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::clock;
use crate::session::{Session, WorkGuard};

/// Delay after the last keystroke before the note is written.
const AUTOSAVE_DELAY: Duration = Duration::from_millis(400);

/// What the worker sees about a note's save state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteStatus {
    /// Typed, not yet written.
    Dirty,
    /// Written; the label says how ("Bewaard", "Automatisch bewaard") and when.
    Saved(String),
    /// Writing failed; the text is still here. The message says what happened.
    Failed(String),
}

/// One note being edited.
#[derive(Default)]
struct Buffer {
    text: String,
    saved: String,
    saving: bool,
    generation: u64,
    /// Held while the text differs from what is stored, so a lock waits for the write.
    guard: Option<WorkGuard>,
}

impl Buffer {
    /// The text differs from what is stored.
    fn unsaved(&self) -> bool {
        self.text != self.saved
    }
}

/// The notes being edited, shared by every editor. Copy, so closures can hold it.
#[derive(Clone, Copy)]
pub struct Notes {
    session: Session,
    buffers: StoredValue<HashMap<RecordId, Buffer>, LocalStorage>,
    status: RwSignal<HashMap<RecordId, NoteStatus>>,
}

/// Creates the notes context at the app's level (so no screen owns it).
pub fn provide_notes_context(session: Session) -> Notes {
    let notes = Notes {
        session,
        buffers: StoredValue::new_local(HashMap::new()),
        status: RwSignal::new(HashMap::new()),
    };
    provide_context(notes);
    // A lock writes every typed note before the keys go.
    Effect::new(move |_| {
        if session.is_locked() {
            notes.flush_all();
        }
    });
    notes
}

/// The notes context provided by [`provide_notes_context`].
pub fn use_notes() -> Notes {
    expect_context::<Notes>()
}

impl Notes {
    /// The text to show for `contact`: what was typed and is not written yet, or else
    /// `stored` (a written buffer is dropped: the stored record is the truth again).
    pub fn text(self, contact: RecordId, stored: &str) -> String {
        self.buffers
            .try_update_value(|buffers| {
                let buffer = buffers.get(&contact)?;
                if buffer.unsaved() || buffer.saving {
                    return Some(buffer.text.clone());
                }
                buffers.remove(&contact);
                None
            })
            .flatten()
            .unwrap_or_else(|| stored.to_owned())
    }

    /// The save state of `contact`'s note (reactive).
    pub fn status(self, contact: RecordId) -> Option<NoteStatus> {
        self.status.with(|s| s.get(&contact).cloned())
    }

    /// Whether any note holds text not yet written.
    pub fn any_unsaved(self) -> bool {
        self.buffers.with_value(|b| b.values().any(Buffer::unsaved))
    }

    /// The worker typed: keep the text and write it shortly.
    pub fn edit(self, contact: RecordId, stored: &str, text: String) {
        let session = self.session;
        let mine = self
            .buffers
            .try_update_value(|buffers| {
                let buffer = buffers.entry(contact).or_insert_with(|| Buffer {
                    saved: stored.to_owned(),
                    ..Buffer::default()
                });
                buffer.text = text;
                if buffer.unsaved() && buffer.guard.is_none() {
                    buffer.guard = Some(session.begin_work());
                }
                buffer.generation += 1;
                buffer.generation
            })
            .unwrap_or(0);
        self.set_status(contact, NoteStatus::Dirty);
        set_timeout(
            move || {
                let current = self
                    .buffers
                    .try_with_value(|b| b.get(&contact).map(|b| b.generation))
                    .flatten();
                if current == Some(mine) {
                    self.save(contact, "Automatisch bewaard");
                }
            },
            AUTOSAVE_DELAY,
        );
    }

    /// Writes `contact`'s note now, unless it is written or being written. Typing that
    /// happens during a write is written right after it.
    pub fn save(self, contact: RecordId, label: &'static str) {
        let text = self
            .buffers
            .try_update_value(|buffers| {
                let buffer = buffers.get_mut(&contact)?;
                if buffer.saving || !buffer.unsaved() {
                    return None;
                }
                buffer.saving = true;
                Some(buffer.text.clone())
            })
            .flatten();
        let Some(text) = text else {
            return;
        };
        let session = self.session;
        spawn_local(async move {
            let result = session
                .save(|ws| ws.stage_contact_note(contact, text.clone(), clock::now()))
                .await;
            let again = self
                .buffers
                .try_update_value(|buffers| {
                    let buffer = buffers.get_mut(&contact)?;
                    buffer.saving = false;
                    if result.is_ok() {
                        buffer.saved = text.clone();
                    }
                    let done = !buffer.unsaved();
                    if done || result.is_err() {
                        // Written, or failed: a failed write keeps the text here (shown in
                        // the editor) and lets a lock go on; the next edit or "Bewaren" retries.
                        buffer.guard = None;
                    }
                    Some(!done && result.is_ok())
                })
                .flatten()
                .unwrap_or(false);
            match result {
                Ok(_) if !again => self.set_status(
                    contact,
                    NoteStatus::Saved(format!("{label} om {}", clock::time_of_day(clock::now()))),
                ),
                Ok(_) => self.save(contact, label),
                Err(err) => self.set_status(contact, NoteStatus::Failed(err.to_string())),
            }
        });
    }

    /// Writes every note that holds unwritten text (before navigation or a lock).
    pub fn flush_all(self) {
        let dirty: Vec<RecordId> = self
            .buffers
            .try_with_value(|b| {
                b.iter()
                    .filter(|(_, b)| b.unsaved())
                    .map(|(id, _)| *id)
                    .collect()
            })
            .unwrap_or_default();
        for contact in dirty {
            self.save(contact, "Bewaard");
        }
    }

    fn set_status(self, contact: RecordId, status: NoteStatus) {
        self.status.update(|s| {
            s.insert(contact, status);
        });
    }
}
