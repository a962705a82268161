"""The import pipeline, once: read → match → validate → plan → write. The command, the admin
page, the API and the background task all call `start_import` / `run_import`."""

import gc
import hashlib
import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from events.bulk import writes_behind
from events.choices import ActorKind
from events.freshness import stamps_coalesced
from events.imports.models import Import, ImportFormat, ImportStatus
from events.imports.reading import XLSX_MAGIC, decode, read_table
from events.imports.records import ActorRef, EventRecord
from events.imports.report import FileRefused, Report
from events.imports.writing import EventWriter, Matching, import_writes
from events.models import Actor, Event, EventType, VoteRecord

# Formats in the order they were built; each is a module in events.imports.formats.
FORMAT_MODULES = {
    ImportFormat.TIMELINEJS_SHEET: "timelinejs_sheet",
    ImportFormat.UN_VOTES: "un_votes",
    ImportFormat.CSV: "timeline_csv",
    ImportFormat.JSONL: "jsonl",
    ImportFormat.TIMELINEJS: "timelinejs_json",
    ImportFormat.ACLED: "acled",
}
DEFAULT_TYPE = "statement"
BATCH = 1000

Progress = Callable[[int, int], None]


def format_module(name: str):
    return importlib.import_module(f"events.imports.formats.{FORMAT_MODULES[name]}")


def available_formats() -> list[str]:
    """The formats whose module exists (the others are planned; docs/importing.md)."""
    found = []
    for name in FORMAT_MODULES:
        try:
            format_module(name)
        except ModuleNotFoundError:
            continue
        found.append(name)
    return found


def max_upload_bytes() -> int:
    return settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024


def guess_format(data: bytes, file_name: str) -> str:
    """The format the file's header (or JSON shape) identifies; FileRefused when it is
    ambiguous or unknown, saying which formats were considered."""
    name = file_name.lower()
    if name.endswith(".jsonl"):
        return ImportFormat.JSONL
    if name.endswith(".json"):
        return ImportFormat.TIMELINEJS
    if not (data.startswith(XLSX_MAGIC) or name.endswith((".xlsx", ".xlsm", ".csv", ".tsv"))):
        first = decode(data[:4096]).lstrip()[:1] if data else ""
        if first == "{":
            return ImportFormat.JSONL if b"\n{" in data[:1_000_000] else ImportFormat.TIMELINEJS
    header = {_key(column) for column in _header(data, file_name)}
    matches = []
    for format_name in available_formats():
        module = format_module(format_name)
        columns = getattr(module, "COLUMNS", None)
        required = getattr(module, "GUESS_BY", columns)
        if columns and {_key(column) for column in required} <= header:
            matches.append(format_name)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise FileRefused(
            "The format cannot be told from the header; name it (--format): "
            + ", ".join(available_formats())
            + "."
        )
    raise FileRefused(f"The header fits several formats ({', '.join(matches)}): name one.")


def _header(data: bytes, file_name: str) -> list[str]:
    head = data if data.startswith(XLSX_MAGIC) else data[:65536]
    if not data.startswith(XLSX_MAGIC):
        # A cut-off last line is harmless: only the header is read.
        head = head.split(b"\n", 1)[0] + b"\n"
    return read_table(head, file_name, Report()).header


def _key(name: str) -> str:
    return "".join(name.lower().split()).replace("_", "")


# --- entry points -------------------------------------------------------------------------


def start_import(
    *,
    data: bytes,
    file_name: str,
    user,
    format: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    publish_cited: bool = False,
    create_actors: bool = False,
    background: bool | None = None,
    progress: Progress | None = None,
) -> Import:
    """Record the import and run it now, or (a large real import, when `background` allows)
    queue it for the worker. The returned Import carries the report."""
    import_run = Import(
        created_by=user if user is not None and user.is_authenticated else None,
        file_name=file_name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        dry_run=dry_run,
        options={
            "skip_invalid": skip_invalid,
            "publish_cited": publish_cited,
            "create_actors": create_actors,
        },
    )
    try:
        if len(data) > max_upload_bytes():
            raise FileRefused(
                f"The file is {len(data) / 1e6:.0f} MB; imports take at most "
                f"{settings.IMPORT_MAX_UPLOAD_MB} MB. Split it, or import it with the command "
                "on the server (IMPORT_MAX_UPLOAD_MB, docs/importing.md)."
            )
        import_run.format = format or guess_format(data, file_name)
        if import_run.format not in available_formats():
            raise FileRefused(
                f"“{import_run.format}” is not a format this version reads; use one of "
                + ", ".join(available_formats())
                + "."
            )
    except FileRefused as exc:
        return _refuse(import_run, Report(format=format or ""), str(exc))
    rows = _count_rows(data)
    if background is None:
        background = rows > settings.IMPORT_BACKGROUND_ROWS
    if background and not dry_run:
        from events.imports.tasks import run_import_task

        import_run.content = data
        import_run.rows_total = rows
        import_run.save()
        transaction.on_commit(lambda: run_import_task.enqueue(import_run.pk))
        return import_run
    if dry_run:
        import_run.content = data
    import_run.save()
    return run_import(import_run, data, progress=progress)


def _count_rows(data: bytes) -> int:
    if data.startswith(XLSX_MAGIC):
        return len(data) // 100  # a workbook is compressed: a rough row count for the choice
    return max(data.count(b"\n") - 1, 0)


def _refuse(import_run: Import, report: Report, message: str) -> Import:
    report.refused = message
    import_run.format = import_run.format or report.format or "?"
    import_run.status = ImportStatus.REFUSED
    import_run.report = report.to_dict()
    import_run.finished_at = timezone.now()
    _save_result(import_run)
    return import_run


def _save_result(import_run: Import) -> None:
    """Save the finished run. A dry run's file was stored with the run and is kept as it is:
    sent again it would cost its size several times over (a 30 MB file, escaped)."""
    if import_run.pk is not None and import_run.dry_run:
        import_run.save(
            update_fields=[
                field.name
                for field in Import._meta.concrete_fields
                if not field.primary_key and field.name != "content"
            ]
        )
    else:
        import_run.save()


def run_import(
    import_run: Import, data: bytes, *, progress: Progress | None = None, atomic: bool = True
) -> Import:
    """Run a recorded import to its end; the Import's status and report say how it went."""
    with _objects_frozen():
        return _run_import(import_run, data, progress=progress, atomic=atomic)


@contextmanager
def _objects_frozen() -> Iterator[None]:
    """An import holds hundreds of thousands of objects for its whole run (the file's records,
    the instances of a batch), and each full pass of Python's cyclic garbage collector walks
    every one of them, again and again: a seventh of a 100,000-row import's time. Frozen
    (`gc.freeze`: at the start and once the file is read) they are left out of those passes;
    cycles made since are still collected, and at the end everything is collectable again."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _run_import(import_run: Import, data: bytes, *, progress: Progress | None, atomic: bool):
    options = import_run.options
    user = import_run.created_by
    report = Report(format=import_run.format)
    import_run.status = ImportStatus.RUNNING
    import_run.save(update_fields=["status", "format"])
    try:
        records = format_module(import_run.format).parse(
            data, import_run.file_name, report, {"user": user}
        )
    except FileRefused as exc:
        return _refuse(import_run, report, str(exc))
    gc.freeze()  # the records, read
    if hasattr(format_module(import_run.format), "DatasetImport"):
        return _run_dataset(import_run, records, report, progress)
    if not report.rows:
        report.rows = len(records) + len(report.rejected_rows)
    records = _drop_repeats(records, report)
    matching = _match(records, report)
    columns = getattr(format_module(import_run.format), "FIELD_COLUMNS", {})
    records = _validate(records, matching, report, columns)
    import_run.rows_total = len(records)
    writer = EventWriter(
        import_run=import_run,
        user=user,
        report=report,
        matching=matching,
        publish_cited=options.get("publish_cited", False),
    )
    refused = bool(report.problems) and not options.get("skip_invalid")
    writer.match(records)
    if import_run.dry_run or refused:
        _plan_only(writer, records, report, progress)
        if refused:
            report.refused = (
                f"Nothing was written: {len(report.rejected_rows)} row(s) are invalid. Fix them "
                "and import the file again, or import the valid rows with --skip-invalid."
            )
        return _finish(
            import_run,
            report,
            ImportStatus.REFUSED if refused else ImportStatus.DRY_RUN,
        )
    # In the foreground the import is one transaction. In the background each batch commits
    # on its own, so the admin sees progress; a failure there leaves the batches before it,
    # recorded, for undo.
    whole = _writes(import_run) if atomic else nullcontext()
    try:
        with whole:
            with _writes(import_run) if not atomic else nullcontext():
                _create_actors(writer, matching, records, report, options.get("create_actors"))
            for start in range(0, len(records), BATCH):
                batch = records[start : start + BATCH]
                records[start : start + BATCH] = [None] * len(batch)  # memory stays flat
                with _writes(import_run) if not atomic else nullcontext():
                    plans = writer.plan(batch)
                    writer.write(plans)
                for plan in plans:
                    report.count(plan.action, row=plan.record.row, key=plan.record.slug)
                _progress(import_run, start + len(batch), progress, seen=not atomic)
    except ValidationError as exc:
        written = (
            "Nothing was written"
            if atomic or not report.changes
            else (
                f"{len(report.changes)} rows were written before this; undo the import to "
                "remove them"
            )
        )
        report.refused = f"{written}: " + " ".join(exc.messages)
        return _finish(import_run, report, ImportStatus.FAILED)
    return _finish(import_run, report, ImportStatus.DONE)


def _run_dataset(import_run: Import, lines: list, report: Report, progress) -> Import:
    """The dataset format: everything upserted by its natural key (formats/jsonl.py). A dry
    run does the work and rolls it back; invalid lines leave nothing written."""
    module = format_module(import_run.format)
    if report.problems and not import_run.options.get("skip_invalid"):
        report.refused = "Nothing was written: some lines are not records; fix them."
        return _finish(import_run, report, ImportStatus.REFUSED)
    import_run.rows_total = len(lines)
    restore = module.DatasetImport(import_run=import_run, user=import_run.created_by, report=report)
    try:
        with import_writes(import_run, rollback=import_run.dry_run):
            restore.run(lines, progress)
    except ValidationError as exc:
        report.refused = "Nothing was written: " + " ".join(exc.messages)
        return _finish(import_run, report, ImportStatus.FAILED)
    return _finish(
        import_run, report, ImportStatus.DRY_RUN if import_run.dry_run else ImportStatus.DONE
    )


def _plan_only(writer, records, report, progress) -> None:
    for start in range(0, len(records), BATCH):
        batch = records[start : start + BATCH]
        for plan in writer.plan(batch):
            report.count(plan.action, row=plan.record.row, key=plan.record.slug)
        if progress:
            progress(start + len(batch), len(records))
    would_create = sorted(
        {ref for record in records for ref in _vote_refs(record)} - set(writer.matching.actors)
    )
    for reference in would_create:
        report.actors_created.append(f"{_actor_label(reference)} (would be created)")


@contextmanager
def _writes(import_run: Import) -> Iterator[None]:
    """One transaction of an import's writes (the whole import, or one batch of a background
    one): its revision, the change stamps moved once at its end, and the new rows' COPYs sent
    by a second thread while this one prepares the next (events.bulk.writes_behind)."""
    with import_writes(import_run), stamps_coalesced(), writes_behind():
        yield


def _progress(import_run: Import, done: int, progress: Progress | None, *, seen: bool) -> None:
    if progress:
        progress(done, import_run.rows_total)
    # Seen from outside the import's transaction only where each batch commits (a background
    # task); in one transaction the update would only make the writes wait for it.
    if seen:
        Import.objects.filter(pk=import_run.pk).update(rows_done=done)


def _finish(import_run: Import, report: Report, status: str) -> Import:
    report.rejected = len(report.rejected_rows)
    import_run.status = status
    import_run.report = report.to_dict()
    import_run.created_count = report.created
    import_run.updated_count = report.updated
    import_run.unchanged_count = report.unchanged
    import_run.rejected_count = report.rejected
    import_run.rows_done = import_run.rows_total
    import_run.finished_at = timezone.now()
    if not import_run.dry_run:
        import_run.content = None  # a dry run keeps it until it is confirmed in the admin
    _save_result(import_run)
    return import_run


# --- steps --------------------------------------------------------------------------------


def _drop_repeats(records: list[EventRecord], report: Report) -> list[EventRecord]:
    """A second row naming the same event (same slug or external id) is a row problem."""
    first: dict[object, int] = {}
    kept = []
    for record in records:
        keys = [record.slug] + ([record.external_id] if record.external_id else [])
        earlier = next((first[key] for key in keys if key in first), None)
        if earlier is not None:
            report.problem(
                record.row,
                "",
                f"Repeats row {earlier} (the same event: headline and date, or id): remove "
                "one of them.",
            )
            continue
        for key in keys:
            first[key] = record.row
        kept.append(record)
    return kept


def _vote_refs(record: EventRecord) -> list[str]:
    if record.vote is None:
        return []
    return [record.vote.body, *record.vote.roll]


def _match(records: list[EventRecord], report: Report) -> Matching:
    """Resolve every actor reference of the file at once (ActorQuerySet.resolve), and read
    each Group as an event type or an actor."""
    types = {event_type.slug: event_type for event_type in EventType.objects.all()}
    type_names = {event_type.name.lower(): event_type for event_type in types.values()}
    references = set()
    for record in records:
        references.update(ref.reference for ref in record.participants)
        references.update(_vote_refs(record))
        if record.location_country:
            references.add(record.location_country)
        if record.group:
            references.add(record.group)
    references = sorted(references)
    actors: dict[str, Actor] = {}
    for start in range(0, len(references), 500):
        actors.update(Actor.objects.resolve(*references[start : start + 500], names=True))
    matching = Matching(actors=actors, types=types)
    for record in records:
        if record.group:
            group_type = types.get(record.group.lower()) or type_names.get(record.group.lower())
            if group_type is not None:
                report.groups[record.group] = f"type: {group_type.name}"
                record.event_type = record.event_type or group_type.slug
            elif record.group in actors:
                report.groups[record.group] = f"actor: {actors[record.group].name}"
                record.participants.append(ActorRef(record.group, column="Group"))
            else:
                report.groups[record.group] = "unmatched"
                record.participants.append(ActorRef(record.group, column="Group"))
        if record.event_type and record.event_type not in types:  # a type's name
            named = type_names.get(record.event_type.lower())
            record.event_type = named.slug if named else record.event_type
        if not record.event_type:
            record.event_type = DEFAULT_TYPE
            report.note(
                f"Rows whose Group names no event type are typed “{types[DEFAULT_TYPE].name}”."
            )
        for ref in record.participants:
            if ref.reference not in actors:
                matching.unmatched.add(ref.reference)
    report.unmatched_actors = sorted(matching.unmatched)
    return matching


def _validate(
    records: list[EventRecord], matching: Matching, report: Report, columns: dict[str, str]
) -> list:
    """The model's own rules for each record (Event.clean, the vote counts), without writing;
    invalid records are reported and left out."""
    valid = []
    check_event = _EventCheck()
    for record in records:
        event_type = matching.types.get(record.event_type)
        if event_type is None:
            report.problem(record.row, "Type", f"“{record.event_type}” is not an event type.")
            continue
        country = matching.actors.get(record.location_country)
        if country is not None and country.kind != ActorKind.STATE:
            country = None
        if record.location_country and country is None:
            # Where it happened is secondary: the event comes in without it, and the name is
            # listed with the other names no actor answers to.
            matching.unmatched.add(record.location_country)
            report.unmatched_actors = sorted(matching.unmatched)
            record.location_country = ""
        try:
            check_event(record, country)
            if record.vote is not None:
                _validate_vote(record, matching)
        except ValidationError as exc:
            for column, messages in exc.message_dict.items():
                for message in messages:
                    column = "" if column == "__all__" else columns.get(column, column)
                    report.problem(record.row, column, message)
            continue
        valid.append(record)
    return valid


class _EventCheck:
    """The model's own rules for the event a record describes: each field the record sets
    through its field's validators (Event.clean_fields), then Event.clean, on one Event reused
    for every record rather than a new instance per row. The fields a record does not set keep
    their defaults and need no check."""

    FIELDS = (
        "title",
        "slug",
        "summary",
        "start_date",
        "start_precision",
        "start_approximate",
        "end_date",
        "end_precision",
        "end_approximate",
        "location_name",
        "importance",
        "verification",
    )

    def __init__(self):
        self.event = Event()
        self.exclude = {f.name for f in Event._meta.fields if f.name not in self.FIELDS}
        self.defaults = {name: Event._meta.get_field(name).get_default() for name in self.FIELDS}

    def __call__(self, record: EventRecord, country: Actor | None) -> None:
        """ValidationError (by field) when the record breaks a rule."""
        event = self.event
        event.title = record.title
        event.slug = record.slug
        event.summary = record.summary or ""
        event.start_date = record.start_date
        event.start_precision = record.start_precision
        event.start_approximate = record.start_approximate
        event.end_date = record.end_date
        event.end_precision = record.end_precision
        event.end_approximate = self.defaults["end_approximate"]
        event.location_country = country
        event.location_name = record.location_name
        event.importance = (
            self.defaults["importance"] if record.importance is None else record.importance
        )
        event.verification = record.verification or self.defaults["verification"]
        event.clean_fields(exclude=self.exclude)
        event.clean()


def _validate_vote(record: EventRecord, matching: Matching) -> None:
    vote = record.vote
    options = list(vote.roll.values())
    body = matching.actors.get(vote.body)
    counts = {
        "yes_count": options.count("yes"),
        "no_count": options.count("no"),
        "abstain_count": options.count("abstain"),
        "non_voting_count": options.count("non_voting"),
    }
    trial = VoteRecord(body=body, result="adopted", title=vote.title, **counts)
    trial.result = "adopted" if counts["yes_count"] > counts["no_count"] else "rejected"
    problems = trial.count_problems() if body is not None else {}
    if problems:
        raise ValidationError({"ms_vote": [m for ms in problems.values() for m in ms]})


def _actor_label(reference: str) -> str:
    if reference == "un-general-assembly":
        return "United Nations General Assembly (organ of an organisation)"
    import pycountry

    country = pycountry.countries.get(alpha_3=reference)
    return f"{country.name} (state, {reference})" if country else reference


def _create_actors(writer, matching, records, report, create_unmatched: bool) -> None:
    """Member states a roll names that are not yet in the database (from ISO 3166), the
    General Assembly itself if missing, and (only when asked) unmatched names."""
    import pycountry

    wanted = sorted({ref for record in records for ref in _vote_refs(record)})
    specs = {}
    for reference in wanted:
        if reference in matching.actors:
            continue
        if reference == "un-general-assembly":
            specs[reference] = {
                "name": "United Nations General Assembly",
                "slug": "un-general-assembly",
                "kind": ActorKind.ORGAN,
                "short_name": "UN General Assembly",
                "voting_members": 193,
            }
            continue
        country = pycountry.countries.get(alpha_3=reference)
        name = getattr(country, "common_name", None) or country.name
        specs[reference] = {"name": name, "kind": ActorKind.STATE, "iso3": reference}
    matching.actors.update(zip(specs, writer.create_actors(list(specs.values())), strict=True))
    if create_unmatched:
        names = sorted(matching.unmatched)
        specs = [{"name": name, "kind": ActorKind.OTHER} for name in names]
        matching.actors.update(zip(names, writer.create_actors(specs), strict=True))
        matching.unmatched.clear()
