
mod import_formats;
mod rebase;
