//! Reading a project's plain texts on the other core while its project document is parsed
//! (the parse needs one core; the texts, decompressed and decoded, are ready by the time the
//! plan asks for them). Only `.txt` entries under `sources/` are read ahead, on an archive
//! handle of their own under the same limits; anything that fails there is left to the
//! usual reading, which then gives the exact message.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::thread::JoinHandle;

use super::locate::{Archive, LoadedText};
use crate::import::safe_zip::{SafeZip, ZipLimits};

/// A text read ahead: its entry, its size in the archive once decompressed, the text.
type Ahead = (String, u64, LoadedText);

/// Texts being read ahead on another thread.
pub struct Preloaded {
    incoming: Receiver<Ahead>,
    /// Texts that arrived before they were asked for.
    ready: HashMap<String, (u64, LoadedText)>,
    stop: Arc<AtomicBool>,
    worker: Option<JoinHandle<()>>,
}

/// Whether an entry is one of the plain texts read ahead.
fn is_source_text(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("sources/") && lower.ends_with(".txt")
}

impl Preloaded {
    /// Starts reading the texts of the archive `file` ahead, if the machine has a core to
    /// spare.
    pub fn start(file: &Path) -> Option<Preloaded> {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        if cores < 2 {
            return None;
        }
        let file = file.to_path_buf();
        let (send, incoming) = channel();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let worker = std::thread::Builder::new()
            .name("qdpx-texts".into())
            .spawn(move || {
                let Ok(mut zip) = SafeZip::open_file(&file, ZipLimits::default()) else {
                    return;
                };
                for name in zip.names().into_iter().filter(|n| is_source_text(n)) {
                    if stopped.load(Ordering::Relaxed) {
                        return;
                    }
                    let Ok(bytes) = zip.read(&name) else {
                        continue;
                    };
                    let Ok(text) = Archive::from_bytes(&bytes, &name, name.clone()) else {
                        continue;
                    };
                    if send.send((name, bytes.len() as u64, text)).is_err() {
                        return;
                    }
                }
            })
            .ok()?;
        Some(Preloaded {
            incoming,
            ready: HashMap::new(),
            stop,
            worker: Some(worker),
        })
    }

    /// The text of entry `name` and its decompressed size, waiting for it if it is still
    /// being read; `None` when it was not read ahead (or already taken).
    pub fn take(&mut self, name: &str) -> Option<(u64, LoadedText)> {
        if !is_source_text(name) {
            return None;
        }
        if let Some(found) = self.ready.remove(name) {
            return Some(found);
        }
        while let Ok((entry, size, text)) = self.incoming.recv() {
            if entry == name {
                return Some((size, text));
            }
            self.ready.insert(entry, (size, text));
        }
        None
    }
}

impl Drop for Preloaded {
    fn drop(&mut self) {
        // The worker stops after the entry it is reading.
        self.stop.store(true, Ordering::Relaxed);
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}
