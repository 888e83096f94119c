//! Writing a [`Plan`] into a project, inside the caller's single transaction.
//!
//! Into a new project everything is added. Into an existing one it is a merge by GUID: an
//! object already present is updated when the file's version is newer (its own
//! `modifiedDateTime`, or the file's date for objects that have none: codes, cases,
//! values), otherwise kept; a tombstone stays a tombstone unless the file's version is
//! newer. A document whose text differs from ours comes in as a new document (new GUIDs
//! for it and its codings) rather than moving our codings. Every decision is counted in
//! the report.

use std::collections::{HashMap, HashSet};

use super::codebook::PlannedCode;
use super::plan::Plan;
use super::report::{ImportReport, NotImported};
use crate::model::{
    AttributeScope, AttributeType, CodeId, CodeKind, CoderId, CodingId, DocumentId, MemoTarget,
    RespondentId,
};
use crate::store::bulk::{self, ProvenanceTable, RowState, attempt};
use crate::store::codes::NewCode;
use crate::store::respondents::NewRespondent;
use crate::store::{StoreResult, Tx, attributes, coders, codes, documents, memos, respondents};

pub(super) struct Writer<'a, 'r> {
    pub(super) tx: &'a Tx<'a>,
    pub(super) plan: &'a Plan,
    pub(super) label: &'a str,
    pub(super) report: &'r mut ImportReport,
    pub(super) coder_ids: HashMap<String, i64>,
    /// Planned attribute GUID → attribute GUID in the project.
    pub(super) attributes: HashMap<String, String>,
    /// Live respondents after the import.
    pub(super) respondents: HashSet<RespondentId>,
    /// Planned GUID → GUID in the project, for documents and codings that came in as copies.
    pub(super) renamed: HashMap<String, String>,
    pub(super) values: HashMap<(String, String), (String, i64)>,
    /// Every attribute of the project (after [`Writer::attributes`]): GUID → row id, name,
    /// type, scope.
    pub(super) attribute_ids: HashMap<String, (i64, String, AttributeType, AttributeScope)>,
    /// `sort_order` of the next new document.
    pub(super) next_order: Option<i64>,
}

impl<'a> Writer<'a, '_> {
    pub(super) fn as_tx(&self, coder_id: i64, now_ms: i64) -> Tx<'a> {
        Tx {
            conn: self.tx.conn,
            coder_id,
            now_ms,
        }
    }

    pub(super) fn coder(&self, guid: Option<&String>) -> i64 {
        guid.and_then(|g| self.coder_ids.get(g))
            .copied()
            .unwrap_or(self.tx.coder_id)
    }

    fn users(&mut self) -> StoreResult<()> {
        self.coder_ids = bulk::coder_ids(self.tx.conn)?;
        let mut wanted: Vec<(String, String)> = self.plan.users.clone();
        let mentioned = self
            .plan
            .documents
            .iter()
            .flat_map(|d| std::iter::once(&d.stamp).chain(d.codings.iter().map(|c| &c.stamp)))
            .chain(self.plan.memos.iter().map(|m| &m.stamp))
            .filter_map(|s| s.created_by.clone());
        let named: HashSet<String> = wanted.iter().map(|(g, _)| g.clone()).collect();
        let mut unnamed: Vec<String> = mentioned
            .filter(|g| !named.contains(g))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        unnamed.sort();
        wanted.extend(unnamed.into_iter().map(|g| {
            let name = format!("Utilisateur {}", &g[..8.min(g.len())]);
            (g, name)
        }));
        for (guid, name) in wanted {
            if self.coder_ids.contains_key(&guid) {
                self.report.kept.users += 1;
                continue;
            }
            let name = if name.trim().is_empty() {
                format!("Utilisateur {}", &guid[..8.min(guid.len())])
            } else {
                name
            };
            let id = coders::ensure_with_guid(self.tx.conn, &CoderId::new(guid.clone()), &name)?;
            self.coder_ids.insert(guid, id);
            self.report.added.users += 1;
        }
        Ok(())
    }

    /// Writes the codes, parents first: a code already here is updated when the file's
    /// version is newer and differs (or revives a tombstone), else kept; a new one is added,
    /// adjusted until the codebook accepts it. A parent that is not live here is left out.
    fn codes(&mut self) -> StoreResult<()> {
        let states = bulk::row_states(self.tx.conn, ProvenanceTable::Codes)?;
        let t = self.as_tx(self.tx.coder_id, self.plan.file_date);
        let mut adjusted = Vec::new();
        let plan = self.plan;
        for code in &plan.codes {
            let parent = code.parent.clone().filter(|p| codes::is_live(t.conn, p));
            if let Some(state) = states.get(code.guid.as_str()) {
                self.merge_code(&t, code, parent, state)?;
            } else {
                adjusted.extend(self.add_code(&t, code, parent)?);
            }
        }
        if !adjusted.is_empty() {
            self.report.remarks.push(format!(
                "codes adjusted to fit the project's codebook: {}",
                adjusted.join(", ")
            ));
        }
        Ok(())
    }

    /// Merges a code that the project has (`state`): updated to the file's version when
    /// that one is newer and differs or the code is deleted here, unless the codebook
    /// refuses the change (then kept, with a remark).
    fn merge_code(
        &mut self,
        t: &Tx,
        code: &PlannedCode,
        parent: Option<CodeId>,
        state: &RowState,
    ) -> StoreResult<()> {
        let ours = codes::get(t.conn, &code.guid)?;
        let color = code.color.clone().unwrap_or_else(|| ours.color.clone());
        let differs = ours.name != code.name
            || ours.kind != code.kind
            || ours.color != color
            || ours.description != code.description
            || ours.parent_guid != parent;
        if self.plan.compare_date <= state.modified_at || !(differs || state.deleted) {
            self.report.kept.codes += 1;
            return Ok(());
        }
        let outcome = attempt(t.conn, || {
            if state.deleted {
                bulk::set_provenance(
                    t,
                    ProvenanceTable::Codes,
                    code.guid.as_str(),
                    None,
                    ours.created_at,
                    t.now_ms,
                    self.label,
                    true,
                )?;
            }
            if ours.parent_guid != parent {
                codes::move_to(t, &code.guid, parent.as_ref(), None)?;
            }
            if ours.name != code.name {
                codes::rename(t, &code.guid, &code.name)?;
            }
            codes::set_details(t, &code.guid, &color, &code.description)?;
            if ours.kind != code.kind {
                codes::set_kind(t, &code.guid, code.kind)?;
            }
            Ok(())
        })?;
        match outcome {
            Ok(()) => self.report.updated.codes += 1,
            Err(why) => {
                self.report.kept.codes += 1;
                self.report.remarks.push(format!(
                    "code « {} » kept as in the project: {why}",
                    ours.name
                ));
            }
        }
        Ok(())
    }

    /// Adds a code the project does not have. When the codebook refuses it as it is, a
    /// codable kind becomes a theme, then the name is numbered (`Name (2)`…); returns how
    /// it was adjusted, for the report. A code still refused is reported as not imported.
    fn add_code(
        &mut self,
        t: &Tx,
        code: &PlannedCode,
        parent: Option<CodeId>,
    ) -> StoreResult<Option<String>> {
        let mut new = NewCode {
            guid: Some(code.guid.clone()),
            parent_guid: parent,
            name: code.name.clone(),
            kind: code.kind,
            color: code.color.clone(),
            description: code.description.clone(),
        };
        let mut done = attempt(t.conn, || codes::insert(t, new.clone()))?;
        if done.is_err() && new.kind != CodeKind::Theme {
            new.kind = if new.kind.is_codable() {
                CodeKind::Theme
            } else {
                new.kind
            };
            done = attempt(t.conn, || codes::insert(t, new.clone()))?;
        }
        let mut n = 2;
        while done.is_err() && n < 100 {
            new.name = format!("{} ({n})", code.name);
            done = attempt(t.conn, || codes::insert(t, new.clone()))?;
            n += 1;
        }
        if let Err(why) = done {
            self.report.not_imported.push(NotImported {
                what: "code".into(),
                name: code.name.clone(),
                reason: why,
            });
            return Ok(None);
        }
        let date = t.now_ms;
        bulk::set_provenance(
            t,
            ProvenanceTable::Codes,
            code.guid.as_str(),
            None,
            date,
            date,
            self.label,
            false,
        )?;
        self.report.added.codes += 1;
        Ok((new.name != code.name || new.kind != code.kind)
            .then(|| format!("« {} » → « {} » ({})", code.name, new.name, new.kind)))
    }

    fn attributes(&mut self) -> StoreResult<()> {
        let t = self.as_tx(self.tx.coder_id, self.plan.file_date);
        let live = attributes::list(t.conn, None)?;
        for a in &self.plan.attributes {
            if let Some(e) = live.iter().find(|e| e.guid == a.guid) {
                self.attributes.insert(a.guid.clone(), e.guid.clone());
                self.report.kept.attributes += 1;
                continue;
            }
            if let Some(e) = attributes::find(t.conn, a.scope, &a.name)?
                && e.value_type == a.value_type
            {
                self.attributes.insert(a.guid.clone(), e.guid.clone());
                self.report.kept.attributes += 1;
                continue;
            }
            let taken = attributes::guid_taken(t.conn, &a.guid)?;
            let guid = (!taken).then_some(a.guid.as_str());
            let mut name = a.name.clone();
            if attributes::find(t.conn, a.scope, &name)?.is_some() {
                name = format!("{} ({})", a.name, a.value_type.as_str());
                self.report.remarks.push(format!(
                    "attribute « {} » exists here with another type: imported as « {name} »",
                    a.name
                ));
            }
            let defined = attributes::define(&t, &name, a.value_type, a.scope, guid)?;
            self.attributes.insert(a.guid.clone(), defined.guid);
            self.report.added.attributes += 1;
        }
        self.values = bulk::value_dates(t.conn)?;
        self.attribute_ids = bulk::attribute_ids(t.conn)?;
        Ok(())
    }

    pub(super) fn set_values(
        &mut self,
        owner: &str,
        values: &[(String, String)],
        owner_is_new: bool,
    ) -> StoreResult<()> {
        let t = self.as_tx(self.tx.coder_id, self.plan.file_date);
        // A new owner has no values yet: each value is one cached statement, checked as
        // `attributes::set_value` checks it, without a savepoint per value.
        let mut owner_ids: [Option<Option<i64>>; 2] = [None, None];
        for (planned, value) in values {
            let Some(attribute) = self.attributes.get(planned).cloned() else {
                continue;
            };
            if owner_is_new
                && let Some((attribute_id, name, value_type, scope)) =
                    self.attribute_ids.get(&attribute)
            {
                let slot = usize::from(*scope == AttributeScope::Document);
                let owner_id = *owner_ids[slot].get_or_insert_with(|| match scope {
                    AttributeScope::Respondent => {
                        respondents::id_of(t.conn, &RespondentId::new(owner)).ok()
                    }
                    AttributeScope::Document => {
                        documents::id_of(t.conn, &DocumentId::new(owner)).ok()
                    }
                });
                if let Some(owner_id) = owner_id {
                    match value.trim() {
                        "" => bulk::delete_value(&t, *attribute_id, owner_id)?,
                        raw => match value_type.canonical_value(raw) {
                            Ok(canonical) => {
                                bulk::upsert_value(&t, *attribute_id, owner_id, &canonical)?
                            }
                            Err(e) => {
                                self.report
                                    .remarks
                                    .push(format!("value « {value} » left out: {name}: {e}"));
                                continue;
                            }
                        },
                    }
                    self.report.added.values += 1;
                    continue;
                }
            }
            let mut replaces = false;
            if !owner_is_new
                && let Some((ours, date)) = self.values.get(&(attribute.clone(), owner.to_string()))
            {
                if ours == value || *date >= self.plan.compare_date {
                    self.report.kept.values += 1;
                    continue;
                }
                replaces = true;
            }
            match attempt(t.conn, || {
                attributes::set_value(&t, &attribute, owner, Some(value))
            })? {
                Ok(()) if replaces => self.report.updated.values += 1,
                Ok(()) => self.report.added.values += 1,
                Err(why) => self
                    .report
                    .remarks
                    .push(format!("value « {value} » left out: {why}")),
            }
        }
        Ok(())
    }

    fn respondents(&mut self) -> StoreResult<()> {
        let states = bulk::row_states(self.tx.conn, ProvenanceTable::Respondents)?;
        let date = self.plan.file_date;
        let t = self.as_tx(self.tx.coder_id, date);
        for r in &self.plan.respondents {
            let is_new = !states.contains_key(r.guid.as_str());
            match states.get(r.guid.as_str()) {
                Some(state) => {
                    let ours = respondents::get(t.conn, &r.guid)?;
                    let differs = ours.name != r.name
                        || ours.pseudonym != r.pseudonym
                        || ours.consent != r.consent;
                    if self.plan.compare_date > state.modified_at && (differs || state.deleted) {
                        respondents::update(&t, &r.guid, &r.name, &r.pseudonym, r.consent)?;
                        if state.deleted {
                            bulk::set_provenance(
                                &t,
                                ProvenanceTable::Respondents,
                                r.guid.as_str(),
                                None,
                                ours.created_at,
                                date,
                                self.label,
                                true,
                            )?;
                        }
                        self.report.updated.respondents += 1;
                    } else {
                        self.report.kept.respondents += 1;
                        if state.deleted {
                            continue;
                        }
                    }
                }
                None => {
                    respondents::insert(
                        &t,
                        NewRespondent {
                            guid: Some(r.guid.clone()),
                            name: r.name.clone(),
                            pseudonym: r.pseudonym.clone(),
                            consent: r.consent,
                        },
                    )?;
                    bulk::set_provenance(
                        &t,
                        ProvenanceTable::Respondents,
                        r.guid.as_str(),
                        None,
                        date,
                        date,
                        self.label,
                        false,
                    )?;
                    self.report.added.respondents += 1;
                }
            }
            self.respondents.insert(r.guid.clone());
            self.set_values(r.guid.as_str(), &r.values, is_new)?;
        }
        Ok(())
    }

    fn target_exists(&self, target: &MemoTarget) -> bool {
        let conn = self.tx.conn;
        match target {
            MemoTarget::Project => true,
            MemoTarget::Document(g) => documents::get(conn, g).is_ok(),
            MemoTarget::Respondent(g) => respondents::get(conn, g).is_ok(),
            MemoTarget::Code(g) => codes::get(conn, g).is_ok(),
            MemoTarget::Coding(g) => crate::store::codings::get(conn, g).is_ok(),
        }
    }

    fn memos(&mut self) -> StoreResult<()> {
        let states = bulk::row_states(self.tx.conn, ProvenanceTable::Memos)?;
        let mut orphans = 0;
        for m in &self.plan.memos {
            let mut target = match &m.target {
                MemoTarget::Document(g) => MemoTarget::Document(
                    self.renamed
                        .get(g.as_str())
                        .map_or_else(|| g.clone(), DocumentId::new),
                ),
                MemoTarget::Coding(g) => MemoTarget::Coding(
                    self.renamed
                        .get(g.as_str())
                        .map_or_else(|| g.clone(), CodingId::new),
                ),
                other => other.clone(),
            };
            if !self.target_exists(&target) {
                orphans += 1;
                target = MemoTarget::Project;
            }
            let created = m.stamp.created_at.unwrap_or(self.plan.file_date);
            let modified = m.stamp.modified_at.unwrap_or(created).max(created);
            let author = self.coder(m.stamp.created_by.as_ref());
            let t = self.as_tx(author, created);
            let stated = m
                .stamp
                .modified_at
                .or(m.stamp.created_at)
                .unwrap_or(self.plan.compare_date);
            if let Some(state) = states.get(m.guid.as_str()) {
                if stated > state.modified_at {
                    memos::update(&t, &m.guid, &m.text)?;
                    bulk::set_provenance(
                        &t,
                        ProvenanceTable::Memos,
                        m.guid.as_str(),
                        Some(author),
                        created,
                        modified,
                        self.label,
                        true,
                    )?;
                    self.report.updated.memos += 1;
                } else {
                    self.report.kept.memos += 1;
                }
                continue;
            }
            memos::add(&t, &target, &m.text, Some(&m.guid))?;
            bulk::set_provenance(
                &t,
                ProvenanceTable::Memos,
                m.guid.as_str(),
                Some(author),
                created,
                modified,
                self.label,
                false,
            )?;
            self.report.added.memos += 1;
        }
        if orphans > 0 {
            self.report.remarks.push(format!(
                "{orphans} memos were about something not imported: attached to the project"
            ));
        }
        Ok(())
    }
}

/// Writes `plan` with `tx` (the caller's one transaction); `label` names the file in each
/// row's `source_project`. Counts go to `report`. The plan is consumed: each document's text
/// is let go once written, so a large import does not hold every text until the end.
pub fn write(tx: &Tx, mut plan: Plan, label: &str, report: &mut ImportReport) -> StoreResult<()> {
    let texts: Vec<String> = plan
        .documents
        .iter_mut()
        .map(|d| std::mem::take(&mut d.text))
        .collect();
    let mut w = Writer {
        tx,
        plan: &plan,
        label,
        report,
        coder_ids: HashMap::new(),
        attributes: HashMap::new(),
        respondents: HashSet::new(),
        renamed: HashMap::new(),
        values: HashMap::new(),
        attribute_ids: HashMap::new(),
        next_order: None,
    };
    w.users()?;
    w.codes()?;
    w.attributes()?;
    w.respondents()?;
    w.respondents
        .extend(respondents::list(tx.conn)?.into_iter().map(|r| r.guid));
    w.documents_and_codings(texts)?;
    w.memos()?;
    Ok(())
}
