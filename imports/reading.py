"""Read an import file one row at a time, CSV or XLSX, so memory stays flat whatever its size.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first record row 2.
Empty rows are skipped. XLSX cells come back as text in the same form a CSV would hold them
(dates as YYYY-MM-DD), so every check after this reads one format."""

import csv
import datetime
from collections.abc import Iterator
from pathlib import Path

CSV, XLSX = "csv", "xlsx"


class FileRefused(Exception):
    """The file as a whole cannot be read: the wrong type, no header, a missing column."""


def file_format(name: str) -> str:
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix not in {CSV, XLSX}:
        raise FileRefused("Upload a CSV or an XLSX file.")
    return suffix


def count_rows(path: str, fmt: str) -> int | None:
    """How many record rows the file holds, for the progress bar: lines for a CSV (a quoted
    line break makes this an over-estimate), the sheet's stated size for an XLSX."""
    if fmt == CSV:
        lines, last = 0, b"\n"
        with open(path, "rb") as handle:
            while block := handle.read(1 << 20):
                lines += block.count(b"\n")
                last = block[-1:]
        return max(lines + (last != b"\n") - 1, 0)
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = book.worksheets[0].max_row
    finally:
        book.close()
    return max(rows - 1, 0) if rows else None


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(path: str) -> Iterator[list[str]]:
    # utf-8-sig: spreadsheet programs often start a CSV with a byte order mark.
    with open(path, encoding="utf-8-sig", newline="") as handle:
        try:
            yield from csv.reader(handle)
        except UnicodeDecodeError as error:
            raise FileRefused("The CSV file is not UTF-8 text: save it as 'CSV UTF-8'.") from error


def _xlsx_rows(path: str) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several kinds for a file that is not XLSX
        raise FileRefused("The file is not a readable XLSX workbook.") from error
    try:
        for values in book.worksheets[0].iter_rows(values_only=True):
            yield [_cell_text(value) for value in values]
    finally:
        book.close()


def read_rows(path: str, fmt: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and an iterator of (row number, cells), cells stripped of spaces."""
    rows = _csv_rows(path) if fmt == CSV else _xlsx_rows(path)
    header = next(rows, None)
    if header is None:
        raise FileRefused("The file is empty: it needs a header row naming the columns.")

    def records():
        for number, cells in enumerate(rows, start=2):
            cells = [cell.strip() for cell in cells]
            if any(cells):
                yield number, cells

    return [cell.strip() for cell in header], records()
