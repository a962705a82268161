"""Data in: one pipeline (reading, parsing, matching, writing) behind the import command, the
admin page and the API (docs/importing.md)."""
