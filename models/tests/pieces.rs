//! The engine's pure parts without weights: parsers, features, gate, guards.
#![allow(clippy::unwrap_used)]

use models::ModelError;
use models::ct2::Ct2Model;
use models::decode::{compression_ratio, repetition_start};
use models::mel::{MelExtractor, WINDOW_FRAMES, mel_filters};
use models::vad::Vad;
use models::wer::word_errors;

#[test]
fn repetition_guard_catches_loops_and_spares_normal_speech() {
    // "december, december, ..." as three tokens each, six times.
    let looped: Vec<u32> = [10, 20, 30].repeat(6);
    assert_eq!(repetition_start(&looped), Some(3));
    let mut with_prefix = vec![1, 2, 3, 4];
    with_prefix.extend([7, 8].repeat(7));
    assert_eq!(repetition_start(&with_prefix), Some(6));
    // "ja ja ja" is speech, not a loop.
    assert_eq!(repetition_start(&[5, 9, 9, 9]), None);
    assert_eq!(repetition_start(&(0..60).collect::<Vec<u32>>()), None);
    assert_eq!(repetition_start(&[]), None);
}

#[test]
fn compression_ratio_flags_repetitive_text() {
    let normal = "Mevrouw heeft een afspraak met de schuldbemiddelaar op dinsdag.";
    let looped = "december, ".repeat(30);
    assert!(compression_ratio(normal) < 2.4);
    assert!(compression_ratio(&looped) > 2.4);
    assert_eq!(compression_ratio(""), 0.0);
}

#[test]
fn word_error_rate_counts_edits_after_normalising() {
    let e = word_errors("De huur is 750 euro.", "de huur, is 750 Euro");
    assert_eq!((e.errors, e.reference_words), (0, 5));
    let e = word_errors("een twee drie vier", "een drie vier vijf");
    assert_eq!(e.errors, 2);
    assert!((e.rate() - 0.5).abs() < 1e-9);
}

#[test]
fn mel_filters_are_slaney_triangles() {
    let f = mel_filters(80);
    assert_eq!(f.len(), 80 * 201);
    assert!(f.iter().all(|w| *w >= 0.0));
    // Every filter has support, and higher filters start at higher bins.
    let starts: Vec<usize> = (0..80)
        .map(|m| {
            f[m * 201..(m + 1) * 201]
                .iter()
                .position(|w| *w > 0.0)
                .unwrap()
        })
        .collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn a_tone_lights_up_the_right_mel_band() {
    let tone: Vec<f32> = (0..16_000)
        .map(|i| 0.5 * (i as f32 * 2.0 * std::f32::consts::PI * 1000.0 / 16_000.0).sin())
        .collect();
    let mel = MelExtractor::new(80).window(&tone);
    assert_eq!(mel.len(), 80 * WINDOW_FRAMES);
    let frame = 50;
    let loudest = (0..80)
        .max_by(|&a, &b| mel[a * WINDOW_FRAMES + frame].total_cmp(&mel[b * WINDOW_FRAMES + frame]))
        .unwrap();
    // On the Slaney scale 1 kHz is 15 mel and 8 kHz about 45.25 mel; 82 points from 0 to 45.25
    // put the filter centred on 15 mel at index 15 / (45.25 / 81) - 1 ≈ 25.8.
    assert!((25..=27).contains(&loudest), "loudest bin {loudest}");
}

#[test]
fn the_gate_finds_speech_like_bursts_and_ignores_silence() {
    let mut audio = vec![0.0f32; 16_000];
    audio.extend((0..16_000).map(|i| 0.3 * (i as f32 * 0.07).sin()));
    audio.extend(vec![0.0f32; 32_000]);
    let mut vad = Vad::new();
    vad.update(&audio);
    let spans = vad.spans(0);
    assert_eq!(spans.len(), 1, "{spans:?}");
    let s = spans[0];
    assert!(s.start >= 16_000 - 3_200 && s.start <= 16_000, "{s:?}");
    assert!(s.end >= 32_000 && s.end <= 32_000 + 3_200, "{s:?}");
    let mut quiet = Vad::new();
    quiet.update(&vec![0.0; 48_000]);
    assert!(quiet.spans(0).is_empty());
}

#[test]
fn ct2_parser_reports_truncation_and_bad_headers() {
    // version 6, spec "WhisperSpec", revision 3, one variable [2] f32.
    let mut file = Vec::new();
    file.extend(6u32.to_le_bytes());
    let spec = b"WhisperSpec\0";
    file.extend((spec.len() as u16).to_le_bytes());
    file.extend(spec);
    file.extend(3u32.to_le_bytes());
    file.extend(1u32.to_le_bytes());
    let name = b"a/b\0";
    file.extend((name.len() as u16).to_le_bytes());
    file.extend(name);
    file.push(1);
    file.extend(2u32.to_le_bytes());
    file.push(0);
    file.extend(8u32.to_le_bytes());
    file.extend(1.5f32.to_le_bytes());
    file.extend((-2.0f32).to_le_bytes());
    file.extend(0u32.to_le_bytes());
    let model = Ct2Model::parse(&file).unwrap();
    assert_eq!(model.get("a/b").unwrap().to_f32(), vec![1.5, -2.0]);
    assert!(matches!(model.get("x"), Err(ModelError::Ct2(_))));
    for cut in [0, 3, 10, file.len() - 8] {
        assert!(
            matches!(Ct2Model::parse(&file[..cut]), Err(ModelError::Truncated(_))),
            "cut at {cut}"
        );
    }
    let mut bad = file.clone();
    bad[0] = 99;
    assert!(matches!(Ct2Model::parse(&bad), Err(ModelError::Ct2(_))));
}

#[test]
fn wav_round_trip_and_garbage() {
    assert!(matches!(
        models::audio::read_wav(b"nope"),
        Err(ModelError::Audio(_))
    ));
    let samples = [0.0, 0.5, -0.5, 1.0];
    let wav = models::audio::wav_bytes(&samples, 8000);
    let audio = models::audio::read_wav(&wav).unwrap();
    assert_eq!(audio.rate, 8000);
    // Rounded to the nearest value: 0.5 × 32 767 = 16 383.5 → 16 384.
    let expected: Vec<f32> = [0, 16384, -16384, 32767]
        .iter()
        .map(|&v: &i16| f32::from(v) / 32768.0)
        .collect();
    assert_eq!(audio.samples, expected);
    // A stream cut short while recording: the declared size is larger than what follows.
    let cut = &wav[..wav.len() - 2];
    assert_eq!(models::audio::read_wav(cut).unwrap().samples.len(), 3);
    assert_eq!(models::audio::to_16k(&audio).len(), 8);
}

#[test]
fn prompt_echoes_across_a_separator_are_cut_and_single_terms_kept() {
    use models::decode::{Separators, cut_echoes};
    // Prompt: "A , B , C D ." as ids, with 9 = "," and 8 = ".".
    let prompt = [1, 9, 2, 9, 3, 4, 8];
    let separators = Separators {
        items: &[9, 8],
        sentences: &[8],
    };
    // "x A , B , y": four prompt tokens in a row, commas among them: cut.
    let mut said = vec![50, 1, 9, 2, 9, 51];
    let mut probs = vec![0.9; said.len()];
    assert_eq!(cut_echoes(&prompt, &mut said, &mut probs, separators), 4);
    assert_eq!(probs.len(), 2);
    assert_eq!(said, vec![50, 51]);
    // "C D" said on its own is a term, not an echo; nor is "A , x".
    let mut said = vec![60, 3, 4, 61, 1, 9, 62];
    assert_eq!(
        cut_echoes(&prompt, &mut said, &mut Vec::new(), separators),
        0
    );
    assert_eq!(said.len(), 7);
    // One term between the prompt's commas is a word said, not the list read out.
    let mut said = vec![50, 9, 3, 4, 8, 51];
    assert_eq!(
        cut_echoes(&prompt, &mut said, &mut Vec::new(), separators),
        0
    );
    // Four tokens without a separator are kept too.
    let prompt = [1, 2, 3, 4, 9];
    let mut said = vec![1, 2, 3, 4];
    assert_eq!(
        cut_echoes(&prompt, &mut said, &mut Vec::new(), separators),
        0
    );
    // A whole sentence of the prompt, from its start to its full stop, is an echo; a long
    // list item between commas is a term said, and the tail of a sentence is words said.
    let prompt = [1, 9, 2, 3, 4, 5, 9, 6, 8, 10, 11, 12, 13, 8];
    let mut said = vec![50, 10, 11, 12, 13, 8, 51];
    assert_eq!(
        cut_echoes(&prompt, &mut said, &mut Vec::new(), separators),
        5
    );
    assert_eq!(said, vec![50, 51]);
    let mut said = vec![50, 2, 3, 4, 5, 9, 51];
    assert_eq!(
        cut_echoes(&prompt, &mut said, &mut Vec::new(), separators),
        0
    );
    let mut said = vec![11, 12, 13, 8];
    assert_eq!(
        cut_echoes(&prompt, &mut said, &mut Vec::new(), separators),
        0
    );
}

#[test]
fn a_run_of_single_words_between_commas_reads_as_a_list() {
    use models::decode::reads_a_list;
    assert!(reads_a_list(
        " Ik ben Paul, Elke, Maand, Maind, Hoer, En Maind, Elek, BCSD."
    ));
    assert!(reads_a_list("Elke, Maand, Hoer, Elek"));
    // The list's last two items joined by "en".
    assert!(reads_a_list(
        "Ik ben Oul, Elke, Maant, Main, Huur en Main, Eilek, BCP."
    ));
    assert!(!reads_a_list("Lotte, Daan en Noah gaan naar school."));
    assert!(!reads_a_list(
        "Mijn kinderen heten Sara, Adam, Lina en Omar."
    ));
    assert!(!reads_a_list("Ja. Oké. Goed. Ja. Nee."));
    assert!(!reads_a_list(
        "Ik betaal de huur, het water, de elektriciteit en de telefoon."
    ));
    assert!(!reads_a_list(
        "Lotte, Daan en Noah gaan naar school, zegt ze."
    ));
    assert!(!reads_a_list("De huur is € 1.200, zegt ze, of 1.100."));
}

#[test]
fn the_alignment_marks_substituted_and_inserted_words_only() {
    use models::wer::aligned_hypothesis;
    let words = aligned_hypothesis("de huur is 750 euro", "de huur, was 750 euro per maand");
    let wrong: Vec<&str> = words
        .iter()
        .filter(|(_, w)| *w)
        .map(|(s, _)| s.as_str())
        .collect();
    assert_eq!(wrong, ["was", "per", "maand"]);
    assert_eq!(words.len(), 7);
    // A deletion marks nothing in the hypothesis.
    assert!(
        aligned_hypothesis("een twee drie", "een drie")
            .iter()
            .all(|(_, w)| !w)
    );
}

#[test]
fn int8_ctranslate2_weights_are_read_with_their_row_scales() {
    use models::source::WhisperSource;
    use speech_fixtures::whisper_dir::{Ct2Var, ct2_file};
    let weight = Ct2Var {
        name: "a/weight".into(),
        dims: vec![2, 2],
        dtype: 1,
        bytes: [127i8, -64, 10, 20].iter().map(|v| *v as u8).collect(),
    };
    // q = w × scale per row (CTranslate2's int8): row 0 scale 127, row 1 scale 20.
    let scale = Ct2Var::f32("a/weight_scale", &[2], &[127.0, 20.0]);
    let zero = Ct2Var::f32("b/weight_scale", &[1], &[0.0]);
    let bad = Ct2Var {
        name: "b/weight".into(),
        dims: vec![1, 1],
        dtype: 1,
        bytes: vec![1],
    };
    let file = ct2_file("WhisperSpec", &[weight, scale, bad, zero]);
    let model = Ct2Model::parse(&file).unwrap();
    let values = model
        .tensor("a/weight")
        .unwrap()
        .flatten_all()
        .unwrap()
        .to_vec1::<f32>()
        .unwrap();
    let expected = [1.0, -64.0 / 127.0, 0.5, 1.0];
    assert!(
        values
            .iter()
            .zip(expected)
            .all(|(a, b)| (a - b).abs() < 1e-6),
        "{values:?}"
    );
    // A zero scale is a damaged file, not a division by zero.
    assert!(matches!(model.tensor("b/weight"), Err(ModelError::Ct2(_))));
}
