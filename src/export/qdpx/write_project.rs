//! `project.qde`: the REFI-QDA project document, streamed element by element.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use super::data::ExportData;
use super::write_codebook::{kind_sets, write_codes};
use super::xml_out::XmlOut;
use super::{
    CONSENT_VARIABLE, DOCUMENT_KIND_SET_PREFIX, DOCUMENT_SCOPE_MARKER, ExportSummary,
    MEMO_LINK_NAME, ORIGIN, PROJECT_NAMESPACE, PSEUDONYM_VARIABLE, derived_guid, xml_date_time,
};
use crate::model::{AttributeScope, AttributeType, DocumentKind, MemoTarget};

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

/// Writes `project.qde` for `data` into `w`; returns `w` and what was written.
pub fn write_project<W: Write>(data: &ExportData, w: W) -> io::Result<(W, ExportSummary)> {
    let mut summary = ExportSummary {
        withdrawn_documents_left_out: data.withdrawn_documents_left_out,
        memos_left_out: data.memos_left_out,
        ..ExportSummary::default()
    };
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

    // Memos by target.
    let mut notes_of: HashMap<(&'static str, &str), Vec<String>> = HashMap::new();
    for memo in &data.memos {
        notes_of
            .entry((memo.target.kind_str(), memo.target.guid()))
            .or_default()
            .push(memo.guid.clone());
    }
    let refs =
        |kind: &'static str, guid: &str| notes_of.get(&(kind, guid)).cloned().unwrap_or_default();

    if !data.coders.is_empty() {
        out.start("Users", &[])?;
        for coder in &data.coders {
            out.empty("User", &[("guid", &coder.guid), ("name", &coder.name)])?;
        }
        out.end("Users")?;
        summary.users = data.coders.len();
    }

    if !data.codes.is_empty() {
        let code_notes: HashMap<String, Vec<String>> = data
            .codes
            .iter()
            .map(|c| (c.guid.clone(), refs("code", &c.guid)))
            .collect();
        out.start("CodeBook", &[])?;
        out.start("Codes", &[])?;
        write_codes(&mut out, &data.codes, Some(&code_notes))?;
        out.end("Codes")?;
        out.end("CodeBook")?;
        summary.codes = data.codes.len();
    }

    // Variables: the attributes, then pseudonym and consent when there are respondents.
    let pseudonym_guid = derived_guid(&data.guid, PSEUDONYM_VARIABLE);
    let consent_guid = derived_guid(&data.guid, CONSENT_VARIABLE);
    let mut variables: Vec<(String, String, AttributeType, AttributeScope)> = data
        .attributes
        .iter()
        .map(|a| (a.guid.clone(), a.name.clone(), a.value_type, a.scope))
        .collect();
    if !data.respondents.is_empty() {
        variables.push((
            pseudonym_guid.clone(),
            PSEUDONYM_VARIABLE.into(),
            AttributeType::Text,
            AttributeScope::Respondent,
        ));
        variables.push((
            consent_guid.clone(),
            CONSENT_VARIABLE.into(),
            AttributeType::Text,
            AttributeScope::Respondent,
        ));
    }
    if !variables.is_empty() {
        out.start("Variables", &[])?;
        for (guid, name, value_type, scope) in &variables {
            let attrs = [
                ("guid", guid.as_str()),
                ("name", name.as_str()),
                ("typeOfVariable", variable_type(*value_type).0),
            ];
            if *scope == AttributeScope::Document {
                out.start("Variable", &attrs)?;
                out.text_element("Description", DOCUMENT_SCOPE_MARKER)?;
                out.end("Variable")?;
            } else {
                out.empty("Variable", &attrs)?;
            }
        }
        out.end("Variables")?;
        summary.variables = variables.len();
    }
    let attribute_by_name = |scope: AttributeScope| -> HashMap<&str, (&str, AttributeType)> {
        data.attributes
            .iter()
            .filter(|a| a.scope == scope)
            .map(|a| (a.name.as_str(), (a.guid.as_str(), a.value_type)))
            .collect()
    };
    let respondent_attributes = attribute_by_name(AttributeScope::Respondent);
    let document_attributes = attribute_by_name(AttributeScope::Document);

    // Cases.
    if !data.respondents.is_empty() {
        let mut documents_of: HashMap<&str, Vec<&str>> = HashMap::new();
        for doc in &data.documents {
            if let Some(r) = &doc.respondent_guid {
                documents_of.entry(r.as_str()).or_default().push(&doc.guid);
            }
        }
        let empty = BTreeMap::new();
        out.start("Cases", &[])?;
        for respondent in &data.respondents {
            out.start(
                "Case",
                &[("guid", &respondent.guid), ("name", &respondent.name)],
            )?;
            let values = data
                .respondent_values
                .get(&respondent.guid)
                .unwrap_or(&empty);
            write_values(&mut out, values, &respondent_attributes)?;
            if !respondent.pseudonym.is_empty() {
                write_value(
                    &mut out,
                    &pseudonym_guid,
                    AttributeType::Text,
                    &respondent.pseudonym,
                )?;
            }
            write_value(
                &mut out,
                &consent_guid,
                AttributeType::Text,
                respondent.consent.as_str(),
            )?;
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
        summary.cases = data.respondents.len();
    }

    // Sources with their selections and codings.
    if !data.documents.is_empty() {
        let mut codings_of: HashMap<&str, Vec<&crate::model::Coding>> = HashMap::new();
        for coding in &data.codings {
            codings_of
                .entry(coding.document_guid.as_str())
                .or_default()
                .push(coding);
        }
        let empty = BTreeMap::new();
        out.start("Sources", &[])?;
        for doc in &data.documents {
            let path = format!("internal://{}.txt", doc.guid);
            let created = xml_date_time(doc.created_at);
            let modified = xml_date_time(doc.modified_at);
            let mut attrs = vec![
                ("guid", doc.guid.as_str()),
                ("name", doc.name.as_str()),
                ("plainTextPath", path.as_str()),
            ];
            if let Some(creator) = data.document_creators.get(&doc.guid) {
                attrs.push(("creatingUser", creator));
            }
            attrs.push(("creationDateTime", &created));
            attrs.push(("modifiedDateTime", &modified));
            out.start("TextSource", &attrs)?;
            for coding in codings_of.get(doc.guid.as_str()).into_iter().flatten() {
                let selection = selection_guid(&data.guid, &coding.guid);
                let start = coding.start_char.to_string();
                let end = coding.end_char.to_string();
                let created = xml_date_time(coding.created_at);
                let modified = xml_date_time(coding.modified_at);
                out.start(
                    "PlainTextSelection",
                    &[
                        ("guid", &selection),
                        ("startPosition", &start),
                        ("endPosition", &end),
                        ("creatingUser", &coding.created_by),
                        ("creationDateTime", &created),
                        ("modifiedDateTime", &modified),
                    ],
                )?;
                out.start(
                    "Coding",
                    &[
                        ("guid", &coding.guid),
                        ("creatingUser", &coding.created_by),
                        ("creationDateTime", &created),
                    ],
                )?;
                out.empty("CodeRef", &[("targetGUID", &coding.code_guid)])?;
                for note in refs("coding", &coding.guid) {
                    out.empty("NoteRef", &[("targetGUID", &note)])?;
                }
                out.end("Coding")?;
                out.end("PlainTextSelection")?;
                summary.codings += 1;
            }
            for note in refs("document", &doc.guid) {
                out.empty("NoteRef", &[("targetGUID", &note)])?;
            }
            write_values(
                &mut out,
                data.document_values.get(&doc.guid).unwrap_or(&empty),
                &document_attributes,
            )?;
            out.end("TextSource")?;
        }
        out.end("Sources")?;
        summary.sources = data.documents.len();
    }

    // Notes, and links from notes to cases.
    if !data.memos.is_empty() {
        out.start("Notes", &[])?;
        for memo in &data.memos {
            let created = xml_date_time(memo.created_at);
            let modified = xml_date_time(memo.modified_at);
            let name = note_name(&memo.text);
            let mut attrs = vec![("guid", memo.guid.as_str()), ("name", name.as_str())];
            if !memo.created_by.is_empty() {
                attrs.push(("creatingUser", &memo.created_by));
            }
            attrs.push(("creationDateTime", &created));
            attrs.push(("modifiedDateTime", &modified));
            out.start("Note", &attrs)?;
            out.text_element("PlainTextContent", &memo.text)?;
            out.end("Note")?;
        }
        out.end("Notes")?;
        summary.notes = data.memos.len();
        let case_memos: Vec<_> = data
            .memos
            .iter()
            .filter_map(|m| match &m.target {
                MemoTarget::Respondent(r) => Some((m.guid.as_str(), r.as_str())),
                _ => None,
            })
            .collect();
        if !case_memos.is_empty() {
            out.start("Links", &[])?;
            for (note, case) in case_memos {
                let guid = derived_guid(&data.guid, &format!("link:{note}"));
                out.empty(
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
            out.end("Links")?;
        }
    }

    // Sets: code kinds and document kinds.
    let code_sets = kind_sets(&data.codes, &data.guid);
    let mut document_sets: Vec<(DocumentKind, Vec<&str>)> = Vec::new();
    for kind in [
        DocumentKind::Transcript,
        DocumentKind::SurveyAnswer,
        DocumentKind::Note,
    ] {
        let members: Vec<&str> = data
            .documents
            .iter()
            .filter(|d| d.kind == kind)
            .map(|d| d.guid.as_str())
            .collect();
        if !members.is_empty() {
            document_sets.push((kind, members));
        }
    }
    if !code_sets.is_empty() || !document_sets.is_empty() {
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
        out.end("Sets")?;
    }

    for note in refs("project", "") {
        out.empty("NoteRef", &[("targetGUID", &note)])?;
    }
    out.end("Project")?;
    Ok((out.finish(), summary))
}

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
