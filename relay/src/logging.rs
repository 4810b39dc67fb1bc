//! Keeps malformed requests from flooding the log.
//!
//! actix answers a request it cannot parse (bad header, head too large, head too slow) before
//! the relay sees it, with an empty 400, 431 or 408, and logs an ERROR line for each. Anyone can
//! send those as fast as the network allows, so [`Quiet`] passes at most one such line a minute,
//! as a warning that says how many were left out. Everything else goes to the wrapped logger.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use log::{Level, Log, Metadata, Record};

/// Target prefix of the lines about malformed requests.
const MALFORMED_TARGET: &str = "actix_http::h1";

/// At most one line about malformed requests per this long.
pub const MALFORMED_EVERY: Duration = Duration::from_secs(60);

/// A logger that rate-limits actix's lines about malformed requests.
#[derive(Debug)]
pub struct Quiet<L> {
    inner: L,
    state: Mutex<Malformed>,
}

#[derive(Debug, Default)]
struct Malformed {
    last: Option<Instant>,
    left_out: u64,
}

impl<L: Log> Quiet<L> {
    /// Wraps `inner`.
    pub fn new(inner: L) -> Self {
        Self {
            inner,
            state: Mutex::new(Malformed::default()),
        }
    }

    fn log_at(&self, record: &Record<'_>, now: Instant) {
        if !(record.target().starts_with(MALFORMED_TARGET) && record.level() <= Level::Warn) {
            self.inner.log(record);
            return;
        }
        let left_out = {
            let mut state = self
                .state
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if state
                .last
                .is_some_and(|last| now.duration_since(last) < MALFORMED_EVERY)
            {
                state.left_out += 1;
                return;
            }
            state.last = Some(now);
            std::mem::take(&mut state.left_out)
        };
        self.inner.log(
            &Record::builder()
                .level(Level::Warn)
                .target(record.target())
                .args(format_args!(
                    "malformed request ({left_out} more since the last such line): {}",
                    record.args()
                ))
                .build(),
        );
    }
}

impl<L: Log> Log for Quiet<L> {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        self.inner.enabled(metadata)
    }

    fn log(&self, record: &Record<'_>) {
        if self.inner.enabled(record.metadata()) {
            self.log_at(record, Instant::now());
        }
    }

    fn flush(&self) {
        self.inner.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default)]
    struct Capture(Mutex<Vec<(Level, String)>>);

    impl Log for Capture {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn log(&self, record: &Record<'_>) {
            self.0
                .lock()
                .unwrap()
                .push((record.level(), record.args().to_string()));
        }
        fn flush(&self) {}
    }

    fn record(target: &str, level: Level, f: impl FnOnce(&Record<'_>)) {
        f(&Record::builder()
            .level(level)
            .target(target)
            .args(format_args!("stream error: request parse error"))
            .build());
    }

    #[test]
    fn malformed_request_lines_are_rate_limited_and_others_pass() {
        let quiet = Quiet::new(Capture::default());
        let t0 = Instant::now();
        for i in 0..100 {
            record("actix_http::h1::dispatcher", Level::Error, |r| {
                quiet.log_at(r, t0 + Duration::from_millis(i));
            });
        }
        record("relay::store", Level::Error, |r| quiet.log_at(r, t0));
        record("actix_http::h1::dispatcher", Level::Error, |r| {
            quiet.log_at(r, t0 + MALFORMED_EVERY);
        });
        let lines = quiet.inner.0.lock().unwrap().clone();
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert_eq!(lines[0].0, Level::Warn);
        assert_eq!(lines[1].0, Level::Error, "other errors are untouched");
        assert!(lines[2].1.contains("99 more"), "{}", lines[2].1);
    }
}
