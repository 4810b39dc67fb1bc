//! The dossier overview: open actions and changed facts across consented contacts.

use casework::overview::{self, CHANGES_TEMPLATE};
use templates::overview::Urgency;

use crate::util::{Desk, at, day};

#[test]
fn the_overview_lists_open_actions_and_changed_facts_and_hides_done_ones() {
    let mut desk = Desk::new();
    let first = desk.contact(0, true);
    desk.typed(
        first,
        "De huur is 650 euro per maand.\nMW belt het CAW op 2 december.",
    );
    let second = desk.contact(14, true);
    desk.typed(second, "De huur is gestegen naar 720 euro per maand.");
    let refused = desk.contact(15, false);
    desk.note(
        refused,
        "Cliënt brengt het attest binnen tegen 20 december.",
    );

    let all = templates::builtin().unwrap();
    let today = day(at(14));
    let view = overview::of(&desk.ws, desk.dossier, &all, today, day).expect("an overview");
    let action = view
        .actions
        .iter()
        .find(|a| a.text.contains("CAW"))
        .unwrap_or_else(|| panic!("{:#?}", view.actions));
    assert_eq!(action.urgency, Urgency::Overdue);
    assert!(view.actions.iter().all(|a| !a.text.contains("attest")));
    let rent = view
        .changes
        .iter()
        .find(|c| c.before.contains("650"))
        .unwrap_or_else(|| panic!("{:#?}", view.changes));
    assert!(rent.after.contains("720"));
    assert_eq!(rent.before_on, day(at(0)));

    let change = desk
        .ws
        .stage_action_done(desk.dossier, &action.key, true, at(14))
        .unwrap();
    desk.save(change);
    let view = overview::of(&desk.ws, desk.dossier, &all, today, day).unwrap();
    assert!(view.actions.iter().all(|a| a.key != action.key));

    // Without the template the changes are left out; without input there is no overview.
    let none = overview::of(&desk.ws, desk.dossier, &[], today, day).unwrap();
    assert!(none.changes.is_empty());
    assert!(all.iter().any(|t| t.id == CHANGES_TEMPLATE));
    let empty = Desk::new();
    assert_eq!(
        overview::of(&empty.ws, empty.dossier, &all, today, day),
        None
    );
}
