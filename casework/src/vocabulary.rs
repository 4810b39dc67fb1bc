//! The words a recorded conversation is likely to use, spelled as the report should write
//! them: the recogniser's prompt (Whisper's `<|startofprev|>`), so that "Peeters" is not heard
//! as "Peter" nor "schuldbemiddeling" as "schuld me medeling".
//!
//! # Design
//! Names matter most, because they are the words a general model cannot know: the client's
//! name from the dossier, then people and organisations found in the dossier's earlier
//! transcripts (only those whose client consents, through [`crate::inputs`]). The region's
//! terms go first, chosen by a language tag (`nl-BE` or `nl-NL`: the region in the
//! preferences, else the browser's language), written from how the social services of each
//! region are named, not from any measured conversation; the names close the prompt. The
//! recogniser keeps at most a fixed number of tokens of this text, and keeps its end, so the
//! names survive.

use domain::Timestamp;
use domain::consent::ConsentError;
use domain::contact::Contact;
use domain::workspace::Workspace;
use extract::{Date, FactValue, Gazetteer};

/// Services, benefits and procedures as they are named in Flanders.
const FLANDERS: &[&str] = &[
    "OCMW",
    "CAW",
    "leefloon",
    "schuldbemiddeling",
    "budgetbeheer",
    "budgetbegeleiding",
    "collectieve schuldenregeling",
    "huurachterstand",
    "huurwaarborg",
    "huurpremie",
    "VDAB",
    "RVA",
    "mutualiteit",
    "groeipakket",
    "Sociaal Huis",
    "Kind en Gezin",
    "Huis van het Kind",
    "sociaal verhuurkantoor",
    "Juridisch Loket",
    "gerechtsdeurwaarder",
    "vrederechter",
    "CLB",
    "CGG",
    "BCSD",
];

/// Services, benefits and procedures as they are named in the Netherlands.
const NETHERLANDS: &[&str] = &[
    "wijkteam",
    "bijstand",
    "Participatiewet",
    "schuldhulpverlening",
    "budgetbeheer",
    "beschermingsbewind",
    "huurachterstand",
    "UWV",
    "WW-uitkering",
    "zorgtoeslag",
    "huurtoeslag",
    "kindgebonden budget",
    "Belastingdienst",
    "zorgverzekeraar",
    "Wmo",
    "CJG",
    "Veilig Thuis",
    "SVB",
    "AOW",
    "deurwaarder",
    "Juridisch Loket",
];

/// Most names taken from the dossier.
const MAX_NAMES: usize = 10;

/// The service, benefit and procedure names of `language`'s region (`nl-NL` for the
/// Netherlands, anything else for Flanders).
pub fn terms(language: &str) -> &'static [&'static str] {
    if language.eq_ignore_ascii_case("nl-NL") {
        NETHERLANDS
    } else {
        FLANDERS
    }
}

/// The prompt text for `names` (most important first) and the terms of `language`'s region,
/// as two plain sentences ("Het gaat over OCMW, CAW, …. Gesprek met Jan Peeters en het CAW."):
/// a sentence is less often read out into the transcript than a bare list, and the decoder
/// goes on in the style of its prompt's end, so a list must not come last (ending on the
/// terms, a short unclear stretch came back as "Ik ben Kauw, Elke, Maand, …, BCSD"). The
/// recogniser keeps the end of a prompt that is too long, so the names survive.
pub fn prompt_text(names: &[String], language: &str) -> String {
    let mut seen: Vec<String> = Vec::new();
    let mut fresh = |word: &str| {
        let word = word.trim();
        let new = !word.is_empty() && !seen.iter().any(|w| w.eq_ignore_ascii_case(word));
        if new {
            seen.push(word.to_owned());
        }
        new.then(|| word.to_owned())
    };
    let names: Vec<String> = names.iter().filter_map(|n| fresh(n)).collect();
    let terms: Vec<String> = terms(language).iter().filter_map(|t| fresh(t)).collect();
    let mut text = String::from("Het gaat over ");
    text.push_str(&terms.join(", "));
    text.push('.');
    if let Some((last, first)) = names.split_last() {
        text.push_str(" Gesprek met ");
        if !first.is_empty() {
            text.push_str(&first.join(", "));
            text.push_str(" en ");
        }
        text.push_str(last);
        text.push('.');
    }
    text
}

/// The prompt text of a recording for `contact`: the dossier's client name, names and
/// organisations of the dossier's earlier consenting contacts, and the terms of `language`'s
/// region. `day` gives the calendar day of a moment.
///
/// # Errors
/// [`ConsentError`] when `contact` has no permit: nothing is recorded or transcribed then.
pub fn for_recording(
    ws: &Workspace,
    contact: &Contact,
    language: &str,
    day: &impl Fn(Timestamp) -> Date,
) -> Result<String, ConsentError> {
    let inputs = crate::inputs::for_draft(ws, contact, day)?;
    let mut names: Vec<String> = ws
        .dossier(contact.dossier)
        .map(|d| vec![d.name.clone()])
        .unwrap_or_default();
    let gazetteer = Gazetteer::default();
    for input in &inputs.earlier {
        for fact in extract::extract(&input.transcript.segments, input.day, &gazetteer) {
            let name = match fact.value {
                FactValue::Person {
                    name: Some(name), ..
                }
                | FactValue::Organisation { name } => name,
                _ => continue,
            };
            if names.len() < MAX_NAMES && !names.contains(&name) {
                names.push(name);
            }
        }
    }
    Ok(prompt_text(&names, language))
}
