"""Every write in the evaluation app: loading published statistics, and saving designs.

`statistics_load` is all or nothing: every file is read and checked first, and if any problem
is found nothing is written; otherwise everything is written in one transaction. Each run is
recorded in `StatisticsLoad` (a failed one after its rollback) and in the audit log."""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Max, Min
from django.utils.text import slugify

from core.audit import audit_record
from core.errors import RuleViolation
from evaluation.indicators import BY_KEY, TABLE_MEASURES
from evaluation.loading import Problem, national_sum_warnings, parse_directory
from evaluation.models import (
    EvaluationDesign,
    IndicatorValue,
    LocalAuthority,
    PopulationEstimate,
    PublishedRelease,
    StatisticalNeighbour,
    StatisticsLoad,
)
from evaluation.reorganisations import REORGANISATIONS, SERIES_OF


class LoadFailed(Exception):
    def __init__(self, problems: list[Problem], load: StatisticsLoad | None = None):
        super().__init__(f"{len(problems)} problem(s); nothing was loaded")
        self.problems = problems
        self.load = load


@dataclass
class LoadResult:
    load: StatisticsLoad
    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def statistics_load(*, actor, directory: Path) -> LoadResult:
    directory = Path(directory)
    files, problems, notes = parse_directory(directory)
    if not files and not problems:
        problems = [Problem(str(directory), None, "", "holds no table Threefold recognises")]
    if problems:
        load = StatisticsLoad.objects.create(
            directory=str(directory),
            succeeded=False,
            problems=[p.as_dict() for p in problems],
            summary={"notes": notes},
        )
        audit_record(
            actor=actor,
            verb="evaluation.statistics_load_failed",
            target=load,
            changes={"problems": len(problems)},
        )
        raise LoadFailed(problems, load)
    warnings = [w for parsed in files for w in national_sum_warnings(parsed)]
    try:
        with transaction.atomic():
            result = _write(files)
            warnings += _reorganisation_warnings()
            load = StatisticsLoad.objects.create(
                directory=str(directory),
                succeeded=True,
                summary={"loaded": result[0], "unchanged": result[1], "notes": notes},
                warnings=warnings,
            )
            audit_record(
                actor=actor,
                verb="evaluation.statistics_loaded",
                target=load,
                changes={"loaded": result[0], "unchanged": result[1]},
            )
    except LoadFailed as error:
        load = StatisticsLoad.objects.create(
            directory=str(directory),
            succeeded=False,
            problems=[p.as_dict() for p in error.problems],
        )
        error.load = load
        raise
    return LoadResult(load, result[0], result[1], notes, warnings)


def _write(files) -> tuple[list[str], list[str]]:
    loaded, unchanged = [], []
    # Older releases first, so the newer release of a table is the one that keeps its years.
    files = sorted(files, key=lambda f: (f.table, f.years[-1] if f.years else 0, f.name))
    new_files = []
    for parsed in files:
        if PublishedRelease.objects.filter(table=parsed.table, sha256=parsed.sha256).exists():
            unchanged.append(parsed.name)
        else:
            new_files.append(parsed)
    if not new_files:
        return loaded, unchanged
    authorities = _authorities_ensure(new_files)
    for parsed in new_files:
        years = parsed.years
        release = PublishedRelease.objects.create(
            table=parsed.table,
            file_name=parsed.name,
            sha256=parsed.sha256,
            first_year=years[0],
            last_year=years[-1],
            rows=len(parsed.values)
            + len(parsed.neighbours)
            + sum(len(v) for v in parsed.populations.values()),
        )
        newer = PublishedRelease.objects.filter(table=parsed.table, last_year__gt=release.last_year)
        taken = set()
        for other in newer:
            taken.update(range(other.first_year, other.last_year + 1))
        owned = [year for year in years if year not in taken]
        if parsed.table == "population":
            _write_populations(parsed, release, owned, authorities)
        elif parsed.table.startswith("sn"):
            _write_neighbours(parsed, release, authorities)
        else:
            _write_values(parsed, release, owned, authorities)
        loaded.append(parsed.name)
    # A release whose every year a newer one has replaced holds nothing now.
    PublishedRelease.objects.filter(
        values__isnull=True, populations__isnull=True, neighbours__isnull=True
    ).delete()
    _authority_years_update()
    return loaded, unchanged


def _authorities_ensure(files) -> dict[str, LocalAuthority]:
    """Every place the files name, with its latest name and ONS code (earlier codes kept)."""
    latest = {}
    ons_codes: dict[str, set] = {}
    for parsed in files:
        for (code, year), place in parsed.places.items():
            if code not in latest or year >= latest[code][0]:
                latest[code] = (year, place)
            if place.ons_code:
                ons_codes.setdefault(code, set()).add(place.ons_code)
    existing = {a.code: a for a in LocalAuthority.objects.all()}
    for code, (_, place) in latest.items():
        authority = existing.get(code)
        earlier = set(ons_codes.get(code, set())) - {place.ons_code}
        if authority is None:
            authority = LocalAuthority(code=code)
            existing[code] = authority
        else:
            earlier |= set(filter(None, authority.earlier_ons_codes.split(",")))
            if authority.ons_code and authority.ons_code != place.ons_code:
                earlier.add(authority.ons_code)
        authority.level = place.level
        authority.name = place.name
        authority.ons_code = place.ons_code
        authority.earlier_ons_codes = ",".join(sorted(earlier - {place.ons_code}))
        authority.region_name = place.region_name
        authority.series_code = SERIES_OF.get(code, code)
        authority.save()
    problems = []
    for parsed in files:
        if not parsed.table.startswith("sn"):
            continue
        for (code, rank), (neighbour, _) in sorted(parsed.neighbours.items()):
            for named in (code, neighbour):
                if named not in existing:
                    problems.append(
                        Problem(parsed.name, None, f"SN{rank}", f"'{named}' is no known LA code")
                    )
    if problems:
        raise LoadFailed(sorted(set(problems), key=str))
    return existing


def _write_values(parsed, release, owned, authorities) -> None:
    measures = TABLE_MEASURES[parsed.table]
    IndicatorValue.objects.filter(measure__in=measures, year__in=owned).delete()
    owned = set(owned)
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(
                release=release,
                authority=authorities[code],
                year=year,
                measure=measure,
                value=value,
                code=code_,
            )
            for (code, year, measure), (value, code_) in sorted(parsed.values.items())
            if year in owned
        ],
        batch_size=2000,
    )


def _write_populations(parsed, release, owned, authorities) -> None:
    PopulationEstimate.objects.filter(mid_year__in=owned).delete()
    owned = set(owned)
    PopulationEstimate.objects.bulk_create(
        [
            PopulationEstimate(
                release=release, authority=authorities[code], mid_year=year, children=children
            )
            for code, years in sorted(parsed.populations.items())
            for year, children in sorted(years.items())
            if year in owned
        ],
        batch_size=2000,
    )


def _write_neighbours(parsed, release, authorities) -> None:
    model = parsed.table[2:]
    StatisticalNeighbour.objects.filter(model=model).delete()
    StatisticalNeighbour.objects.bulk_create(
        [
            StatisticalNeighbour(
                release=release,
                model=model,
                authority=authorities[code],
                neighbour=authorities[neighbour],
                rank=rank,
                closeness=closeness,
            )
            for (code, rank), (neighbour, closeness) in sorted(parsed.neighbours.items())
        ]
    )


def _authority_years_update() -> None:
    spans = {
        row["authority"]: row
        for row in IndicatorValue.objects.filter(code__in=["", "c", "u", "x", "low"])
        .values("authority")
        .annotate(first=Min("year"), last=Max("year"))
    }
    for authority in LocalAuthority.objects.all():
        span = spans.get(authority.pk)
        first, last = (span["first"], span["last"]) if span else (None, None)
        if (authority.first_year, authority.last_year) != (first, last):
            authority.first_year, authority.last_year = first, last
            authority.save(update_fields=["first_year", "last_year"])


def _reorganisation_warnings() -> list[str]:
    """Check each known reorganisation against the data, and name any authority that starts or
    stops reporting without one."""
    warnings = []
    las = {
        a.code: a for a in LocalAuthority.objects.filter(level=LocalAuthority.Level.LOCAL_AUTHORITY)
    }
    if not las:
        return warnings
    first = min(a.first_year for a in las.values() if a.first_year)
    last = max(a.last_year for a in las.values() if a.last_year)
    for reorganisation in REORGANISATIONS:
        change = reorganisation.first_year
        if not first < change <= last:
            continue  # the loaded years do not span this change
        for code in reorganisation.before:
            la = las.get(code)
            if la and la.last_year and la.last_year != change - 1:
                warnings.append(
                    f"{la.name} ({code}) last reports in {la.last_year}, not {change - 1} as "
                    "its reorganisation would have it"
                )
        for code in reorganisation.after:
            la = las.get(code)
            if la and la.first_year and la.first_year != change:
                warnings.append(
                    f"{la.name} ({code}) first reports in {la.first_year}, not {change}"
                )
    for la in las.values():
        if la.code in SERIES_OF or not la.first_year:
            continue
        if la.first_year > first or la.last_year < last:
            warnings.append(
                f"{la.name} ({la.code}) reports only from {la.first_year} to {la.last_year}, "
                "with no known reorganisation"
            )
    return warnings


# Designs --------------------------------------------------------------------------------------


def evaluation_design_create(
    *,
    actor,
    name: str,
    implementation: list[dict],
    comparison: str,
    first_year: int,
    last_year: int,
    indicators: list[str],
    description: str = "",
    neighbour_model: str = "2021",
) -> EvaluationDesign:
    name = name.strip()
    if not name:
        raise RuleViolation("Give the design a name.")
    if not implementation:
        raise RuleViolation("Name at least one implementing authority.")
    if last_year <= first_year:
        raise RuleViolation("The last year must come after the first.")
    unknown = [key for key in indicators if key not in BY_KEY]
    if unknown or not indicators:
        raise RuleViolation("Choose at least one indicator.")
    if comparison not in EvaluationDesign.Comparison.values:
        raise RuleViolation("Choose a comparison group.")
    slug = slugify(name)[:80] or "design"
    with transaction.atomic():
        base, n = slug, 2
        while EvaluationDesign.objects.filter(agency_id=actor.agency_id, slug=slug).exists():
            slug = f"{base[:75]}-{n}"
            n += 1
        design = EvaluationDesign.objects.create(
            agency_id=actor.agency_id,
            slug=slug,
            name=name,
            description=description.strip(),
            implementation=sorted(implementation, key=lambda item: item["code"]),
            comparison=comparison,
            neighbour_model=neighbour_model,
            first_year=first_year,
            last_year=last_year,
            indicators=list(indicators),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            verb="evaluation.design_created",
            target=design,
            agency_id=actor.agency_id,
            changes={"name": name, "implementation": design.implementation},
        )
    return design
