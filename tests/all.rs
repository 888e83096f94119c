
mod import_formats;
mod refi_qda;
mod refi_qda_import;
