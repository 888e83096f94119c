//! Variables: REFI-QDA variables become typed attributes of respondents or documents
//! (scope from the `[fouille:scope=document]` marker, else from where values appear); the
//! `fouille:pseudonym` and `fouille:consent` variables go back to respondent fields.

use std::collections::{HashMap, HashSet};

use super::foreign::Foreign;
use super::plan::{Plan, PlannedAttribute};
use super::report::ImportReport;
use crate::model::{AttributeScope, AttributeType};
use crate::refi::{CONSENT_VARIABLE, DOCUMENT_SCOPE_MARKER, PSEUDONYM_VARIABLE, derived_guid};

fn variable_type(name: &str) -> AttributeType {
    match name.to_ascii_lowercase().as_str() {
        "integer" => AttributeType::Integer,
        "float" | "decimal" => AttributeType::Decimal,
        "boolean" => AttributeType::Boolean,
        "date" => AttributeType::Date,
        _ => AttributeType::Text,
    }
}

/// A value checked against its type; dates with a time keep their date.
pub(super) fn canonical(value_type: AttributeType, raw: &str) -> Option<String> {
    value_type
        .canonical_value(raw)
        .ok()
        .or_else(|| match value_type {
            AttributeType::Date => raw
                .get(..10)
                .and_then(|d| value_type.canonical_value(d).ok()),
            _ => None,
        })
}

pub(super) struct Variables {
    /// Variable GUID → (respondent attribute, document attribute).
    pub(super) by_guid: HashMap<String, (Option<PlannedAttribute>, Option<PlannedAttribute>)>,
    pub(super) pseudonym: HashSet<String>,
    pub(super) consent: HashSet<String>,
}

pub(super) fn plan_variables(
    foreign: &Foreign,
    plan: &mut Plan,
    report: &mut ImportReport,
) -> Variables {
    let in_cases: HashSet<&str> = foreign
        .cases
        .iter()
        .flat_map(|c| c.values.iter().map(|v| v.variable.as_str()))
        .collect();
    let in_sources: HashSet<&str> = foreign
        .sources
        .iter()
        .flat_map(|s| s.values.iter().map(|v| v.variable.as_str()))
        .collect();
    let mut out = Variables {
        by_guid: HashMap::new(),
        pseudonym: HashSet::new(),
        consent: HashSet::new(),
    };
    let mut names: HashSet<(AttributeScope, String)> = HashSet::new();
    for v in &foreign.variables {
        match v.name.as_str() {
            PSEUDONYM_VARIABLE => {
                out.pseudonym.insert(v.guid.clone());
                continue;
            }
            CONSENT_VARIABLE => {
                out.consent.insert(v.guid.clone());
                continue;
            }
            _ => {}
        }
        let value_type = variable_type(&v.type_name);
        if v.type_name.eq_ignore_ascii_case("datetime") {
            report.remarks.push(format!(
                "variable « {} » holds date-times: imported as text",
                v.name
            ));
        }
        let marked_document = v.description.trim() == DOCUMENT_SCOPE_MARKER;
        let cases = in_cases.contains(v.guid.as_str());
        let sources = in_sources.contains(v.guid.as_str());
        let mut make = |scope: AttributeScope, guid: String| {
            let base = if v.name.trim().is_empty() {
                "variable".to_string()
            } else {
                v.name.trim().to_string()
            };
            let mut name = base.clone();
            let mut n = 2;
            while !names.insert((scope, name.to_lowercase())) {
                name = format!("{base} ({n})");
                n += 1;
            }
            let a = PlannedAttribute {
                guid,
                name,
                value_type,
                scope,
            };
            plan.attributes.push(a.clone());
            Some(a)
        };
        let primary_document = marked_document || (!cases && sources);
        let pair = if primary_document {
            let d = make(AttributeScope::Document, v.guid.clone());
            let r = if cases {
                make(
                    AttributeScope::Respondent,
                    derived_guid(&v.guid, "respondent"),
                )
            } else {
                None
            };
            (r, d)
        } else {
            let r = make(AttributeScope::Respondent, v.guid.clone());
            let d = if sources {
                make(AttributeScope::Document, derived_guid(&v.guid, "document"))
            } else {
                None
            };
            (r, d)
        };
        out.by_guid.insert(v.guid.clone(), pair);
    }
    out
}
