//! Streaming transcription: audio arrives in pieces while the conversation runs; finished
//! stretches of speech are decoded as soon as a pause closes them, so little is left to do
//! when the recording stops.

use crate::backend::Backend;
use crate::decode::{DecodeOptions, decode_window};
use crate::error::{ModelError, Result};
use crate::mel::{HOP, MelExtractor, SAMPLE_RATE, WINDOW_FRAMES, WINDOW_SAMPLES};
use crate::vad::{PAD, Span, Vad};

/// A timed piece of transcript.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Start, in milliseconds from the start of the recording.
    pub start_ms: u64,
    /// End, in milliseconds from the start of the recording.
    pub end_ms: u64,
    /// Recognised text.
    pub text: String,
    /// Average log-probability of the window's tokens (a confidence hint).
    pub avg_logprob: f32,
    /// Words of `text` the decoder was unsure of (probability below [`UNSURE_BELOW`]), in
    /// order, as they appear in `text`: the ones to listen to again.
    pub unsure: Vec<String>,
}

impl From<Segment> for domain::speech::TimedText {
    /// The segment as the speech worker reports it to the page.
    fn from(s: Segment) -> Self {
        Self {
            start_ms: s.start_ms,
            end_ms: s.end_ms,
            text: s.text,
            unsure: s.unsure,
        }
    }
}

/// A word whose tokens together have a lower probability than this is marked unsure.
pub const UNSURE_BELOW: f32 = 0.5;

/// The words of a segment (a token starting with a space starts a new word) whose probability,
/// the product of their tokens' probabilities, is below [`UNSURE_BELOW`].
fn unsure_words(vocab: &crate::tokens::Vocabulary, tokens: &[u32], probs: &[f32]) -> Vec<String> {
    let mut words: Vec<(Vec<u32>, f32)> = Vec::new();
    for (&t, &p) in tokens.iter().zip(probs) {
        let starts_word = vocab.decode(&[t]).starts_with(' ');
        match words.last_mut() {
            Some((word, prob)) if !starts_word => {
                word.push(t);
                *prob *= p;
            }
            _ => words.push((vec![t], p)),
        }
    }
    words
        .into_iter()
        .filter(|(_, prob)| *prob < UNSURE_BELOW)
        .map(|(word, _)| {
            vocab
                .decode(&word)
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_owned()
        })
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect()
}

/// Silence after speech that closes a stretch (600 ms).
const CLOSING_PAUSE: usize = SAMPLE_RATE * 6 / 10;
/// Audio heard before the voice-activity gate's noise floor is trusted to skip silence (10 s).
const FLOOR_SETTLES: usize = SAMPLE_RATE * 10;
/// A stretch closed by a pause is decoded during the recording once it is this long (20 s).
const MIN_STREAMING_STRETCH: usize = SAMPLE_RATE * 20;
/// Most prompt tokens spent on the contact's vocabulary; the previous window's text, when
/// used, fills the prompt up to Whisper's limit behind it.
pub const MAX_VOCABULARY_TOKENS: usize = 150;

/// Incremental transcriber over any [`Backend`].
pub struct Transcriber<B: Backend> {
    backend: B,
    options: DecodeOptions,
    mel: MelExtractor,
    vad: Vad,
    audio: Vec<f32>,
    done_until: usize,
    windows_decoded: usize,
    prompts_dropped: usize,
    min_stretch: usize,
    vocabulary: Vec<u32>,
    previous: Vec<u32>,
    encoder_margin: Option<usize>,
    /// Audio comes as it is spoken ([`Transcriber::set_live`]).
    live: bool,
}

impl<B: Backend> std::fmt::Debug for Transcriber<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transcriber")
            .field("samples", &self.audio.len())
            .field("done_until", &self.done_until)
            .finish_non_exhaustive()
    }
}

impl<B: Backend> Transcriber<B> {
    /// A transcriber for a new recording.
    pub fn new(backend: B, options: DecodeOptions) -> Self {
        let n_mels = backend.config().n_mels;
        Self {
            backend,
            options,
            mel: MelExtractor::new(n_mels),
            vad: Vad::new(),
            audio: Vec::new(),
            done_until: 0,
            windows_decoded: 0,
            prompts_dropped: 0,
            min_stretch: MIN_STREAMING_STRETCH,
            vocabulary: Vec::new(),
            previous: Vec::new(),
            encoder_margin: None,
            live: false,
        }
    }

    /// Runs the encoder on only as much of each window as holds speech, plus `margin_samples`
    /// of the window's silent padding (rounded up to whole seconds), instead of the full
    /// 30 seconds: the encoder's cost grows with its input, so a 10-second stretch costs about
    /// a third. `None` (the default) keeps the full window Whisper was trained on.
    pub fn set_encoder_margin(&mut self, margin_samples: Option<usize>) {
        self.encoder_margin = margin_samples;
    }

    /// Mel frames the encoder sees for `content` samples of speech.
    fn encoder_frames(&self, content: usize) -> usize {
        let Some(margin) = self.encoder_margin else {
            return WINDOW_FRAMES;
        };
        let second = SAMPLE_RATE / HOP;
        let frames = (content + margin).div_ceil(HOP).div_ceil(second) * second;
        frames.clamp(second, WINDOW_FRAMES)
    }

    /// Gives the backend back (to reuse the loaded model for the next recording).
    pub fn into_backend(self) -> B {
        self.backend
    }

    /// Samples received so far (16 kHz mono).
    pub fn samples(&self) -> usize {
        self.audio.len()
    }

    /// The audio received so far (16 kHz mono).
    pub fn audio(&self) -> &[f32] {
        &self.audio
    }

    /// Who spoke when in the audio so far ([`crate::speakers::diarize`]), looking where the
    /// voice-activity gate heard speech: the recogniser's segment times drift by up to seconds
    /// and miss what it did not read, while the gate follows the audio itself. Only when the
    /// gate heard nothing does it look at `segments` (`[start_ms, end_ms)` of each).
    pub fn voices(
        &mut self,
        segments: &[(u64, u64)],
        options: &crate::speakers::Options,
    ) -> Vec<crate::der::Turn> {
        self.vad.update(&self.audio);
        let heard = self.vad.spans_ms();
        let spans = if heard.is_empty() { segments } else { &heard };
        crate::speakers::diarize(&self.audio, spans, options)
    }

    /// Which voice of `turns` (from [`Transcriber::voices`]) is `print`'s, if one clearly is
    /// ([`crate::voice_print::whose`]).
    pub fn whose_voice(
        &self,
        turns: &[crate::der::Turn],
        print: &crate::voice_print::VoicePrint,
        options: &crate::speakers::Options,
    ) -> Option<usize> {
        crate::voice_print::whose(&self.audio, turns, print, options)
    }

    /// 30-second windows run through the model so far.
    pub fn windows_decoded(&self) -> usize {
        self.windows_decoded
    }

    /// Windows decoded a second time without the prompt, because with it the decoder read a
    /// list ([`crate::decode::reads_a_list`]).
    pub fn prompts_dropped(&self) -> usize {
        self.prompts_dropped
    }

    /// How long a stretch closed by a pause must be before it is decoded during the
    /// recording (default 20 s; kept between 3 and 30 s). Shorter gives live text sooner and
    /// leaves less for the end, at one encoder pass per stretch: a caller that measures how
    /// long a window takes sets it just above what the device keeps up with.
    pub fn set_streaming_stretch(&mut self, samples: usize) {
        self.min_stretch = samples.clamp(SAMPLE_RATE * 3, WINDOW_SAMPLES);
    }

    /// Marks the audio as coming while it is spoken (a microphone): a stretch is then also
    /// closed by a pause inside the audio received so far, not only by one at its very end.
    /// Audio arrives in pieces, and a pause between two turns is seldom what a piece ends on;
    /// waiting for one made the first live text come only when a piece happened to end in a
    /// pause. A file (everything at once) keeps whole windows.
    pub fn set_live(&mut self, live: bool) {
        self.live = live;
    }

    /// Decodes with beam search of `beams` beams at temperature 0 (1: greedy). Beam 5 read the
    /// Fish Fillets recordings 4 points of WER better than greedy decoding in 2.1× its time
    /// (README, "Beam search").
    pub fn set_beams(&mut self, beams: usize) {
        self.options.beams = beams.max(1);
    }

    /// Sets the words this conversation is likely to use, spelled as they should be written
    /// (names from the dossier, organisations, the template's terms): they go into every
    /// window's prompt, so that the decoder prefers these spellings. At most
    /// [`MAX_VOCABULARY_TOKENS`] tokens are kept, cut at a word: the decoder reads the end of
    /// its prompt most closely, so the end is what is kept.
    pub fn set_vocabulary(&mut self, text: &str) {
        let vocab = self.backend.vocabulary();
        let text = text.trim();
        let pieces: Vec<(&str, Vec<u32>)> = crate::bpe::pieces(text)
            .into_iter()
            .map(|piece| (piece, vocab.encode(piece)))
            .collect();
        let mut kept = 0;
        let mut from = pieces.len();
        while from > 0 && kept + pieces[from - 1].1.len() <= MAX_VOCABULARY_TOKENS {
            from -= 1;
            kept += pieces[from].1.len();
        }
        // Start at a word, not inside one ("term79" is two pieces).
        while from > 0 && from < pieces.len() && !pieces[from].0.starts_with(char::is_whitespace) {
            from += 1;
        }
        let tokens: Vec<u32> = pieces[from..]
            .iter()
            .flat_map(|(_, ids)| ids)
            .copied()
            .collect();
        self.vocabulary = tokens;
    }

    /// The vocabulary's tokens as kept for the prompt.
    pub fn vocabulary_tokens(&self) -> &[u32] {
        &self.vocabulary
    }

    /// The prompt tokens of the next window.
    fn prompt(&self) -> Vec<u32> {
        let room = crate::decode::max_prompt_tokens(self.backend.config().n_text_ctx)
            .saturating_sub(self.vocabulary.len());
        let mut prompt = self.vocabulary.clone();
        prompt.extend(&self.previous[self.previous.len().saturating_sub(room)..]);
        prompt
    }

    /// Adds 16 kHz mono samples and returns the segments that became final.
    pub fn push(&mut self, samples: &[f32]) -> Result<Vec<Segment>> {
        self.append(samples);
        self.catch_up()
    }

    /// Adds 16 kHz mono samples without decoding anything yet: a caller that has more audio
    /// waiting (or the end of the recording) appends it all first, so that it is decoded in
    /// the fewest windows; [`Transcriber::catch_up`] or [`Transcriber::finish`] decodes it.
    pub fn append(&mut self, samples: &[f32]) {
        self.audio.extend(samples.iter().map(|s| {
            if s.is_finite() {
                s.clamp(-1.0, 1.0)
            } else {
                0.0
            }
        }));
        self.vad.update(&self.audio);
    }

    /// Decodes the stretches that are ready (as [`Transcriber::push`] does after adding audio)
    /// and returns the segments that became final.
    pub fn catch_up(&mut self) -> Result<Vec<Segment>> {
        self.process(false, &|| false)
    }

    /// [`Transcriber::catch_up`] that gives up the window in hand when `stop` says so while
    /// its encoder runs (asked before each layer) and returns what was finished before it.
    /// Nothing is lost: the interrupted stretch is decoded again by the next call — at the end
    /// of a recording, by [`Transcriber::finish`] in one window with what came after it, so
    /// that "stop" does not wait for an encoder pass that would be done again anyway. Once the
    /// encoder is done the window is finished: its tokens cost less than encoding again.
    pub fn catch_up_unless(&mut self, stop: &dyn Fn() -> bool) -> Result<Vec<Segment>> {
        self.process(false, stop)
    }

    /// Ends the recording and returns the remaining segments.
    pub fn finish(&mut self) -> Result<Vec<Segment>> {
        self.vad.update(&self.audio);
        self.process(true, &|| false)
    }

    /// Transcribes a whole recording at once.
    pub fn transcribe(&mut self, samples: &[f32]) -> Result<Vec<Segment>> {
        let mut out = self.push(samples)?;
        out.extend(self.finish()?);
        Ok(out)
    }

    fn process(&mut self, last: bool, stop: &dyn Fn() -> bool) -> Result<Vec<Segment>> {
        let mut out = Vec::new();
        loop {
            let spans = self.vad.spans(self.done_until);
            let Some(first) = spans.first().copied() else {
                // The noise floor is a percentile of what was heard so far: in the first seconds
                // of audio that starts with speech (an uploaded file, say) it can sit at speech
                // level and find nothing. Nothing is skipped as silence until the floor settled.
                if !last && self.audio.len() < FLOOR_SETTLES {
                    break;
                }
                // Nothing voiced left: everything up to the last second is done.
                let keep = if last { 0 } else { SAMPLE_RATE };
                self.done_until = self.done_until.max(self.audio.len().saturating_sub(keep));
                break;
            };
            // Join following spans while the stretch fits in one window.
            let mut stretch = Span {
                start: first.start.max(self.done_until),
                end: first.end,
            };
            let mut open = !last && first.end + CLOSING_PAUSE > self.audio.len();
            for span in spans.iter().skip(1) {
                if span.end - stretch.start > WINDOW_SAMPLES {
                    break;
                }
                stretch.end = span.end;
                open = !last && span.end + CLOSING_PAUSE > self.audio.len();
            }
            // Every window costs a full 30-second encoder pass, so a stretch is decoded while
            // recording only when it cannot grow any more: it fills the window, or the next
            // span no longer fits, or it is long enough and a pause closed it.
            let length = stretch.end - stretch.start;
            let blocked = spans
                .iter()
                .any(|s| s.start >= stretch.end && s.end - stretch.start > WINDOW_SAMPLES);
            let ready = last
                || length >= WINDOW_SAMPLES
                || blocked
                || (!open && length >= self.min_stretch);
            // Live: the last pause inside the stretch that closes a long enough part of it.
            let paused = (self.live && !ready)
                .then(|| {
                    spans
                        .windows(2)
                        .filter(|pair| pair[1].end <= stretch.end)
                        .filter(|pair| pair[1].start - pair[0].end + 2 * PAD >= CLOSING_PAUSE)
                        .map(|pair| pair[0].end)
                        .rfind(|&end| end - stretch.start >= self.min_stretch)
                })
                .flatten();
            if let Some(end) = paused {
                stretch.end = end;
            } else if !ready {
                break;
            }
            let end = stretch.end.min(stretch.start + WINDOW_SAMPLES);
            let consumed = match self.decode(stretch.start, end, &mut out, stop) {
                Err(ModelError::Interrupted) => break,
                decoded => decoded?,
            };
            self.done_until =
                stretch.start + consumed.max(SAMPLE_RATE / 10).min(end - stretch.start);
        }
        Ok(out)
    }

    /// Decodes `[start, end)` (at most one window) and returns the samples accounted for.
    /// Nothing changes when `stop` interrupts its encoder.
    fn decode(
        &mut self,
        start: usize,
        end: usize,
        out: &mut Vec<Segment>,
        stop: &dyn Fn() -> bool,
    ) -> Result<usize> {
        let features = self.mel.window(&self.audio[start..end]);
        let frames = self.encoder_frames(end - start);
        if frames == WINDOW_FRAMES {
            self.backend.encode_unless(&features, WINDOW_FRAMES, stop)?;
        } else {
            let fitted: Vec<f32> = features
                .chunks(WINDOW_FRAMES)
                .flat_map(|row| &row[..frames])
                .copied()
                .collect();
            self.backend.encode_unless(&fitted, frames, stop)?;
        }
        let content = (end - start) as f32 / SAMPLE_RATE as f32;
        let prompt = self.prompt();
        let result = decode_window(&mut self.backend, &self.options, content, &prompt)?;
        self.windows_decoded += 1;
        self.prompts_dropped += usize::from(result.prompt_dropped);
        self.previous.clear();
        if self.options.condition_on_previous_text && result.temperature <= 0.5 {
            for seg in &result.segments {
                self.previous.extend(&seg.tokens);
            }
        }
        let offset_ms = (start * 1000 / SAMPLE_RATE) as u64;
        for seg in &result.segments {
            let text = self
                .backend
                .vocabulary()
                .decode(&seg.tokens)
                .trim()
                .to_owned();
            if text.is_empty() {
                continue;
            }
            let unsure = unsure_words(self.backend.vocabulary(), &seg.tokens, &seg.probs);
            out.push(Segment {
                start_ms: offset_ms + (seg.start * 1000.0).round() as u64,
                end_ms: offset_ms + (seg.end * 1000.0).round() as u64,
                text,
                avg_logprob: result.avg_logprob,
                unsure,
            });
        }
        let consumed = ((result.consumed.clamp(0.0, content)) * SAMPLE_RATE as f32) as usize;
        Ok(consumed)
    }
}
