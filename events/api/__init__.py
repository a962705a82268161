"""The JSON API under /api/v1/: rows from projections, keyset pages, several output formats."""
