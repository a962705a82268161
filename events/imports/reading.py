"""From bytes to rows: decoding, CSV and XLSX tables, and guessing the format from the file.

Nothing here evaluates anything: an XLSX cell holding a formula is read as its text.
"""

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from events.imports.report import FileRefused, Report

XLSX_MAGIC = b"PK\x03\x04"
UTF8_BOM = b"\xef\xbb\xbf"


def decode(data: bytes) -> str:
    """UTF-8 text, with or without a byte-order mark; anything else is refused with a reason."""
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused(
            "The file is UTF-16; save it as UTF-8 (in Excel: “CSV UTF-8”) and import it again."
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileRefused(
            f"The file is not UTF-8 (line {line} has the byte 0x{data[exc.start]:02x}); it is "
            "probably Latin-1 or Windows-1252. Save it as UTF-8 (in Excel: “CSV UTF-8”; in "
            "LibreOffice: Character set “Unicode (UTF-8)”) and import it again."
        ) from None


@dataclass
class Table:
    """A header and its rows, read lazily: each pass builds one row's dict at a time, with
    its row number in the file (header = 1), so a large file is never held as dicts."""

    header: list[str]
    cells: Callable[[], Iterator[tuple[int, list]]]

    def iter_rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        header = self.header
        for number, cells in self.cells():
            yield number, _row(header, cells)

    def row(self, cells: list) -> dict[str, str]:
        """One row of `cells()` as `iter_rows` gives it."""
        return _row(self.header, cells)

    def picker(self, names: list[str]) -> Callable[[list], tuple[str, ...]]:
        """A function giving the cells of the columns `names` from a row of `cells()`, as
        `iter_rows` reads them: for a long file's few columns, without a dict a row."""
        where = {name: index for index, name in enumerate(self.header) if name}
        indexes = [where[name] for name in names]

        def pick(cells: list) -> tuple[str, ...]:
            return tuple(
                "" if index >= len(cells) or cells[index] is None else str(cells[index]).strip()
                for index in indexes
            )

        return pick


def _clean_header(header: list) -> list[str]:
    return [str(name or "").strip() for name in header]


def read_csv(data: bytes) -> Table:
    """A CSV file's table. Each pass decodes the bytes as it reads them: the file's text is
    never held whole (a `StringIO` of it would hold four bytes a character)."""
    decode(data)  # refuses a file that is not UTF-8, saying where; the text is not kept

    def lines() -> io.TextIOWrapper:
        # utf-8-sig drops a byte-order mark; newline="" leaves line ends to the CSV reader.
        return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")

    reader = csv.reader(lines())
    try:
        header = _clean_header(next(reader))
    except StopIteration:
        raise FileRefused("The file is empty: it needs a header row and some rows.") from None
    except csv.Error as exc:
        raise FileRefused(f"The file is not a readable CSV: {exc}.") from None

    def cells() -> Iterator[tuple[int, list]]:
        reader = csv.reader(lines())
        try:
            next(reader)
            for row in reader:
                if any(cell.strip() for cell in row):
                    yield reader.line_num, row
        except csv.Error as exc:
            raise FileRefused(
                f"Line {reader.line_num} is not readable CSV ({exc}); check its quotes."
            ) from None

    return Table(header, cells)


def _row(header: list[str], cells: list) -> dict[str, str]:
    row = {}
    for index, name in enumerate(header):
        if not name:
            continue
        value = cells[index] if index < len(cells) else ""
        row[name] = "" if value is None else str(value).strip()
    return row


def read_xlsx(data: bytes, report: Report) -> Table:
    """The first sheet of a workbook. Formulas are never evaluated: openpyxl returns the
    formula's text (`=SUM(A1:A3)`), which the formats then treat as plain text, and say so."""
    import openpyxl  # only imports that need it pay for it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise FileRefused(
            f"The file is not a readable XLSX workbook ({exc.__class__.__name__}); save it "
            "from your spreadsheet as “Excel Workbook (.xlsx)” or as CSV UTF-8."
        ) from None
    try:
        sheet = workbook.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        try:
            header = _clean_header(list(next(values)))
        except StopIteration:
            raise FileRefused("The first sheet is empty: it needs a header row.") from None
        rows = []
        for number, cells in enumerate(values, start=2):
            cells = [_xlsx_text(cell) for cell in cells]
            if any(cells):
                rows.append((number, cells))
    finally:
        workbook.close()
    return Table(header, lambda: iter(rows))


def _xlsx_text(value) -> str:
    """A cell as the text a person would type: 2025.0 → 2025, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value).strip()


def read_table(data: bytes, file_name: str, report: Report) -> Table:
    """CSV or XLSX, told by the content (a ZIP is a workbook) and then the name."""
    if data.startswith(XLSX_MAGIC) or file_name.lower().endswith((".xlsx", ".xlsm")):
        return read_xlsx(data, report)
    return read_csv(data)


def iter_lines(data: bytes) -> Iterator[tuple[int, str]]:
    """Non-empty lines of a UTF-8 text file with their numbers (JSONL)."""
    for number, line in enumerate(decode(data).splitlines(), start=1):
        if line.strip():
            yield number, line


def require_columns(table: Table, required: list[str], format_name: str) -> None:
    """Refuse the file if a required column is missing (compared without case or spaces)."""
    present = {_key(name) for name in table.header}
    missing = [name for name in required if _key(name) not in present]
    if missing:
        raise FileRefused(
            f"The {format_name} file lacks the column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}. Its header has: {', '.join(h for h in table.header if h)}."
        )


def _key(name: str) -> str:
    return "".join(name.lower().split()).replace("_", "")


def normalise_keys(table: Table, columns: list[str]) -> None:
    """Rename the header's columns to the format's spelling (`end year` → `End Year`)."""
    wanted = {_key(name): name for name in columns}
    table.header = [wanted.get(_key(name), name) for name in table.header]
