"""Read and check the published files; nothing here writes to the database.

Each file is recognised by its columns, not its name, so a newer release in the same format
loads the same way. Every problem is reported with its file, row (the line in the file, the
header being row 1) and field; any problem stops the whole load."""

import csv
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from evaluation.indicators import CLA_CATEGORIES, MEASURE_COLUMNS

SUPPRESSION_CODES = {"c", ":", "z", "x", "u", "low"}
LEVELS = {"National": "national", "Regional": "region", "Local authority": "la"}
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
LA_CODE = re.compile(r"^\d{3}$")
YEARS = range(2000, 2101)
# National and regional totals are rounded to the nearest 10; LA figures are not.
NATIONAL_ROUNDING = 5


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file + (f", row {self.row}" if self.row else "")
        return f"{where}, {self.field or 'file'}: {self.message}"

    def as_dict(self) -> dict:
        return {"file": self.file, "row": self.row, "field": self.field, "message": self.message}


@dataclass(frozen=True)
class Place:
    code: str
    level: str
    name: str
    ons_code: str
    region_name: str


@dataclass
class ParsedFile:
    path: Path
    table: str
    sha256: str
    # (place code, year, measure) -> (value or None, code)
    values: dict = field(default_factory=dict)
    # place code -> {mid_year: children}
    populations: dict = field(default_factory=dict)
    # (authority code, rank) -> (neighbour code, closeness)
    neighbours: dict = field(default_factory=dict)
    # (place code, year) -> Place, as the file names it that year
    places: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def years(self) -> list[int]:
        if self.table == "population":
            return sorted({year for years in self.populations.values() for year in years})
        if self.table.startswith("sn"):
            return [int(self.table[2:])]
        return sorted({year for (_, year, _) in self.values})


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def recognise(columns: list[str]) -> str | None:
    names = set(columns)
    if {"LA num", "SN1"} <= names:
        return "sn2021"
    if {"old_la_code", "SN_1"} <= names:
        return "sn2025"
    if "time_period" not in names or "geographic_level" not in names:
        return None
    if {"age_group", "population_estimate"} <= names:
        return "population"
    if {"population_type", "children_count"} <= names or {"population_count", "number"} <= names:
        return "cla"
    for table, measures in MEASURE_COLUMNS.items():
        if set(measures.values()) <= names:
            return table
    return None


def parse_directory(directory: Path) -> tuple[list[ParsedFile], list[Problem], list[str]]:
    """Every CSV file in the folder that Threefold recognises, the problems found, and notes on
    the files it left alone."""
    files, problems, notes = [], [], []
    if not directory.is_dir():
        return [], [Problem(str(directory), None, "", "is not a folder")], []
    for path in sorted(directory.iterdir()):
        if path.suffix.lower() != ".csv":
            if path.is_file() and not path.name.startswith("."):
                notes.append(f"{path.name}: not a CSV file; not loaded")
            continue
        parsed = parse_file(path)
        if parsed is None:
            notes.append(f"{path.name}: not a table Threefold evaluates; not loaded")
            continue
        files.append(parsed)
        problems.extend(parsed.problems)
    return files, problems, notes


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        return [name.strip() for name in header], list(reader)


def parse_file(path: Path) -> ParsedFile | None:
    try:
        header, rows = _read(path)
    except (UnicodeDecodeError, csv.Error) as error:
        parsed = ParsedFile(path, "unknown", "")
        parsed.problems.append(Problem(path.name, None, "", f"cannot be read: {error}"))
        return parsed
    table = recognise(header)
    if table is None:
        return None
    parsed = ParsedFile(path, table, sha256_of(path))
    if table.startswith("sn"):
        _parse_neighbours(parsed, header, rows)
    else:
        _parse_tidy(parsed, header, rows)
    return parsed


def _cell(row: list[str], index: dict, name: str) -> str:
    position = index.get(name)
    if position is None or position >= len(row):
        return ""
    return row[position].strip()


def _parse_value(parsed, line, column, raw):
    """(number, "") or (None, code); a problem for anything else."""
    if raw in SUPPRESSION_CODES:
        return None, raw
    if NUMBER.match(raw):
        number = float(raw)
        if number < 0:
            parsed.problems.append(Problem(parsed.name, line, column, f"'{raw}' is negative"))
            return None, None
        return number, ""
    shown = raw if raw else "(empty)"
    parsed.problems.append(
        Problem(
            parsed.name,
            line,
            column,
            f"'{shown}' is neither a number nor a suppression code (c, :, z, x, u, low)",
        )
    )
    return None, None


def _parse_place(parsed, line, index, row, year):
    level = LEVELS.get(_cell(row, index, "geographic_level"))
    if level is None:
        parsed.problems.append(
            Problem(
                parsed.name,
                line,
                "geographic_level",
                f"'{_cell(row, index, 'geographic_level')}' is not National, Regional or "
                "Local authority",
            )
        )
        return None
    if level == "la":
        code = _cell(row, index, "old_la_code")
        if not LA_CODE.match(code):
            parsed.problems.append(
                Problem(parsed.name, line, "old_la_code", f"'{code}' is not a three-digit LA code")
            )
            return None
        name = _cell(row, index, "la_name")
        ons = _cell(row, index, "new_la_code")
    elif level == "region":
        code = ons = _cell(row, index, "region_code")
        name = _cell(row, index, "region_name")
    else:
        code = ons = _cell(row, index, "country_code")
        name = _cell(row, index, "country_name")
    if not code or not name:
        parsed.problems.append(
            Problem(parsed.name, line, "la_name" if level == "la" else "region_code", "is empty")
        )
        return None
    place = Place(code, level, name, ons, _cell(row, index, "region_name"))
    parsed.places[(code, year)] = place
    return place


def _parse_year(parsed, line, index, row):
    raw = _cell(row, index, "time_period")
    if not raw.isdigit() or int(raw) not in YEARS:
        parsed.problems.append(Problem(parsed.name, line, "time_period", f"'{raw}' is not a year"))
        return None
    return int(raw)


def _parse_tidy(parsed: ParsedFile, header: list[str], rows: list[list[str]]) -> None:
    index = {name: position for position, name in enumerate(header)}
    table = parsed.table
    if table == "population":
        columns = {"children": "population_estimate"}
    elif table == "cla":
        category = "population_type" if "population_type" in index else "population_count"
        count = "children_count" if "children_count" in index else "number"
    else:
        columns = MEASURE_COLUMNS[table]
    seen = set()
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            parsed.problems.append(
                Problem(
                    parsed.name, line, "", f"has {len(row)} fields; the header has {len(header)}"
                )
            )
            continue
        year = _parse_year(parsed, line, index, row)
        place = _parse_place(parsed, line, index, row, year) if year else None
        if year is None or place is None:
            continue
        if table == "population":
            raw = _cell(row, index, "population_estimate")
            if raw in SUPPRESSION_CODES:
                continue  # an authority in a year it did not exist: no estimate
            if not raw.isdigit() or int(raw) == 0:
                parsed.problems.append(
                    Problem(
                        parsed.name,
                        line,
                        "population_estimate",
                        f"'{raw or '(empty)'}' is not a whole number of children",
                    )
                )
                continue
            if year in parsed.populations.get(place.code, {}):
                parsed.problems.append(
                    Problem(parsed.name, line, "", f"{place.name} {year} appears twice")
                )
                continue
            parsed.populations.setdefault(place.code, {})[year] = int(raw)
            continue
        if table == "cla":
            label = _cell(row, index, category)
            measure = CLA_CATEGORIES.get(label)
            if measure is None:
                parsed.problems.append(
                    Problem(
                        parsed.name, line, category, f"'{label}' is not a category Threefold knows"
                    )
                )
                continue
            pairs = [(measure, count)]
        else:
            pairs = list(columns.items())
        row_key = (place.code, year, pairs[0][0])
        if row_key in seen:
            parsed.problems.append(
                Problem(parsed.name, line, "", f"{place.name} {year} appears twice")
            )
            continue
        seen.add(row_key)
        for measure, column in pairs:
            value, code = _parse_value(parsed, line, column, _cell(row, index, column))
            if code is None:
                continue
            parsed.values[(place.code, year, measure)] = (value, code)


def _parse_neighbours(parsed: ParsedFile, header: list[str], rows: list[list[str]]) -> None:
    if parsed.table == "sn2021":
        code_column, pairs = 0, [(5 + 2 * i, 6 + 2 * i) for i in range(10)]
    else:
        code_column = header.index("old_la_code")
        pairs = [(header.index(f"SN_{i}"), header.index(f"SN_{i}P")) for i in range(1, 11)]
    for line, row in enumerate(rows, start=2):
        code = row[code_column].strip() if row else ""
        if not code:
            continue  # the 2021 file's blank lines and its "Old SNs:" heading
        if not LA_CODE.match(code):
            parsed.problems.append(
                Problem(parsed.name, line, header[code_column], f"'{code}' is not an LA code")
            )
            continue
        for rank, (at, closeness_at) in enumerate(pairs, start=1):
            neighbour = row[at].strip() if at < len(row) else ""
            closeness = row[closeness_at].strip() if closeness_at < len(row) else ""
            if not LA_CODE.match(neighbour):
                parsed.problems.append(
                    Problem(
                        parsed.name,
                        line,
                        header[at] if at < len(header) else f"SN{rank}",
                        f"'{neighbour or '(empty)'}' is not an LA code",
                    )
                )
                continue
            if neighbour == code:
                parsed.problems.append(
                    Problem(parsed.name, line, header[at], "an authority is not its own neighbour")
                )
                continue
            parsed.neighbours[(code, rank)] = (neighbour, closeness)


def national_sum_warnings(parsed: ParsedFile) -> list[str]:
    """Where every LA has a number, the LA rows add up to England's within its rounding."""
    if parsed.table in {"population"} or parsed.table.startswith("sn"):
        return []
    national = {
        (year, measure): value
        for (code, year, measure), (value, _) in parsed.values.items()
        if parsed.places[(code, year)].level == "national"
    }
    sums, missing = defaultdict(float), defaultdict(int)
    for (code, year, measure), (value, _) in parsed.values.items():
        if parsed.places[(code, year)].level != "la":
            continue
        if value is None and _ != "z":  # z: the authority did not exist that year
            missing[(year, measure)] += 1
        elif value is None:
            continue
        else:
            sums[(year, measure)] += value
    warnings = []
    for key, total in sorted(national.items()):
        if total is None or missing[key] or key not in sums:
            continue
        if abs(sums[key] - total) > NATIONAL_ROUNDING:
            year, measure = key
            warnings.append(
                f"{parsed.name}: {measure} {year}: authorities add up to {sums[key]:,.0f}, "
                f"England's row says {total:,.0f}"
            )
    return warnings
