
mod import_formats;
mod report_export;
mod report_hostile;
