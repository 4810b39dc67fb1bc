//! Microphone capture at 16 kHz mono, and decoding of uploaded audio files to the same.
//!
//! The browser resamples: the `AudioContext` runs at 16 kHz, the microphone stream is connected
//! to an `AudioWorkletNode` (`capture-worklet.js`) that hands 100-ms pieces to the page.

use std::cell::RefCell;

use js_sys::{Float32Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AudioContext, AudioContextOptions, AudioWorkletNode, MediaStream, MediaStreamConstraints,
    MessageEvent,
};

/// Why a [`start`] gave up: it was stopped while it waited for the microphone.
pub const STOPPED: &str = "de opname werd gestopt voor ze begon";

/// Sample rate of everything the recorder produces.
pub const SAMPLE_RATE: u32 = 16_000;

/// The handler of the capture worklet's messages (one piece of audio each).
type PieceHandler = Closure<dyn FnMut(MessageEvent)>;

struct Capture {
    context: AudioContext,
    stream: MediaStream,
    node: AudioWorkletNode,
    on_piece: PieceHandler,
}

thread_local! {
    static CAPTURE: RefCell<Option<Capture>> = const { RefCell::new(None) };
    /// The handler of the capture stopped last. `stop` can run inside that very handler (a
    /// revocation noticed while taking a piece), so it is dropped only at the next stop, when it
    /// surely is not running.
    static RETIRED: RefCell<Option<PieceHandler>> = const { RefCell::new(None) };
    /// Bumped by every [`stop`]: a [`start`] still waiting for the microphone when it changes
    /// was stopped before it began, and releases what it got.
    static GENERATION: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Releases a stream a stopped [`start`] got.
fn release(stream: &MediaStream) {
    for track in stream.get_tracks().iter() {
        if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
            track.stop();
        }
    }
}

/// Whether a [`stop`] came since `ticket` was taken.
fn stopped_since(ticket: u64) -> bool {
    GENERATION.get() != ticket
}

fn describe(err: &JsValue) -> String {
    err.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| err.as_string())
        .unwrap_or_else(|| format!("{err:?}"))
}

async fn wait(promise: Promise) -> Result<JsValue, String> {
    JsFuture::from(promise).await.map_err(|e| describe(&e))
}

fn context() -> Result<AudioContext, String> {
    let options = AudioContextOptions::new();
    options.set_sample_rate(SAMPLE_RATE as f32);
    AudioContext::new_with_context_options(&options).map_err(|e| describe(&e))
}

/// Starts capturing the microphone; `on_piece` receives every 100 ms of 16 kHz mono samples.
///
/// # Errors
/// A message for the worker when there is no microphone or permission was refused.
pub async fn start(on_piece: Box<dyn FnMut(Vec<f32>)>) -> Result<(), String> {
    stop();
    let ticket = GENERATION.get();
    let window = web_sys::window().ok_or("geen venster")?;
    let devices = window
        .navigator()
        .media_devices()
        .map_err(|_| "deze browser geeft geen toegang tot een microfoon".to_owned())?;
    let constraints = MediaStreamConstraints::new();
    let audio = js_sys::Object::new();
    let set = |k: &str, v: JsValue| js_sys::Reflect::set(&audio, &k.into(), &v);
    set("channelCount", 1.into()).map_err(|e| describe(&e))?;
    // The speech model is trained on unprocessed audio; the browser's voice-call processing
    // (echo cancellation, noise suppression, gain control) garbles words for it.
    set("echoCancellation", false.into()).map_err(|e| describe(&e))?;
    set("noiseSuppression", false.into()).map_err(|e| describe(&e))?;
    set("autoGainControl", false.into()).map_err(|e| describe(&e))?;
    constraints.set_audio(&audio);
    let promise = devices
        .get_user_media_with_constraints(&constraints)
        .map_err(|e| describe(&e))?;
    let stream: MediaStream = wait(promise)
        .await
        .map_err(|e| format!("geen toegang tot de microfoon ({e})"))?
        .unchecked_into();
    if stopped_since(ticket) {
        release(&stream);
        return Err(STOPPED.into());
    }
    // Whatever fails from here, the microphone is released.
    match connect(&stream, on_piece, ticket).await {
        Ok((context, node, handler)) => {
            // A capture started meanwhile by another caller is stopped, never orphaned.
            stop();
            CAPTURE.set(Some(Capture {
                context,
                stream,
                node,
                on_piece: handler,
            }));
        }
        Err(err) => {
            release(&stream);
            return Err(err);
        }
    }
    Ok(())
}

/// Connects `stream` to the capture worklet, which hands its pieces to `on_piece`; gives up
/// when a [`stop`] came since `ticket`.
async fn connect(
    stream: &MediaStream,
    mut on_piece: Box<dyn FnMut(Vec<f32>)>,
    ticket: u64,
) -> Result<(AudioContext, AudioWorkletNode, PieceHandler), String> {
    let context = context()?;
    let url = crate::speech::meta_content("zorgvuldig-capture")
        .ok_or("de opnamemodule ontbreekt in deze versie van de app")?;
    let added = match context.audio_worklet().and_then(|w| w.add_module(&url)) {
        Ok(promise) => wait(promise).await,
        Err(e) => Err(describe(&e)),
    };
    if let Err(err) = added {
        let _ = context.close();
        return Err(err);
    }
    if stopped_since(ticket) {
        let _ = context.close();
        return Err(STOPPED.into());
    }
    let wired = (|| {
        let source = context.create_media_stream_source(stream)?;
        let options = web_sys::AudioWorkletNodeOptions::new();
        options.set_channel_count(1);
        options.set_channel_count_mode(web_sys::ChannelCountMode::Explicit);
        let node = AudioWorkletNode::new_with_options(&context, "zorgvuldig-capture", &options)?;
        let handler = PieceHandler::new(move |ev: MessageEvent| {
            if let Some(piece) = ev.data().dyn_ref::<Float32Array>() {
                on_piece(piece.to_vec());
            }
        });
        node.port()?
            .set_onmessage(Some(handler.as_ref().unchecked_ref()));
        source.connect_with_audio_node(&node)?;
        // The node outputs silence; connecting it keeps the graph pulling.
        node.connect_with_audio_node(&context.destination())?;
        Ok((node, handler))
    })();
    match wired {
        Ok((node, handler)) => Ok((context, node, handler)),
        Err(e) => {
            let _ = context.close();
            Err(describe(&e))
        }
    }
}

/// Pauses (`true`) or resumes capture; nothing is recorded while paused.
pub async fn set_paused(paused: bool) -> Result<(), String> {
    let context = CAPTURE.with_borrow(|c| c.as_ref().map(|c| c.context.clone()));
    let Some(context) = context else {
        return Ok(());
    };
    let promise = if paused {
        context.suspend()
    } else {
        context.resume()
    }
    .map_err(|e| describe(&e))?;
    wait(promise).await.map(|_| ())
}

/// Stops capture and releases the microphone (the browser's recording indicator goes off).
pub fn stop() {
    GENERATION.set(GENERATION.get() + 1);
    if let Some(capture) = CAPTURE.take() {
        // Pieces still queued on the port are not delivered once its handler is gone.
        if let Ok(port) = capture.node.port() {
            port.set_onmessage(None);
            port.close();
        }
        RETIRED.set(Some(capture.on_piece));
        let _ = capture.node.disconnect();
        release(&capture.stream);
        let _ = capture.context.close();
    }
}

/// Decodes an audio file (WAV, WebM/Opus, MP3, Ogg, M4A: whatever the browser can play) to
/// 16 kHz mono.
///
/// # Errors
/// A message for the worker when the file is not audio the browser can read.
pub async fn decode(bytes: &[u8]) -> Result<Vec<f32>, String> {
    let context = context()?;
    let buffer = js_sys::Uint8Array::from(bytes).buffer();
    let decoded = wait(
        context
            .decode_audio_data(&buffer)
            .map_err(|e| describe(&e))?,
    )
    .await
    .map_err(|e| format!("Dit bestand kon niet als geluid gelezen worden ({e})."));
    let _ = context.close();
    let decoded: web_sys::AudioBuffer = decoded?.unchecked_into();
    let channels = decoded.number_of_channels();
    let mut mono = vec![0.0f32; decoded.length() as usize];
    for ch in 0..channels {
        let data = decoded.get_channel_data(ch).map_err(|e| describe(&e))?;
        for (m, s) in mono.iter_mut().zip(data) {
            *m += s / channels as f32;
        }
    }
    Ok(mono)
}

/// The file chosen in the `<input type="file">` that `ev` came from; the input is emptied so
/// the same file can be chosen again.
pub fn chosen_file(ev: &web_sys::Event) -> Option<web_sys::File> {
    let input = ev.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    let file = input.files()?.get(0);
    input.set_value("");
    file
}

/// Reads and decodes an audio file the worker chose ([`decode`]).
///
/// # Errors
/// A message for the worker when the file cannot be read or is not audio.
pub async fn decode_file(file: web_sys::File) -> Result<Vec<f32>, String> {
    decode(&crate::download::read_file(&file).await?).await
}

/// 16 kHz mono samples as a 16-bit PCM WAV file ([`domain::wav::encode`]).
pub fn wav(samples: &[f32]) -> Vec<u8> {
    domain::wav::encode(samples, SAMPLE_RATE)
}

/// Level of a piece in dBFS (RMS), for the meter.
pub fn level_db(samples: &[f32]) -> f32 {
    if samples.is_empty() {
        return -100.0;
    }
    let power = samples.iter().map(|s| s * s).sum::<f32>() / samples.len() as f32;
    (10.0 * (power + 1e-10).log10()).max(-100.0)
}
