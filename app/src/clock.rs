//! The browser's clock and Dutch date formatting.

use casework::Date;
use domain::Timestamp;

/// Now, from the browser's clock.
pub fn now() -> Timestamp {
    Timestamp(js_sys::Date::now() as i64)
}

/// "24-11-2026 om 10:03" in the browser's time zone.
pub fn moment(ts: Timestamp) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ts.millis() as f64));
    format!(
        "{:02}-{:02}-{} om {:02}:{:02}",
        d.get_date(),
        d.get_month() + 1,
        d.get_full_year(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// "10:03:27" in the browser's time zone.
pub fn time_of_day(ts: Timestamp) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ts.millis() as f64));
    format!(
        "{:02}:{:02}:{:02}",
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds()
    )
}

/// "1988-02-29" → "29-02-1988"; anything else unchanged.
pub fn iso_date(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!("{d}-{m}-{y}"),
        _ => iso.to_owned(),
    }
}

/// The calendar day of `ts` in the browser's time zone.
pub fn local_date(ts: Timestamp) -> Option<Date> {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ts.millis() as f64));
    Date::new(d.get_full_year() as i32, d.get_month() + 1, d.get_date())
}

/// The calendar day of `ts` in the browser's time zone (UTC should the browser fail).
pub fn day(ts: Timestamp) -> Date {
    local_date(ts).unwrap_or_else(|| casework::utc_day(ts))
}

/// "2026-11-25" in the browser's time zone (for file names).
pub fn iso_day(ts: Timestamp) -> String {
    local_date(ts).map_or_else(|| "datum".to_owned(), |d| d.iso())
}

/// A position in a recording, `mm:ss`.
pub fn position(ms: u64) -> String {
    let s = ms / 1000;
    format!("{:02}:{:02}", s / 60, s % 60)
}
