//! Fact frames: whose word, which frame, what blocks one, and what the worker must decide.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use extract::{
    Date, Flag, Frame, FrameKind, FrameValue, Gazetteer, Owner, Segment, Speaker, frames,
};

fn seg(id: u32, speaker: Speaker, text: &str) -> Segment {
    Segment {
        id,
        speaker,
        text: text.into(),
        start_ms: None,
        end_ms: None,
    }
}

fn contact() -> Date {
    Date::new(2026, 12, 3).unwrap()
}

fn find(segments: &[Segment]) -> Vec<Frame> {
    frames::find(segments, contact(), &Gazetteer::default())
}

fn of(frames: &[Frame], kind: FrameKind) -> Vec<String> {
    frames
        .iter()
        .filter(|f| f.kind == kind)
        .map(|f| f.value.normalised())
        .collect()
}

#[test]
fn an_answer_takes_the_frame_of_the_question() {
    let f = find(&[
        seg(1, Speaker::Worker, "Hoeveel bedraagt uw huur?"),
        seg(2, Speaker::Client, "Zevenhonderdvijftig euro per maand."),
    ]);
    let rent: Vec<&Frame> = f.iter().filter(|f| f.kind == FrameKind::Rent).collect();
    assert_eq!(rent.len(), 1, "{f:#?}");
    assert_eq!(rent[0].value.normalised(), "750 per maand");
    assert_eq!(rent[0].sources, [1, 2]);
    assert_eq!(rent[0].said_by, Speaker::Client);
}

#[test]
fn amounts_go_to_the_frame_their_words_say() {
    let f = find(&[
        seg(
            1,
            Speaker::Note,
            "Mevrouw heeft een achterstand van 1.200 euro bij Engie.",
        ),
        seg(
            2,
            Speaker::Note,
            "Ze ontvangt een leefloon van 1.310 euro per maand.",
        ),
        seg(3, Speaker::Note, "Huurachterstal 1 mnd (720 €)."),
    ]);
    assert_eq!(of(&f, FrameKind::Debt), ["1200", "720"]);
    assert_eq!(of(&f, FrameKind::Income), ["1310 per maand"]);
    assert!(
        of(&f, FrameKind::Rent).is_empty(),
        "an arrear is no rent: {f:#?}"
    );
    let engie = f.iter().find(|f| f.kind == FrameKind::Debt).unwrap();
    assert!(format!("{:?}", engie.value).contains("Engie"), "{engie:?}");
}

#[test]
fn months_of_rent_are_an_arrear_not_the_rent() {
    let f = find(&[
        seg(1, Speaker::Worker, "Hoeveel bedraagt die achterstand?"),
        seg(
            2,
            Speaker::Client,
            "Drie maanden huur, dat is eenentwintighonderd euro.",
        ),
        seg(3, Speaker::Note, "Nog 2 maand huur open: 1.380 euro."),
        seg(4, Speaker::Client, "De huur is 690 euro per maand."),
    ]);
    assert_eq!(of(&f, FrameKind::Debt), ["2100", "1380"], "{f:#?}");
    assert_eq!(of(&f, FrameKind::Rent), ["690 per maand"], "{f:#?}");
}

#[test]
fn a_period_belongs_to_the_amount_it_follows() {
    let f = find(&[seg(
        1,
        Speaker::Note,
        "Het appartement kost 700 euro per maand, exclusief 45 euro gemeenschappelijke kosten per maand.",
    )]);
    assert_eq!(of(&f, FrameKind::Rent), ["700 per maand"], "{f:#?}");
    assert_eq!(of(&f, FrameKind::HousingCost), ["45 per maand"], "{f:#?}");
}

#[test]
fn a_request_to_several_is_taken_by_whoever_says_yes() {
    let owners = |answer: Speaker| -> Vec<Owner> {
        find(&[
            seg(
                1,
                Speaker::Worker,
                "Kunnen jullie de huurcontracten mailen, uiterlijk vrijdag?",
            ),
            seg(2, answer, "Ja, dat doe ik."),
        ])
        .into_iter()
        .filter_map(|f| match f.value {
            FrameValue::Action { owner, .. } => Some(owner),
            _ => None,
        })
        .collect()
    };
    assert_eq!(owners(Speaker::Other), [Owner::Participant]);
    assert_eq!(owners(Speaker::Client), [Owner::Client]);
}

#[test]
fn bringing_what_was_asked_is_no_appointment() {
    let f = find(&[
        seg(
            1,
            Speaker::Worker,
            "Brengt u tegen maandag uw loonfiches binnen?",
        ),
        seg(2, Speaker::Client, "Ja, maandag kom ik ze brengen."),
        seg(
            3,
            Speaker::Worker,
            "Dan kom ik op donderdag 10 december om 10 uur.",
        ),
    ]);
    let appointments = of(&f, FrameKind::Appointment);
    assert_eq!(appointments, ["2026-12-10 10:00"], "{f:#?}");
}

#[test]
fn negation_hypotheticals_the_past_and_other_people_block_a_frame() {
    let f = find(&[
        seg(
            1,
            Speaker::Client,
            "Als ik zou werken, verdien ik 1.800 euro.",
        ),
        seg(2, Speaker::Client, "Vroeger betaalde ik 500 euro huur."),
        seg(
            3,
            Speaker::Client,
            "Het loon van mijn broer is 2.100 euro per maand.",
        ),
        seg(
            4,
            Speaker::Client,
            "Bij de bank heb ik geen 300 euro schuld.",
        ),
        seg(5, Speaker::Worker, "Betaalt u meer dan 800 euro huur?"),
        seg(6, Speaker::Client, "Nee, 650 euro huur."),
    ]);
    let money: Vec<String> = f
        .iter()
        .filter(|f| {
            matches!(
                f.kind,
                FrameKind::Rent | FrameKind::Income | FrameKind::Debt | FrameKind::HousingCost
            )
        })
        .map(|f| f.value.normalised())
        .collect();
    assert_eq!(money, ["650"], "{f:#?}");
}

#[test]
fn a_corrected_figure_keeps_the_correction_and_flags_both() {
    let f = find(&[seg(
        1,
        Speaker::Client,
        "De huur is zeshonderd euro per maand, nee, zevenhonderd euro per maand.",
    )]);
    let rent: Vec<&Frame> = f.iter().filter(|f| f.kind == FrameKind::Rent).collect();
    assert_eq!(rent.len(), 1, "{f:#?}");
    assert_eq!(rent[0].value.normalised(), "700 per maand");
    assert_eq!(
        rent[0].flag,
        Some(Flag::TwoValues {
            earlier: "600 per maand".into()
        })
    );
}

#[test]
fn a_weekday_that_does_not_match_its_date_is_flagged_not_rewritten() {
    // 10 December 2026 is a Thursday.
    let f = find(&[seg(
        1,
        Speaker::Worker,
        "Volgend gesprek op dinsdag 10 december om 9.30 uur.",
    )]);
    let a = f.iter().find(|f| f.kind == FrameKind::Appointment).unwrap();
    assert_eq!(a.value.normalised(), "2026-12-10 09:30");
    let flag = a.flag.as_ref().expect("a weekday flag");
    assert_eq!(flag.name(), "weekday_conflict");
    assert!(
        flag.dutch().contains("dinsdag 10 december"),
        "{}",
        flag.dutch()
    );
}

#[test]
fn a_deadline_before_the_contact_is_flagged() {
    let f = find(&[seg(
        1,
        Speaker::Worker,
        "U brengt uw loonfiches binnen tegen 28 november.",
    )]);
    let action = f.iter().find(|f| f.kind == FrameKind::Action).unwrap();
    assert_eq!(action.value.normalised(), "client @ 2026-11-28");
    assert_eq!(action.flag.as_ref().map(Flag::name), Some("past_deadline"));
}

#[test]
fn household_members_get_relation_name_and_age_and_the_client_an_age() {
    let f = find(&[
        seg(
            1,
            Speaker::Note,
            "Mevrouw Janssens (39) woont samen met haar twee dochters, Lotte (6) en Fien (11).",
        ),
        seg(2, Speaker::Worker, "Hoe oud bent u?"),
        seg(3, Speaker::Client, "Eenenveertig."),
    ]);
    assert_eq!(of(&f, FrameKind::Household), ["Lotte 6", "Fien 11"]);
    assert_eq!(of(&f, FrameKind::ClientAge), ["39", "41"]);
    let lotte = f.iter().find(|f| f.kind == FrameKind::Household).unwrap();
    assert!(
        format!("{:?}", lotte.value).contains("dochter"),
        "{lotte:?}"
    );
}

#[test]
fn someone_who_lives_elsewhere_is_no_household_member_and_their_income_no_means() {
    let f = find(&[
        seg(1, Speaker::Note, "Mw. gescheiden sinds 2023, woont alleen."),
        seg(2, Speaker::Note, "Zoon (22) woont op kamers in Utrecht."),
        seg(3, Speaker::Note, "Zoon verdient zelf ca. 1.900 p.m."),
        seg(4, Speaker::Note, "Dochter (15) woont nog thuis."),
    ]);
    assert_eq!(of(&f, FrameKind::Household), ["dochter 15"], "{f:#?}");
    assert!(of(&f, FrameKind::Income).is_empty(), "{f:#?}");
    // A son at home: his own income is drafted as his.
    let f = find(&[
        seg(1, Speaker::Note, "Zoon (22) woont bij mw. in."),
        seg(2, Speaker::Note, "Zoon verdient zelf ca. 1.900 p.m."),
    ]);
    assert_eq!(of(&f, FrameKind::Income), ["1900 per maand"], "{f:#?}");
}

#[test]
fn care_for_a_complaint_is_quoted_with_it_and_two_complaints_apart() {
    let f = find(&[
        seg(
            1,
            Speaker::Note,
            "Gezondh.: dhr. hernia, operatie gepland in januari.",
        ),
        seg(
            2,
            Speaker::Client,
            "Ik slaap slecht van de stress, en mijn rug doet pijn.",
        ),
        seg(3, Speaker::Note, "Medicatie voor de bloeddruk."),
    ]);
    assert_eq!(
        of(&f, FrameKind::Health),
        [
            "Gezondh.: dhr. hernia, operatie gepland in januari.",
            "Ik slaap slecht van de stress",
            "mijn rug doet pijn",
            "Medicatie voor de bloeddruk."
        ],
        "{f:#?}"
    );
}

#[test]
fn a_named_child_with_an_age_is_a_household_member_where_the_family_is_spoken_of() {
    let f = find(&[
        seg(
            1,
            Speaker::Other,
            "Mevrouw maakt zich zorgen over haar zoon Lucas.",
        ),
        seg(2, Speaker::Other, "En Mila van tien heeft astma."),
        seg(
            3,
            Speaker::Other,
            "We bespreken vandaag Jens, 45 jaar, van de woonmaatschappij.",
        ),
    ]);
    let members = of(&f, FrameKind::Household);
    assert!(members.contains(&"Mila 10".to_owned()), "{members:?}");
    assert!(!members.iter().any(|m| m.contains("Jens")), "{members:?}");
    // Without any word of a household, a name with a number is no household member.
    let f = find(&[seg(1, Speaker::Other, "En Mila van tien heeft astma.")]);
    assert!(of(&f, FrameKind::Household).is_empty(), "{f:#?}");
}

#[test]
fn applying_and_checking_are_actions_and_an_agreement_marker_holds_for_the_notes_after_it() {
    let f = find(&[seg(
        1,
        Speaker::Note,
        "Wijkteam vraagt bijzondere bijstand aan, uiterlijk eind deze maand.",
    )]);
    assert_eq!(of(&f, FrameKind::Action), ["worker @ 2026-12-31"], "{f:#?}");
    let f = find(&[seg(
        1,
        Speaker::Note,
        "MW vraagt vandaag bij Engie een afbetalingsplan aan.",
    )]);
    assert_eq!(of(&f, FrameKind::Action), ["worker @ 2026-12-03"], "{f:#?}");
    // Asking whether is no commitment.
    let f = find(&[seg(
        1,
        Speaker::Note,
        "Mevrouw vraagt of de huur omlaag kan, tegen volgende week.",
    )]);
    assert!(of(&f, FrameKind::Action).is_empty(), "{f:#?}");
    // Typed notes come one sentence per segment.
    let notes = [
        seg(
            1,
            Speaker::Note,
            "Afspr.: cl. bezorgt huurcontract tegen vrijdag.",
        ),
        seg(
            2,
            Speaker::Note,
            "MW contacteert verhuurder ivm afbetaling.",
        ),
        seg(3, Speaker::Note, "Huur 720 p/m."),
        seg(4, Speaker::Note, "MW belt soms met de school."),
    ];
    let f = find(&notes);
    assert_eq!(
        of(&f, FrameKind::Action),
        ["client @ 2026-12-04", "worker"],
        "{f:#?}"
    );
}

#[test]
fn another_participant_owns_their_action_and_health_is_quoted() {
    let f = find(&[
        seg(1, Speaker::Other, "Ik bel morgen de school."),
        seg(2, Speaker::Client, "Ik heb veel last van mijn rug."),
        seg(3, Speaker::Client, "Ik heb geen klachten aan mijn knie."),
    ]);
    assert_eq!(of(&f, FrameKind::Action), ["other @ 2026-12-04"]);
    assert_eq!(
        of(&f, FrameKind::Health),
        ["Ik heb veel last van mijn rug."]
    );
}

#[test]
fn a_correction_in_the_next_sentence_still_corrects() {
    let f = find(&[seg(
        1,
        Speaker::Client,
        "De huur is zeshonderd euro per maand. Nee, zevenhonderd.",
    )]);
    assert_eq!(of(&f, FrameKind::Rent), ["700 per maand"], "{f:#?}");
    let rent = f.iter().find(|f| f.kind == FrameKind::Rent).unwrap();
    assert_eq!(rent.flag.as_ref().map(Flag::name), Some("two_values"));
}

#[test]
fn a_gross_wage_corrected_to_net_keeps_the_net() {
    let f = find(&[
        seg(1, Speaker::Client, "Ik verdien zo'n 2.100 euro per maand."),
        seg(
            2,
            Speaker::Other,
            "Nee, dat is bruto. Netto is het 1.850 per maand.",
        ),
    ]);
    assert_eq!(of(&f, FrameKind::Income), ["1850 per maand"], "{f:#?}");
}

#[test]
fn telegram_notes_keep_owner_creditor_and_kind_of_debt() {
    let f = find(&[
        seg(
            1,
            Speaker::Note,
            "Afspr.: cl. bezorgt huurcontract tegen vr 4/12. MW contacteert verhuurder.",
        ),
        seg(
            2,
            Speaker::Note,
            "Afbetaling huurachterstal bij OCMW: nog ca. 900 € open.",
        ),
        seg(3, Speaker::Note, "Vlg. afspraak: do 10/12 om 10u."),
    ]);
    let actions = of(&f, FrameKind::Action);
    assert!(
        actions.contains(&"client @ 2026-12-04".to_owned()),
        "{actions:?}"
    );
    assert!(actions.contains(&"worker".to_owned()), "{actions:?}");
    let debt = f.iter().find(|f| f.kind == FrameKind::Debt).unwrap();
    let shown = format!("{:?}", debt.value);
    assert!(
        shown.contains("huurachterstal") && shown.contains("OCMW"),
        "{shown}"
    );
    assert_eq!(of(&f, FrameKind::Appointment), ["2026-12-10 10:00"]);
}

#[test]
fn a_request_in_the_workers_question_is_the_clients_action() {
    let f = find(&[
        seg(
            1,
            Speaker::Worker,
            "Wilt u tegen maandag de loonstroken van de laatste drie maanden meenemen?",
        ),
        seg(2, Speaker::Worker, "Hoeveel kinderen heeft u?"),
        seg(3, Speaker::Client, "Twee kinderen van 6 en 9 jaar."),
    ]);
    assert_eq!(of(&f, FrameKind::Action), ["client @ 2026-12-07"]);
    assert_eq!(of(&f, FrameKind::Household), ["kind 6", "kind 9"]);
}

#[test]
fn a_referral_is_made_not_discussed() {
    let f = find(&[
        seg(1, Speaker::Worker, "Ik verwijs u door naar de kinderarts."),
        seg(
            2,
            Speaker::Note,
            "Een doorverwijzing naar het CAW is besproken; meneer wil eerst nadenken.",
        ),
    ]);
    assert_eq!(of(&f, FrameKind::Referral), ["kinderarts"]);
}

#[test]
fn a_voice_nobody_recognised_is_never_quoted_and_owns_no_action() {
    let f = find(&[
        seg(1, Speaker::Unknown, "Heeft u last van uw rug?"),
        seg(2, Speaker::Unknown, "Ik heb veel last van mijn rug."),
        seg(
            3,
            Speaker::Unknown,
            "Ik zou graag een opleiding tot kok volgen.",
        ),
        seg(4, Speaker::Unknown, "Ik bel morgen de huisbaas."),
        seg(
            5,
            Speaker::Unknown,
            "Kunt u de loonbrieven tegen vrijdag 4 december meebrengen?",
        ),
    ]);
    assert!(of(&f, FrameKind::Health).is_empty(), "{f:#?}");
    assert!(of(&f, FrameKind::Wish).is_empty(), "{f:#?}");
    let actions: Vec<&Frame> = f.iter().filter(|f| f.kind == FrameKind::Action).collect();
    assert_eq!(actions.len(), 2, "{f:#?}");
    for a in &actions {
        assert!(a.value.normalised().starts_with("unknown"), "{a:#?}");
        assert!(a.check().is_some_and(|c| c.contains("niet herkend")));
    }
    // The same words by a known speaker are the client's.
    let known = find(&[seg(1, Speaker::Client, "Ik bel morgen de huisbaas.")]);
    let action = known.iter().find(|f| f.kind == FrameKind::Action).unwrap();
    assert!(
        action.value.normalised().starts_with("client"),
        "{known:#?}"
    );
    assert_eq!(action.check(), None);
}

#[test]
fn two_actions_due_the_same_day_stay_two() {
    let f = find(&[
        seg(1, Speaker::Worker, "Ik bel morgen de huisbaas."),
        seg(
            2,
            Speaker::Worker,
            "Ik stuur morgen ook de aanvraag naar de mutualiteit.",
        ),
    ]);
    let actions: Vec<&Frame> = f.iter().filter(|f| f.kind == FrameKind::Action).collect();
    assert_eq!(actions.len(), 2, "{f:#?}");
}

#[test]
fn a_figure_asked_by_a_voice_nobody_recognised_counts_only_once_answered() {
    let asked = find(&[seg(
        1,
        Speaker::Unknown,
        "Dus uw huur is 650 euro per maand?",
    )]);
    assert!(of(&asked, FrameKind::Rent).is_empty(), "{asked:#?}");
    let answered = find(&[
        seg(1, Speaker::Unknown, "Hoeveel bedraagt uw huur?"),
        seg(2, Speaker::Unknown, "Zevenhonderd euro per maand."),
    ]);
    assert_eq!(
        of(&answered, FrameKind::Rent),
        ["700 per maand"],
        "{answered:#?}"
    );
}

#[test]
fn the_first_time_is_no_next_time() {
    let first = find(&[seg(
        1,
        Speaker::Worker,
        "Het is de eerste keer dat u ons bezoekt.",
    )]);
    assert!(of(&first, FrameKind::Action).is_empty(), "{first:#?}");
    let next = find(&[seg(
        1,
        Speaker::Worker,
        "U brengt de volgende keer de loonbrieven mee.",
    )]);
    assert_eq!(of(&next, FrameKind::Action).len(), 1, "{next:#?}");
}

#[test]
fn every_form_of_a_household_word_is_read_the_same() {
    let f = find(&[
        seg(
            1,
            Speaker::Note,
            "Mevrouw woont met haar twee meisjes van 4 en 7 jaar.",
        ),
        seg(2, Speaker::Client, "Mijn dochtertje Amira is drie."),
        seg(
            3,
            Speaker::Note,
            "Het gezin vangt twee pleegkinderen van 9 en 12 op.",
        ),
        seg(
            4,
            Speaker::Note,
            "Zijn kinderopvang, Sint-Jozef, belt morgen.",
        ),
    ]);
    let members: Vec<String> = f
        .iter()
        .filter(|f| f.kind == FrameKind::Household)
        .map(|f| format!("{:?}", f.value))
        .collect();
    let has = |relation: &str, name: Option<&str>, age: u32| {
        members.iter().any(|m| {
            m.contains(&format!("relation: Some(\"{relation}\")"))
                && m.contains(&format!("age: Some({age})"))
                && name.is_none_or(|n| m.contains(&format!("Some(\"{n}\")")))
        })
    };
    assert!(
        has("dochter", None, 4) && has("dochter", None, 7),
        "{members:#?}"
    );
    assert!(has("dochter", Some("Amira"), 3), "{members:#?}");
    assert!(
        has("pleegkind", None, 9) && has("pleegkind", None, 12),
        "{members:#?}"
    );
    assert_eq!(
        members.len(),
        5,
        "a day-care centre is no child: {members:#?}"
    );
}

/// Money frames of one sentence, as said by the client and as typed in notes.
fn money_of(line: &str) -> Vec<Vec<String>> {
    [Speaker::Client, Speaker::Note]
        .into_iter()
        .map(|speaker| {
            find(&[seg(1, speaker, line)])
                .iter()
                .filter(|f| {
                    matches!(
                        f.kind,
                        FrameKind::Rent
                            | FrameKind::Income
                            | FrameKind::Debt
                            | FrameKind::HousingCost
                    )
                })
                .map(|f| format!("{} {}", f.kind.name(), f.value.normalised()))
                .collect()
        })
        .collect()
}

#[test]
fn prices_in_general_someone_elses_money_and_paid_bills_are_no_facts() {
    for line in [
        "Een studio kost hier al gauw 800 euro per maand.",
        "Het leefloon voor een alleenstaande is 1.260 euro.",
        "Mijn ex-man verdient goed, zo'n 3.000 netto.",
        "Haar broer verdient goed, zo'n 2.500 per maand.",
        "De energiefactuur was 300 euro, maar dat is al betaald.",
        "Mijn zus betaalt 900 euro huur voor een kleiner appartement.",
        "Vroeger betaalde ik 500 euro huur.",
        "Met een voltijdse job zou ik 1.800 verdienen.",
    ] {
        assert_eq!(money_of(line), [[""; 0]; 2], "{line}");
    }
    for (line, money) in [
        (
            "Ik huur een studio van 600 euro per maand.",
            "rent 600 per maand",
        ),
        (
            "Mevrouw betaalt 600 euro per maand voor een studio.",
            "rent 600 per maand",
        ),
        ("De factuur van 300 euro is nog niet betaald.", "debt 300"),
        (
            "Mijn moeder helpt soms, ik krijg 1.200 euro leefloon per maand.",
            "income 1200 per maand",
        ),
        (
            "De Watergroep heeft een deurwaarder ingeschakeld voor een achterstal van 275 euro.",
            "debt 275",
        ),
    ] {
        for found in money_of(line) {
            assert_eq!(found, [money], "{line}");
        }
    }
}

#[test]
fn beliefs_intentions_and_what_anyone_would_earn_are_no_facts_and_corrections_keep_the_last() {
    for line in [
        "De verhuurder wil de huur verhogen naar 800 euro.",
        "Bij een voltijdse job verdien je zo'n 1.900 euro.",
        "Een advocaat kost al snel 1.000 euro.",
        "Mijn ouders hebben een achterstand van 3.000 euro.",
        "Toen ik nog werkte, verdiende ik 2.200 euro netto.",
        "Als het leefloon wordt toegekend, krijg ik 1.260 euro.",
    ] {
        assert_eq!(money_of(line), [[""; 0]; 2], "{line}");
    }
    assert!(
        money_of("Ik dacht dat de huur 700 was, maar het is 720.")
            .iter()
            .all(|found| !found.contains(&"rent 700".to_owned())),
        "the amount believed is no fact"
    );
    for (line, money) in [
        ("De huur is 600, eh nee, 650 euro.", "rent 650"),
        ("De huur is niet 700 maar 750 euro.", "rent 750"),
        (
            "Mijn huur wordt vanaf januari verhoogd naar 780 euro.",
            "rent 780",
        ),
    ] {
        for found in money_of(line) {
            assert_eq!(found, [money], "{line}");
        }
    }
}

#[test]
fn a_collector_as_the_subject_is_the_creditor_and_the_amount_of_now_is_no_past() {
    let f = find(&[seg(
        1,
        Speaker::Note,
        "De Watergroep heeft een deurwaarder ingeschakeld voor een achterstal van 275 euro.",
    )]);
    let debt = f.iter().find(|f| f.kind == FrameKind::Debt).unwrap();
    assert!(
        format!("{:?}", debt.value).contains("Watergroep"),
        "{debt:?}"
    );
    // A person who had a bailiff at the door is no creditor.
    let f = find(&[seg(
        1,
        Speaker::Note,
        "Mevrouw heeft een deurwaarder aan de deur gehad voor een schuld van 400 euro.",
    )]);
    let debt = f.iter().find(|f| f.kind == FrameKind::Debt).unwrap();
    assert!(!format!("{:?}", debt.value).contains("Mevrouw"), "{debt:?}");
    assert_eq!(
        money_of("Vorige keer had ik nog 600 euro schuld bij Engie, nu is het nog 350."),
        [["debt 350"], ["debt 350"]]
    );
}

#[test]
fn a_commitment_said_with_not_is_none_and_done_or_usual_things_are_none() {
    for (speaker, line) in [
        (
            Speaker::Client,
            "Ik bel de huisbaas niet meer, dat heeft geen zin.",
        ),
        (Speaker::Worker, "Ik bel morgen niet, want ik ben er niet."),
        (Speaker::Worker, "Ik heb vorige week de verhuurder gebeld."),
        (
            Speaker::Worker,
            "Meestal vraag ik dan een afbetalingsplan aan.",
        ),
        (Speaker::Note, "Mw. belt elke week haar moeder."),
    ] {
        let f = find(&[seg(1, speaker, line)]);
        assert!(of(&f, FrameKind::Action).is_empty(), "{line}: {f:#?}");
    }
    // Not in another clause does not undo it.
    let f = find(&[seg(
        1,
        Speaker::Worker,
        "Ik bel morgen de huisbaas, als hij niet opneemt mail ik.",
    )]);
    assert_eq!(of(&f, FrameKind::Action), ["worker @ 2026-12-04"], "{f:#?}");
}

#[test]
fn children_by_age_after_a_bracket_or_die_zijn_and_the_child_of_a_parent() {
    let f = find(&[seg(
        1,
        Speaker::Client,
        "Ik woon met mijn twee dochters, die zijn 10 en 13.",
    )]);
    assert_eq!(
        of(&f, FrameKind::Household),
        ["dochter 10", "dochter 13"],
        "{f:#?}"
    );
    let f = find(&[seg(
        1,
        Speaker::Note,
        "Dhr. woont alleen met 2 kdn (6 en 3).",
    )]);
    assert_eq!(of(&f, FrameKind::Household), ["kind 6", "kind 3"], "{f:#?}");
    let f = find(&[seg(
        1,
        Speaker::Note,
        "Mw. is alleenstaande moeder van Noor (5).",
    )]);
    assert_eq!(of(&f, FrameKind::Household), ["Noor 5"], "{f:#?}");
    let f = find(&[seg(
        1,
        Speaker::Client,
        "Thuis wonen ook nog mijn moeder en mijn zoon Jonas, 19.",
    )]);
    assert_eq!(of(&f, FrameKind::Household), ["Jonas 19"], "{f:#?}");
    // A number after a name and a comma that goes on is no age.
    let f = find(&[seg(
        1,
        Speaker::Client,
        "Mijn zoon Jonas, 19 euro kost zijn abonnement.",
    )]);
    assert!(
        !of(&f, FrameKind::Household).contains(&"Jonas 19".to_owned()),
        "{f:#?}"
    );
}

#[test]
fn an_adjective_of_a_thing_and_a_workplace_are_no_complaints() {
    for line in [
        "Het is een ziek systeem.",
        "Ik werk in een ziekenhuis als poetsvrouw.",
        "Zijn moeder is ziek.",
        "Vroeger had ik een burn-out.",
    ] {
        let f = find(&[seg(1, Speaker::Client, line)]);
        assert!(of(&f, FrameKind::Health).is_empty(), "{line}: {f:#?}");
    }
    for line in [
        "Ik lag twee weken in het ziekenhuis.",
        "Ik ben een zieke vrouw geworden.",
    ] {
        let f = find(&[seg(1, Speaker::Client, line)]);
        assert_eq!(of(&f, FrameKind::Health), [line], "{f:#?}");
    }
}

#[test]
fn a_yes_to_the_workers_request_is_the_clients_action() {
    let f = find(&[
        seg(1, Speaker::Worker, "Gaat u de mutualiteit bellen?"),
        seg(2, Speaker::Client, "Ja, dat doe ik morgen."),
    ]);
    let actions: Vec<&Frame> = f.iter().filter(|f| f.kind == FrameKind::Action).collect();
    assert_eq!(actions.len(), 1, "{f:#?}");
    assert_eq!(
        actions[0].value,
        FrameValue::Action {
            owner: Owner::Client,
            text: "Gaat u de mutualiteit bellen".into(),
            due: Some(Date::new(2026, 12, 4).unwrap()),
        }
    );
    assert_eq!(actions[0].sources, [1, 2]);
    // Done already, refused, or a question that asks for an answer: nothing taken on.
    for (question, answer) in [
        ("Gaat u de mutualiteit bellen?", "Ja, dat heb ik al gedaan."),
        (
            "Gaat u de mutualiteit bellen?",
            "Ja, maar ik doe het niet graag.",
        ),
        ("Hoe gaat u dat doen?", "Ja, ik ga het proberen."),
        ("Heeft u de brief nog?", "Ja, ik breng hem mee."),
    ] {
        let f = find(&[
            seg(1, Speaker::Worker, question),
            seg(2, Speaker::Client, answer),
        ]);
        assert!(
            !f.iter()
                .any(|f| f.kind == FrameKind::Action && f.sources.contains(&1)),
            "{question} / {answer}: {f:#?}"
        );
    }
}

#[test]
fn names_in_a_household_list_take_the_relation_of_their_own_item() {
    let f = find(&[seg(
        1,
        Speaker::Client,
        "We zijn met vier thuis: mijn man, ik en de twee kleintjes, Noor van drie en Lars van vijf.",
    )]);
    let members = of(&f, FrameKind::Household);
    assert!(members.contains(&"Noor 3".to_owned()), "{members:?}");
    assert!(members.contains(&"Lars 5".to_owned()), "{members:?}");
    let relations: Vec<Option<String>> = f
        .iter()
        .filter_map(|f| match &f.value {
            FrameValue::Member { relation, name, .. } if name.is_some() => Some(relation.clone()),
            _ => None,
        })
        .collect();
    assert!(
        relations.iter().all(|r| r.as_deref() == Some("kind")),
        "{relations:?}"
    );
}

#[test]
fn weary_of_the_paperwork_is_no_complaint() {
    let f = find(&[seg(
        1,
        Speaker::Client,
        "Ik ben zo moe van al die brieven van de deurwaarder.",
    )]);
    assert!(of(&f, FrameKind::Health).is_empty(), "{f:#?}");
    let f = find(&[seg(
        1,
        Speaker::Client,
        "Ik ben altijd moe, ook 's morgens.",
    )]);
    assert_eq!(of(&f, FrameKind::Health).len(), 1, "{f:#?}");
}

#[test]
fn amounts_under_a_debt_heading_are_debts() {
    let f = find(&[seg(
        1,
        Speaker::Note,
        "Schulden: energie ca. 1.400, water 260, ziekenhuis AZ Delta 620 €.",
    )]);
    assert!(of(&f, FrameKind::HousingCost).is_empty(), "{f:#?}");
    let debts: Vec<(String, Option<String>)> = f
        .iter()
        .filter(|f| f.kind == FrameKind::Debt)
        .filter_map(|f| match &f.value {
            FrameValue::Amount {
                cents, creditor, ..
            } => Some(((cents / 100).to_string(), creditor.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        debts,
        [
            ("1400".to_owned(), Some("energie".to_owned())),
            ("260".to_owned(), Some("water".to_owned())),
            ("620".to_owned(), Some("AZ Delta".to_owned())),
        ],
        "{f:#?}"
    );
    // Without the heading, energy is a housing cost.
    let f = find(&[seg(1, Speaker::Note, "Energie ca. 140 euro per maand.")]);
    assert_eq!(of(&f, FrameKind::HousingCost).len(), 1, "{f:#?}");
}

#[test]
fn a_child_living_with_the_other_parent_is_no_household_member() {
    for text in [
        "Dhr. woont alleen; zijn dochter Sara (17) woont bij de moeder.",
        "Zijn dochter Sara woont bij de moeder.",
        "Zoon Milan (14) woont bij mw., dochter Sara (17) verblijft bij vader.",
    ] {
        let f = find(&[seg(1, Speaker::Note, text)]);
        let members = of(&f, FrameKind::Household);
        assert!(
            !members.iter().any(|m| m.contains("Sara")),
            "{text}: {members:?}"
        );
    }
    // Co-parenting at home stays home.
    let f = find(&[seg(
        1,
        Speaker::Note,
        "Mevrouw heeft twee kinderen, Emma (12) en Noah (15), die om de week bij haar verblijven.",
    )]);
    assert_eq!(of(&f, FrameKind::Household), ["Emma 12", "Noah 15"]);
}

#[test]
fn a_partner_after_met_in_notes_is_a_household_member() {
    let f = find(&[seg(
        1,
        Speaker::Note,
        "Samenwonend met partner Karim en zoontje Adam (4).",
    )]);
    let members = of(&f, FrameKind::Household);
    assert!(members.contains(&"Karim".to_owned()), "{members:?}");
    assert!(members.contains(&"Adam 4".to_owned()), "{members:?}");
}

#[test]
fn children_by_age_alone_count_beside_a_named_member() {
    let f = find(&[seg(
        1,
        Speaker::Note,
        "Gezin: mw. (34), partner Youssef (37), 3 kdn (2, 5 en 8 j).",
    )]);
    assert_eq!(
        of(&f, FrameKind::Household),
        ["Youssef 37", "kind 2", "kind 5", "kind 8"]
    );
    // A named child is not counted again by its age.
    let f = find(&[seg(
        1,
        Speaker::Note,
        "Mw. heeft twee kinderen, Lotte (6) en Daan (9).",
    )]);
    assert_eq!(of(&f, FrameKind::Household), ["Lotte 6", "Daan 9"]);
}

#[test]
fn complaint_words_in_another_sense_are_no_health() {
    for line in [
        "Ik heb gehoord dat de huur omhoog gaat.",
        "Het appartement heeft twee slaapkamers.",
        "Dat is hartstikke duur voor mij.",
        "Ik heb een klacht ingediend bij de woonmaatschappij over het lek.",
        "Er is nu zicht op een job bij de Colruyt.",
        "U bent van harte welkom op de infosessie.",
        "Er komt een beperking van het aantal uren bij de poetsdienst.",
        "De klachtencommissie heeft nog niet geantwoord.",
        "Hij heeft een hart van goud.",
        "Ik ben doodmoe van al dat geregel met de bank.",
    ] {
        let f = find(&[seg(1, Speaker::Client, line)]);
        assert!(of(&f, FrameKind::Health).is_empty(), "{line}: {f:#?}");
    }
    for line in [
        "Ik heb problemen met mijn hart.",
        "Mijn hart klopt soms onregelmatig.",
        "Mijn zicht wordt slechter.",
        "Ik heb veel last van mijn maag.",
        "Mevrouw heeft een fysieke beperking.",
        "Ik ben doodmoe, ik slaap maar vier uur.",
        "Ik heb een klacht over mijn knie bij de dokter gemeld.",
    ] {
        let f = find(&[seg(1, Speaker::Client, line)]);
        assert!(!of(&f, FrameKind::Health).is_empty(), "{line}: {f:#?}");
    }
}

#[test]
fn a_complaint_told_again_is_quoted_once_where_it_was_first_told() {
    let f = find(&[
        seg(
            1,
            Speaker::Client,
            "Mijn rug doet nog altijd pijn, vooral 's morgens.",
        ),
        seg(2, Speaker::Worker, "Kunt u nog werken?"),
        seg(3, Speaker::Client, "Nee, met die rugpijn lukt het niet."),
        seg(4, Speaker::Client, "En ik slaap slecht."),
    ]);
    let health: Vec<&Frame> = f.iter().filter(|f| f.kind == FrameKind::Health).collect();
    assert_eq!(health.len(), 2, "{f:#?}");
    assert_eq!(health[0].sources, [1]);
    assert_eq!(health[1].sources, [4]);
}

#[test]
fn a_partner_who_died_is_no_household_member() {
    let f = find(&[seg(
        1,
        Speaker::Note,
        "Dhr. geeft aan dat hij vaak somber is sinds het overlijden van zijn vrouw.",
    )]);
    assert!(of(&f, FrameKind::Household).is_empty(), "{f:#?}");
    assert_eq!(of(&f, FrameKind::Health).len(), 1, "{f:#?}");
}

#[test]
fn money_owed_to_family_is_the_clients_debt_and_their_own_debt_is_not() {
    for line in [
        "Mijn broer heeft me 500 euro geleend, dat moet ik hem ook teruggeven.",
        "Ik heb 500 euro geleend van mijn broer.",
        "Ik moet mijn broer nog 500 euro teruggeven.",
        "Ik ben mijn moeder nog 500 euro schuldig.",
    ] {
        let f = find(&[seg(1, Speaker::Client, line)]);
        assert_eq!(of(&f, FrameKind::Debt), ["500"], "{line}: {f:#?}");
    }
    for line in [
        "Mijn broer heeft 500 euro geleend bij de bank.",
        "Mijn broer moet de bank nog 500 euro terugbetalen.",
    ] {
        let f = find(&[seg(1, Speaker::Client, line)]);
        assert!(of(&f, FrameKind::Debt).is_empty(), "{line}: {f:#?}");
    }
}

#[test]
fn two_complaints_told_with_the_same_general_word_are_two() {
    let f = find(&[
        seg(1, Speaker::Client, "Ik heb pijn in mijn rug."),
        seg(2, Speaker::Client, "Ik heb ook pijn aan mijn knie."),
        seg(3, Speaker::Client, "En nu ben ik weer ziek."),
        seg(4, Speaker::Client, "Ik heb last van mijn hart."),
        seg(5, Speaker::Client, "Ik heb goed geslapen."),
    ]);
    assert_eq!(of(&f, FrameKind::Health).len(), 4, "{f:#?}");
}

#[test]
fn money_the_client_lent_or_is_owed_is_no_debt_of_theirs() {
    for line in [
        "Ik heb mijn broer 500 euro geleend.",
        "Mijn broer moet mij nog 500 euro teruggeven.",
        "Mijn zus is mij nog 500 euro schuldig.",
    ] {
        let f = find(&[seg(1, Speaker::Client, line)]);
        assert!(of(&f, FrameKind::Debt).is_empty(), "{line}: {f:#?}");
    }
}
