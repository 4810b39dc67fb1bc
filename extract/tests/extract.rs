//! Each extractor on realistic Dutch utterances, checked fact by fact.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::unwrap_used)]

use extract::{Date, Fact, FactKind, Gazetteer, Segment, Speaker, extract};

/// Wednesday 25 November 2026.
fn contact() -> Date {
    Date::new(2026, 11, 25).unwrap()
}

fn facts(speaker: Speaker, text: &str) -> Vec<Fact> {
    let seg = Segment {
        id: 7,
        speaker,
        text: text.into(),
        start_ms: None,
        end_ms: None,
    };
    extract(&[seg], contact(), &Gazetteer::default())
}

fn of(kind: FactKind, speaker: Speaker, text: &str) -> Vec<String> {
    facts(speaker, text)
        .into_iter()
        .filter(|f| f.value.kind() == kind)
        .map(|f| f.value.canonical())
        .collect()
}

#[test]
fn money_in_digits_and_words_with_period() {
    let c = Speaker::Client;
    assert_eq!(
        of(
            FactKind::Money,
            c,
            "Ik krijg zevenhonderdvijftig euro leefloon per maand."
        ),
        ["750.00/per maand"]
    );
    assert_eq!(
        of(
            FactKind::Money,
            c,
            "De huur is € 650 en de energie 89,50 euro."
        ),
        ["650.00", "89.50"]
    );
    assert_eq!(
        of(
            FactKind::Money,
            c,
            "Er staat nog 1.250 euro open bij de deurwaarder."
        ),
        ["1250.00"]
    );
    assert_eq!(
        of(FactKind::Money, c, "Maandelijks betaal ik 120 EUR af."),
        ["120.00/per maand"]
    );
    assert_eq!(
        of(FactKind::Money, c, "drieduizend vijfhonderd euro schulden"),
        ["3500.00"]
    );
    assert_eq!(
        of(
            FactKind::Money,
            c,
            "Ik heb twee kinderen en geen euro meer."
        ),
        Vec::<String>::new()
    );
}

#[test]
fn evidence_is_the_exact_words() {
    let f = facts(
        Speaker::Client,
        "Ik krijg zevenhonderdvijftig euro per maand.",
    );
    let money = f
        .iter()
        .find(|f| f.value.kind() == FactKind::Money)
        .unwrap();
    assert_eq!(money.evidence, "zevenhonderdvijftig euro per maand");
    assert_eq!(money.sources, [7]);
}

#[test]
fn dates_resolve_against_the_contact_date() {
    let w = Speaker::Worker;
    assert_eq!(
        of(FactKind::Date, w, "Breng het tegen drie december binnen."),
        ["2026-12-03"]
    );
    assert_eq!(
        of(FactKind::Date, w, "De zitting is op 12 januari."),
        ["2027-01-12"]
    );
    assert_eq!(
        of(FactKind::Date, w, "Sinds 3 maart 2025 woont ze hier."),
        ["2025-03-03"]
    );
    assert_eq!(
        of(FactKind::Date, w, "Ik bel voor vrijdag."),
        ["2026-11-27"]
    );
    assert_eq!(
        of(FactKind::Date, w, "Tot volgende week dinsdag."),
        ["2026-12-01"]
    );
    assert_eq!(
        of(FactKind::Date, w, "Afgelopen maandag was ze ziek."),
        ["2026-11-23"]
    );
    assert_eq!(
        of(FactKind::Date, w, "Woensdag zien we elkaar weer."),
        ["2026-12-02"]
    );
    assert_eq!(of(FactKind::Date, w, "Morgen bel ik."), ["2026-11-26"]);
    assert_eq!(
        of(FactKind::Date, w, "Uiterlijk 15/01/2027, of 03/12."),
        ["2027-01-15", "2026-12-03"]
    );
    assert_eq!(
        of(FactKind::Date, w, "Goedemorgen, 31 februari bestaat niet."),
        Vec::<String>::new()
    );
}

#[test]
fn durations_and_ages_are_told_apart() {
    let c = Speaker::Client;
    assert_eq!(
        of(FactKind::Duration, c, "Ik heb drie maanden huurachterstal."),
        ["3 maanden"]
    );
    assert_eq!(
        of(FactKind::Duration, c, "We wonen hier al anderhalf jaar."),
        ["1,5 jaar"]
    );
    assert_eq!(
        of(FactKind::Duration, c, "Over een week weet ik meer."),
        ["1 week"]
    );
    assert_eq!(of(FactKind::Age, c, "Ik ben 42 jaar."), ["cliënt: 42"]);
    assert_eq!(
        of(FactKind::Age, c, "Mijn zoon Noah is zeven jaar oud."),
        ["zoon Noah: 7"]
    );
    assert_eq!(
        of(FactKind::Duration, c, "Mijn zoon Noah is zeven jaar oud."),
        Vec::<String>::new()
    );
    // An age whose owner is unclear is left out.
    assert_eq!(
        of(FactKind::Age, c, "Hij is 30 jaar."),
        Vec::<String>::new()
    );
}

#[test]
fn people_by_speaker() {
    assert_eq!(
        of(
            FactKind::Person,
            Speaker::Client,
            "Mijn dochter Lina en mijn moeder helpen."
        ),
        ["dochter Lina", "moeder"]
    );
    assert_eq!(
        of(
            FactKind::Person,
            Speaker::Worker,
            "Hoe gaat het met uw zoon?"
        ),
        ["zoon"]
    );
    // The worker's own mother is not a fact about the client.
    assert_eq!(
        of(
            FactKind::Person,
            Speaker::Worker,
            "Mijn moeder zei dat ook."
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        of(
            FactKind::Person,
            Speaker::Note,
            "Haar partner Youssef werkt."
        ),
        ["partner Youssef"]
    );
    // "mijn zoon" later is the same person.
    let merged = extract(
        &[
            Segment {
                id: 1,
                speaker: Speaker::Client,
                text: "Mijn zoon Noah.".into(),
                start_ms: None,
                end_ms: None,
            },
            Segment {
                id: 2,
                speaker: Speaker::Client,
                text: "Mijn zoon is ziek.".into(),
                start_ms: None,
                end_ms: None,
            },
        ],
        contact(),
        &Gazetteer::default(),
    );
    let person: Vec<&Fact> = merged
        .iter()
        .filter(|f| f.value.kind() == FactKind::Person)
        .collect();
    assert_eq!(person.len(), 1);
    assert_eq!(person[0].sources, [1, 2]);
}

#[test]
fn organisations_from_the_gazetteer() {
    let w = Speaker::Worker;
    assert_eq!(
        of(
            FactKind::Organisation,
            w,
            "Het CAW en de VDAB, en later het Huis van het Kind."
        ),
        ["CAW", "VDAB", "Huis van het Kind"]
    );
    assert_eq!(
        of(FactKind::Organisation, w, "Ik cawoordt niet."),
        Vec::<String>::new()
    );
    let mut g = Gazetteer::default();
    g.add("Buurtwerk Noord", &["buurtwerk noord"]);
    let seg = Segment {
        id: 1,
        speaker: w,
        text: "Bij Buurtwerk Noord.".into(),
        start_ms: None,
        end_ms: None,
    };
    let found = extract(&[seg], contact(), &g);
    assert_eq!(found[0].value.canonical(), "Buurtwerk Noord");
}

#[test]
fn actions_with_owner_and_due() {
    assert_eq!(
        of(
            FactKind::Action,
            Speaker::Worker,
            "Ik bel uw moeder voor vrijdag. Goed?"
        ),
        ["maatschappelijk werker @ 2026-11-27"]
    );
    assert_eq!(
        of(
            FactKind::Action,
            Speaker::Worker,
            "U brengt de loonbrieven binnen tegen drie december."
        ),
        ["cliënt @ 2026-12-03"]
    );
    assert_eq!(
        of(
            FactKind::Action,
            Speaker::Client,
            "Ik zal de facturen meebrengen."
        ),
        ["cliënt"]
    );
    assert_eq!(
        of(
            FactKind::Action,
            Speaker::Note,
            "MW belt het CAW op maandag."
        ),
        ["maatschappelijk werker @ 2026-11-30"]
    );
    // Not commitments.
    assert_eq!(
        of(
            FactKind::Action,
            Speaker::Client,
            "Ik ga ervan uit dat het lukt."
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        of(FactKind::Action, Speaker::Worker, "Ik begrijp het."),
        Vec::<String>::new()
    );
    let f = facts(Speaker::Worker, "Goed. Ik bel uw moeder voor vrijdag.");
    let action = f
        .iter()
        .find(|f| f.value.kind() == FactKind::Action)
        .unwrap();
    assert_eq!(action.evidence, "Ik bel uw moeder voor vrijdag");
    assert_eq!(
        &"Goed. Ik bel uw moeder voor vrijdag."[action.span.clone()],
        action.evidence
    );
}

#[test]
fn weekday_constructions() {
    let w = Speaker::Worker;
    // 25 November 2026 is a Wednesday.
    assert_eq!(
        of(FactKind::Date, w, "Vorige week dinsdag was hij hier."),
        ["2026-11-17"]
    );
    assert_eq!(
        of(FactKind::Date, w, "Het overleg is op maandag 7 december."),
        ["2026-12-07"]
    );
}

#[test]
fn ordinal_days() {
    let w = Speaker::Worker;
    // The contact is on 25 November 2026.
    assert_eq!(
        of(
            FactKind::Date,
            w,
            "Kunt u tegen de 29ste de brief binnenbrengen?"
        ),
        ["2026-11-29"]
    );
    assert_eq!(
        of(FactKind::Date, w, "Breng het binnen voor de 3de."),
        ["2026-12-03"]
    );
    assert_eq!(
        of(FactKind::Date, w, "De hoorzitting is op 12de januari."),
        ["2027-01-12"]
    );
    assert!(
        of(FactKind::Date, w, "Ze woont op de 2de verdieping.").is_empty(),
        "a floor is no date"
    );
}

#[test]
fn ages_without_the_word_jaar() {
    let c = Speaker::Client;
    assert_eq!(
        of(
            FactKind::Age,
            c,
            "Mijn dochter Emma is vijftien en gaat naar school."
        ),
        ["dochter Emma: 15"]
    );
    assert_eq!(of(FactKind::Age, c, "Mijn zoon is zes."), ["zoon: 6"]);
    // Not an age: a count of something.
    assert_eq!(
        of(FactKind::Age, c, "Mijn zoon is twee keer gevallen."),
        Vec::<String>::new()
    );
    assert_eq!(
        of(FactKind::Age, c, "De rekening is twee."),
        Vec::<String>::new()
    );
}

#[test]
fn questions_are_actions_only_as_requests() {
    let w = Speaker::Worker;
    assert_eq!(
        of(FactKind::Action, w, "Kunt u het attest bezorgen?"),
        ["cliënt"]
    );
    assert_eq!(
        of(FactKind::Action, w, "Gaat u morgen naar de VDAB?"),
        Vec::<String>::new()
    );
    assert_eq!(
        of(
            FactKind::Action,
            w,
            "U gaat op 15 december naar de infosessie."
        ),
        ["cliënt @ 2026-12-15"]
    );
}
