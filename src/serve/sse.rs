//! Server-Sent Events: every open page keeps one connection and is told when it should reload.
//!
//! The event stream takes its connection over from the server ([`super::server::Answer::Stream`]):
//! we write the status line and headers ourselves, then one `data:` line per event, flushed.
//! Each listener has its own thread (its connection's) and channel; a listener whose page is closed fails its next write (an event or the keep-alive
//! comment every 15 s), its thread ends, and the hub drops it on the next publication.

use std::io::Write;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// What listeners watch: something that says, as a short token per page, what that page looks
/// like now (the served snapshot, see `state`). The hub knows nothing else about it.
pub trait Tokens {
    /// Changes exactly when `page` would look different after a reload; `None` stands for a
    /// listener that wants every publication.
    fn token(&self, page: Option<&str>) -> String;
}

struct Listener {
    /// The page the listener shows (`None`: wants every publication).
    page: Option<String>,
    /// The token the listener last got, or showed when it connected.
    last: String,
    tx: Sender<String>,
}

#[derive(Default)]
pub struct Hub {
    listeners: Mutex<Vec<Listener>>,
}

impl Hub {
    /// Registers a listener. When the page it shows (`shown`) is already outdated, the first
    /// event is sent at once: an edit between the page load and the connection is not lost.
    ///
    /// `now` gives the current snapshot; it is read while the listener list is locked, so a
    /// publication racing with the subscription is seen either here or by [`Hub::notify`].
    pub fn subscribe<T: Tokens>(
        &self,
        page: Option<String>,
        shown: Option<String>,
        now: impl FnOnce() -> Arc<T>,
    ) -> Receiver<String> {
        let (tx, rx) = mpsc::channel();
        let mut listeners = self.listeners.lock().unwrap_or_else(|e| e.into_inner());
        let current = now().token(page.as_deref());
        let last = match shown {
            Some(s) if s != current => {
                let _ = tx.send(current.clone());
                current
            }
            _ => current,
        };
        listeners.push(Listener { page, last, tx });
        rx
    }

    /// Sends the new token to every listener whose page changed; drops listeners that are gone.
    pub fn notify(&self, snapshot: &impl Tokens) {
        let mut listeners = self.listeners.lock().unwrap_or_else(|e| e.into_inner());
        listeners.retain_mut(|l| {
            let t = snapshot.token(l.page.as_deref());
            if t == l.last {
                return true;
            }
            l.last = t.clone();
            l.tx.send(t).is_ok()
        });
    }

    /// Listeners still registered (some may be gone and not yet noticed).
    pub fn len(&self) -> usize {
        self.listeners
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The response head of an event stream.
pub const HEAD: &str = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nX-Accel-Buffering: no\r\nConnection: close\r\n\r\nretry: 1000\n\n";

/// Writes events to one listener until its connection or the hub goes away.
pub fn stream(mut w: Box<dyn Write + Send>, rx: Receiver<String>) {
    loop {
        let chunk = match rx.recv_timeout(KEEP_ALIVE) {
            Ok(token) => format!("data: {token}\n\n"),
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if w.write_all(chunk.as_bytes())
            .and_then(|_| w.flush())
            .is_err()
        {
            return;
        }
    }
}
