"""An import's report as rows of a table: the same lines for the command's summary, the admin
page and docs/importing.md's examples."""

from events.imports.models import Import


def count_rows(import_run: Import) -> list[tuple[str, int]]:
    report = import_run.report
    return [
        ("rows in file", report.get("rows", 0)),
        ("created", import_run.created_count),
        ("updated", import_run.updated_count),
        ("unchanged", import_run.unchanged_count),
        ("rejected rows", import_run.rejected_count),
        ("published", report.get("published", 0)),
    ]


def outcome(import_run: Import) -> str:
    report = import_run.report
    if report.get("refused"):
        return report["refused"]
    if import_run.dry_run:
        return "Dry run: nothing was written. Import again without --dry-run to write it."
    return f"{import_run} is {import_run.get_status_display().lower()}."
