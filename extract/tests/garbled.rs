//! Recognised speech can be any string of words: extraction and frames never panic on it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use extract::{Date, Gazetteer, Segment, Speaker, frames};

/// Words and marks the rules look at, mixed with noise.
const WORDS: &[&str] = &[
    "300",
    "1.200",
    "€",
    "euro",
    "per",
    "maand",
    "p/m",
    "mnd",
    "open",
    "openstaan",
    "bij",
    "Proximus",
    "achterstal",
    "huur",
    "schuld",
    "nog",
    "de",
    "oude",
    "maafduk",
    ",",
    ".",
    "?",
    ";",
    ":",
    "(",
    ")",
    "—",
    "nee",
    "ik",
    "u",
    "mijn",
    "zoon",
    "Lotte",
    "12",
    "jaar",
    "tegen",
    "vrijdag",
    "10",
    "december",
    "volgende",
    "keer",
    "afspraak",
    "bel",
    "brengt",
    "MW",
    "cl.",
    "Afspr.:",
    "niet",
    "als",
    "vroeger",
    "leefloon",
    "stopt",
    "op",
    "31/12",
    "om",
    "9u30",
    "zevenhonderd",
    "twaalfhonderdveertig",
    "ja",
    "graag",
    "OCMW",
    "CAW",
    "rug",
    "pijn",
    "werk",
    "opleiding",
    "wil",
    "x",
    "'s",
    "m'n",
    "-",
    "€1200",
    "12,50",
    "0",
    "99999999999999999999",
];

/// A deterministic generator (xorshift).
struct Gen(u64);

impl Gen {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

#[test]
fn garbled_text_never_panics() {
    let mut g = Gen(0x2545_F491_4F6C_DD1D);
    let speakers = [
        Speaker::Worker,
        Speaker::Client,
        Speaker::Other,
        Speaker::Note,
        Speaker::Unknown,
    ];
    let contact = Date::new(2026, 12, 3).unwrap();
    let gazetteer = Gazetteer::default();
    for round in 0..3000 {
        let segments: Vec<Segment> = (0..4)
            .map(|i| {
                let len = 1 + g.next(14);
                let text = (0..len)
                    .map(|_| WORDS[g.next(WORDS.len())])
                    .collect::<Vec<_>>()
                    .join(if g.next(3) == 0 { "" } else { " " });
                Segment {
                    id: i + 1,
                    speaker: speakers[g.next(speakers.len())],
                    text,
                    start_ms: None,
                    end_ms: None,
                }
            })
            .collect();
        let facts = extract::extract(&segments, contact, &gazetteer);
        let found = frames::find(&segments, contact, &gazetteer);
        assert!(
            found.iter().all(|f| !f.sources.is_empty()),
            "round {round}: {segments:#?}"
        );
        let _ = facts;
    }
}

#[test]
fn a_figure_first_in_a_debt_sentence_is_read() {
    let gazetteer = Gazetteer::default();
    let segments = [Segment {
        id: 1,
        speaker: Speaker::Client,
        text: "300 maafduk, de oude openstaan.".into(),
        start_ms: None,
        end_ms: None,
    }];
    let contact = Date::new(2026, 12, 3).unwrap();
    // Recognised speech from the drafting-from-audio bench that made the debt rule slice
    // backwards.
    let _ = frames::find(&segments, contact, &gazetteer);
}
