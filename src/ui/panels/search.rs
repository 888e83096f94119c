//! Lexical search: a query in the search language ([`crate::lexical::query`]: words,
//! "phrases", AND/OR/NOT and ET/OU/SAUF, prefix*, NEAR(a b, 5)), where to look (the whole
//! corpus, chosen documents, an attribute's value, what is coded with a code), and the
//! passages found as a concordance below ([`super::search_results`]), to open, export or
//! code. The search runs beside the frame (see `ui/search_work.rs`); the panel keeps the
//! choices and the last results.

use std::collections::BTreeSet;

use egui::{ComboBox, RichText, Ui};

use crate::app::lexical::{
    AutocodePlan, AutocodeRequest, PassageRef, SearchOverview, SearchRequest,
};
use crate::export::tables::TableFormat;
use crate::lexical::kwic::KwicSort;
use crate::lexical::units::Unit;
use crate::lexical::{Scope, Width};
use crate::ui::command::{Command, Prompt};
use crate::ui::env::Env;
use crate::ui::theme;
use crate::ui::widgets::code_picker::{Codes, code_picker};

/// Most concordance lines kept and shown (the counts count every passage; export and
/// "all" reach every one).
pub const MAX_LINES: usize = 5_000;

/// Chars of context on each side of a hit.
pub const CONTEXT_CHARS: usize = 50;

/// Where a search looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Place {
    /// Every document.
    #[default]
    Corpus,
    /// The documents ticked in the list.
    Documents,
    /// Documents whose respondent (or themselves) have an attribute's value.
    Attribute,
    /// Only what is coded with a code or one of its sub-codes.
    Code,
}

/// Which hits are ticked for coding.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ticks {
    /// Every hit of the search, shown or not.
    pub all: bool,
    /// The hits ticked one by one (when not `all`).
    pub some: BTreeSet<PassageRef>,
}

/// The search panel's state.
#[derive(Debug)]
pub struct SearchPanel {
    /// The query typed.
    pub query: String,
    /// Where to look.
    pub place: Place,
    /// Documents to look in (GUIDs), for [`Place::Documents`].
    pub documents: BTreeSet<String>,
    /// Attribute name, for [`Place::Attribute`].
    pub attribute: String,
    /// Its value.
    pub value: String,
    /// Code (GUID), for [`Place::Code`].
    pub scope_code: Option<String>,
    scope_code_filter: String,
    /// The unit in which AND and NOT are judged.
    pub within: Scope,
    /// Focus the query field on the next frame (Ctrl+F).
    pub focus: bool,
    /// A search to run after the frame.
    pub pending: Option<SearchRequest>,
    /// The search the results are for; run again when the project changes.
    pub searched: Option<SearchRequest>,
    /// The project version the results are for.
    pub(crate) searched_version: Option<u64>,
    /// Number of the search under way beside the frame, if one is.
    pub(crate) running: Option<u64>,
    /// Numbers the searches started, so that a late result of an older one is dropped.
    pub(crate) serial: u64,
    /// What the last search found.
    pub overview: Option<SearchOverview>,
    /// Why the last search failed (a malformed query: which token), in the user's language.
    pub error: Option<String>,
    /// Order of the concordance.
    pub sort: KwicSort,
    /// Hits ticked for coding.
    pub ticks: Ticks,
    /// The code to code them with (GUID).
    pub code: Option<String>,
    pub(crate) code_filter: String,
    /// What each hit is widened to.
    pub unit: Unit,
    /// The preview of coding the ticked hits: for which project version and request.
    pub plan: Option<(u64, AutocodeRequest, Result<AutocodePlan, String>)>,
    /// The preview being computed beside the frame: for which project version and request.
    pub(crate) plan_asked: Option<(u64, AutocodeRequest)>,
    /// File the concordance is exported to (a default beside the project after a search).
    pub export_path: String,
    /// Its format.
    pub export_format: TableFormat,
}

impl Default for SearchPanel {
    fn default() -> Self {
        SearchPanel {
            query: String::new(),
            place: Place::Corpus,
            documents: BTreeSet::new(),
            attribute: String::new(),
            value: String::new(),
            scope_code: None,
            scope_code_filter: String::new(),
            within: Scope::Paragraph,
            focus: false,
            pending: None,
            searched: None,
            searched_version: None,
            running: None,
            serial: 0,
            overview: None,
            error: None,
            sort: KwicSort::Document,
            ticks: Ticks::default(),
            code: None,
            code_filter: String::new(),
            unit: Unit::Sentence,
            plan: None,
            plan_asked: None,
            export_path: String::new(),
            export_format: TableFormat::Xlsx,
        }
    }
}

/// Translation key of a unit of coding.
pub fn unit_key(unit: Unit) -> &'static str {
    match unit {
        Unit::Word => "search.unit_word",
        Unit::Sentence => "search.unit_sentence",
        Unit::Paragraph => "search.unit_paragraph",
        Unit::Turn => "search.unit_turn",
        Unit::Document => "search.unit_document",
    }
}

fn within_key(scope: Scope) -> &'static str {
    match scope {
        Scope::Sentence => "search.within_sentence",
        Scope::Paragraph => "search.within_paragraph",
        Scope::Turn => "search.within_turn",
        Scope::Document => "search.within_document",
    }
}

fn place_key(place: Place) -> &'static str {
    match place {
        Place::Corpus => "search.place_corpus",
        Place::Documents => "search.place_documents",
        Place::Attribute => "search.place_attribute",
        Place::Code => "search.place_code",
    }
}

impl SearchPanel {
    /// The search the choices describe, or the catalogue key of what is missing (a place
    /// chosen without its documents or code).
    pub fn request(&self) -> Result<SearchRequest, &'static str> {
        let mut request = SearchRequest::new(self.query.trim());
        request.within = self.within;
        request.context = Width::Chars(CONTEXT_CHARS);
        request.limit = MAX_LINES;
        match self.place {
            Place::Corpus => {}
            Place::Documents if self.documents.is_empty() => return Err("search.pick_documents"),
            Place::Documents => request.scope.documents = self.documents.iter().cloned().collect(),
            Place::Attribute
                if self.attribute.trim().is_empty() || self.value.trim().is_empty() =>
            {
                return Err("search.pick_attribute");
            }
            Place::Attribute => request
                .scope
                .attributes
                .push((self.attribute.trim().into(), self.value.trim().into())),
            Place::Code => match &self.scope_code {
                Some(code) => request.scope.codes.push(code.clone()),
                None => return Err("search.pick_scope_code"),
            },
        }
        Ok(request)
    }

    /// Asks for the search the choices describe (or says what is missing).
    fn ask(&mut self, env: &Env) {
        match self.request() {
            Ok(request) => {
                self.pending = Some(request);
                self.error = None;
                self.ticks = Ticks::default();
            }
            Err(key) => self.error = Some(env.tr.t(key).to_string()),
        }
    }

    /// Takes the outcome of a search: the lines in the order asked, ticks of hits no longer
    /// found dropped.
    pub fn take_result(&mut self, result: Result<SearchOverview, String>) {
        match result {
            Ok(mut overview) => {
                crate::app::lexical::sort_concordance(&mut overview.lines, self.sort);
                let found: BTreeSet<PassageRef> = overview.lines.iter().map(passage_ref).collect();
                self.ticks.some.retain(|t| found.contains(t));
                self.overview = Some(overview);
                self.error = None;
            }
            Err(e) => {
                self.overview = None;
                self.ticks = Ticks::default();
                self.error = Some(e);
            }
        }
    }

    /// Coding the ticked hits with the chosen code and unit, when both are chosen.
    pub fn autocode_request(&self) -> Option<AutocodeRequest> {
        let search = self.searched.clone()?;
        let code = self.code.clone()?;
        let only = if self.ticks.all {
            None
        } else if self.ticks.some.is_empty() {
            return None;
        } else {
            Some(self.ticks.some.iter().cloned().collect())
        };
        Some(AutocodeRequest {
            search,
            code,
            unit: self.unit,
            only,
        })
    }

    /// Draws the panel.
    pub fn ui(&mut self, ui: &mut Ui, env: &Env, commands: &mut Vec<Command>) {
        self.query_row(ui, env, commands);
        self.place_row(ui, env);
        ui.separator();
        if let Some(error) = &self.error {
            ui.colored_label(theme::ERROR, error);
        }
        if self.running.is_some() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(env.tr.t("search.running"));
            });
        }
        if self.overview.is_none() {
            if self.error.is_none() && self.running.is_none() {
                ui.label(RichText::new(env.tr.t("search.help")).color(theme::INK_SOFT));
            }
            return;
        }
        super::search_results::results_ui(self, ui, env, commands);
    }

    fn query_row(&mut self, ui: &mut Ui, env: &Env, commands: &mut Vec<Command>) {
        let tr = env.tr;
        ui.horizontal(|ui| {
            let label = ui.label(tr.t("search.query"));
            let edit = ui
                .add(
                    egui::TextEdit::singleline(&mut self.query)
                        .hint_text(tr.t("search.hint"))
                        .desired_width(360.0),
                )
                .labelled_by(label.id)
                .on_hover_text(tr.t("search.syntax"));
            if self.focus {
                edit.request_focus();
                self.focus = false;
            }
            let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button(tr.t("search.go")).clicked() || enter) && !self.query.trim().is_empty() {
                self.ask(env);
            }
            if ui
                .small_button("?")
                .on_hover_text(tr.t("search.syntax"))
                .clicked()
            {
                commands.push(Command::Ask(Prompt::Help));
            }
        });
    }

    /// Where to look, and the unit of AND and NOT.
    fn place_row(&mut self, ui: &mut Ui, env: &Env) {
        let tr = env.tr;
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(tr.t("search.place"));
            ComboBox::from_id_salt("search_place")
                .selected_text(tr.t(place_key(self.place)))
                .show_ui(ui, |ui| {
                    for place in [
                        Place::Corpus,
                        Place::Documents,
                        Place::Attribute,
                        Place::Code,
                    ] {
                        ui.selectable_value(&mut self.place, place, tr.t(place_key(place)));
                    }
                })
                .response
                .labelled_by(label.id);
            match self.place {
                Place::Corpus => {}
                Place::Documents => self.documents_ui(ui, env),
                Place::Attribute => self.attribute_ui(ui, env),
                Place::Code => {
                    code_picker(
                        ui,
                        env,
                        "search_scope_code",
                        tr.t("search.scope_code"),
                        Codes::All,
                        &mut self.scope_code,
                        &mut self.scope_code_filter,
                    );
                }
            }
            ui.separator();
            let label = ui.label(tr.t("search.within"));
            ComboBox::from_id_salt("search_within")
                .selected_text(tr.t(within_key(self.within)))
                .show_ui(ui, |ui| {
                    for scope in [
                        Scope::Sentence,
                        Scope::Paragraph,
                        Scope::Turn,
                        Scope::Document,
                    ] {
                        ui.selectable_value(&mut self.within, scope, tr.t(within_key(scope)));
                    }
                })
                .response
                .labelled_by(label.id);
        });
    }

    /// The documents to look in, ticked in a menu.
    fn documents_ui(&mut self, ui: &mut Ui, env: &Env) {
        let tr = env.tr;
        let title = tr.f(
            "search.documents_chosen",
            &[("n", &tr.number(self.documents.len()))],
        );
        ui.menu_button(title, |ui| {
            egui::ScrollArea::vertical()
                .max_height(320.0)
                .show(ui, |ui| {
                    for doc in &env.cache.documents {
                        let mut on = self.documents.contains(doc.guid.as_str());
                        if ui.checkbox(&mut on, &doc.name).changed() {
                            if on {
                                self.documents.insert(doc.guid.to_string());
                            } else {
                                self.documents.remove(doc.guid.as_str());
                            }
                        }
                    }
                });
        });
    }

    /// An attribute and one of its values.
    fn attribute_ui(&mut self, ui: &mut Ui, env: &Env) {
        let tr = env.tr;
        let choices = env.cache.attribute_choices();
        let shown = if self.attribute.is_empty() {
            tr.t("search.pick").to_string()
        } else {
            self.attribute.clone()
        };
        let label = ui.label(tr.t("search.attribute"));
        ComboBox::from_id_salt("search_attribute")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                for name in choices.keys() {
                    ui.selectable_value(&mut self.attribute, name.clone(), name);
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label(tr.t("search.value"));
        let values = choices.get(&self.attribute).cloned().unwrap_or_default();
        let shown = if self.value.is_empty() {
            tr.t("search.pick").to_string()
        } else {
            self.value.clone()
        };
        ComboBox::from_id_salt("search_attribute_value")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                for value in &values {
                    ui.selectable_value(&mut self.value, value.clone(), value);
                }
            })
            .response
            .labelled_by(label.id);
    }
}

/// Where a concordance line's hit lies, as the autocode request names it.
pub fn passage_ref(line: &crate::app::lexical::Concordance) -> PassageRef {
    PassageRef {
        document_guid: line.document_guid.to_string(),
        start: line.line.span.start,
        end: line.line.span.end,
    }
}
