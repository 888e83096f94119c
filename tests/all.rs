
mod import_formats;
mod analysis_tables;
mod table_exports;
