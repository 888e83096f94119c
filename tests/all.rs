
mod import_formats;
mod rebase;
mod media;
mod text_edit;
