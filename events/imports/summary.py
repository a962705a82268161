"""An import's report as rows of a table: the same lines for the command's summary, the admin
page and docs/importing.md's examples."""

from typing import TypedDict

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


class ProblemJSON(TypedDict):
    row: int
    column: str
    message: str


class DuplicateOfJSON(TypedDict):
    slug: str
    title: str
    status: str
    score: float
    reasons: list[str]


class RowDuplicatesJSON(TypedDict):
    row: int
    slug: str  # the event the row would create
    likely: bool
    of: list[DuplicateOfJSON]  # stored events it may repeat, likeliest first


class ImportJSON(TypedDict):
    """An import as the API shows it: its state, counts and report."""

    id: int
    url: str
    file_name: str
    sha256: str
    format: str
    dry_run: bool
    status: str
    outcome: str
    rows_total: int
    rows_done: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    published: int
    problems: list[ProblemJSON]
    notes: list[str]
    actors_created: list[str]
    unmatched_actors: list[str]
    groups: dict[str, str]
    duplicates: list[RowDuplicatesJSON]
    created_at: str
    finished_at: str | None


def import_json(import_run: Import, url: str) -> ImportJSON:
    report = import_run.report
    return {
        "id": import_run.pk,
        "url": url,
        "file_name": import_run.file_name,
        "sha256": import_run.sha256,
        "format": import_run.format,
        "dry_run": import_run.dry_run,
        "status": import_run.status,
        "outcome": outcome(import_run),
        "rows_total": import_run.rows_total,
        "rows_done": import_run.rows_done,
        "created": import_run.created_count,
        "updated": import_run.updated_count,
        "unchanged": import_run.unchanged_count,
        "rejected": import_run.rejected_count,
        "published": report.get("published", 0),
        "problems": report.get("problems", []),
        "notes": report.get("notes", []),
        "actors_created": report.get("actors_created", []),
        "unmatched_actors": report.get("unmatched_actors", []),
        "groups": report.get("groups", {}),
        "duplicates": report.get("duplicates", []),
        "created_at": import_run.created_at.isoformat(),
        "finished_at": import_run.finished_at.isoformat() if import_run.finished_at else None,
    }
