
mod import_formats;
mod refi_qda;
