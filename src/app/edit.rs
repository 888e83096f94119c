//! The changes a user makes to a project, the same from the command line and from the app:
//! each [`Edit`] is one action (one transaction, one undo step), labelled with a catalogue
//! key so that its undo entry reads in whichever language it is shown.

use crate::model::{
    AttributeScope, AttributeType, CodeId, CodeKind, CodingId, Consent, DocumentId, MemoId,
    MemoTarget, RespondentId,
};
use crate::store::codes::{self, NewCode};
use crate::store::respondents::NewRespondent;
use crate::store::{Project, attributes, codings, documents, memos, respondents};

use super::message::{Arg, Message, Refresh};
use super::{AppError, AppResult};

/// Longest name an in-vivo code gets, in chars.
const IN_VIVO_MAX_CHARS: usize = 60;

/// A change of the project a user asks for. GUIDs name what it applies to; char offsets
/// are into the document's stored text, start inclusive, end exclusive.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Code a range with a code, with an optional memo on the new coding.
    ApplyCode {
        /// Document GUID.
        document: DocumentId,
        /// Code GUID.
        code: CodeId,
        /// First char coded (chars into the stored text), inclusive.
        start: usize,
        /// Char after the last one coded.
        end: usize,
        /// Memo on the coding (blank: none).
        memo: Option<String>,
    },
    /// Code a range with a code named after its words (made at the top of the codebook,
    /// or found there if one has that name).
    InVivo {
        /// Document GUID.
        document: DocumentId,
        /// First char coded (chars into the stored text), inclusive.
        start: usize,
        /// Char after the last one coded.
        end: usize,
    },
    /// Remove a coding (a tombstone: undo and merges bring it back).
    RemoveCoding(CodingId),
    /// Give a coding another code.
    ChangeCodingCode {
        /// Coding GUID.
        coding: CodingId,
        /// The new code's GUID.
        code: CodeId,
    },
    /// Set the acting coder's memo on a target (blank text deletes it).
    SetMemo {
        /// What the memo is about.
        target: MemoTarget,
        /// Its text as typed; blank deletes the memo.
        text: String,
    },
    /// Delete a memo, whoever wrote it.
    DeleteMemo(MemoId),
    /// Add a code, last among its siblings.
    AddCode {
        /// Parent GUID (`None`: at the top).
        parent: Option<CodeId>,
        /// Name; unique among its siblings, without `/`.
        name: String,
        /// Kind; a pole only under a controversy, a piste only under an orientation.
        kind: CodeKind,
        /// Colour `#rrggbb` (`None`: one is chosen).
        color: Option<String>,
        /// What the code means, for coders (empty: none).
        description: String,
    },
    /// Add a controversy with its two poles.
    AddControversy {
        /// Parent GUID.
        parent: Option<CodeId>,
        /// The controversy's name.
        name: String,
        /// Name of the first pole.
        pole_a: String,
        /// Name of the second pole.
        pole_b: String,
    },
    /// Rename a code; its codings and sub-codes stay with it.
    RenameCode {
        /// Code GUID.
        guid: CodeId,
        /// New name, under the rules of [`Edit::AddCode`]'s.
        name: String,
    },
    /// Change a code's colour and description.
    SetCodeDetails {
        /// Code GUID.
        guid: CodeId,
        /// `#rrggbb`.
        color: String,
        /// What the code means, for coders (empty: none).
        description: String,
    },
    /// Change a code's kind.
    SetCodeKind {
        /// Code GUID.
        guid: CodeId,
        /// New kind, checked against the tree rules where the code stands.
        kind: CodeKind,
    },
    /// Move a code under another (`None`: to the top), at a position among its siblings.
    MoveCode {
        /// Code GUID.
        guid: CodeId,
        /// New parent GUID.
        parent: Option<CodeId>,
        /// Place among the new siblings (`None`: last).
        position: Option<usize>,
    },
    /// Merge a code into another: its codings and sub-codes move there.
    MergeCode {
        /// The code merged away.
        from: CodeId,
        /// The code that receives it.
        into: CodeId,
    },
    /// Delete a code with its sub-codes and codings.
    DeleteCode(CodeId),
    /// Load a built-in codebook (codes already there are kept).
    LoadTemplate(String),
    /// Rename a document (names need not be unique).
    RenameDocument {
        /// Document GUID.
        guid: DocumentId,
        /// New name; blank is refused.
        name: String,
    },
    /// Delete a document and its codings.
    DeleteDocument(DocumentId),
    /// Link a document to a respondent (`None`: unlink it).
    LinkDocument {
        /// Document GUID.
        document: DocumentId,
        /// Respondent GUID.
        respondent: Option<RespondentId>,
    },
    /// Add a respondent by name (consent pending, no pseudonym yet).
    AddRespondent(String),
    /// Change a respondent's name, pseudonym and consent.
    UpdateRespondent {
        /// Respondent GUID.
        guid: RespondentId,
        /// Real name; blank is refused.
        name: String,
        /// Pseudonym used in pseudonymised exports.
        pseudonym: String,
        /// Consent; withdrawn keeps their excerpts out of reports.
        consent: Consent,
    },
    /// Delete a respondent (their documents stay, unlinked).
    DeleteRespondent(RespondentId),
    /// Define an attribute (a variable), last in the attribute order.
    DefineAttribute {
        /// Name; an attribute of that name and scope must not exist with another type.
        name: String,
        /// Type its values are checked against.
        value_type: AttributeType,
        /// Whether values describe respondents or documents.
        scope: AttributeScope,
    },
    /// Set (`None`: clear) an attribute's value for one respondent or document.
    SetAttributeValue {
        /// Attribute GUID.
        attribute: String,
        /// Respondent or document GUID.
        owner: String,
        /// The value as typed.
        value: Option<String>,
    },
}

/// What an edit did.
#[derive(Debug, Clone, PartialEq)]
pub struct Done {
    /// What to tell the user, if anything.
    pub message: Option<Message>,
    /// What the faces must show again.
    pub refresh: Refresh,
    /// A code the edit used or made: the one to select or to offer again.
    pub code: Option<CodeId>,
    /// The GUID of what the edit created (a coding, a code…), if it created one.
    pub created: Option<String>,
}

impl Done {
    fn new(message: Option<Message>, refresh: Refresh) -> Done {
        Done {
            message,
            refresh,
            code: None,
            created: None,
        }
    }
}

impl Edit {
    /// The catalogue key of the action's undo label.
    pub fn label(&self) -> &'static str {
        match self {
            Edit::ApplyCode { .. } => "action.code",
            Edit::InVivo { .. } => "action.in_vivo",
            Edit::RemoveCoding(_) => "action.remove_coding",
            Edit::ChangeCodingCode { .. } => "action.change_code",
            Edit::SetMemo { .. } => "action.memo",
            Edit::DeleteMemo(_) => "action.memo_delete",
            Edit::AddCode { .. } | Edit::AddControversy { .. } => "action.add_code",
            Edit::RenameCode { .. } => "action.rename_code",
            Edit::SetCodeDetails { .. } | Edit::SetCodeKind { .. } => "action.edit_code",
            Edit::MoveCode { .. } => "action.move_code",
            Edit::MergeCode { .. } => "action.merge_code",
            Edit::DeleteCode(_) => "action.delete_code",
            Edit::LoadTemplate(_) => "action.template",
            Edit::RenameDocument { .. } => "action.rename_document",
            Edit::DeleteDocument(_) => "action.delete_document",
            Edit::LinkDocument { .. } => "action.link_document",
            Edit::AddRespondent(_) => "action.add_respondent",
            Edit::UpdateRespondent { .. } => "action.edit_respondent",
            Edit::DeleteRespondent(_) => "action.delete_respondent",
            Edit::DefineAttribute { .. } => "action.define_attribute",
            Edit::SetAttributeValue { .. } => "action.set_attribute",
        }
    }
}

/// Applies one edit as one action of `project`.
pub fn apply(project: &mut Project, edit: Edit) -> AppResult<Done> {
    let label = edit.label();
    match edit {
        Edit::ApplyCode {
            document,
            code,
            start,
            end,
            memo,
        } => apply_code(
            project,
            label,
            &document,
            &code,
            (start, end),
            memo.as_deref(),
        ),
        Edit::InVivo {
            document,
            start,
            end,
        } => in_vivo(project, label, &document, start, end),
        Edit::RemoveCoding(guid) => {
            project.action(label, |tx| codings::remove(tx, &guid))?;
            Ok(Done::new(
                Some(Message::plain("msg.coding_removed")),
                Refresh::Codings(vec![guid]),
            ))
        }
        Edit::ChangeCodingCode { coding, code } => {
            project.action(label, |tx| codings::change_code(tx, &coding, &code))?;
            let mut done = Done::new(
                Some(coded_message(project, &code)?),
                Refresh::Codings(vec![coding]),
            );
            done.code = Some(code);
            Ok(done)
        }
        Edit::SetMemo { target, text } => {
            let kept = project.action(label, |tx| memos::set(tx, &target, &text))?;
            let key = if kept.is_some() {
                "msg.memo_saved"
            } else {
                "msg.memo_deleted"
            };
            Ok(Done::new(Some(Message::plain(key)), Refresh::Lists))
        }
        Edit::DeleteMemo(guid) => {
            project.action(label, |tx| memos::delete(tx, &guid))?;
            Ok(Done::new(
                Some(Message::plain("msg.memo_deleted")),
                Refresh::Lists,
            ))
        }
        edit @ (Edit::AddCode { .. }
        | Edit::AddControversy { .. }
        | Edit::RenameCode { .. }
        | Edit::SetCodeDetails { .. }
        | Edit::SetCodeKind { .. }
        | Edit::MoveCode { .. }
        | Edit::MergeCode { .. }
        | Edit::DeleteCode(_)
        | Edit::LoadTemplate(_)) => edit_codebook(project, label, edit),
        edit => edit_corpus(project, label, edit),
    }
}

/// Codes a range, with the coding's memo in the same action.
fn apply_code(
    project: &mut Project,
    label: &str,
    document: &DocumentId,
    code: &CodeId,
    (start, end): (usize, usize),
    memo: Option<&str>,
) -> AppResult<Done> {
    let guid = project.action(label, |tx| {
        let guid = codings::apply(tx, document, code, start, end)?;
        if let Some(text) = memo.filter(|m| !m.trim().is_empty()) {
            memos::set(tx, &MemoTarget::Coding(guid.clone()), text)?;
        }
        Ok(guid)
    })?;
    let mut done = Done::new(
        Some(coded_message(project, code)?),
        Refresh::Codings(vec![guid.clone()]),
    );
    done.code = Some(code.clone());
    done.created = Some(guid.into_string());
    Ok(done)
}

/// "Coded with « code »", or for a pole the side it takes.
fn coded_message(project: &Project, code: &CodeId) -> AppResult<Message> {
    let kind = codes::get(project.conn(), code)?.kind;
    Ok(if kind == CodeKind::Pole {
        Message::with(
            "msg.coded_pole",
            vec![("note", Arg::PoleNote(code.clone()))],
        )
    } else {
        Message::with("msg.coded", vec![("code", Arg::CodePath(code.clone()))])
    })
}

/// Codes a range with a code named after its words: a top-level theme of that name is
/// reused, else made, in the same action.
fn in_vivo(
    project: &mut Project,
    label: &str,
    document: &DocumentId,
    start: usize,
    end: usize,
) -> AppResult<Done> {
    let text = documents::text(project.conn(), document)?;
    let name = in_vivo_name(crate::model::text::slice_chars(&text, start, end).unwrap_or(""));
    if name.is_empty() {
        return Err(AppError::InVivoEmpty);
    }
    let (code, coding) = project.action(label, |tx| {
        let existing = codes::list(tx.conn)?
            .into_iter()
            .find(|c| c.parent_guid.is_none() && c.name == name);
        let code = match existing {
            Some(c) => c.guid,
            None => codes::insert(tx, NewCode::new(&name, CodeKind::Theme, None))?,
        };
        let coding = codings::apply(tx, document, &code, start, end)?;
        Ok((code, coding))
    })?;
    let message = Message::with("msg.in_vivo", vec![("code", Arg::Text(name))]);
    let mut done = Done::new(Some(message), Refresh::Codings(vec![coding.clone()]));
    done.code = Some(code);
    done.created = Some(coding.into_string());
    Ok(done)
}

/// The name of an in-vivo code made from selected text: one line, no `/` (which separates
/// a code path), at most [`IN_VIVO_MAX_CHARS`] chars.
pub fn in_vivo_name(text: &str) -> String {
    let clean = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('/', "-");
    let clean = clean
        .trim_matches(|c: char| c.is_ascii_punctuation() && c != '-' || c == '«' || c == '»')
        .trim();
    if clean.chars().count() <= IN_VIVO_MAX_CHARS {
        return clean.to_string();
    }
    let cut: String = clean.chars().take(IN_VIVO_MAX_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

/// The edits of the codebook.
fn edit_codebook(project: &mut Project, label: &str, edit: Edit) -> AppResult<Done> {
    let mut done = Done::new(None, Refresh::All);
    match edit {
        Edit::AddCode {
            parent,
            name,
            kind,
            color,
            description,
        } => {
            let mut new = NewCode::new(&name, kind, parent.as_ref());
            new.color = color;
            new.description = description;
            let guid = project.action(label, |tx| codes::insert(tx, new))?;
            done.message = Some(Message::with(
                "msg.code_added",
                vec![("code", Arg::Text(name))],
            ));
            done.code = Some(guid.clone());
            done.created = Some(guid.into_string());
        }
        Edit::AddControversy {
            parent,
            name,
            pole_a,
            pole_b,
        } => {
            let guid = project.action(label, |tx| {
                let c = codes::insert(
                    tx,
                    NewCode::new(&name, CodeKind::Controversy, parent.as_ref()),
                )?;
                codes::insert(tx, NewCode::new(&pole_a, CodeKind::Pole, Some(&c)))?;
                codes::insert(tx, NewCode::new(&pole_b, CodeKind::Pole, Some(&c)))?;
                Ok(c)
            })?;
            done.message = Some(Message::with(
                "msg.code_added",
                vec![("code", Arg::Text(name))],
            ));
            done.created = Some(guid.into_string());
        }
        Edit::RenameCode { guid, name } => {
            project.action(label, |tx| codes::rename(tx, &guid, &name))?;
            done.message = Some(Message::with(
                "msg.code_renamed",
                vec![("code", Arg::Text(name))],
            ));
        }
        Edit::SetCodeDetails {
            guid,
            color,
            description,
        } => {
            project.action(label, |tx| {
                codes::set_details(tx, &guid, &color, &description)
            })?;
        }
        Edit::SetCodeKind { guid, kind } => {
            project.action(label, |tx| codes::set_kind(tx, &guid, kind))?;
        }
        Edit::MoveCode {
            guid,
            parent,
            position,
        } => {
            project.action(label, |tx| {
                codes::move_to(tx, &guid, parent.as_ref(), position)
            })?;
            done.message = Some(Message::plain("msg.code_moved"));
        }
        Edit::MergeCode { from, into } => {
            let from_name = codes::get(project.conn(), &from)?.name;
            let moved = project.action(label, |tx| codes::merge(tx, &from, &into))?;
            done.message = Some(Message::with(
                "msg.merged",
                vec![
                    ("from", Arg::Text(from_name)),
                    ("into", Arg::CodePath(into.clone())),
                    ("n", Arg::Count(moved)),
                ],
            ));
            done.code = Some(into);
        }
        Edit::DeleteCode(guid) => {
            let name = codes::get(project.conn(), &guid)?.name;
            let removed = project.action(label, |tx| codes::delete(tx, &guid))?;
            done.message = Some(Message::with(
                "msg.code_deleted",
                vec![("code", Arg::Text(name)), ("n", Arg::Count(removed))],
            ));
        }
        Edit::LoadTemplate(id) => {
            let template =
                crate::templates::by_id(&id).unwrap_or_else(crate::templates::reflexes_publics);
            let added = project.action(label, |tx| crate::templates::load(tx, &template))?;
            done.message = Some(Message::with(
                "msg.template",
                vec![("n", Arg::Count(added))],
            ));
        }
        _ => unreachable!("only codebook edits come here"),
    }
    Ok(done)
}

/// The edits of documents, respondents and attributes.
fn edit_corpus(project: &mut Project, label: &str, edit: Edit) -> AppResult<Done> {
    let mut done = Done::new(None, Refresh::All);
    match edit {
        Edit::RenameDocument { guid, name } => {
            project.action(label, |tx| documents::rename(tx, &guid, &name))?;
        }
        Edit::DeleteDocument(guid) => {
            project.action(label, |tx| documents::delete(tx, &guid))?;
            done.message = Some(Message::plain("msg.document_deleted"));
        }
        Edit::LinkDocument {
            document,
            respondent,
        } => {
            project.action(label, |tx| {
                documents::set_respondent(tx, &document, respondent.as_ref())
            })?;
        }
        Edit::AddRespondent(name) => {
            let guid = project.action(label, |tx| {
                respondents::insert(
                    tx,
                    NewRespondent {
                        guid: None,
                        name,
                        pseudonym: String::new(),
                        consent: Consent::Pending,
                    },
                )
            })?;
            done.created = Some(guid.into_string());
        }
        Edit::UpdateRespondent {
            guid,
            name,
            pseudonym,
            consent,
        } => {
            project.action(label, |tx| {
                respondents::update(tx, &guid, &name, &pseudonym, consent)
            })?;
        }
        Edit::DeleteRespondent(guid) => {
            project.action(label, |tx| respondents::delete(tx, &guid))?;
        }
        Edit::DefineAttribute {
            name,
            value_type,
            scope,
        } => {
            let attribute = project.action(label, |tx| {
                attributes::define(tx, &name, value_type, scope, None)
            })?;
            done.created = Some(attribute.guid);
        }
        Edit::SetAttributeValue {
            attribute,
            owner,
            value,
        } => {
            project.action(label, |tx| {
                attributes::set_value(tx, &attribute, &owner, value.as_deref())
            })?;
            done.refresh = Refresh::Lists;
        }
        _ => unreachable!("only corpus edits come here"),
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_vivo_names_are_one_clean_line() {
        assert_eq!(in_vivo_name("  « on nous a lâchés »\n"), "on nous a lâchés");
        assert_eq!(in_vivo_name("entrée/sortie"), "entrée-sortie");
        let long = "mot ".repeat(40);
        assert!(in_vivo_name(&long).chars().count() <= IN_VIVO_MAX_CHARS);
        assert!(in_vivo_name(&long).ends_with('…'));
    }
}
