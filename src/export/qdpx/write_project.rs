//! `project.qde`: the REFI-QDA project document, streamed element by element.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use super::data::ExportData;
use super::write_codebook::{kind_sets, write_codes};
use super::xml_out::XmlOut;
use super::{ExportSummary, xml_date_time};
use crate::model::{AttributeScope, AttributeType, Coding, DocumentKind, MemoTarget};
use crate::refi::{
    CONSENT_VARIABLE, DOCUMENT_KIND_SET_PREFIX, DOCUMENT_SCOPE_MARKER, MEMO_LINK_NAME, ORIGIN,
    PROJECT_NAMESPACE, PSEUDONYM_VARIABLE, derived_guid,
};

/// REFI-QDA's name of a value type, and the element holding its values.
fn variable_type(t: AttributeType) -> (&'static str, &'static str) {
    match t {
        AttributeType::Text => ("Text", "TextValue"),
        AttributeType::Integer => ("Integer", "IntegerValue"),
        AttributeType::Decimal => ("Float", "FloatValue"),
        AttributeType::Boolean => ("Boolean", "BooleanValue"),
        AttributeType::Date => ("Date", "DateValue"),
    }
}

/// The first words of a memo, as the note's name.
fn note_name(text: &str) -> String {
    let first_line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    let mut name: String = first_line.chars().take(60).collect();
    if first_line.chars().count() > 60 {
        name.push('…');
    }
    if name.is_empty() {
        "Mémo".into()
    } else {
        name
    }
}

/// GUID of the selection that holds a coding (one selection per coding).
pub fn selection_guid(project_guid: &str, coding_guid: &str) -> String {
    derived_guid(project_guid, &format!("selection:{coding_guid}"))
}

/// Writes `project.qde` for `data` into `w`, sections in the order `Project.xsd` requires
/// (an empty section is left out); returns `w` and what was written.
pub fn write_project<W: Write>(data: &ExportData, w: W) -> io::Result<(W, ExportSummary)> {
    let mut out = XmlOut::new(w)?;
    let created = xml_date_time(data.created_at);
    let modified = xml_date_time(data.modified_at);
    out.start(
        "Project",
        &[
            ("xmlns", PROJECT_NAMESPACE),
            ("name", &data.name),
            ("origin", ORIGIN),
            ("creationDateTime", &created),
            ("modifiedDateTime", &modified),
        ],
    )?;
    let mut project = ProjectWriter {
        data,
        out,
        notes_of: notes_by_target(data),
        summary: ExportSummary {
            withdrawn_documents_left_out: data.withdrawn_documents_left_out,
            memos_left_out: data.memos_left_out,
            ..ExportSummary::default()
        },
        pseudonym_guid: derived_guid(&data.guid, PSEUDONYM_VARIABLE),
        consent_guid: derived_guid(&data.guid, CONSENT_VARIABLE),
    };
    project.users()?;
    project.codebook()?;
    project.variables()?;
    project.cases()?;
    project.sources()?;
    project.notes_and_links()?;
    project.sets()?;
    let ProjectWriter {
        mut out,
        notes_of,
        summary,
        ..
    } = project;
    for note in notes_of.get(&("project", "")).into_iter().flatten() {
        out.empty("NoteRef", &[("targetGUID", note)])?;
    }
    out.end("Project")?;
    Ok((out.finish(), summary))
}

/// The memos of `data` by target (kind, GUID; the project's GUID is empty), in memo order:
/// each target lists its notes as `NoteRef`s.
fn notes_by_target(data: &ExportData) -> HashMap<(&'static str, &str), Vec<String>> {
    let mut notes_of: HashMap<(&'static str, &str), Vec<String>> = HashMap::new();
    for memo in &data.memos {
        notes_of
            .entry((memo.target.kind_str(), memo.target.guid()))
            .or_default()
            .push(memo.guid.to_string());
    }
    notes_of
}

/// `project.qde` being written: one method per top-level section.
struct ProjectWriter<'d, W: Write> {
    data: &'d ExportData,
    out: XmlOut<W>,
    /// See [`notes_by_target`].
    notes_of: HashMap<(&'static str, &'d str), Vec<String>>,
    summary: ExportSummary,
    /// GUID of the variable that carries pseudonyms (derived: stable across exports).
    pseudonym_guid: String,
    /// GUID of the variable that carries consent (derived: stable across exports).
    consent_guid: String,
}

impl<W: Write> ProjectWriter<'_, W> {
    /// The `NoteRef`s of the memos about one object.
    fn note_refs(&mut self, kind: &'static str, guid: &str) -> io::Result<()> {
        for note in self.notes_of.get(&(kind, guid)).into_iter().flatten() {
            self.out.empty("NoteRef", &[("targetGUID", note)])?;
        }
        Ok(())
    }

    /// `Users`: the coders whose work is exported.
    fn users(&mut self) -> io::Result<()> {
        let coders = &self.data.coders;
        if coders.is_empty() {
            return Ok(());
        }
        self.out.start("Users", &[])?;
        for coder in coders {
            self.out.empty(
                "User",
                &[("guid", coder.guid.as_str()), ("name", &coder.name)],
            )?;
        }
        self.out.end("Users")?;
        self.summary.users = coders.len();
        Ok(())
    }

    /// `CodeBook`: the code tree, each code with its memos.
    fn codebook(&mut self) -> io::Result<()> {
        let codes = &self.data.codes;
        if codes.is_empty() {
            return Ok(());
        }
        let code_notes: HashMap<String, Vec<String>> = codes
            .iter()
            .map(|c| {
                let notes = self.notes_of.get(&("code", c.guid.as_str()));
                (c.guid.to_string(), notes.cloned().unwrap_or_default())
            })
            .collect();
        self.out.start("CodeBook", &[])?;
        self.out.start("Codes", &[])?;
        write_codes(&mut self.out, codes, Some(&code_notes))?;
        self.out.end("Codes")?;
        self.out.end("CodeBook")?;
        self.summary.codes = codes.len();
        Ok(())
    }

    /// `Variables`: the attributes (a document one marked as such), then the pseudonym and
    /// consent variables when there are respondents.
    fn variables(&mut self) -> io::Result<()> {
        let data = self.data;
        let mut variables: Vec<(String, String, AttributeType, AttributeScope)> = data
            .attributes
            .iter()
            .map(|a| (a.guid.clone(), a.name.clone(), a.value_type, a.scope))
            .collect();
        if !data.respondents.is_empty() {
            for (guid, name) in [
                (&self.pseudonym_guid, PSEUDONYM_VARIABLE),
                (&self.consent_guid, CONSENT_VARIABLE),
            ] {
                let kind = (AttributeType::Text, AttributeScope::Respondent);
                variables.push((guid.clone(), name.into(), kind.0, kind.1));
            }
        }
        if variables.is_empty() {
            return Ok(());
        }
        self.out.start("Variables", &[])?;
        for (guid, name, value_type, scope) in &variables {
            let attrs = [
                ("guid", guid.as_str()),
                ("name", name.as_str()),
                ("typeOfVariable", variable_type(*value_type).0),
            ];
            if *scope == AttributeScope::Document {
                self.out.start("Variable", &attrs)?;
                self.out
                    .text_element("Description", DOCUMENT_SCOPE_MARKER)?;
                self.out.end("Variable")?;
            } else {
                self.out.empty("Variable", &attrs)?;
            }
        }
        self.out.end("Variables")?;
        self.summary.variables = variables.len();
        Ok(())
    }

    /// `Cases`: one per respondent, with its values, pseudonym, consent and documents.
    fn cases(&mut self) -> io::Result<()> {
        let data = self.data;
        if data.respondents.is_empty() {
            return Ok(());
        }
        let attributes = attributes_by_name(data, AttributeScope::Respondent);
        let mut documents_of: HashMap<&str, Vec<&str>> = HashMap::new();
        for doc in &data.documents {
            if let Some(r) = &doc.respondent_guid {
                documents_of
                    .entry(r.as_str())
                    .or_default()
                    .push(doc.guid.as_str());
            }
        }
        let empty = BTreeMap::new();
        let out = &mut self.out;
        out.start("Cases", &[])?;
        for respondent in &data.respondents {
            out.start(
                "Case",
                &[
                    ("guid", respondent.guid.as_str()),
                    ("name", &respondent.name),
                ],
            )?;
            let values = data
                .respondent_values
                .get(respondent.guid.as_str())
                .unwrap_or(&empty);
            write_values(out, values, &attributes)?;
            if !respondent.pseudonym.is_empty() {
                let pseudonym = &respondent.pseudonym;
                write_value(out, &self.pseudonym_guid, AttributeType::Text, pseudonym)?;
            }
            let consent = respondent.consent.as_str();
            write_value(out, &self.consent_guid, AttributeType::Text, consent)?;
            for doc in documents_of
                .get(respondent.guid.as_str())
                .into_iter()
                .flatten()
            {
                out.empty("SourceRef", &[("targetGUID", doc)])?;
            }
            out.end("Case")?;
        }
        out.end("Cases")?;
        self.summary.cases = data.respondents.len();
        Ok(())
    }

    /// `Sources`: one `TextSource` per document, its text in `sources/<guid>.txt`, with
    /// its selections and codings, memos and values.
    fn sources(&mut self) -> io::Result<()> {
        let data = self.data;
        if data.documents.is_empty() {
            return Ok(());
        }
        let attributes = attributes_by_name(data, AttributeScope::Document);
        let mut codings_of: HashMap<&str, Vec<&Coding>> = HashMap::new();
        for coding in &data.codings {
            codings_of
                .entry(coding.document_guid.as_str())
                .or_default()
                .push(coding);
        }
        let empty = BTreeMap::new();
        self.out.start("Sources", &[])?;
        for doc in &data.documents {
            let path = format!("internal://{}.txt", doc.guid);
            let created = xml_date_time(doc.created_at);
            let modified = xml_date_time(doc.modified_at);
            let mut attrs = vec![
                ("guid", doc.guid.as_str()),
                ("name", doc.name.as_str()),
                ("plainTextPath", path.as_str()),
            ];
            if let Some(creator) = data.document_creators.get(doc.guid.as_str()) {
                attrs.push(("creatingUser", creator));
            }
            attrs.push(("creationDateTime", &created));
            attrs.push(("modifiedDateTime", &modified));
            self.out.start("TextSource", &attrs)?;
            for coding in codings_of.get(doc.guid.as_str()).into_iter().flatten() {
                self.selection(coding)?;
            }
            self.note_refs("document", doc.guid.as_str())?;
            let values = data
                .document_values
                .get(doc.guid.as_str())
                .unwrap_or(&empty);
            write_values(&mut self.out, values, &attributes)?;
            self.out.end("TextSource")?;
        }
        self.out.end("Sources")?;
        self.summary.sources = data.documents.len();
        Ok(())
    }

    /// One `PlainTextSelection` holding one coding (REFI-QDA codes selections; Fouille
    /// codes ranges, so each coding gets a selection of its own).
    fn selection(&mut self, coding: &Coding) -> io::Result<()> {
        let selection = selection_guid(&self.data.guid, coding.guid.as_str());
        let start = coding.start_char.to_string();
        let end = coding.end_char.to_string();
        let created = xml_date_time(coding.created_at);
        let modified = xml_date_time(coding.modified_at);
        self.out.start(
            "PlainTextSelection",
            &[
                ("guid", &selection),
                ("startPosition", &start),
                ("endPosition", &end),
                ("creatingUser", coding.created_by.as_str()),
                ("creationDateTime", &created),
                ("modifiedDateTime", &modified),
            ],
        )?;
        self.out.start(
            "Coding",
            &[
                ("guid", coding.guid.as_str()),
                ("creatingUser", coding.created_by.as_str()),
                ("creationDateTime", &created),
            ],
        )?;
        self.out
            .empty("CodeRef", &[("targetGUID", coding.code_guid.as_str())])?;
        self.note_refs("coding", coding.guid.as_str())?;
        self.out.end("Coding")?;
        self.out.end("PlainTextSelection")?;
        self.summary.codings += 1;
        Ok(())
    }

    /// `Notes`, then `Links` from the notes about respondents to their cases (a `Case`
    /// has no `NoteRef`).
    fn notes_and_links(&mut self) -> io::Result<()> {
        let data = self.data;
        if data.memos.is_empty() {
            return Ok(());
        }
        self.out.start("Notes", &[])?;
        for memo in &data.memos {
            let created = xml_date_time(memo.created_at);
            let modified = xml_date_time(memo.modified_at);
            let name = note_name(&memo.text);
            let mut attrs = vec![("guid", memo.guid.as_str()), ("name", name.as_str())];
            if !memo.created_by.is_empty() {
                attrs.push(("creatingUser", memo.created_by.as_str()));
            }
            attrs.push(("creationDateTime", &created));
            attrs.push(("modifiedDateTime", &modified));
            self.out.start("Note", &attrs)?;
            self.out.text_element("PlainTextContent", &memo.text)?;
            self.out.end("Note")?;
        }
        self.out.end("Notes")?;
        self.summary.notes = data.memos.len();
        let case_memos: Vec<_> = data
            .memos
            .iter()
            .filter_map(|m| match &m.target {
                MemoTarget::Respondent(r) => Some((m.guid.as_str(), r.as_str())),
                _ => None,
            })
            .collect();
        if case_memos.is_empty() {
            return Ok(());
        }
        self.out.start("Links", &[])?;
        for (note, case) in case_memos {
            let guid = derived_guid(&data.guid, &format!("link:{note}"));
            self.out.empty(
                "Link",
                &[
                    ("guid", &guid),
                    ("name", MEMO_LINK_NAME),
                    ("direction", "OneWay"),
                    ("originGUID", note),
                    ("targetGUID", case),
                ],
            )?;
        }
        self.out.end("Links")
    }

    /// `Sets`: one set of codes per code kind REFI-QDA cannot say, then one set of sources
    /// per document kind other than interview.
    fn sets(&mut self) -> io::Result<()> {
        let data = self.data;
        let code_sets = kind_sets(&data.codes, &data.guid);
        let document_sets = document_kind_sets(data);
        if code_sets.is_empty() && document_sets.is_empty() {
            return Ok(());
        }
        let out = &mut self.out;
        out.start("Sets", &[])?;
        for set in &code_sets {
            out.start("Set", &[("guid", &set.guid), ("name", &set.name)])?;
            out.text_element("Description", &set.description)?;
            for member in &set.members {
                out.empty("MemberCode", &[("targetGUID", member)])?;
            }
            out.end("Set")?;
        }
        for (kind, members) in &document_sets {
            let name = format!("{DOCUMENT_KIND_SET_PREFIX}{}", kind.as_str());
            let guid = derived_guid(&data.guid, &name);
            out.start("Set", &[("guid", &guid), ("name", &name)])?;
            out.text_element(
                "Description",
                &format!(
                    "Fouille : documents de type « {0} ». / Fouille: documents of kind \"{0}\".",
                    kind.as_str()
                ),
            )?;
            for member in members {
                out.empty("MemberSource", &[("targetGUID", member)])?;
            }
            out.end("Set")?;
        }
        out.end("Sets")
    }
}

/// The documents of each kind other than interview (an interview needs no set: it is what
/// a source without one is read as), for the kinds that have documents.
fn document_kind_sets(data: &ExportData) -> Vec<(DocumentKind, Vec<&str>)> {
    [
        DocumentKind::Transcript,
        DocumentKind::SurveyAnswer,
        DocumentKind::Note,
    ]
    .into_iter()
    .filter_map(|kind| {
        let members: Vec<&str> = data
            .documents
            .iter()
            .filter(|d| d.kind == kind)
            .map(|d| d.guid.as_str())
            .collect();
        (!members.is_empty()).then_some((kind, members))
    })
    .collect()
}

/// The attributes of one scope by name (values are kept by attribute name): GUID and type.
fn attributes_by_name(
    data: &ExportData,
    scope: AttributeScope,
) -> HashMap<&str, (&str, AttributeType)> {
    data.attributes
        .iter()
        .filter(|a| a.scope == scope)
        .map(|a| (a.name.as_str(), (a.guid.as_str(), a.value_type)))
        .collect()
}

/// The `VariableValue`s of one case or source: `values` by attribute name, those of an
/// attribute that is not exported left out.
fn write_values<W: Write>(
    out: &mut XmlOut<W>,
    values: &BTreeMap<String, String>,
    attributes: &HashMap<&str, (&str, AttributeType)>,
) -> io::Result<()> {
    for (name, value) in values {
        if let Some((guid, value_type)) = attributes.get(name.as_str()) {
            write_value(out, guid, *value_type, value)?;
        }
    }
    Ok(())
}

/// One `VariableValue`: `value` of the variable `variable`, in the element of its type.
fn write_value<W: Write>(
    out: &mut XmlOut<W>,
    variable: &str,
    value_type: AttributeType,
    value: &str,
) -> io::Result<()> {
    out.start("VariableValue", &[])?;
    out.empty("VariableRef", &[("targetGUID", variable)])?;
    out.text_element(variable_type(value_type).1, value)?;
    out.end("VariableValue")
}
