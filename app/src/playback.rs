//! Playing a stretch of a sealed recording: decrypted once per transcript into a `blob:` URL,
//! played by one shared audio element.

use std::cell::RefCell;
use std::collections::HashMap;

use domain::RecordId;
use domain::record::Store;
use leptos::prelude::set_timeout;

use crate::session::Session;
use crate::storage;

thread_local! {
    /// Object URLs of decrypted recordings, by transcript (kept while the page lives).
    static AUDIO_URLS: RefCell<HashMap<RecordId, String>> = RefCell::new(HashMap::new());
    static PLAYER: RefCell<Option<web_sys::HtmlAudioElement>> = const { RefCell::new(None) };
}

/// Decrypts the recording of `transcript` (once) and returns a `blob:` URL for it.
async fn audio_url(session: Session, transcript: RecordId) -> Result<String, String> {
    if let Some(url) = AUDIO_URLS.with_borrow(|m| m.get(&transcript).cloned()) {
        return Ok(url);
    }
    let sealed = storage::read(Store::Audio, &transcript.to_string())
        .await
        .map_err(|e| e.to_string())?
        .ok_or("de opname staat niet op dit toestel")?;
    let wav = session
        .with_untracked(|ws| ws.open_audio(transcript, &sealed))
        .ok_or("de werkruimte is vergrendeld")?
        .map_err(|e| format!("de opname kan niet geopend worden ({e})"))?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(wav.as_slice()));
    let props = web_sys::BlobPropertyBag::new();
    props.set_type("audio/wav");
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &props)
        .map_err(|e| format!("{e:?}"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
    AUDIO_URLS.with_borrow_mut(|m| m.insert(transcript, url.clone()));
    Ok(url)
}

/// Plays `start_ms..end_ms` of the recording.
pub async fn play(
    session: Session,
    transcript: RecordId,
    start_ms: u64,
    end_ms: u64,
) -> Result<(), String> {
    let url = audio_url(session, transcript).await?;
    let player = match PLAYER.with_borrow(Clone::clone) {
        Some(p) => p,
        None => {
            let p = web_sys::HtmlAudioElement::new().map_err(|e| format!("{e:?}"))?;
            p.set_id("segment-player");
            if let Some(body) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.body())
            {
                let _ = body.append_child(&p);
            }
            PLAYER.set(Some(p.clone()));
            p
        }
    };
    if player.src() != url {
        player.set_src(&url);
    }
    player.set_current_time(start_ms as f64 / 1000.0);
    let _ = player.play().map_err(|e| format!("{e:?}"))?;
    let length = end_ms.saturating_sub(start_ms);
    let stop_at = end_ms as f64 / 1000.0;
    set_timeout(
        move || {
            if let Some(p) = PLAYER.with_borrow(Clone::clone)
                && p.current_time() >= stop_at - 0.25
            {
                let _ = p.pause();
            }
        },
        std::time::Duration::from_millis(length + 150),
    );
    Ok(())
}
