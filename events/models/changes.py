"""Two cheap answers to “has anything changed?”, for ETags and Last-Modified: one for what
anonymous readers can see, one for staff."""

import datetime as dt

from django.db import connections, models, router
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from events import statements
from events.choices import PublicChangeKind


class ChangeStamp(models.Model):
    """Two rows: PUBLIC moves only when public data moves, STAFF on every change.

    Bumped by events.signals for every save and delete of the domain models; whether a change
    is public is decided by `events.freshness.is_public_change`. A draft saved must not change
    the public ETag (nor show anyone that unpublished work is being saved, nor empty a CDN).
    Reading a stamp is one primary-key lookup. Bulk `QuerySet.update()` calls bypass signals;
    code that uses them for visible data calls `events.freshness.stamp_change()` itself.
    """

    PUBLIC = 1
    STAFF = 2
    _CURRENT_SQL = "SELECT counter, changed_at FROM events_changestamp WHERE id = %s"

    id = models.PositiveSmallIntegerField(primary_key=True, default=PUBLIC, editable=False)
    counter = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(id__in=(1, 2)), name="%(app_label)s_%(class)s_public_or_staff"
            )
        ]

    def __str__(self) -> str:
        audience = "public" if self.pk == self.PUBLIC else "staff"
        return f"{audience} change {self.counter} at {self.changed_at:%Y-%m-%d %H:%M:%S}"

    @property
    def token(self) -> str:
        """Names this state of the data; differs between the two stamps at equal counters."""
        return f"{self.pk}.{self.counter}"

    @classmethod
    def bump(cls, *, public: bool) -> None:
        """Move the staff stamp, and the public one too when readers can see the change."""
        ids = (cls.PUBLIC, cls.STAFF) if public else (cls.STAFF,)
        now = timezone.now()
        updated = cls.objects.filter(pk__in=ids).update(counter=F("counter") + 1, changed_at=now)
        if updated < len(ids):  # a database created without the rows (e.g. after a flush)
            for pk in ids:
                cls.objects.get_or_create(pk=pk, defaults={"counter": 1, "changed_at": now})

    @classmethod
    def current(cls, *, staff: bool = False) -> "ChangeStamp":
        """The stamp as stored: one primary-key query, read through a plain cursor (every
        uncached read asks, and the ORM's compiling of it cost more than the query)."""
        pk = cls.STAFF if staff else cls.PUBLIC
        db = router.db_for_read(cls)
        with statements.cursor(connections[db]) as cursor:
            cursor.execute(cls._CURRENT_SQL, [pk])
            found = cursor.fetchone()
        if found is None:
            return cls(pk=pk, counter=0, changed_at=timezone.now())
        counter, changed_at = found
        if isinstance(changed_at, str):  # SQLite without its type converters
            changed_at = parse_datetime(changed_at)
        if changed_at.tzinfo is None:  # SQLite stores UTC without an offset
            changed_at = changed_at.replace(tzinfo=dt.UTC)
        return cls.from_db(db, ("id", "counter", "changed_at"), (pk, counter, changed_at))


class PublicChange(models.Model):
    """One change to the public set of events, in the order made: the changes feed.

    Append-only, written by `events.public_changes.record` only. The id is the feed's cursor.
    The slug is the one readers saw at the time, kept when the event is deleted (SET_NULL), so
    a tombstone still names what a mirror must delete.
    """

    event = models.ForeignKey(
        "events.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    slug = models.SlugField(max_length=200, db_index=False)
    kind = models.CharField(max_length=10, choices=PublicChangeKind.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.slug} at {self.at:%Y-%m-%d %H:%M:%S}"
