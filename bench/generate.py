"""Build a realistic benchmark dataset in PostgreSQL through COPY, bypassing the ORM.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/timeline_bench \\
        .venv/bin/python -m bench.generate --scale 1

At scale 1: 1,000,000 events over 80 years (recent years denser), 5,000 actors (the 249 states
with their real ISO 3166 codes, international bodies and their organs, government bodies,
people with aliases), 200,000 sources, about 3 participants and 1.5 citations per event,
2,000 UN General Assembly votes with a roll of 193 members each, and a curated, published
500-event timeline (`bench-500`) for the embed scenario.

The whole load is one transaction: migrate, truncate the domain tables, drop their secondary
indexes, unique and foreign-key constraints (read from the catalogue, so what is rebuilt is
exactly what the migrations created), COPY every table, rebuild, commit; then VACUUM ANALYZE
and bump the change stamp. Check constraints stay in place during the load, so every row is
checked. No revisions are written (and the old ones are truncated): a bulk load is not an edit.
"""

import argparse
import datetime as dt
import os
import random
import sys
import time
from dataclasses import dataclass, field

from bench import words

# Tables the generator owns; the event taxonomy (seeded by a migration) and users are kept.
DOMAIN_TABLES = (
    "events_actor",
    "events_role",
    "events_event",
    "events_participation",
    "events_eventrelation",
    "events_source",
    "events_citation",
    "events_voterecord",
    "events_countryvote",
    "events_aidmeasure",
    "events_timeline",
    "events_timeline_query_actors",
    "events_timeline_query_types",
    "events_timelineentry",
)
BASE_SIZES = {"events": 1_000_000, "actors": 5_000, "sources": 200_000, "votes": 2_000}
FIRST_YEAR, LAST_YEAR = 1946, 2025
UN_MEMBERS = 193
TIMELINE_SLUG = "bench-500"
TIMELINE_SIZE = 500
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def parse_scale(text: str) -> float:
    if text == "tiny":
        return 0.001
    value = float(text)
    if not 0 < value <= 10:
        raise argparse.ArgumentTypeError("scale must be 'tiny' or a number in (0, 10]")
    return value


@dataclass
class Sizes:
    events: int
    actors: int
    sources: int
    votes: int

    @classmethod
    def at(cls, scale: float) -> "Sizes":
        return cls(
            events=max(1_000, round(BASE_SIZES["events"] * scale)),
            actors=max(400, round(BASE_SIZES["actors"] * scale)),
            sources=max(500, round(BASE_SIZES["sources"] * scale)),
            votes=max(10, round(BASE_SIZES["votes"] * scale)),
        )


@dataclass
class Actors:
    """What event generation needs to know about the actors, by position."""

    ids: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    slugs: list[str] = field(default_factory=list)
    search_names: list[str] = field(default_factory=list)
    state_ids: list[int] = field(default_factory=list)
    members: list[int] = field(default_factory=list)  # UN members, for vote rolls
    body_id: int = 0  # UN General Assembly
    weights: list[float] = field(default_factory=list)


def ascii_slug(text: str) -> str:
    from django.utils.text import slugify

    return slugify(text)[:80].strip("-") or "x"


class Generator:
    def __init__(self, conn, sizes: Sizes, seed: int, out=sys.stdout):
        self.conn = conn
        self.sizes = sizes
        self.rng = random.Random(seed)
        self.out = out
        self.timings: dict[str, dict] = {}

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    # Schema ----------------------------------------------------------------------------

    def secondary_objects(self, cur) -> tuple[list, list]:
        """(constraints, indexes) to drop during the load, with the DDL that recreates them."""
        cur.execute(
            """
            SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid)
            FROM pg_constraint
            WHERE contype IN ('u', 'f') AND conrelid::regclass::text = ANY(%s)
            ORDER BY contype DESC, conname
            """,
            [list(DOMAIN_TABLES)],
        )
        constraints = cur.fetchall()  # foreign keys first ('f' > 'u'), so uniques drop cleanly
        cur.execute(
            """
            SELECT i.tablename, i.indexname, i.indexdef
            FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (
                SELECT 1 FROM pg_constraint k
                WHERE k.conindid = format('%%I.%%I', i.schemaname, i.indexname)::regclass
                  AND k.contype IN ('p', 'u', 'x')
              )
            ORDER BY i.tablename, i.indexname
            """,
            [list(DOMAIN_TABLES)],
        )
        return constraints, cur.fetchall()

    def generated_columns(self, cur) -> list:
        """STORED generated columns (the search vector): (table, column, type, expression)."""
        cur.execute(
            """
            SELECT a.attrelid::regclass::text, a.attname, format_type(a.atttypid, a.atttypmod),
                   pg_get_expr(d.adbin, d.adrelid)
            FROM pg_attribute a
            JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attgenerated = 's' AND NOT a.attisdropped
              AND a.attrelid::regclass::text = ANY(%s)
            """,
            [list(DOMAIN_TABLES)],
        )
        return cur.fetchall()

    def run(self) -> dict:
        started = time.perf_counter()
        with self.conn.transaction(), self.conn.cursor() as cur:
            cur.execute("SET LOCAL maintenance_work_mem = '1GB'")
            cur.execute("SET LOCAL synchronous_commit = off")
            cur.execute("TRUNCATE " + ", ".join(DOMAIN_TABLES) + " RESTART IDENTITY CASCADE")
            # The revisions of the rows just removed (events.revisions) go with them.
            cur.execute(
                "TRUNCATE events_revisionreview, reversion_version, reversion_revision "
                "RESTART IDENTITY"
            )
            constraints, indexes = self.secondary_objects(cur)
            for table, name, _kind, _definition in constraints:
                cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for _table, name, _definition in indexes:
                cur.execute(f'DROP INDEX "{name}"')
            # Computed row by row inside COPY, a tsvector costs about 3x what one pass over
            # the loaded table costs: drop the column and add it back after the load.
            generated = self.generated_columns(cur)
            for table, column, _type, _expression in generated:
                cur.execute(f'ALTER TABLE {table} DROP COLUMN "{column}"')
            self.say(
                f"dropped {len(constraints)} constraints, {len(indexes)} indexes "
                f"and {len(generated)} generated columns"
            )

            cur.execute("SELECT slug, id FROM events_eventtype")
            self.types = dict(cur.fetchall())
            actors = self.load_actors(cur)
            self.load_sources(cur)
            events = self.load_events(cur, actors)
            self.load_children(cur, actors, events)
            self.load_timeline(cur, events)

            t0 = time.perf_counter()
            for table, column, type_, expression in generated:
                cur.execute(
                    f'ALTER TABLE {table} ADD COLUMN "{column}" {type_} '
                    f"GENERATED ALWAYS AS ({expression}) STORED"
                )
            if generated:
                self.timings["generated_columns"] = {
                    "columns": [f"{table}.{column}" for table, column, *_ in generated],
                    "seconds": round(time.perf_counter() - t0, 2),
                }
                self.say(f"computed generated columns in {time.perf_counter() - t0:.1f} s")
            t0 = time.perf_counter()
            slowest = []
            for _table, name, definition in indexes:
                t1 = time.perf_counter()
                cur.execute(definition)
                slowest.append((round(time.perf_counter() - t1, 2), name))
            for table, name, _kind, definition in reversed(constraints):
                cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            self.timings["indexes"] = {
                "seconds": round(time.perf_counter() - t0, 2),
                "slowest": sorted(slowest, reverse=True)[:5],
            }
            self.say(f"rebuilt indexes and constraints in {self.timings['indexes']['seconds']} s")
            for table in DOMAIN_TABLES:
                cur.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                    f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)",
                    [table],
                )
            cur.execute(
                "INSERT INTO events_changestamp (id, counter, changed_at) "
                "VALUES (1, 1, now()), (2, 1, now()) "
                "ON CONFLICT (id) DO UPDATE SET counter = events_changestamp.counter + 1, "
                "changed_at = now()"
            )
        t0 = time.perf_counter()
        self.conn.autocommit = True
        with self.conn.cursor() as cur:
            cur.execute("VACUUM (ANALYZE) " + ", ".join(DOMAIN_TABLES))
        self.timings["vacuum_analyze"] = {"seconds": round(time.perf_counter() - t0, 2)}
        total = round(time.perf_counter() - started, 2)
        self.say(f"done in {total} s")
        return {"sizes": self.sizes.__dict__, "tables": self.timings, "total_seconds": total}

    def copy(self, cur, table: str, columns: tuple[str, ...], rows, *, label: str | None = None):
        """Binary COPY of rows into table (FREEZE: it was truncated in this transaction)."""
        cur.execute(
            "SELECT attname, atttypid::int FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
            [table],
        )
        oids = dict(cur.fetchall())
        t0 = time.perf_counter()
        count = 0
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT BINARY, FREEZE)"
        with cur.copy(sql) as copy:
            copy.set_types([oids[column] for column in columns])
            for row in rows:
                copy.write_row(row)
                count += 1
        seconds = time.perf_counter() - t0
        rate = count / seconds if seconds else 0
        self.timings[label or table] = {
            "rows": count,
            "seconds": round(seconds, 2),
            "rows_per_second": round(rate),
        }
        self.say(f"{table}: {count:,} rows in {seconds:.1f} s ({rate:,.0f} rows/s)")

    # Actors ----------------------------------------------------------------------------

    def load_actors(self, cur) -> Actors:
        import pycountry

        rng = self.rng
        actors = Actors()
        rows = []
        taken: set[str] = set()

        def add(name, kind, *, short="", aliases=(), iso3=None, parent=None, weight=1.0):
            slug = base = ascii_slug(name)
            n = 2
            while slug in taken:
                slug, n = f"{base}-{n}", n + 1
            taken.add(slug)
            actor_id = len(rows) + 1
            alias_text = "\n".join(aliases)
            search = "\n".join([name, short, *aliases]).strip()
            rows.append(
                (
                    actor_id,
                    NOW,
                    NOW,
                    1,
                    name,
                    slug,
                    kind,
                    short,
                    alias_text,
                    iso3,
                    None,
                    "",
                    search,
                    parent,
                )
            )
            actors.ids.append(actor_id)
            actors.names.append(short or name)
            actors.slugs.append(slug)
            actors.search_names.append(search)
            actors.weights.append(weight)
            return actor_id

        # States: every real ISO 3166-1 alpha-3 code; the big powers take part most often.
        prominent = ("USA", "RUS", "CHN", "GBR", "FRA", "DEU", "UKR", "IND", "JPN", "TUR")
        prominent += ("BRA", "IRN", "ISR", "SAU", "ZAF", "POL", "CAN", "ITA", "EGY", "KOR")
        countries = sorted(pycountry.countries, key=lambda c: c.alpha_3)
        for country in countries:
            official = getattr(country, "official_name", "")
            common = getattr(country, "common_name", "")
            rank = prominent.index(country.alpha_3) if country.alpha_3 in prominent else None
            state_id = add(
                country.name,
                "state",
                short=common,
                aliases=[a for a in (official, country.alpha_2) if a],
                iso3=country.alpha_3,
                weight=400 / (rank + 1) if rank is not None else 4,
            )
            actors.state_ids.append(state_id)
        by_iso = {c.alpha_3: actors.state_ids[i] for i, c in enumerate(countries)}
        members = [by_iso[code] for code in prominent]
        others = [i for i in actors.state_ids if i not in set(members)]
        rng.shuffle(others)
        actors.members = members + others[: UN_MEMBERS - len(members)]

        un = add("United Nations", "organisation", short="UN", aliases=["UNO"], weight=30)
        actors.body_id = add(
            "United Nations General Assembly",
            "organ",
            short="UN General Assembly",
            aliases=["UNGA"],
            parent=un,
            weight=30,
        )
        add(
            "United Nations Security Council",
            "organ",
            short="UN Security Council",
            aliases=["UNSC"],
            parent=un,
            weight=30,
        )
        for name, short in (
            ("North Atlantic Treaty Organization", "NATO"),
            ("European Union", "EU"),
            ("African Union", "AU"),
            ("Association of Southeast Asian Nations", "ASEAN"),
            ("Organization for Security and Co-operation in Europe", "OSCE"),
            ("International Monetary Fund", "IMF"),
            ("World Bank", ""),
            ("World Health Organization", "WHO"),
            ("Group of Seven", "G7"),
            ("Arab League", ""),
            ("Organization of American States", "OAS"),
            ("International Atomic Energy Agency", "IAEA"),
        ):
            add(name, "organisation", short=short, aliases=[short] if short else [], weight=10)

        ministries = (
            "Ministry of Foreign Affairs",
            "Ministry of Defence",
            "Parliament",
            "Central Bank",
            "Ministry of Finance",
            "Presidential Office",
        )
        remaining = self.sizes.actors - len(rows)
        for index in range(remaining // 5):
            state = countries[rng.randrange(len(countries))]
            add(f"{ministries[index % len(ministries)]} of {state.name}", "government_body")
        while len(rows) < self.sizes.actors:
            first = rng.choice(words.FIRST_NAMES)
            last = rng.choice(words.LAST_NAMES)
            aliases = [f"{first[0]}. {last}"]
            if rng.random() < 0.4:  # a transliterated spelling, as search must find both
                aliases.append(f"{first} {last.replace('v', 'w').replace('k', 'c')}")
            add(f"{first} {last}", "person", aliases=aliases, weight=1.5)

        columns = (
            "id",
            "created_at",
            "updated_at",
            "version",
            "name",
            "slug",
            "kind",
            "short_name",
            "aliases",
            "iso3",
            "wikidata_id",
            "description",
            "search_names",
            "parent_id",
            "veto_members",
        )
        # Voting rules: no vetoes recorded (membership and votes to adopt stay NULL).
        self.copy(cur, "events_actor", columns, ((*row, "") for row in rows))
        return actors

    # Sources ---------------------------------------------------------------------------

    def sentence(self) -> str:
        rng = self.rng
        return (
            f"The {rng.choice(words.ADJECTIVES)} {rng.choice(words.NOUNS)} "
            f"{rng.choice(words.VERBS)} the {rng.choice(words.NOUNS)} "
            f"{rng.choice(words.ADVERBS)} after the {rng.choice(words.ADJECTIVES)} "
            f"{rng.choice(words.NOUNS)} in {rng.choice(words.CITIES)}."
        )

    def load_sources(self, cur) -> None:
        rng = self.rng
        kinds = ("news_article", "official_document", "press_release", "transcript", "dataset")
        pool = [self.sentence()[:-1] for _ in range(min(20_000, self.sizes.sources))]

        def rows():
            for source_id in range(1, self.sizes.sources + 1):
                publisher, host = words.PUBLISHERS[source_id % len(words.PUBLISHERS)]
                year = rng.randint(FIRST_YEAR, LAST_YEAR)
                published = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
                title = pool[source_id % len(pool)]
                if source_id % 10 == 0:  # print material: no URL, a local reference instead
                    url, reference = None, f"archive/{year}/{source_id:07d}"
                else:
                    url = f"https://{host}/{year}/{published.month:02d}/report-{source_id}"
                    reference = None
                yield (
                    source_id,
                    NOW,
                    NOW,
                    1,
                    kinds[source_id % len(kinds)],
                    title,
                    url,
                    reference,
                    publisher,
                    f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}",
                    published,
                    "day",
                    False,
                    "en",
                    "",
                    "",
                    0,
                    "unchecked",
                )

        columns = (
            "id",
            "created_at",
            "updated_at",
            "version",
            "kind",
            "title",
            "url",
            "reference",
            "publisher",
            "authors",
            "published_on",
            "published_precision",
            "published_approximate",
            "language",
            "archive_url",
            "full_text",
            "link_failures",  # the link checker's columns (no database default)
            "link_status",
        )
        self.copy(cur, "events_source", columns, rows())

    # Events ----------------------------------------------------------------------------

    def load_events(self, cur, actors: Actors) -> list:
        """COPY the events; return per event (id, participant positions, is_vote, date, status)."""
        from events import dates

        rng = self.rng
        n = self.sizes.events
        years = list(range(FIRST_YEAR, LAST_YEAR + 1))
        # Recent years are denser: the weight doubles about every 14 years.
        year_of = rng.choices(years, weights=[1.05 ** (y - FIRST_YEAR) for y in years], k=n)
        vote_at = set(rng.sample(range(n), min(self.sizes.votes, n)))
        type_ids = [self.types[s] for s in sorted(self.types) if s not in ("un-vote", "aid")]
        un_vote = self.types["un-vote"]
        positions = range(len(actors.ids))
        cum_weights = []
        total = 0.0
        for weight in actors.weights:
            total += weight
            cum_weights.append(total)
        picks = rng.choices((1, 2, 3, 4, 5), weights=(10, 25, 35, 20, 10), k=n)
        summaries = [self.sentence() for _ in range(min(30_000, n))]
        statuses = rng.choices(
            ("published", "draft", "in_review", "retracted"), weights=(92, 3, 3, 2), k=n
        )
        verifications = rng.choices(
            ("confirmed", "reported", "disputed", "unverified"), weights=(50, 30, 5, 15), k=n
        )
        importances = rng.choices((1, 2, 3, 4, 5), weights=(10, 25, 40, 18, 7), k=n)
        # Randomness is drawn in bulk up front: one call per list, not several per event.
        precisions = rng.choices(("day", "month", "year"), weights=(80, 15, 5), k=n)
        offsets = [int(r * 365) for r in _randoms(rng, n)]
        spans = [31 + int(r * 369) if r < 0.12 else 0 for r in _randoms(rng, n)]
        subjects = rng.choices(words.TITLE_OBJECTS, k=n)
        locations = [
            actors.state_ids[int(r * len(actors.state_ids) / 0.7)] if r < 0.7 else None
            for r in _randoms(rng, n)
        ]
        approximate = [r < 0.05 for r in _randoms(rng, n)]
        drawn = rng.choices(positions, cum_weights=cum_weights, k=sum(picks))
        state_positions = list(range(len(actors.state_ids)))  # states come first
        body = actors.body_id - 1
        days = _calendar(FIRST_YEAR, LAST_YEAR + 2)
        events: list = []
        published_at = NOW

        def rows():
            taken = 0
            for index in range(n):
                event_id = index + 1
                is_vote = index in vote_at
                day = days[year_of[index]][offsets[index]]
                precision = "day" if is_vote else precisions[index]
                if precision == "day":
                    start = day
                elif precision == "month":
                    start = day.replace(day=1)
                else:
                    start = days[day.year][0]
                end = None
                end_precision = ""
                if spans[index] and not is_vote:
                    later = start + dt.timedelta(days=spans[index])
                    end_precision = precision
                    end = (
                        later
                        if precision == "day"
                        else later.replace(day=1)
                        if precision == "month"
                        else days[later.year][0]
                    )
                lower, upper = dates.bounds(start, precision, end, end_precision or None)
                count = picks[index]
                if is_vote:
                    picked = [body, *rng.sample(state_positions, 2)]
                    status, type_id = "published", un_vote
                else:
                    picked = list(dict.fromkeys(drawn[taken : taken + count]))
                    status, type_id = statuses[index], type_ids[index % len(type_ids)]
                taken += count
                first = actors.names[picked[0]]
                verb = words.TITLE_VERBS[index % len(words.TITLE_VERBS)]
                subject = subjects[index]
                city = words.CITIES[index % len(words.CITIES)]
                if is_vote:
                    title = f"{first} votes on a resolution on {subject}"
                elif len(picked) > 1:
                    prep = words.PREPOSITIONS[index % len(words.PREPOSITIONS)]
                    title = f"{first} {verb} {subject} {prep} {actors.names[picked[1]]}"
                else:
                    title = f"{first} {verb} {subject} in {city}"
                summary = " ".join(
                    (
                        title + ".",
                        summaries[index % len(summaries)],
                        summaries[(index * 7 + 3) % len(summaries)],
                    )
                )
                search_actors = "\n".join(sorted({actors.search_names[p] for p in picked}))
                slug = f"{actors.slugs[picked[0]][:60]}-{verb}-{event_id}"
                location = locations[index]
                events.append((event_id, picked, is_vote, lower, status))
                yield (
                    event_id,
                    NOW,
                    NOW,
                    1,
                    title[:300],
                    slug,
                    summary,
                    start,
                    precision,
                    precision != "day" and approximate[index],
                    end,
                    end_precision,
                    False,
                    lower,
                    upper,
                    city if location else "",
                    status,
                    "Retracted after the source was withdrawn." if status == "retracted" else "",
                    published_at if status in ("published", "retracted") else None,
                    verifications[index],
                    importances[index],
                    search_actors,
                    sorted({actors.ids[p] for p in picked}),
                    location,
                    type_id,
                    published_at if status in ("published", "retracted") else None,
                )

        columns = (
            "id",
            "created_at",
            "updated_at",
            "version",
            "title",
            "slug",
            "summary",
            "start_date",
            "start_precision",
            "start_approximate",
            "end_date",
            "end_precision",
            "end_approximate",
            "date_lower",
            "date_upper",
            "location_name",
            "status",
            "retraction_reason",
            "published_at",
            "verification",
            "importance",
            "search_actors",
            "participant_ids",
            "location_country_id",
            "event_type_id",
            "first_published_at",
        )
        self.copy(cur, "events_event", columns, rows())
        return events

    def load_children(self, cur, actors: Actors, events: list) -> None:
        rng = self.rng
        roles = ("initiator", "target")

        def participations():
            row_id = 0
            for event_id, picked, is_vote, _lower, _status in events:
                for place, position in enumerate(picked):
                    row_id += 1
                    if is_vote:
                        role = "host" if place == 0 else "voter"
                    else:
                        role = roles[place] if place < 2 else "participant"
                    yield (row_id, role, "", actors.ids[position], event_id)

        self.copy(
            cur,
            "events_participation",
            ("id", "role", "note", "actor_id", "event_id"),
            participations(),
        )

        n_sources = self.sizes.sources
        quotes = [self.sentence() for _ in range(5_000)]

        def citations():
            row_id = 0
            for event_id, *_ in events:
                first = rng.randrange(1, n_sources + 1)
                cited = [first] if rng.random() < 0.5 else [first, first % n_sources + 1]
                for place, source_id in enumerate(cited):
                    row_id += 1
                    stance = "supports" if place == 0 else rng.choice(("context", "contradicts"))
                    yield (
                        row_id,
                        quotes[row_id % len(quotes)],
                        f"para. {place + 1}",
                        stance,
                        "",
                        event_id,
                        source_id,
                    )

        self.copy(
            cur,
            "events_citation",
            ("id", "quote", "locator", "stance", "note", "event_id", "source_id"),
            citations(),
        )
        self.load_votes(cur, actors, [e for e in events if e[2]])

    def load_votes(self, cur, actors: Actors, votes: list) -> None:
        """Rolls follow blocs: members of a bloc mostly vote alike, so alignment means something."""
        rng = self.rng
        blocs = {member: index % 4 for index, member in enumerate(actors.members)}
        options = ("yes", "no", "abstain", "non_voting")
        records, roll_rows = [], []
        for record_id, (event_id, _picked, _vote, lower, _status) in enumerate(votes, start=1):
            leaning = [rng.choices(options[:3], weights=(70, 15, 15))[0] for _ in range(4)]
            tally = dict.fromkeys(options, 0)
            for member in actors.members:
                roll = rng.random()
                if roll < 0.8:
                    option = leaning[blocs[member]]
                elif roll < 0.95:
                    option = rng.choice(options[:3])
                else:
                    option = "non_voting"
                tally[option] += 1
                roll_rows.append((len(roll_rows) + 1, option, member, record_id))
            session = lower.year - 1945
            records.append(
                (
                    record_id,
                    f"A/RES/{session}/{record_id}",
                    f"A/{session}/L.{record_id}",
                    f"Resolution {session}/{record_id}",
                    "adopted" if tally["yes"] > tally["no"] else "rejected",
                    tally["yes"],
                    tally["no"],
                    tally["abstain"],
                    tally["non_voting"],
                    True,
                    actors.body_id,
                    event_id,
                )
            )
        columns = (
            "id",
            "document_symbol",
            "draft_symbol",
            "title",
            "result",
            "yes_count",
            "no_count",
            "abstain_count",
            "non_voting_count",
            "roll_complete",
            "body_id",
            "event_id",
        )
        self.copy(cur, "events_voterecord", columns, records)
        self.copy(
            cur, "events_countryvote", ("id", "option", "actor_id", "vote_record_id"), roll_rows
        )

    def load_timeline(self, cur, events: list) -> None:
        """One published, curated timeline of 500 public events, in date order."""
        public = [e for e in events if e[4] in ("published", "retracted")]
        chosen = sorted(public[-TIMELINE_SIZE:], key=lambda e: (e[3], e[0]))
        self.copy(
            cur,
            "events_timeline",
            (
                "id",
                "created_at",
                "updated_at",
                "version",
                "title",
                "slug",
                "description",
                "kind",
                "status",
            ),
            [
                (
                    1,
                    NOW,
                    NOW,
                    1,
                    "Benchmark: 500 events",
                    TIMELINE_SLUG,
                    "Five hundred events, for the embed benchmark.",
                    "curated",
                    "published",
                )
            ],
        )
        self.copy(
            cur,
            "events_timelineentry",
            ("id", "position", "caption", "event_id", "timeline_id"),
            [(i + 1, i, "", e[0], 1) for i, e in enumerate(chosen)],
        )


def _randoms(rng: random.Random, n: int) -> list[float]:
    return [rng.random() for _ in range(n)]


def _calendar(first_year: int, last_year: int) -> dict[int, list[dt.date]]:
    """Every day of every year (365 of them; 31 December of leap years is never drawn)."""
    return {
        year: [dt.date(year, 1, 1) + dt.timedelta(days=offset) for offset in range(365)]
        for year in range(first_year, last_year + 1)
    }


def conninfo_from(settings_dict: dict) -> dict:
    return {
        key: value
        for key, value in {
            "dbname": settings_dict["NAME"],
            "user": settings_dict.get("USER") or None,
            "password": settings_dict.get("PASSWORD") or None,
            "host": settings_dict.get("HOST") or None,
            "port": settings_dict.get("PORT") or None,
        }.items()
        if value
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=parse_scale, default=1.0, help="1 = 1M events; 'tiny'")
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument(
        "--force", action="store_true", help="allow a database whose name lacks 'bench'"
    )
    parser.add_argument("--report", help="also write the throughput report (JSON) here")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")
    import django

    django.setup()
    import orjson
    import psycopg
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        parser.error("DATABASE_URL must point at PostgreSQL (the generator uses COPY).")
    name = connection.settings_dict["NAME"]
    if "bench" not in name and not args.force:
        parser.error(
            f"refusing to truncate '{name}': use a database whose name contains 'bench', "
            "or pass --force"
        )
    call_command("migrate", verbosity=0, interactive=False)
    conninfo = conninfo_from(connection.settings_dict)
    connection.close()
    sizes = Sizes.at(args.scale)
    print(f"generating into {name}: {sizes}", flush=True)
    with psycopg.connect(**conninfo) as conn:
        report = Generator(conn, sizes, args.seed).run()
    events = report["tables"]["events_event"]
    print(f"events table (COPY): {events['rows_per_second']:,} events/s", flush=True)
    vectors = report["tables"].get("generated_columns")
    if vectors:
        with_vectors = events["rows"] / (events["seconds"] + vectors["seconds"])
        report["events_per_second_with_search_vector"] = round(with_vectors)
        print(f"events table with its search vector: {with_vectors:,.0f} events/s", flush=True)
    print(f"slowest indexes: {report['tables']['indexes']['slowest']}", flush=True)
    if args.report:
        with open(args.report, "wb") as handle:
            handle.write(orjson.dumps(report, option=orjson.OPT_INDENT_2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
