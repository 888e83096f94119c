
mod import_formats;
