//! Automatic transcription from the app: recordings are queued and recognised one at a time
//! on a thread of their own, with no project (the researcher goes on coding, switches
//! documents, opens dialogs); each finished recognition is then written by the app as one
//! undoable action through the application layer ([`crate::app::transcribe`]).

use std::collections::VecDeque;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, Mutex};

use crate::app::AppError;
use crate::app::transcribe::{self, Target};
use crate::speech::recognise::Progress;
use crate::speech::{Recogniser, SpeechError, Transcription};

/// A recording to transcribe, and where its text goes.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// Names the job for « Annuler » (unique in a session).
    pub id: u64,
    /// The recording's file.
    pub audio: PathBuf,
    /// The document written, or a new one.
    pub target: Target,
    /// What the list calls the job: the document's name, or the recording's file name.
    pub name: String,
    /// The project the job was asked in: its text is written there only (the user may
    /// have opened another project meanwhile).
    pub project: PathBuf,
}

/// How a job's recognition ended.
pub enum Outcome {
    /// The speech recognised, to write.
    Done(Transcription),
    /// Why nothing was recognised (no model, a corrupt model, not audio…).
    Failed(AppError),
    /// The recognition thread died (a bug): nothing to write.
    Died,
}

/// A job whose recognition ended.
pub struct Finished {
    /// The job.
    pub job: Job,
    /// What came of it.
    pub outcome: Outcome,
}

/// The job being recognised.
struct Running {
    job: Job,
    /// Set by « Annuler »: the recognition stops at its next window.
    cancel: Arc<AtomicBool>,
    /// The last progress reported (`None` while the model loads and the file is decoded).
    progress: Arc<Mutex<Option<Progress>>>,
    result: Receiver<Result<Transcription, AppError>>,
}

/// The queue of recordings, and the one being recognised.
#[derive(Default)]
pub struct Transcriber {
    waiting: VecDeque<Job>,
    running: Option<Running>,
    next_id: u64,
    /// The model folder to use; `None`: the one `speech::model_dir::resolve` finds when a
    /// job starts (so a folder chosen in the settings serves the next job).
    pub model_dir: Option<PathBuf>,
    /// The model loaded last, kept for the next recording (loading takes half a second for
    /// the base model, several for a large one).
    model: Arc<Mutex<Option<Arc<Recogniser>>>>,
    /// Woken when a job's recognition ends, so that it is written without waiting for
    /// input (the window may be idle).
    pub wake: Option<egui::Context>,
}

/// What the window shows of a job.
#[derive(Debug, Clone, PartialEq)]
pub struct JobView {
    /// The job's id, for « Annuler ».
    pub id: u64,
    /// The document's or the recording's name.
    pub name: String,
    /// For the running job, its progress once recognition has begun; `None` otherwise.
    pub progress: Option<Progress>,
    /// Whether the job is being recognised (else it waits its turn).
    pub running: bool,
}

/// The language the recordings are in: French, as the command line's default.
const LANGUAGE: &str = "fr";

impl Transcriber {
    /// Queues a recording; it starts at once if nothing else is being recognised.
    /// Returns the job's id.
    pub fn push(&mut self, audio: PathBuf, target: Target, name: String, project: PathBuf) -> u64 {
        self.next_id += 1;
        let id = self.next_id;
        self.waiting.push_back(Job {
            id,
            audio,
            target,
            name,
            project,
        });
        if self.running.is_none() {
            self.start_next();
        }
        id
    }

    /// Whether a job is waiting or being recognised.
    pub fn busy(&self) -> bool {
        self.running.is_some() || !self.waiting.is_empty()
    }

    /// The jobs, the running one first.
    pub fn jobs(&self) -> Vec<JobView> {
        let running = self.running.iter().map(|r| JobView {
            id: r.job.id,
            name: r.job.name.clone(),
            progress: r.progress.lock().ok().and_then(|p| *p),
            running: true,
        });
        let waiting = self.waiting.iter().map(|j| JobView {
            id: j.id,
            name: j.name.clone(),
            progress: None,
            running: false,
        });
        running.chain(waiting).collect()
    }

    /// Cancels a job: a waiting one leaves the queue; the running one is told to stop (its
    /// thread ends at its next window, writing nothing) and the next job starts. Returns
    /// whether there was such a job.
    pub fn cancel(&mut self, id: u64) -> bool {
        if let Some(at) = self.waiting.iter().position(|j| j.id == id) {
            self.waiting.remove(at);
            return true;
        }
        match &self.running {
            Some(r) if r.job.id == id => {
                r.cancel.store(true, Ordering::Relaxed);
                self.running = None;
                self.start_next();
                true
            }
            _ => false,
        }
    }

    /// The job whose recognition ended, if one did (the next one then starts).
    pub fn poll(&mut self) -> Option<Finished> {
        let running = self.running.as_ref()?;
        let outcome = match running.result.try_recv() {
            Ok(Ok(transcription)) => Outcome::Done(transcription),
            Ok(Err(e)) => Outcome::Failed(e),
            Err(TryRecvError::Empty) => return None,
            Err(TryRecvError::Disconnected) => Outcome::Died,
        };
        let job = self.running.take()?.job;
        self.start_next();
        Some(Finished { job, outcome })
    }

    /// Starts the first waiting job on a thread of its own.
    fn start_next(&mut self) {
        let Some(job) = self.waiting.pop_front() else {
            return;
        };
        let (sender, result) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let progress = Arc::new(Mutex::new(None));
        let (audio, dir, model) = (
            job.audio.clone(),
            self.model_dir.clone(),
            self.model.clone(),
        );
        let (stop, shared, wake) = (cancel.clone(), progress.clone(), self.wake.clone());
        // Without a thread the sender is dropped with the closure: `poll` reports the job
        // as died.
        let _ = std::thread::Builder::new()
            .name("fouille-transcribe".into())
            .spawn(move || {
                let result = recognise(&audio, dir.as_deref(), &model, &stop, &shared);
                // The receiver is gone when the job was cancelled: nothing to do.
                let _ = sender.send(result);
                if let Some(ctx) = wake {
                    ctx.request_repaint();
                }
            });
        self.running = Some(Running {
            job,
            cancel,
            progress,
            result,
        });
    }
}

/// On the job's thread: the model (the one kept if it is from the same folder), then the
/// recording, reporting progress and stopping when `cancel` is set.
fn recognise(
    audio: &Path,
    dir: Option<&Path>,
    model: &Mutex<Option<Arc<Recogniser>>>,
    cancel: &AtomicBool,
    progress: &Mutex<Option<Progress>>,
) -> Result<Transcription, AppError> {
    let cancelled = || AppError::Speech(SpeechError::Cancelled);
    let dir = crate::speech::model_dir::resolve(dir)?;
    let kept = model.lock().ok().and_then(|m| m.clone());
    let recogniser = match kept.filter(|r| r.dir() == dir) {
        Some(r) => r,
        None => {
            let loaded = Arc::new(Recogniser::load(&dir)?);
            if let Ok(mut m) = model.lock() {
                *m = Some(loaded.clone());
            }
            loaded
        }
    };
    if cancel.load(Ordering::Relaxed) {
        return Err(cancelled());
    }
    transcribe::recognise(&recogniser, audio, Some(LANGUAGE), &mut |p| {
        if let Ok(mut shared) = progress.lock() {
            *shared = Some(p);
        }
        if cancel.load(Ordering::Relaxed) {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })
}
