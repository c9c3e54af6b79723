"""The document archive: files kept under the archive folder, indexed in the database with their hash."""
