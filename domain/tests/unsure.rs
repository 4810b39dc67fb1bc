//! Words the recogniser was unsure of: kept per segment, shown as marks, gone once corrected.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use domain::transcript::{Transcript, split_unsure};
use domain::{RecordId, Timestamp};

fn recording() -> Transcript {
    let id = RecordId::random().unwrap();
    Transcript::recorded(
        id,
        id,
        "whisper-base",
        [
            (
                0,
                2_000,
                "Ik ben bij de schuld me medeling geweest.".to_owned(),
            ),
            (2_500, 5_000, "De huur is 650 euro.".to_owned()),
        ],
        None,
        Timestamp(1),
    )
}

#[test]
fn unsure_words_stay_with_their_segment_until_the_worker_corrects_it() {
    let mut t = recording();
    t.mark_unsure([
        vec![
            "schuld".to_owned(),
            "medeling".to_owned(),
            "niet-gezegd".to_owned(),
        ],
        Vec::new(),
    ]);
    assert_eq!(t.unsure_in(1), ["schuld", "medeling"]);
    assert!(t.unsure_in(2).is_empty());
    // Stored and read back.
    let back: Transcript = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
    assert_eq!(back.unsure_in(1), ["schuld", "medeling"]);
    // A transcript stored before unsure words existed reads as having none.
    let mut older = serde_json::to_value(recording()).unwrap();
    older.as_object_mut().unwrap().remove("unsure");
    let older: Transcript = serde_json::from_value(older).unwrap();
    assert!(older.unsure_in(1).is_empty());
    // The worker's correction is what stands.
    t.correct(1, "Ik ben bij de schuldbemiddeling geweest.", Timestamp(2))
        .unwrap();
    assert!(t.unsure_in(1).is_empty());
}

#[test]
fn marks_cover_whole_words_once_and_give_the_text_back() {
    let text = "De huur, de huurder en de huur.";
    let pieces = split_unsure(text, &["huur".to_owned(), "de".to_owned()]);
    let joined: String = pieces.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(joined, text);
    let marked: Vec<&str> = pieces
        .iter()
        .filter(|(_, m)| *m)
        .map(|(p, _)| p.as_str())
        .collect();
    // "huur" inside "huurder" is not a word of its own; "De" is not "de".
    assert_eq!(marked, ["huur", "de"]);
    assert_eq!(pieces[1], ("huur".to_owned(), true));
    assert_eq!(split_unsure("", &["x".to_owned()]), Vec::new());
}
