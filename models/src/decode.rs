//! Decoding one 30-second window: timestamp rules, temperature fallback and a repetition guard.

use crate::backend::Backend;
use crate::error::Result;

mod beam;
mod rules;

/// Seconds per timestamp step.
pub const TIMESTAMP_STEP: f32 = 0.02;

/// Decoding settings.
#[derive(Debug, Clone)]
pub struct DecodeOptions {
    /// Language code of the speech (`nl`).
    pub language: String,
    /// Temperatures tried in order until one passes the quality checks.
    pub temperatures: Vec<f32>,
    /// Maximum text and timestamp tokens per window.
    pub max_tokens: usize,
    /// Above this gzip compression ratio the text is considered repetitive.
    pub compression_ratio_threshold: f32,
    /// Below this average log-probability the decode is retried hotter.
    pub logprob_threshold: f32,
    /// With `<|nospeech|>` above this probability and a low log-probability, the window is silent.
    pub no_speech_threshold: f32,
    /// Whether the previous window's text is part of the next window's prompt (after the
    /// vocabulary). Dropped after a window that needed a temperature above 0.5.
    pub condition_on_previous_text: bool,
    /// Whether a window whose decode with a prompt reads a list ([`reads_a_list`]) is decoded
    /// again without the prompt.
    pub retry_lists_without_prompt: bool,
    /// Beams at temperature 0 (1: greedy). The hotter fallbacks sample, as Whisper does.
    pub beams: usize,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        Self {
            language: "nl".into(),
            temperatures: vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0],
            max_tokens: 224,
            compression_ratio_threshold: 2.4,
            logprob_threshold: -1.0,
            no_speech_threshold: 0.6,
            condition_on_previous_text: false,
            retry_lists_without_prompt: true,
            beams: 1,
        }
    }
}

/// A timed piece of text inside a window, in seconds from the window start.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowSegment {
    /// Start in seconds.
    pub start: f32,
    /// End in seconds.
    pub end: f32,
    /// Text tokens.
    pub tokens: Vec<u32>,
    /// The probability the decoder gave each of `tokens`.
    pub probs: Vec<f32>,
}

/// The outcome of one window.
#[derive(Debug, Clone)]
pub struct WindowResult {
    /// Segments, in order.
    pub segments: Vec<WindowSegment>,
    /// Seconds of the window the segments account for (where the next window starts).
    pub consumed: f32,
    /// Average log-probability of the chosen tokens.
    pub avg_logprob: f32,
    /// Probability of `<|nospeech|>` at the start.
    pub no_speech_prob: f32,
    /// Temperature of the accepted decode.
    pub temperature: f32,
    /// Whether the repetition guard cut this decode short at every temperature.
    pub repetition_trimmed: bool,
    /// Whether the window was judged silent (no segments).
    pub silent: bool,
    /// Whether the decode with the prompt read a list where none was said, so the window was
    /// decoded again without it ([`reads_a_list`]).
    pub prompt_dropped: bool,
}

struct Attempt {
    tokens: Vec<u32>,
    /// Log-probability of each token of `tokens`.
    logprobs: Vec<f32>,
    sum_logprob: f32,
    no_speech_prob: f32,
    /// Index where a detected loop starts repeating (tokens from here are repeats).
    loop_at: Option<usize>,
    ended: bool,
}

/// A small deterministic generator for temperature sampling.
struct Rng(u64);

impl Rng {
    fn next_f32(&mut self) -> f32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 40) as f32 / (1u64 << 24) as f32
    }
}

/// Gzip-style compression ratio of `text` (bytes over zlib-compressed bytes).
pub fn compression_ratio(text: &str) -> f32 {
    if text.is_empty() {
        return 0.0;
    }
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(text.as_bytes(), 6);
    text.len() as f32 / compressed.len().max(1) as f32
}

/// Where the tail of `text_tokens` starts repeating: the same n-gram (n ≤ 40) at least three
/// times in a row covering at least 12 tokens. Returns the index of the first repeat.
pub fn repetition_start(text_tokens: &[u32]) -> Option<usize> {
    let len = text_tokens.len();
    for n in 1..=40.min(len / 3) {
        let tail = &text_tokens[len - n..];
        let mut repeats = 1;
        while repeats * n + n <= len
            && &text_tokens[len - (repeats + 1) * n..len - repeats * n] == tail
        {
            repeats += 1;
        }
        if repeats >= 3 && repeats * n >= 12 {
            return Some(len - (repeats - 1) * n);
        }
    }
    None
}

fn log_softmax(logits: &[f32]) -> Vec<f32> {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let sum: f32 = logits.iter().map(|&l| (l - max).exp()).sum();
    let log_sum = max + sum.ln();
    logits.iter().map(|&l| l - log_sum).collect()
}

/// Decodes one window whose features were already given to `backend.encode`.
/// `content_seconds` is the length of real audio in the window (the rest is padding);
/// `prompt` holds text tokens fed after `<|startofprev|>` (the contact's vocabulary, the
/// previous window's text), of which at most the last [`max_prompt_tokens`] are used.
///
/// Where the decode with a prompt reads a list where the audio is unclear ("Ik ben Paul,
/// Elke, Maand, Maind, Hoer, …": the prompt's terms and names taken up as a style), the window
/// is decoded again without the prompt. Where it repeats a stretch of the prompt across a
/// comma or full stop (the model reading out the vocabulary: "Juridisch Loket, RVA"), or one
/// of its sentences whole, that stretch is cut from the text: a prompt word must not appear in
/// the transcript because it was in the prompt.
pub fn decode_window<B: Backend>(
    backend: &mut B,
    options: &DecodeOptions,
    content_seconds: f32,
    prompt: &[u32],
) -> Result<WindowResult> {
    let mut result = decode_with(backend, options, content_seconds, prompt)?;
    if !prompt.is_empty() {
        let text: Vec<u32> = result
            .segments
            .iter()
            .flat_map(|s| s.tokens.iter().copied())
            .collect();
        if options.retry_lists_without_prompt && reads_a_list(&backend.vocabulary().decode(&text)) {
            let mut plain = decode_with(backend, options, content_seconds, &[])?;
            plain.prompt_dropped = true;
            return Ok(plain);
        }
        let vocab = backend.vocabulary();
        let sentences = vocab.encode(".");
        let mut items = vocab.encode(",");
        items.extend(&sentences);
        let separators = Separators {
            items: &items,
            sentences: &sentences,
        };
        for seg in &mut result.segments {
            cut_echoes(prompt, &mut seg.tokens, &mut seg.probs, separators);
        }
        result.segments.retain(|s| !s.tokens.is_empty());
    }
    Ok(result)
}

/// How many prompt tokens a decoder with `n_text_ctx` positions takes: half its context,
/// less `<|startofprev|>`, as Whisper was trained.
pub fn max_prompt_tokens(n_text_ctx: usize) -> usize {
    (n_text_ctx / 2).saturating_sub(1)
}

/// Single-word items in a row, joined by commas, from which a decode counts as reading a
/// list: a conversation rarely names four things one word each in a row.
pub const LIST_ITEMS: usize = 4;

/// Whether `text` has [`LIST_ITEMS`] or more single-word items in a row joined by commas
/// ("Paul, Elke, Maand, Hoer.", "Elke, Maant, Main, Huur en Main"): a list, which a prompt of
/// terms can talk the decoder into where the audio says something else. Short sentences ("Ja. Oké. Goed. Ja.") are no list.
pub fn reads_a_list(text: &str) -> bool {
    let mut run = 0;
    let mut item = String::new();
    for c in text.chars() {
        let comma = c == ',';
        let end = matches!(c, '.' | '?' | '!' | ';' | ':');
        if !comma && !end {
            item.push(c);
            continue;
        }
        run = match items_in(&item) {
            0 => 0,
            n => run + n,
        };
        if run >= LIST_ITEMS {
            return true;
        }
        if end {
            run = 0;
        }
        item.clear();
    }
    run + items_in(&item) >= LIST_ITEMS
}

/// List items in one comma-separated piece: one word is one, "Huur en Main" (the end of a
/// list) two, anything else none.
fn items_in(piece: &str) -> usize {
    match piece.split_whitespace().collect::<Vec<_>>().as_slice() {
        [_] => 1,
        [_, "en" | "of", _] => 2,
        _ => 0,
    }
}

/// Where the prompt's items and sentences end: commas and full stops.
#[derive(Debug, Clone, Copy)]
pub struct Separators<'a> {
    /// Tokens that end a list item or a sentence (`,` and `.`).
    pub items: &'a [u32],
    /// Tokens that end a sentence (`.`).
    pub sentences: &'a [u32],
}

/// Removes from `said` (and the same places of `probs`, its tokens' probabilities) every run
/// of at least 4 tokens that repeats `prompt` verbatim and either has an item separator inside
/// it (not only at its ends: the list read out) or is one whole sentence of the prompt, from
/// its start to its full stop ("Gesprek met Jan Peeters."); returns how many tokens were
/// removed.
pub fn cut_echoes(
    prompt: &[u32],
    said: &mut Vec<u32>,
    probs: &mut Vec<f32>,
    separators: Separators<'_>,
) -> usize {
    let mut removed = 0;
    let mut i = 0;
    while i < said.len() {
        let longest = (0..prompt.len())
            .map(|j| {
                let run = said[i..]
                    .iter()
                    .zip(&prompt[j..])
                    .take_while(|(a, b)| a == b)
                    .count();
                // A separator between two items: one term between commas is a word said
                // in the prompt's punctuation, not the list read out.
                let inner = &prompt[j..j + run];
                let crosses = inner.len() > 2
                    && inner[1..inner.len() - 1]
                        .iter()
                        .any(|t| separators.items.contains(t));
                let sentence_start = j == 0 || separators.sentences.contains(&prompt[j - 1]);
                let sentence = sentence_start
                    && inner
                        .last()
                        .is_some_and(|t| separators.sentences.contains(t));
                if run >= 4 && (crosses || sentence) {
                    run
                } else {
                    0
                }
            })
            .max()
            .unwrap_or(0);
        if longest > 0 {
            said.drain(i..i + longest);
            if probs.len() >= i + longest {
                probs.drain(i..i + longest);
            }
            removed += longest;
        } else {
            i += 1;
        }
    }
    removed
}

fn decode_with<B: Backend>(
    backend: &mut B,
    options: &DecodeOptions,
    content_seconds: f32,
    prompt: &[u32],
) -> Result<WindowResult> {
    let mut best: Option<(Attempt, f32)> = None;
    let keep = max_prompt_tokens(backend.config().n_text_ctx);
    let prompt = &prompt[prompt.len().saturating_sub(keep)..];
    for (round, &temperature) in options.temperatures.iter().enumerate() {
        let attempt = if temperature <= 0.0 && options.beams > 1 {
            beam::run(backend, options, content_seconds, prompt)?
        } else {
            run(
                backend,
                options,
                temperature,
                content_seconds,
                round as u64,
                prompt,
            )?
        };
        let text_tokens: Vec<u32> = attempt
            .tokens
            .iter()
            .copied()
            .filter(|&t| backend.vocabulary().is_text(t))
            .collect();
        let text = backend.vocabulary().decode(&text_tokens);
        let avg_logprob = attempt.sum_logprob / (attempt.tokens.len() + 1) as f32;
        if attempt.no_speech_prob > options.no_speech_threshold
            && avg_logprob < options.logprob_threshold
        {
            return Ok(silent(
                attempt.no_speech_prob,
                avg_logprob,
                temperature,
                content_seconds,
            ));
        }
        let passes = attempt.loop_at.is_none()
            && compression_ratio(&text) <= options.compression_ratio_threshold
            && avg_logprob >= options.logprob_threshold;
        if passes {
            return Ok(finish(
                backend,
                attempt,
                temperature,
                content_seconds,
                false,
            ));
        }
        let better = match &best {
            None => true,
            Some((b, _)) => {
                let b_avg = b.sum_logprob / (b.tokens.len() + 1) as f32;
                (attempt.loop_at.is_none() && b.loop_at.is_some())
                    || (attempt.loop_at.is_some() == b.loop_at.is_some() && avg_logprob > b_avg)
            }
        };
        if better {
            best = Some((attempt, temperature));
        }
    }
    match best {
        Some((mut attempt, temperature)) => {
            let trimmed = attempt.loop_at.is_some();
            if let Some(at) = attempt.loop_at {
                attempt.tokens.truncate(at);
                attempt.logprobs.truncate(at);
                attempt.ended = false;
            }
            Ok(finish(
                backend,
                attempt,
                temperature,
                content_seconds,
                trimmed,
            ))
        }
        None => Ok(silent(0.0, 0.0, 0.0, content_seconds)),
    }
}

fn silent(no_speech_prob: f32, avg_logprob: f32, temperature: f32, content: f32) -> WindowResult {
    WindowResult {
        segments: Vec::new(),
        consumed: content,
        avg_logprob,
        no_speech_prob,
        temperature,
        repetition_trimmed: false,
        silent: true,
        prompt_dropped: false,
    }
}

fn finish<B: Backend>(
    backend: &B,
    attempt: Attempt,
    temperature: f32,
    content_seconds: f32,
    repetition_trimmed: bool,
) -> WindowResult {
    let vocab = backend.vocabulary();
    let ts_begin = vocab.specials().timestamp_begin;
    let time = |t: u32| (t - ts_begin) as f32 * TIMESTAMP_STEP;
    let mut segments = Vec::new();
    let mut start: Option<f32> = None;
    let mut text: Vec<u32> = Vec::new();
    let mut probs: Vec<f32> = Vec::new();
    let mut last_closed_end: Option<f32> = None;
    for (&t, &lp) in attempt.tokens.iter().zip(&attempt.logprobs) {
        if vocab.is_timestamp(t) {
            let at = time(t);
            if text.is_empty() {
                start = Some(at);
            } else {
                segments.push(WindowSegment {
                    start: start.unwrap_or(0.0),
                    end: at.max(start.unwrap_or(0.0)),
                    tokens: std::mem::take(&mut text),
                    probs: std::mem::take(&mut probs),
                });
                last_closed_end = Some(at);
                start = Some(at);
            }
        } else if vocab.is_text(t) {
            text.push(t);
            probs.push(lp.exp());
        }
    }
    let ends_single_timestamp = attempt
        .tokens
        .len()
        .checked_sub(2)
        .map(|i| {
            !vocab.is_timestamp(attempt.tokens[i]) && vocab.is_timestamp(attempt.tokens[i + 1])
        })
        .unwrap_or(false);
    let consumed;
    if !text.is_empty() {
        // An open segment: keep it when decoding ended on its own, else resume at its start.
        match (attempt.ended || last_closed_end.is_none(), last_closed_end) {
            (false, Some(end)) => consumed = end,
            _ => {
                segments.push(WindowSegment {
                    start: start.unwrap_or(0.0),
                    end: content_seconds.max(start.unwrap_or(0.0)),
                    tokens: text,
                    probs,
                });
                consumed = content_seconds;
            }
        }
    } else if attempt.ended && ends_single_timestamp {
        consumed = content_seconds;
    } else {
        consumed = match last_closed_end {
            Some(end) if !attempt.ended && end > 1.0 => end,
            _ => content_seconds,
        };
    }
    let text_count = attempt.tokens.iter().filter(|&&t| vocab.is_text(t)).count();
    WindowResult {
        segments,
        consumed,
        avg_logprob: attempt.sum_logprob / (text_count + 1) as f32,
        no_speech_prob: attempt.no_speech_prob,
        temperature,
        repetition_trimmed,
        silent: false,
        prompt_dropped: false,
    }
}

/// What a decode starts from: the prompt, `<|startoftranscript|>`, the language and the task
/// fed to the decoder.
struct Opening {
    /// Probability of `<|nospeech|>` right after `<|startoftranscript|>`.
    no_speech_prob: f32,
    /// Logits of the first token to choose.
    logits: Vec<f32>,
    /// Most tokens the decode may choose within the decoder's context.
    max_tokens: usize,
}

/// Feeds the prompt's text tokens (after `<|startofprev|>`), `<|startoftranscript|>`, the
/// language and the task; shared by greedy and beam decoding.
fn open<B: Backend>(backend: &mut B, options: &DecodeOptions, prompt: &[u32]) -> Result<Opening> {
    let vocab = backend.vocabulary();
    let sp = vocab.specials();
    let language = vocab.language(&options.language)?;
    let mut start = Vec::with_capacity(prompt.len() + 2);
    if !prompt.is_empty() {
        start.push(sp.start_of_prev);
        start.extend(prompt.iter().copied().filter(|&t| sp.is_text(t)));
    }
    start.push(sp.sot);
    let at_sot = backend.decode(&start, true)?;
    let no_speech_prob = log_softmax(&at_sot)
        .get(sp.no_speech as usize)
        .map_or(0.0, |lp| lp.exp());
    let logits = backend.decode(&[language, sp.transcribe], false)?;
    let n_text_ctx = backend.config().n_text_ctx;
    let max_tokens = options
        .max_tokens
        .min(n_text_ctx / 2)
        .min(n_text_ctx.saturating_sub(start.len() + 3));
    Ok(Opening {
        no_speech_prob,
        logits,
        max_tokens,
    })
}

fn run<B: Backend>(
    backend: &mut B,
    options: &DecodeOptions,
    temperature: f32,
    content_seconds: f32,
    seed: u64,
    prompt: &[u32],
) -> Result<Attempt> {
    // What the loop needs from the vocabulary and config, taken before `backend` is borrowed
    // mutably by `decode`.
    let rules = rules::Rules::new(backend, content_seconds);
    let sp = backend.vocabulary().specials();
    let Opening {
        no_speech_prob,
        mut logits,
        max_tokens,
    } = open(backend, options, prompt)?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (seed + 1).wrapping_mul(0x2545_F491_4F6C_DD1D));
    let mut tokens: Vec<u32> = Vec::new();
    let mut chosen_logprobs: Vec<f32> = Vec::new();
    // The text tokens (no timestamps) and where each stands in `tokens`, for the loop guard.
    let mut text_tokens: Vec<u32> = Vec::new();
    let mut text_positions: Vec<usize> = Vec::new();
    let mut sum_logprob = 0f32;
    let mut loop_at = None;
    let mut ended = false;
    for _ in 0..max_tokens {
        let logprobs = rules.apply(&mut logits, &tokens)?;
        let token = if temperature <= 0.0 {
            argmax(&logprobs)
        } else {
            sample(&logits, temperature, &mut rng)
        };
        let lp = logprobs[token as usize];
        if token == sp.eot {
            ended = true;
            break;
        }
        if !lp.is_finite() {
            break;
        }
        tokens.push(token);
        chosen_logprobs.push(lp);
        sum_logprob += lp;
        if sp.is_text(token) {
            text_positions.push(tokens.len() - 1);
            text_tokens.push(token);
            if let Some(start) = repetition_start(&text_tokens) {
                loop_at = Some(text_positions[start]);
                break;
            }
        }
        logits = backend.decode(&[token], false)?;
    }
    Ok(Attempt {
        tokens,
        logprobs: chosen_logprobs,
        sum_logprob,
        no_speech_prob,
        loop_at,
        ended,
    })
}

fn argmax(values: &[f32]) -> u32 {
    let mut best = 0;
    for (i, &v) in values.iter().enumerate() {
        if v > values[best] {
            best = i;
        }
    }
    best as u32
}

fn sample(logits: &[f32], temperature: f32, rng: &mut Rng) -> u32 {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let weights: Vec<f32> = logits
        .iter()
        .map(|&l| ((l - max) / temperature).exp())
        .collect();
    let total: f32 = weights.iter().sum();
    let mut target = rng.next_f32() * total;
    for (i, &w) in weights.iter().enumerate() {
        if target < w {
            return i as u32;
        }
        target -= w;
    }
    argmax(logits)
}
