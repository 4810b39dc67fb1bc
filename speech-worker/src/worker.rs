//! The worker's message loop and state.

use std::cell::RefCell;

use domain::speech::{
    ModelCatalogue, ModelOffer, ResumableDownload, TimedText, WorkerEvent, WorkerRequest,
    retry_wait_ms,
};
use domain::transcript::VoiceTurn;
use js_sys::Float32Array;
use models::decode::DecodeOptions;
use models::{Compute, SpeechModel, Transcriber};
use wasm_bindgen::prelude::*;

use crate::fetch;

/// Attempts per load before giving up (the partial download is kept for the next load).
const MAX_ATTEMPTS: u32 = 6;
/// Progress is reported at most once per this many bytes.
const PROGRESS_STEP: u64 = 1 << 20;

#[derive(Default)]
struct State {
    /// The loaded model while no recording runs.
    model: Option<SpeechModel>,
    /// Model name and version.
    model_name: String,
    /// The running recording (it owns the model meanwhile).
    recording: Option<Recording>,
    /// A download that broke off, kept so the next load resumes it.
    download: Option<ResumableDownload>,
    /// The worker's choice of model the loaded one answers (`None`: the relay's default).
    chosen: Option<String>,
    /// A load is running.
    loading: bool,
    /// A choice asked for while a load was running: loaded after it.
    wanted: Option<Option<String>>,
    /// The next audio is the worker reading aloud for their voice print.
    printing: bool,
}

struct Recording {
    transcriber: Transcriber<SpeechModel>,
    compute_ms: f64,
    /// The audio comes from a file: full windows, fewest model runs.
    from_file: bool,
    /// Every segment so far: where speaker attribution looks, and what [`finish`] cuts at
    /// voice changes.
    spoken: Vec<TimedText>,
    /// A wake-up to decode what was appended is on its way ([`wake`]).
    wake_pending: bool,
    /// The worker's voice print, if they made one: names their voice at the end.
    print: Option<models::voice_print::VoicePrint>,
}

/// Live text comes once a stretch of this much speech is closed by a pause (3 s: the first
/// turn or two), until the first window shows what this device keeps up with.
const FIRST_STRETCH_MS: f64 = 3_000.0;
/// A stretch is at least this many times as long as decoding one window takes, so that the
/// worker keeps up with the conversation and little is left at "stop".
const KEEP_UP: f64 = 1.5;

/// The streaming stretch for a device that needs `window_ms` per window.
fn stretch_samples(window_ms: f64) -> usize {
    ((window_ms * KEEP_UP).max(FIRST_STRETCH_MS) * 16.0) as usize
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
    /// The port that wakes the worker to decode what a recording appended ([`wake`]).
    static WAKE: RefCell<Option<web_sys::MessagePort>> = const { RefCell::new(None) };
    /// Shared with the page, which sets it at "stop" ([`stopped`]).
    static STOP: RefCell<Option<js_sys::Int32Array>> = const { RefCell::new(None) };
}

/// Whether the page said "stop" (through memory shared with it, which the worker reads while
/// it decodes: a message would wait until the window is done). The window in hand is then
/// dropped and decoded again at once by [`finish`] with the rest, so "stop" does not wait for
/// it. Without shared memory (a page that is not cross-origin isolated) never.
fn stopped() -> bool {
    STOP.with_borrow(|flag| {
        flag.as_ref()
            .is_some_and(|flag| js_sys::Atomics::load(flag, 0).is_ok_and(|v| v != 0))
    })
}

/// Starts the worker's message loop. Called once by the worker's boot script.
#[wasm_bindgen]
pub fn start() {
    let handler = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|ev: web_sys::MessageEvent| {
        handle(ev.data());
    });
    fetch::scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    if let Ok(channel) = web_sys::MessageChannel::new() {
        let woken = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|_| catch_up());
        channel
            .port1()
            .set_onmessage(Some(woken.as_ref().unchecked_ref()));
        woken.forget();
        WAKE.set(Some(channel.port2()));
    }
}

/// Asks for [`catch_up`] once the messages already waiting have been handled: a message posted
/// to the worker's own channel queues behind them. While a window was being decoded, audio
/// (and maybe "stop") queued up; it is appended first and then decoded in the fewest windows —
/// or, when "stop" was among it, all at once by [`finish`]. Without the channel it decodes at
/// once.
fn wake() -> bool {
    WAKE.with_borrow(|port| {
        port.as_ref()
            .is_some_and(|port| port.post_message(&JsValue::NULL).is_ok())
    })
}

fn post(event: &WorkerEvent) {
    if let Ok(json) = serde_json::to_string(event) {
        let _ = fetch::scope().post_message(&JsValue::from_str(&json));
    }
}

fn fail(message: impl Into<String>) {
    post(&WorkerEvent::Failed {
        message: message.into(),
    });
}

fn timed(segments: Vec<models::Segment>) -> Vec<TimedText> {
    segments.into_iter().map(Into::into).collect()
}

fn handle(data: JsValue) {
    if let Some(samples) = data.dyn_ref::<Float32Array>() {
        if STATE.with_borrow_mut(|state| std::mem::take(&mut state.printing)) {
            print_voice(&samples.to_vec());
        } else {
            audio(&samples.to_vec());
        }
        return;
    }
    if let Some(flag) = data.dyn_ref::<js_sys::Int32Array>() {
        STOP.set(Some(flag.clone()));
        return;
    }
    let Some(text) = data.as_string() else {
        fail("Onbekend bericht voor de spraakverwerking.");
        return;
    };
    match serde_json::from_str::<WorkerRequest>(&text) {
        Ok(WorkerRequest::Load { catalogue, model }) => load(catalogue, model),
        Ok(WorkerRequest::Start(start)) => begin(start.vocabulary(), start.voice_print()),
        Ok(WorkerRequest::FromFile) => from_file(),
        Ok(WorkerRequest::Finish) => finish(),
        Ok(WorkerRequest::Cancel) => cancel(),
        Ok(WorkerRequest::PrintVoice) => STATE.with_borrow_mut(|state| state.printing = true),
        Err(err) => fail(format!("Onbekend verzoek aan de spraakverwerking: {err}")),
    }
}

/// Makes the worker's voice print from `samples` (them reading aloud) and reports it.
fn print_voice(samples: &[f32]) {
    let print = models::voice_print::voice_print(samples, &models::speakers::Options::default());
    post(&WorkerEvent::VoicePrint {
        print: print.as_ref().map(Into::into),
    });
}

fn begin(vocabulary: &str, print: Option<&domain::speech::VoicePrint>) {
    STATE.with_borrow_mut(|state| {
        // A print asked for whose audio never came: the recording's audio is not it.
        state.printing = false;
        if let Some(old) = state.recording.take() {
            state.model = Some(old.transcriber.into_backend());
        }
        match state.model.take() {
            Some(model) => {
                let mut transcriber = Transcriber::new(model, DecodeOptions::default());
                transcriber.set_streaming_stretch(stretch_samples(0.0));
                transcriber.set_live(true);
                // Full 30-s windows: a fitted encoder (`set_encoder_margin`) is faster but read
                // the journey's recording worse in the browser (README, "A fitted encoder").
                transcriber.set_vocabulary(vocabulary);
                state.recording = Some(Recording {
                    transcriber,
                    compute_ms: 0.0,
                    from_file: false,
                    spoken: Vec::new(),
                    wake_pending: false,
                    print: print.map(Into::into),
                });
            }
            None => fail("Het spraakmodel is nog niet geladen."),
        }
    });
}

/// Beams for a file: nobody waits for live text, so the better reading is worth its time
/// (README, "Beam search"). A live recording decodes greedily to keep up with the speech.
const FILE_BEAMS: usize = 5;

fn from_file() {
    STATE.with_borrow_mut(|state| {
        if let Some(recording) = state.recording.as_mut() {
            recording.from_file = true;
            recording.transcriber.set_live(false);
            recording.transcriber.set_streaming_stretch(usize::MAX);
            recording.transcriber.set_beams(FILE_BEAMS);
        }
    });
}

/// Runs `work` on the recording's transcriber, timed; from the time a window takes, the
/// stretch of a live recording follows what this device keeps up with.
fn timed_decode(
    recording: &mut Recording,
    work: impl FnOnce(&mut Transcriber<SpeechModel>) -> models::Result<Vec<models::Segment>>,
) -> models::Result<Vec<models::Segment>> {
    let started = fetch::now_ms();
    let windows = recording.transcriber.windows_decoded();
    let result = work(&mut recording.transcriber);
    if let Ok(segments) = &result {
        recording.spoken.extend(timed(segments.clone()));
    }
    let took = fetch::now_ms() - started;
    recording.compute_ms += took;
    let decoded = recording.transcriber.windows_decoded() - windows;
    if decoded > 0 && !recording.from_file {
        let window_ms = took / decoded as f64;
        recording
            .transcriber
            .set_streaming_stretch(stretch_samples(window_ms));
    }
    result
}

fn post_segments(result: models::Result<Vec<models::Segment>>) {
    match result {
        Ok(segments) if !segments.is_empty() => post(&WorkerEvent::Segments {
            segments: timed(segments),
        }),
        Ok(_) => {}
        Err(err) => fail(format!("De spraakherkenning liep vast: {err}")),
    }
}

fn audio(samples: &[f32]) {
    let result = STATE.with_borrow_mut(|state| {
        let recording = state.recording.as_mut()?;
        if recording.from_file {
            return Some(timed_decode(recording, |t| t.push(samples)));
        }
        recording.transcriber.append(samples);
        if !recording.wake_pending {
            recording.wake_pending = wake();
            if !recording.wake_pending {
                return Some(timed_decode(recording, |t| t.catch_up_unless(&stopped)));
            }
        }
        Some(Ok(Vec::new()))
    });
    match result {
        Some(result) => post_segments(result),
        None => fail("Er loopt geen opname in de spraakverwerking."),
    }
}

/// Decodes what a live recording appended ([`wake`]); nothing when it ended meanwhile.
fn catch_up() {
    let result = STATE.with_borrow_mut(|state| {
        let recording = state.recording.as_mut()?;
        if !recording.wake_pending {
            return None;
        }
        recording.wake_pending = false;
        Some(timed_decode(recording, |t| t.catch_up_unless(&stopped)))
    });
    if let Some(result) = result {
        post_segments(result);
    }
}

fn finish() {
    let started = fetch::now_ms();
    let outcome = STATE.with_borrow_mut(|state| {
        let mut recording = state.recording.take()?;
        let result = recording.transcriber.finish();
        recording.compute_ms += fetch::now_ms() - started;
        let attributed = fetch::now_ms();
        // Every segment, the voices heard in them, and the segments cut where a voice changes.
        let result = result.map(|last| {
            let mut all = std::mem::take(&mut recording.spoken);
            all.extend(timed(last));
            let spans: Vec<(u64, u64)> = all.iter().map(|s| (s.start_ms, s.end_ms)).collect();
            // Two voices: the worker and the client; the worker's is named by their print.
            let options = models::speakers::Options::default();
            let turns = recording.transcriber.voices(&spans, &options);
            let worker = recording.print.as_ref().and_then(|print| {
                let voice = recording.transcriber.whose_voice(&turns, print, &options)?;
                u8::try_from(voice).ok()
            });
            let voices: Vec<VoiceTurn> = turns.into_iter().map(Into::into).collect();
            let (all, _) = domain::transcript::cut_at_voice_changes(all, &voices);
            (all, voices, worker)
        });
        let voices_ms = (fetch::now_ms() - attributed) as u64;
        let audio_ms = recording.transcriber.samples() as u64 * 1000 / 16_000;
        let windows = u32::try_from(recording.transcriber.windows_decoded()).unwrap_or(u32::MAX);
        let compute_ms = recording.compute_ms;
        state.model = Some(recording.transcriber.into_backend());
        Some((result, audio_ms, windows, compute_ms, voices_ms))
    });
    match outcome {
        Some((Ok((segments, voices, worker_voice)), audio_ms, windows, compute_ms, voices_ms)) => {
            post(&WorkerEvent::Done {
                segments,
                audio_ms,
                compute_ms: compute_ms as u64,
                finish_ms: (fetch::now_ms() - started) as u64,
                windows,
                memory_bytes: memory_bytes(),
                voices,
                voices_ms,
                worker_voice,
            });
        }
        Some((Err(err), ..)) => fail(format!("De spraakherkenning liep vast: {err}")),
        None => fail("Er loopt geen opname in de spraakverwerking."),
    }
}

fn cancel() {
    STATE.with_borrow_mut(|state| {
        state.printing = false;
        if let Some(recording) = state.recording.take() {
            state.model = Some(recording.transcriber.into_backend());
        }
    });
}

fn load(catalogue: String, choice: Option<String>) {
    let ready = STATE.with_borrow_mut(|state| {
        let loaded = state.model.is_some() || state.recording.is_some();
        // A running recording keeps its model; another choice applies to the next one.
        if state.recording.is_some() || (loaded && state.chosen == choice) {
            return Some(Some((state.model_name.clone(), state.chosen.clone())));
        }
        if state.loading {
            state.wanted = Some(choice.clone());
            return Some(None);
        }
        state.model = None;
        state.loading = true;
        None
    });
    match ready {
        Some(Some((model, chosen))) => post(&WorkerEvent::Ready {
            model,
            from_cache: true,
            load_ms: 0,
            chosen,
        }),
        Some(None) => {}
        None => wasm_bindgen_futures::spawn_local(async move {
            let result = load_model(&catalogue, choice.as_deref()).await;
            let again = STATE.with_borrow_mut(|state| {
                state.loading = false;
                state.wanted.take().filter(|w| *w != state.chosen)
            });
            if let Err(message) = result {
                fail(message);
            }
            if let Some(wanted) = again {
                load(catalogue, wanted);
            }
        }),
    }
}

async fn load_model(catalogue_url: &str, choice: Option<&str>) -> Result<(), String> {
    let started = fetch::now_ms();
    let cache = fetch::model_cache()
        .await
        .map_err(|e| format!("De browser laat geen opslag voor het spraakmodel toe ({e})."))?;
    let (offer, default_url) = match catalogue(catalogue_url, choice).await {
        Ok(offers) => offers,
        Err(err) => return load_offline(&cache, choice, started, &err).await,
    };
    if let Some(bytes) = fetch::cached(&cache, &offer.url).await? {
        match SpeechModel::load(&bytes, Compute::Quantized) {
            Ok(model) => {
                loaded(model, &offer, true, started, choice);
                return Ok(());
            }
            // A damaged cache entry is dropped and downloaded again.
            Err(_) => fetch::forget(&cache, &offer.url).await,
        }
    }
    let bytes = download(offer.clone()).await?;
    // Loaded before anything on the device is replaced: a model that does not load leaves the
    // one the device had.
    let model = SpeechModel::load(&bytes, Compute::Quantized)
        .map_err(|e| format!("Het spraakmodel is onbruikbaar: {e}"))?;
    // The device keeps this model and the default; other ones it had go.
    for url in fetch::cached_urls(&cache).await.unwrap_or_default() {
        if url != offer.url && url != default_url {
            fetch::forget(&cache, &url).await;
        }
    }
    if let Err(err) = fetch::store(&cache, &offer.url, &bytes).await {
        // The model still works now; it will be downloaded again next time.
        fail(format!(
            "Het spraakmodel kon niet op dit toestel bewaard worden ({err}); het wordt de volgende keer opnieuw gedownload."
        ));
    }
    loaded(model, &offer, false, started, choice);
    Ok(())
}

/// Without the relay: use the cached model, the chosen one first.
async fn load_offline(
    cache: &web_sys::Cache,
    choice: Option<&str>,
    started: f64,
    why: &str,
) -> Result<(), String> {
    let mut urls = fetch::cached_urls(cache).await.unwrap_or_default();
    if let Some(choice) = choice {
        let prefix = format!("/{choice}-q8-");
        urls.sort_by_key(|url| !url.contains(&prefix));
    }
    for url in urls {
        if let Some(bytes) = fetch::cached(cache, &url).await?
            && let Ok(model) = SpeechModel::load(&bytes, Compute::Quantized)
        {
            let name = url.rsplit('/').next().unwrap_or("spraakmodel").to_owned();
            // Another model than the chosen one answers no choice (an empty name is none), so
            // the next load, online again, fetches the chosen one.
            let chosen = match choice {
                Some(c) if !url.contains(&format!("/{c}-q8-")) => Some(String::new()),
                other => other.map(str::to_owned),
            };
            STATE.with_borrow_mut(|state| {
                state.model = Some(model);
                state.model_name = name.clone();
                state.chosen = chosen.clone();
            });
            post(&WorkerEvent::Ready {
                model: name,
                from_cache: true,
                load_ms: (fetch::now_ms() - started) as u32,
                chosen,
            });
            return Ok(());
        }
    }
    Err(format!(
        "Het spraakmodel staat nog niet op dit toestel en de server is niet bereikbaar ({why})."
    ))
}

fn loaded(
    model: SpeechModel,
    offer: &ModelOffer,
    from_cache: bool,
    started: f64,
    choice: Option<&str>,
) {
    let name = format!("{} {}", offer.name, offer.version);
    STATE.with_borrow_mut(|state| {
        state.model = Some(model);
        state.model_name = name.clone();
        state.chosen = choice.map(str::to_owned);
        state.download = None;
    });
    post(&WorkerEvent::Ready {
        model: name,
        from_cache,
        load_ms: (fetch::now_ms() - started) as u32,
        chosen: choice.map(str::to_owned),
    });
}

/// The model to load (the chosen one when this device can hold it, else the default) and the
/// default's URL.
async fn catalogue(url: &str, choice: Option<&str>) -> Result<(ModelOffer, String), String> {
    let response = fetch::get(url, None).await?;
    if !response.ok() {
        return Err(format!("status {}", response.status()));
    }
    let body = fetch::text(&response).await?;
    let catalogue: ModelCatalogue =
        serde_json::from_str(&body).map_err(|e| format!("onleesbare modellijst: {e}"))?;
    let default_url = catalogue.models.first().map(|m| m.url.clone());
    catalogue
        .choose_fitting(choice, device_memory_gib())
        .cloned()
        .zip(default_url)
        .ok_or_else(|| "de server biedt geen spraakmodel aan".to_owned())
}

/// `navigator.deviceMemory` in GiB, when the browser tells it.
fn device_memory_gib() -> Option<f64> {
    let navigator = js_sys::Reflect::get(&js_sys::global(), &"navigator".into()).ok()?;
    js_sys::Reflect::get(&navigator, &"deviceMemory".into())
        .ok()?
        .as_f64()
}

async fn download(offer: ModelOffer) -> Result<Vec<u8>, String> {
    let kept = STATE.with_borrow_mut(|state| state.download.take());
    let mut dl = kept
        .filter(|d| d.offer() == &offer)
        .unwrap_or_else(|| ResumableDownload::new(offer));
    let mut attempt = 0;
    loop {
        let result = fetch_rest(&mut dl).await;
        if result.is_ok() && dl.is_complete() {
            return dl.finish().map_err(|e| format!("Download mislukt: {e}."));
        }
        let reason = result
            .err()
            .unwrap_or_else(|| "de verbinding viel weg".to_owned());
        attempt += 1;
        if attempt >= MAX_ATTEMPTS {
            let received = dl.received();
            STATE.with_borrow_mut(|state| state.download = Some(dl));
            return Err(format!(
                "Het spraakmodel kon niet gedownload worden ({reason}). {} MB is binnen; opnieuw proberen gaat daar verder.",
                received / 1_000_000
            ));
        }
        let wait_ms = retry_wait_ms(attempt);
        post(&WorkerEvent::Retrying {
            attempt,
            wait_ms,
            reason,
        });
        fetch::sleep(wait_ms).await;
    }
}

/// Requests the bytes the download lacks and reads them until the body ends or breaks.
async fn fetch_rest(dl: &mut ResumableDownload) -> Result<(), String> {
    let range = dl.range_header();
    let response = fetch::get(&dl.offer().url, range.as_deref()).await?;
    let content_range = response.headers().get("Content-Range").ok().flatten();
    dl.accept_response(response.status(), content_range.as_deref())
        .map_err(|e| e.to_string())?;
    let body = response.body().ok_or("lege response")?;
    let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let total = dl.offer().size;
    let mut reported = dl.received();
    post(&WorkerEvent::Progress {
        received: reported,
        total,
    });
    while let Some(chunk) = fetch::next_chunk(&reader).await? {
        dl.push(&chunk).map_err(|e| e.to_string())?;
        if dl.received() - reported >= PROGRESS_STEP || dl.is_complete() {
            reported = dl.received();
            post(&WorkerEvent::Progress {
                received: reported,
                total,
            });
        }
    }
    Ok(())
}

/// The size of this worker's WebAssembly memory.
fn memory_bytes() -> u64 {
    wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length() as u64
}
