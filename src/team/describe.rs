//! Rows in words, for the merge report.

use std::collections::HashMap;
use std::sync::Arc;

use super::choose::Chosen;
use super::report::{Entity, EntityCounts, MergeReport, Superseded, Version};
use super::snapshot::{CodingRow, Snapshot, Versioned};

pub(super) fn short(text: &str, max_chars: usize) -> String {
    let mut out: String = text.chars().take(max_chars).collect();
    if text.chars().count() > max_chars {
        out.push('…');
    }
    out.replace('\n', " ")
}

pub(super) fn live_counts(s: &Snapshot) -> EntityCounts {
    EntityCounts {
        coders: s.coders.len(),
        respondents: s.respondents.values().filter(|r| !r.deleted).count(),
        documents: s.documents.values().filter(|r| !r.deleted).count(),
        attributes: s.attributes.values().filter(|r| !r.deleted).count(),
        codes: s.codes.values().filter(|r| !r.deleted).count(),
        codings: s.codings.values().filter(|r| !r.deleted).count(),
        memos: s.memos.values().filter(|r| !r.deleted).count(),
    }
}

/// Names of the merged rows, to describe rows in the report.
pub(crate) struct Names {
    code_paths: HashMap<String, String>,
    documents: HashMap<String, String>,
    coders: HashMap<String, String>,
    attributes: HashMap<String, String>,
    respondents: HashMap<String, String>,
}

impl Names {
    pub(crate) fn new(s: &Snapshot) -> Names {
        Names {
            code_paths: super::unify::code_paths(&s.codes),
            documents: s
                .documents
                .values()
                .map(|d| (d.guid.clone(), d.name.clone()))
                .collect(),
            coders: s
                .coders
                .values()
                .map(|c| (c.guid.clone(), c.name.clone()))
                .collect(),
            attributes: s
                .attributes
                .values()
                .map(|a| (a.guid.clone(), a.name.clone()))
                .collect(),
            respondents: s
                .respondents
                .values()
                .map(|r| (r.guid.clone(), r.name.clone()))
                .collect(),
        }
    }
    pub(crate) fn code(&self, guid: &str) -> String {
        self.code_paths
            .get(guid)
            .cloned()
            .unwrap_or_else(|| guid.to_string())
    }
    pub(crate) fn document(&self, guid: &str) -> String {
        self.documents
            .get(guid)
            .cloned()
            .unwrap_or_else(|| guid.to_string())
    }
    pub(crate) fn coder(&self, guid: &str) -> String {
        self.coders
            .get(guid)
            .cloned()
            .unwrap_or_else(|| guid.to_string())
    }
    pub(crate) fn attribute(&self, guid: &str) -> String {
        self.attributes
            .get(guid)
            .cloned()
            .unwrap_or_else(|| guid.to_string())
    }
    pub(crate) fn owner(&self, guid: &str) -> String {
        self.respondents
            .get(guid)
            .or_else(|| self.documents.get(guid))
            .cloned()
            .unwrap_or_else(|| guid.to_string())
    }
    pub(crate) fn coding(&self, c: &CodingRow) -> String {
        format!(
            "« {} » sur « {} » [{}..{}] par {}",
            self.code(&c.code),
            self.document(&c.document),
            c.start_char,
            c.end_char,
            self.coder(&c.created_by)
        )
    }
}

pub(super) struct Ctx<'a> {
    pub(super) names: &'a Names,
    pub(super) labels: &'a [String],
}

impl Ctx<'_> {
    fn labels_of(&self, bits: u64) -> Vec<String> {
        self.labels
            .iter()
            .enumerate()
            .filter(|(i, _)| bits & (1u64 << i) != 0)
            .map(|(_, l)| {
                if l.is_empty() {
                    "(ce projet — this project)".to_string()
                } else {
                    l.clone()
                }
            })
            .collect()
    }
}

pub(super) trait KeyText {
    fn key_text(&self) -> String;
}
impl KeyText for String {
    fn key_text(&self) -> String {
        self.clone()
    }
}
impl KeyText for Arc<str> {
    fn key_text(&self) -> String {
        self.to_string()
    }
}
impl KeyText for (String, String) {
    fn key_text(&self) -> String {
        format!("{}/{}", self.0, self.1)
    }
}

pub(super) fn superseded<'a, K: KeyText + 'a, R: Versioned + 'a>(
    chosen: impl Iterator<Item = (&'a K, &'a Chosen<R>)>,
    entity: Entity,
    ctx: &Ctx,
    describe: impl Fn(&R, &Names) -> String,
    report: &mut MergeReport,
) {
    for (key, c) in chosen {
        for (other, bits) in &c.others {
            let version = |r: &R, bits: u64| Version {
                from: ctx.labels_of(bits),
                modified_at: r.modified_at(),
                deleted: r.deleted(),
                summary: describe(r, ctx.names),
            };
            report.superseded.push(Superseded {
                entity,
                guid: key.key_text(),
                what: describe(&c.winner, ctx.names),
                kept: version(&c.winner, c.holders),
                lost: version(other, *bits),
                both_changed: other
                    .created_at()
                    .is_none_or(|created| other.modified_at() > created),
            });
        }
    }
}
