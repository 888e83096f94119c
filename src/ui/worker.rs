//! Long work (opening or building a project, imports; later exports and merges) runs on a
//! worker thread and reports progress; the frame never waits on it. A job that needs the
//! project takes it and gives it back when done.
//!
//! In tests the worker runs jobs at once on the calling thread, so a test sees their
//! effect without waiting.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

use crate::model::DocumentId;
use crate::store::Project;

/// Progress of the running job: a fraction (0–1, or `None` when unknown) and a label.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    shared: Arc<Mutex<(Option<f32>, String)>>,
}

impl Progress {
    /// Reports progress: a fraction from 0 to 1 (`None`: unknown) and what is being done.
    pub fn set(&self, fraction: Option<f32>, label: impl Into<String>) {
        if let Ok(mut p) = self.shared.lock() {
            *p = (fraction, label.into());
        }
    }

    /// Reads the last progress reported.
    pub fn get(&self) -> (Option<f32>, String) {
        self.shared.lock().map(|p| p.clone()).unwrap_or_default()
    }
}

/// What a job hands back.
#[derive(Debug)]
pub enum JobOutput {
    /// A project opened (or given back) and a message for the status line.
    Project {
        /// The project.
        project: Box<Project>,
        /// Message; `Err` when the job's work failed (the project is still good).
        message: Result<String, String>,
        /// Open this document afterwards.
        open_document: Option<DocumentId>,
    },
    /// The project was left open by a session that ended elsewhere: ask before taking it
    /// over.
    StaleLock {
        /// The project.
        path: std::path::PathBuf,
        /// What happened, in the user's language.
        message: String,
    },
    /// A job that did not need the project ended (an export): the message for the status
    /// line, `Err` when it failed.
    Done(Result<String, String>),
    /// A recording decoded for the transcript editor.
    Audio {
        /// The document GUID.
        document: DocumentId,
        /// The samples, or what went wrong (in the user's language).
        audio: Result<Box<crate::media::decode::DecodedAudio>, String>,
    },
    /// The job failed without a project to give back (the message, already in the
    /// user's language; empty when the worker thread itself died).
    Failed(String),
}

/// A job: runs on the worker thread.
pub type Job = Box<dyn FnOnce(&Progress) -> JobOutput + Send + 'static>;

/// The worker: one background job at a time, its progress and its outcome.
pub struct Worker {
    /// Run jobs at once on the calling thread (tests).
    pub synchronous: bool,
    running: Option<(String, Receiver<JobOutput>, Progress)>,
    done: Vec<JobOutput>,
    notify: Option<Box<dyn Fn() + Send + Sync>>,
}

impl Default for Worker {
    fn default() -> Self {
        Worker {
            synchronous: false,
            running: None,
            done: Vec::new(),
            notify: None,
        }
    }
}

impl Worker {
    /// Sets what wakes the UI when a job ends (a repaint request).
    pub fn set_notify(&mut self, notify: impl Fn() + Send + Sync + 'static) {
        self.notify = Some(Box::new(notify));
    }

    /// Whether a job is running.
    pub fn busy(&self) -> bool {
        self.running.is_some()
    }

    /// The running job's label and progress.
    pub fn progress(&self) -> Option<(String, Option<f32>, String)> {
        self.running.as_ref().map(|(label, _, p)| {
            let (fraction, detail) = p.get();
            (label.clone(), fraction, detail)
        })
    }

    /// Starts a job (refused while another runs: returns false).
    pub fn start(&mut self, label: impl Into<String>, job: Job) -> bool {
        if self.running.is_some() {
            return false;
        }
        let progress = Progress::default();
        if self.synchronous {
            self.done.push(job(&progress));
            return true;
        }
        let (tx, rx): (Sender<JobOutput>, Receiver<JobOutput>) = channel();
        let p = progress.clone();
        let notify: Option<Arc<dyn Fn() + Send + Sync>> = self.notify.take().map(Arc::from);
        if let Some(n) = &notify {
            let n = n.clone();
            self.notify = Some(Box::new(move || n()));
        }
        let spawned = std::thread::Builder::new()
            .name("fouille-worker".into())
            .spawn(move || {
                let out = job(&p);
                let _ = tx.send(out);
                if let Some(n) = notify {
                    n();
                }
            });
        match spawned {
            Ok(_) => {
                self.running = Some((label.into(), rx, progress));
                true
            }
            Err(e) => {
                self.done.push(JobOutput::Failed(e.to_string()));
                true
            }
        }
    }

    /// Takes the outputs of finished jobs.
    pub fn poll(&mut self) -> Vec<JobOutput> {
        let mut out = std::mem::take(&mut self.done);
        if let Some((_, rx, _)) = &self.running {
            match rx.try_recv() {
                Ok(o) => {
                    out.push(o);
                    self.running = None;
                }
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    out.push(JobOutput::Failed(String::new()));
                    self.running = None;
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => {}
            }
        }
        out
    }
}
