"""What an import says back: the problems of each row and the counts, declared once here and
shown by the command, the admin page and the API alike."""

from dataclasses import asdict, dataclass, field, fields


class FileRefused(Exception):
    """The file as a whole cannot be read (encoding, not a spreadsheet, a missing column):
    nothing is written, and the message says what to fix."""


@dataclass(frozen=True)
class RowProblem:
    """A row that cannot be imported: where (row as numbered in the file, header = row 1),
    which column, and what to fix."""

    row: int
    column: str
    message: str


@dataclass
class Report:
    """Everything an import did, or (dry run) would do."""

    format: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    # Notes about the file as a whole (ignored columns, formulas kept as text …).
    notes: list[str] = field(default_factory=list)
    # What each row did: [row, action (created/updated/unchanged), key (slug …)]; compact,
    # as a 100,000-row import keeps one per row.
    changes: list[list] = field(default_factory=list)
    # Names no actor answers to; created as draft actors only with create_actors.
    unmatched_actors: list[str] = field(default_factory=list)
    actors_created: list[str] = field(default_factory=list)
    # How Group values were read: {"Group value": "actor: …" or "type: …" or "unmatched"}.
    groups: dict[str, str] = field(default_factory=dict)
    published: int = 0
    refused: str = ""
    # Rows that would create an event that may already be recorded (events.duplicates):
    # {"row", "slug", "likely", "of": [{"slug", "title", "status", "score", "reasons"}]}.
    duplicates: list[dict] = field(default_factory=list)

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(RowProblem(row, column, message))

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)

    def count(self, action: str, *, row: int, key: str) -> None:
        setattr(self, action, getattr(self, action) + 1)
        self.changes.append([row, action, key])

    @property
    def rejected_rows(self) -> set[int]:
        return {problem.row for problem in self.problems}

    def to_dict(self) -> dict:
        # Not dataclasses.asdict: it would deep-copy every change of a large import.
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["problems"] = [asdict(problem) for problem in self.problems]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Report":
        data = dict(data)
        problems = [RowProblem(**problem) for problem in data.pop("problems", [])]
        return cls(**data, problems=problems)
