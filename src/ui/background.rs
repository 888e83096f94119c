//! Computations the frame must not wait for (a synthesis table at 100,000 codings, the
//! agreement of two coders), each on a thread of its own with a read-only connection to
//! the project file: the frame polls for the result and keeps drawing meanwhile. A newer
//! request supersedes an older one, whose result is dropped when it arrives.

use std::sync::mpsc::{Receiver, TryRecvError, channel};

/// One kind of background computation, giving `T`s tagged with the project version they
/// were asked for.
pub struct Background<T> {
    receiver: Option<Receiver<(u64, T)>>,
    /// The version of the computation under way, if one is.
    running: Option<u64>,
}

impl<T> Default for Background<T> {
    fn default() -> Self {
        Background {
            receiver: None,
            running: None,
        }
    }
}

impl<T: Send + 'static> Background<T> {
    /// Starts `work` for the project at `version` on a thread (any earlier one's result
    /// will be dropped).
    pub fn start(&mut self, version: u64, work: impl FnOnce() -> T + Send + 'static) {
        let (sender, receiver) = channel();
        std::thread::spawn(move || {
            // The receiver may be gone (a newer request, the app closing): nothing to do.
            let _ = sender.send((version, work()));
        });
        self.receiver = Some(receiver);
        self.running = Some(version);
    }

    /// The result, once the computation under way has finished.
    pub fn poll(&mut self) -> Option<(u64, T)> {
        let receiver = self.receiver.as_ref()?;
        match receiver.try_recv() {
            Ok(result) => {
                self.receiver = None;
                self.running = None;
                Some(result)
            }
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                self.receiver = None;
                self.running = None;
                None
            }
        }
    }

    /// Whether a computation is under way.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }
}
