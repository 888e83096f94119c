//! Built-in codebooks, so a project can start from a shared grid instead of typing it in.
//! "Réflexes publics": six controversies with two poles
//! each and seven orientations, French names stored, English names available for display.

use serde::Deserialize;

use crate::model::{CodeId, CodeKind};
use crate::store::codes::{self, NewCode};
use crate::store::{Rule, StoreResult, Tx};

/// The JSON of the Réflexes publics template.
pub const REFLEXES_PUBLICS_JSON: &str =
    include_str!("../../assets/templates/reflexes-publics.json");

/// Identifier of the Réflexes publics template on the command line.
pub const REFLEXES_PUBLICS: &str = "reflexes-publics";

/// Names in both languages.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct Bilingual {
    /// French text, the default; a code's French description is the one stored.
    #[serde(default)]
    pub fr: String,
    /// English text, for display in an English interface; empty if the JSON gives none.
    #[serde(default)]
    pub en: String,
}

/// One code of a template, with its children.
#[derive(Debug, Clone, Deserialize)]
pub struct TemplateCode {
    /// French name (the one stored).
    pub fr: String,
    /// English name, shown in an English interface ([`english_name`]); never stored.
    pub en: String,
    /// Kind as [`CodeKind::as_str`] names it (`controversy`, `pole`…); loading fails on any
    /// other name.
    pub kind: String,
    /// Colour `#rrggbb`, given to the code when loading adds it (a code already there keeps
    /// its own).
    pub color: String,
    /// Description in both languages.
    #[serde(default)]
    pub description: Bilingual,
    /// Child codes, loaded under this one in order; empty for a leaf.
    #[serde(default)]
    pub children: Vec<TemplateCode>,
}

/// A codebook template.
#[derive(Debug, Clone, Deserialize)]
pub struct Template {
    /// Identifier used on the command line (e.g. [`REFLEXES_PUBLICS`]).
    pub id: String,
    /// Name in both languages.
    pub name: Bilingual,
    /// Top-level codes.
    pub codes: Vec<TemplateCode>,
}

/// The Réflexes publics template.
pub fn reflexes_publics() -> Template {
    serde_json::from_str(REFLEXES_PUBLICS_JSON).expect("the built-in template is valid JSON")
}

/// A template by its identifier.
pub fn by_id(id: &str) -> Option<Template> {
    (id == REFLEXES_PUBLICS || id.eq_ignore_ascii_case("réflexes publics")).then(reflexes_publics)
}

/// English name of a template code's French name, for an English UI (`None` if the name is
/// not from a template).
pub fn english_name(french: &str) -> Option<String> {
    fn walk(codes: &[TemplateCode], french: &str) -> Option<String> {
        codes.iter().find_map(|c| {
            if c.fr == french {
                Some(c.en.clone())
            } else {
                walk(&c.children, french)
            }
        })
    }
    walk(&reflexes_publics().codes, french)
}

/// Loads a template into a project: codes already present at the same path are kept as
/// they are, missing ones are added. Returns the number of codes added.
pub fn load(tx: &Tx, template: &Template) -> StoreResult<usize> {
    fn add(
        tx: &Tx,
        code: &TemplateCode,
        parent: Option<&CodeId>,
        added: &mut usize,
    ) -> StoreResult<()> {
        let kind =
            CodeKind::parse(&code.kind).ok_or_else(|| Rule::TemplateKind(code.kind.clone()))?;
        let existing = codes::list(tx.conn)?
            .into_iter()
            .find(|c| c.parent_guid.as_ref() == parent && c.name == code.fr);
        let guid = match existing {
            Some(c) => c.guid,
            None => {
                *added += 1;
                codes::insert(
                    tx,
                    NewCode {
                        guid: None,
                        parent_guid: parent.cloned(),
                        name: code.fr.clone(),
                        kind,
                        color: Some(code.color.clone()),
                        description: code.description.fr.clone(),
                    },
                )?
            }
        };
        for child in &code.children {
            add(tx, child, Some(&guid), added)?;
        }
        Ok(())
    }
    let mut added = 0;
    for code in &template.codes {
        add(tx, code, None, &mut added)?;
    }
    Ok(added)
}
