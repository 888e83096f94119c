//! How the typed identities of `model::ids` go in and out of SQLite: as the GUID text of the
//! `guid` columns (and of columns that name a row by GUID, such as `memos.target_guid`).
//! Reading does not check the text: what the project holds is taken as it is.

use rusqlite::ToSql;
use rusqlite::types::{FromSql, FromSqlResult, ToSqlOutput, ValueRef};

use crate::model::{CodeId, CoderId, CodingId, DocumentId, MemoId, RespondentId};

macro_rules! sql_guid {
    ($($name:ident),*) => {$(
        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::Borrowed(ValueRef::Text(self.as_str().as_bytes())))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<$name> {
                String::column_result(value).map($name::new)
            }
        }
    )*};
}

sql_guid!(DocumentId, CodeId, CodingId, RespondentId, CoderId, MemoId);
