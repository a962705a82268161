"""One module per format: each reads a file into EventRecords and reports row problems.

A format module has `NAME`, `COLUMNS` (the header that identifies it, for guessing) and
`parse(data, file_name, report, context) -> list[EventRecord]`.
"""
