//! What an action tells the user, and what the faces must show again after it.

use crate::i18n::I18n;
use crate::model::{CodeId, CodingId};

/// A value in a message. Codes are given by GUID: each face shows a code as it shows codes
/// everywhere (the app translates the built-in codebook's names, the command line prints
/// them as stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// Text shown as it is (a name the user typed, a file).
    Text(String),
    /// A count.
    Count(usize),
    /// A code, shown as its path from the top of the codebook.
    CodePath(CodeId),
    /// A pole, shown as the side it takes in its controversy.
    PoleNote(CodeId),
}

/// Something to tell the user: a key of the catalogue and its named arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The catalogue key (`msg.coded`…).
    pub key: &'static str,
    /// Values of the `{name}` placeholders.
    pub args: Vec<(&'static str, Arg)>,
}

impl Message {
    /// A message without arguments.
    pub fn plain(key: &'static str) -> Message {
        Message {
            key,
            args: Vec::new(),
        }
    }

    /// A message with arguments.
    pub fn with(key: &'static str, args: Vec<(&'static str, Arg)>) -> Message {
        Message { key, args }
    }

    /// The message in `tr`'s language; `code` words the code arguments.
    pub fn words(&self, tr: &I18n, code: &dyn Fn(&Arg) -> String) -> String {
        self.words_as(self.key, tr, code)
    }

    /// The message worded by another key of the catalogue (a face's own wording of the same
    /// message), with the same arguments.
    pub fn words_as(&self, key: &str, tr: &I18n, code: &dyn Fn(&Arg) -> String) -> String {
        let values: Vec<(&str, String)> = self
            .args
            .iter()
            .map(|(name, arg)| {
                let value = match arg {
                    Arg::Text(text) => text.clone(),
                    Arg::Count(n) => tr.number(*n),
                    Arg::CodePath(_) | Arg::PoleNote(_) => code(arg),
                };
                (*name, value)
            })
            .collect();
        let borrowed: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        tr.f(key, &borrowed)
    }
}

/// What the faces must read again after an action.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Refresh {
    /// Everything shown, the open document included.
    #[default]
    All,
    /// What is shown, and these codings of the open document (added, changed or removed):
    /// its other codings and its text stay as they are.
    Codings(Vec<CodingId>),
    /// What is shown, but not the open document (a memo, an attribute: its text and its
    /// codings are unchanged).
    Lists,
}
