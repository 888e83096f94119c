//! The commands that change the project: each is one `Project::action` (one transaction,
//! one undo step).

use crate::model::CodeKind;
use crate::store::codes::{self, NewCode};
use crate::store::respondents::NewRespondent;
use crate::store::{Project, StoreError, attributes, codings, documents, memos, respondents};

use super::app::FouilleApp;
use super::apply::Reload;
use super::command::Command;
use crate::i18n::I18n;

/// Longest name an in-vivo code gets, in chars.
const IN_VIVO_MAX_CHARS: usize = 60;

/// The name of an in-vivo code made from selected text: one line, no `/`, bounded.
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

pub(crate) fn project_mut<'a>(
    project: &'a mut Option<Project>,
    lent: bool,
    tr: &I18n,
) -> Result<&'a mut Project, String> {
    match project {
        Some(p) => Ok(p),
        None if lent => Err(tr.t("error.busy").to_string()),
        None => Err(tr.t("error.no_project").to_string()),
    }
}

impl FouilleApp {
    /// Applies a command that changes the project.
    pub(crate) fn apply_edit(&mut self, command: Command) -> Result<Option<String>, String> {
        let tr = self.tr.clone();
        let store = |e: StoreError| crate::i18n::errors::store(&tr, &e);
        let project = project_mut(&mut self.project, self.project_lent, &tr)?;
        let label = |key: &str| tr.t(key).to_string();
        match command {
            Command::ApplyCode {
                document,
                code,
                start,
                end,
            } => {
                let guid = project
                    .action(&label("action.code"), |tx| {
                        codings::apply(tx, &document, &code, start, end)
                    })
                    .map_err(store)?;
                self.reload = Reload::Codings(vec![guid]);
                self.nav.use_code(&code);
                Ok(Some(self.code_message(&code)))
            }
            Command::InVivo {
                document,
                start,
                end,
            } => {
                let text = documents::text(project.conn(), &document).map_err(store)?;
                let name =
                    in_vivo_name(crate::model::text::slice_chars(&text, start, end).unwrap_or(""));
                if name.is_empty() {
                    return Err(tr.t("error.in_vivo_empty").to_string());
                }
                let (code, coding) = project
                    .action(&label("action.in_vivo"), |tx| {
                        let existing = codes::list(tx.conn)?
                            .into_iter()
                            .find(|c| c.parent_guid.is_none() && c.name == name);
                        let code = match existing {
                            Some(c) => c.guid,
                            None => codes::insert(tx, NewCode::new(&name, CodeKind::Theme, None))?,
                        };
                        let coding = codings::apply(tx, &document, &code, start, end)?;
                        Ok((code, coding))
                    })
                    .map_err(store)?;
                self.reload = Reload::Codings(vec![coding]);
                self.nav.use_code(&code);
                Ok(Some(tr.f("msg.in_vivo", &[("code", &name)])))
            }
            Command::RemoveCoding(guid) => {
                project
                    .action(&label("action.remove_coding"), |tx| {
                        codings::remove(tx, &guid)
                    })
                    .map_err(store)?;
                self.reload = Reload::Codings(vec![guid]);
                Ok(Some(tr.t("msg.coding_removed").to_string()))
            }
            Command::ChangeCodingCode { coding, code } => {
                project
                    .action(&label("action.change_code"), |tx| {
                        codings::change_code(tx, &coding, &code)
                    })
                    .map_err(store)?;
                self.reload = Reload::Codings(vec![coding]);
                self.nav.use_code(&code);
                Ok(Some(self.code_message(&code)))
            }
            Command::SetMemo { target, text } => {
                let kept = project
                    .action(&label("action.memo"), |tx| memos::set(tx, &target, &text))
                    .map_err(store)?;
                self.reload = Reload::CacheOnly;
                Ok(Some(
                    tr.t(if kept.is_some() {
                        "msg.memo_saved"
                    } else {
                        "msg.memo_deleted"
                    })
                    .to_string(),
                ))
            }
            Command::DeleteMemo(guid) => {
                project
                    .action(&label("action.memo_delete"), |tx| memos::delete(tx, &guid))
                    .map_err(store)?;
                self.reload = Reload::CacheOnly;
                Ok(Some(tr.t("msg.memo_deleted").to_string()))
            }
            Command::AddCode { parent, name, kind } => {
                let guid = project
                    .action(&label("action.add_code"), |tx| {
                        codes::insert(tx, NewCode::new(&name, kind, parent.as_deref()))
                    })
                    .map_err(store)?;
                self.nav.selected_codes = vec![guid];
                Ok(Some(tr.f("msg.code_added", &[("code", &name)])))
            }
            Command::AddControversy {
                parent,
                name,
                pole_a,
                pole_b,
            } => {
                project
                    .action(&label("action.add_code"), |tx| {
                        let c = codes::insert(
                            tx,
                            NewCode::new(&name, CodeKind::Controversy, parent.as_deref()),
                        )?;
                        codes::insert(tx, NewCode::new(&pole_a, CodeKind::Pole, Some(&c)))?;
                        codes::insert(tx, NewCode::new(&pole_b, CodeKind::Pole, Some(&c)))?;
                        Ok(c)
                    })
                    .map_err(store)?;
                Ok(Some(tr.f("msg.code_added", &[("code", &name)])))
            }
            Command::RenameCode { guid, name } => {
                project
                    .action(&label("action.rename_code"), |tx| {
                        codes::rename(tx, &guid, &name)
                    })
                    .map_err(store)?;
                Ok(Some(tr.f("msg.code_renamed", &[("code", &name)])))
            }
            Command::SetCodeDetails {
                guid,
                color,
                description,
            } => {
                project
                    .action(&label("action.edit_code"), |tx| {
                        codes::set_details(tx, &guid, &color, &description)
                    })
                    .map_err(store)?;
                Ok(None)
            }
            Command::SetCodeKind { guid, kind } => {
                project
                    .action(&label("action.edit_code"), |tx| {
                        codes::set_kind(tx, &guid, kind)
                    })
                    .map_err(store)?;
                Ok(None)
            }
            Command::MoveCode {
                guid,
                parent,
                position,
            } => {
                project
                    .action(&label("action.move_code"), |tx| {
                        codes::move_to(tx, &guid, parent.as_deref(), position)
                    })
                    .map_err(store)?;
                Ok(Some(tr.t("msg.code_moved").to_string()))
            }
            Command::MergeCode { from, into } => {
                let from_name = self.env().code_name(&from);
                let into_name = self.env().code_name(&into);
                let project = project_mut(&mut self.project, self.project_lent, &tr)?;
                let moved = project
                    .action(&label("action.merge_code"), |tx| {
                        codes::merge(tx, &from, &into)
                    })
                    .map_err(store)?;
                self.nav.selected_codes = vec![into];
                Ok(Some(tr.f(
                    "msg.merged",
                    &[
                        ("from", &from_name),
                        ("into", &into_name),
                        ("n", &moved.to_string()),
                    ],
                )))
            }
            Command::DeleteCode(guid) => {
                let name = self.env().code_name(&guid);
                let project = project_mut(&mut self.project, self.project_lent, &tr)?;
                let removed = project
                    .action(&label("action.delete_code"), |tx| codes::delete(tx, &guid))
                    .map_err(store)?;
                Ok(Some(tr.f(
                    "msg.code_deleted",
                    &[("code", &name), ("n", &removed.to_string())],
                )))
            }
            Command::LoadTemplate => {
                let added = project
                    .action(&label("action.template"), |tx| {
                        crate::templates::load(tx, &crate::templates::reflexes_publics())
                    })
                    .map_err(store)?;
                Ok(Some(tr.f("msg.template", &[("n", &added.to_string())])))
            }
            Command::RenameDocument { guid, name } => {
                project
                    .action(&label("action.rename_document"), |tx| {
                        documents::rename(tx, &guid, &name)
                    })
                    .map_err(store)?;
                Ok(None)
            }
            Command::DeleteDocument(guid) => {
                project
                    .action(&label("action.delete_document"), |tx| {
                        documents::delete(tx, &guid)
                    })
                    .map_err(store)?;
                Ok(Some(tr.t("msg.document_deleted").to_string()))
            }
            Command::LinkDocument {
                document,
                respondent,
            } => {
                project
                    .action(&label("action.link_document"), |tx| {
                        documents::set_respondent(tx, &document, respondent.as_deref())
                    })
                    .map_err(store)?;
                Ok(None)
            }
            Command::AddRespondent(name) => {
                project
                    .action(&label("action.add_respondent"), |tx| {
                        respondents::insert(
                            tx,
                            NewRespondent {
                                guid: None,
                                name: name.clone(),
                                pseudonym: String::new(),
                                consent: crate::model::Consent::Pending,
                            },
                        )
                    })
                    .map_err(store)?;
                Ok(None)
            }
            Command::UpdateRespondent {
                guid,
                name,
                pseudonym,
                consent,
            } => {
                project
                    .action(&label("action.edit_respondent"), |tx| {
                        respondents::update(tx, &guid, &name, &pseudonym, consent)
                    })
                    .map_err(store)?;
                Ok(None)
            }
            Command::DeleteRespondent(guid) => {
                project
                    .action(&label("action.delete_respondent"), |tx| {
                        respondents::delete(tx, &guid)
                    })
                    .map_err(store)?;
                Ok(None)
            }
            Command::DefineAttribute {
                name,
                value_type,
                scope,
            } => {
                project
                    .action(&label("action.define_attribute"), |tx| {
                        attributes::define(tx, &name, value_type, scope, None)
                    })
                    .map_err(store)?;
                Ok(None)
            }
            Command::SetAttributeValue {
                attribute,
                owner,
                value,
            } => {
                project
                    .action(&label("action.set_attribute"), |tx| {
                        attributes::set_value(tx, &attribute, &owner, value.as_deref())
                    })
                    .map_err(store)?;
                Ok(None)
            }
            other => Err(format!("{other:?}")),
        }
    }
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
