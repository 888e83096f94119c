//! Reading the project again after a change: all of it, or only what a coding changes.

use crate::store::{StoreError, codings};

use super::app::FouilleApp;
use super::cache::{DocumentContent, ProjectCache};
use super::panels::status::Level;
use crate::model::CodingId;

impl FouilleApp {
    /// Reads the cache and the open document again.
    pub(crate) fn refresh(&mut self) {
        if self.load_cache() {
            self.load_content();
        }
    }

    /// Reads again what codings change, and only the given codings of the open document.
    pub(crate) fn refresh_codings(&mut self, changed: &[CodingId]) {
        let Some(project) = &self.project else { return };
        let base_version = self.version;
        self.version += 1;
        if let Err(e) = self.cache.reload_codings(project, self.version) {
            let text = self.tr.f(
                "error.read",
                &[("error", &crate::i18n::errors::store(&self.tr, &e))],
            );
            self.say(Level::Error, text);
            self.refresh();
            return;
        }
        let cache = &self.cache;
        self.nav.selected_codes.retain(|g| cache.code(g).is_some());
        self.nav.recent_codes.retain(|g| cache.code(g).is_some());
        let (Some(project), Some(content)) = (&self.project, self.content.as_mut()) else {
            self.load_content();
            return;
        };
        for guid in changed {
            content.codings.retain(|c| &c.guid != guid);
            match codings::get(project.conn(), guid) {
                Ok(c)
                    if c.document_guid == content.guid
                        && self.cache.code(&c.code_guid).is_some() =>
                {
                    let at = content.codings.partition_point(|x| {
                        (x.start_char, x.end_char) <= (c.start_char, c.end_char)
                    });
                    content.codings.insert(at, c);
                }
                Ok(_) => {}
                Err(StoreError::NotFound { .. }) => {}
                Err(e) => {
                    let text = self.tr.f(
                        "error.read",
                        &[("error", &crate::i18n::errors::store(&self.tr, &e))],
                    );
                    self.say(Level::Error, text);
                    self.load_content();
                    return;
                }
            }
        }
        content.version = self.version;
        content.patch = Some((base_version, changed.to_vec()));
        self.sync_view();
        if let Some(content) = self.content.as_mut() {
            content.patch = None;
        }
    }

    /// Reads the cache again; false if the project cannot be read.
    pub(crate) fn load_cache(&mut self) -> bool {
        let Some(project) = &self.project else {
            return false;
        };
        self.version += 1;
        self.blind = crate::team::blind::is_blind(project.conn()).unwrap_or(false);
        match ProjectCache::load(project, self.version) {
            Ok(cache) => self.cache = cache,
            Err(e) => {
                let text = self.tr.f(
                    "error.read",
                    &[("error", &crate::i18n::errors::store(&self.tr, &e))],
                );
                self.say(Level::Error, text);
                return false;
            }
        }
        let cache = &self.cache;
        self.nav.selected_codes.retain(|g| cache.code(g).is_some());
        self.nav.recent_codes.retain(|g| cache.code(g).is_some());
        if self
            .nav
            .respondent
            .as_ref()
            .is_some_and(|r| cache.respondent(r).is_none())
        {
            self.nav.respondent = None;
        }
        if self
            .nav
            .document
            .as_ref()
            .is_some_and(|d| cache.document(d).is_none())
        {
            self.nav.document = None;
            self.load_content();
        }
        true
    }

    /// Reads the open document's text (if it changed) and codings.
    pub(crate) fn load_content(&mut self) {
        let (Some(project), Some(doc)) = (&self.project, self.nav.document.clone()) else {
            self.content = None;
            self.sync_view();
            return;
        };
        if self.cache.document(&doc).is_none() {
            self.nav.document = None;
            self.content = None;
            self.sync_view();
            return;
        }
        match DocumentContent::load(project, &doc, self.content.take(), self.version) {
            Ok(content) => self.content = Some(content),
            Err(e) => {
                let text = self.tr.f(
                    "error.read",
                    &[("error", &crate::i18n::errors::store(&self.tr, &e))],
                );
                self.say(Level::Error, text);
            }
        }
        self.sync_view();
    }
}
