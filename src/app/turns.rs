//! Speaker labels for a transcript made without a speaker model: each paragraph (or line)
//! is a turn and the speakers alternate ([`crate::model::turns`]). One action, one undo
//! step; the codings move with the text like in any edit, and the speakers become the
//! document's labels (Ctrl+1…8 in the editor).

use crate::model::turns::{TurnUnit, label_turns};
use crate::store::{Project, documents, text_edit};

use super::AppResult;
use super::message::{Arg, Message};
use crate::model::DocumentId;

/// What labelling the turns did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TurnsOutcome {
    /// The document (GUID).
    pub document: DocumentId,
    /// Its display name.
    pub name: String,
    /// Labels added (turns that had one are kept).
    pub labels_added: usize,
    /// Codings whose offsets moved with the text.
    pub codings_moved: usize,
}

impl TurnsOutcome {
    /// What to tell the user.
    pub fn message(&self) -> Message {
        Message::with(
            "msg.turns_labelled",
            vec![
                ("document", Arg::Text(self.name.clone())),
                ("count", Arg::Count(self.labels_added)),
            ],
        )
    }
}

/// Labels the turns of document `guid` with `speakers` in rotation (paragraphs when the
/// text has blank lines, else lines), and keeps `speakers` as the document's labels. A text
/// whose turns are all labelled is left as it is, with no undo step.
pub fn label_document_turns(
    project: &mut Project,
    guid: &DocumentId,
    speakers: &[String],
) -> AppResult<TurnsOutcome> {
    let text = documents::text(project.conn(), guid)?;
    let (labelled, added) = label_turns(&text, speakers, TurnUnit::of(&text));
    let name = documents::get(project.conn(), guid)?.name;
    let mut outcome = TurnsOutcome {
        document: guid.clone(),
        name,
        labels_added: added,
        codings_moved: 0,
    };
    if added == 0 {
        return Ok(outcome);
    }
    outcome.codings_moved = project.action("action.label_turns", |tx| {
        let report = text_edit::set_text_with_rebase(tx, guid, &labelled)?;
        documents::set_speakers(tx, guid, speakers)?;
        Ok(report.changed_count())
    })?;
    Ok(outcome)
}
