//! The dossier overview: the actions agreed across contacts (overdue and due-soon first) and
//! the facts that changed from one contact to the next, from the transcripts of contacts whose
//! client consents (chosen by [`crate::inputs::for_overview`]).

use domain::workspace::Workspace;
use domain::{RecordId, Timestamp};
use extract::Date;
use templates::Template;
use templates::overview::{self, Action, Change, ContactText};

/// The template whose fields the overview compares between contacts.
pub const CHANGES_TEMPLATE: &str = "sociaal-verslag";

/// What the overview shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overview {
    /// Open actions, most urgent first.
    pub actions: Vec<Action>,
    /// Fields whose value changed between the two latest contacts that mention them.
    pub changes: Vec<Change>,
}

/// The overview of `dossier` on `today`, or `None` when no contact may be processed.
/// `templates` are the available templates (the newest [`CHANGES_TEMPLATE`] is used for the
/// changes); `day` gives the calendar day of a moment in the worker's time zone.
pub fn of<'t>(
    ws: &Workspace,
    dossier: RecordId,
    templates: impl IntoIterator<Item = &'t Template>,
    today: Date,
    day: impl Fn(Timestamp) -> Date,
) -> Option<Overview> {
    let inputs = crate::inputs::for_overview(ws, dossier, &day);
    if inputs.is_empty() {
        return None;
    }
    let keys: Vec<String> = inputs.iter().map(|i| i.transcript.id.to_string()).collect();
    let contacts: Vec<ContactText<'_>> = inputs
        .iter()
        .zip(&keys)
        .map(|(i, key)| ContactText {
            key,
            date: i.day,
            segments: &i.transcript.segments,
        })
        .collect();
    let done = ws
        .dossier(dossier)
        .map(|d| d.done_actions.clone())
        .unwrap_or_default();
    let changes = templates
        .into_iter()
        .filter(|t| t.id == CHANGES_TEMPLATE)
        .max_by_key(|t| t.version)
        .map(|t| overview::changes(t, &contacts))
        .unwrap_or_default();
    Some(Overview {
        actions: overview::actions(&contacts, today, &done),
        changes,
    })
}
