"""Reads of maps. Callers pass a case they have already fetched through the people selectors, so
every map read is scoped by the same access rules as its case."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from people.models import Case, Person
from people.selectors import ELDEST_FIRST
from practice.labels import COLUMNS, category_labels
from practice.models import (
    PLAIN_CATEGORIES,
    DangerStatement,
    Map,
    MapCategory,
    MapEntry,
    SafetyGoal,
    ScaleJudgement,
)


def map_get(*, case: Case, map_id: int) -> Map:
    map_ = (
        Map.objects.filter(case=case, pk=map_id)
        .select_related("created_by", "finalised_by", "signed_off_by", "based_on")
        .first()
    )
    if map_ is None:
        raise Http404("No map found.")
    return map_


def map_list(case: Case) -> QuerySet[Map]:
    return case.maps.select_related("created_by", "finalised_by", "signed_off_by").order_by(
        "-number"
    )


def map_current(case: Case) -> Map | None:
    """The latest finalised map: what the agency and the family currently agree is the picture."""
    return case.maps.filter(status=Map.Status.FINALISED).order_by("-number").first()


@dataclass
class CaseMaps:
    versions: list[Map]  # newest first
    current: Map | None  # as map_current
    draft: Map | None  # the one being drafted, if any


def case_maps(case: Case) -> CaseMaps:
    """Every version of the case's map with the current one and the draft, in one query."""
    versions = list(map_list(case))
    return CaseMaps(
        versions=versions,
        current=next((m for m in versions if m.status == Map.Status.FINALISED), None),
        draft=next((m for m in versions if m.status == Map.Status.DRAFT), None),
    )


@dataclass
class MapContent:
    """A map laid out for reading: the three columns, grey areas, and the scales."""

    map: Map
    labels: dict[str, str]
    columns: list[dict]
    grey_section: dict
    danger_statements: list[DangerStatement]
    overall_scales: list[ScaleJudgement]
    entries_by_category: dict[str, list[MapEntry]] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not (self.danger_statements or any(self.entries_by_category.values()))

    def section(self, category: str) -> dict:
        if category == MapCategory.GREY_AREA:
            return self.grey_section
        for column in self.columns:
            for section in column["sections"]:
                if section["category"] == category:
                    return section
        raise KeyError(category)


def map_entry_sources(map_: Map) -> dict[int, str]:
    """Where the map's entries came from, as words for the board ("From Leo's Three Houses, 3
    March 2026"). Apps that bring words into the map (voices) offer them through a
    `map_entry_sources(map_)` method on their AppConfig, because this app cannot import them."""
    sources: dict[int, str] = {}
    for config in apps.get_app_configs():
        provider = getattr(config, "map_entry_sources", None)
        if provider is not None:
            sources.update(provider(map_))
    return sources


def map_content(map_: Map, *, judgements: list[ScaleJudgement] | None = None) -> MapContent:
    """Everything needed to show a map, in a fixed number of queries whatever its size. Each
    danger statement carries `judgements`, its scale judgements oldest first. A caller that has
    already read the map's judgements (the case page, in its scale history) passes them."""
    children = Prefetch("children", queryset=Person.objects.order_by(*ELDEST_FIRST))
    entries = list(map_.entries.prefetch_related(children).order_by("id"))
    statements = list(
        map_.danger_statements.select_related("safety_goal")
        .prefetch_related(children)
        .order_by("id")
    )
    if judgements is None:
        judgements = list(map_.scale_judgements.order_by("id"))
    by_statement: dict[int | None, list[ScaleJudgement]] = defaultdict(list)
    for judgement in sorted(judgements, key=lambda j: j.pk):
        by_statement[judgement.danger_statement_id].append(judgement)
    for statement in statements:
        statement.judgements = by_statement[statement.pk]
    overall = by_statement[None]
    by_category: dict[str, list[MapEntry]] = {c.value: [] for c in PLAIN_CATEGORIES}
    sources = map_entry_sources(map_) if entries else {}
    for entry in entries:
        entry.source_label = sources.get(entry.pk, "")
        by_category[entry.category].append(entry)
    labels = category_labels(agency_id=map_.agency_id, service=map_.service)
    columns = []
    for key, heading, categories in COLUMNS:
        sections = []
        for category in categories:
            if category == MapCategory.DANGER_STATEMENT or category == MapCategory.SAFETY_GOAL:
                sections.append({"category": category.value, "statements": statements})
            else:
                sections.append({"category": category.value, "entries": by_category[category]})
        columns.append({"key": key, "heading": heading, "sections": sections})
    return MapContent(
        map=map_,
        labels=labels,
        columns=columns,
        grey_section={
            "category": MapCategory.GREY_AREA.value,
            "entries": by_category[MapCategory.GREY_AREA],
        },
        danger_statements=statements,
        overall_scales=overall,
        entries_by_category=by_category,
    )


def scale_history(case: Case, *, maps: list[Map] | None = None) -> list[ScaleJudgement]:
    """Every scale judgement on the case's finalised maps, oldest first: the case's trajectory.
    Given the case's maps already read (`case_maps(case).versions`), each judgement takes its
    map from them rather than joining it again."""
    judgements = ScaleJudgement.objects.filter(
        map__case=case, map__status=Map.Status.FINALISED
    ).order_by("map__held_on", "map__number", "danger_statement_id", "id")
    if maps is None:
        return list(judgements.select_related("map", "danger_statement"))
    by_pk = {map_.pk: map_ for map_ in maps}
    history = list(judgements.select_related("danger_statement"))
    for judgement in history:
        judgement.map = by_pk[judgement.map_id]
    return history


@dataclass
class ComparedRow:
    before: object | None
    after: object | None

    @property
    def change(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "unchanged" if _same(self.before, self.after) else "changed"


def _same(before, after) -> bool:
    if isinstance(before, MapEntry):
        return before.text == after.text
    goal_a, goal_b = before.safety_goal, after.safety_goal
    return all(
        getattr(before, f) == getattr(after, f)
        for f in ("who_is_worried", "worried_about", "impact_on_child", "disputed_by", "dispute")
    ) and all(
        getattr(goal_a, f) == getattr(goal_b, f)
        for f in ("what_will_be_seen", "seen_by", "sustain_for", "sustain_unit")
    )


def _pair(before: list, after: list, lineage: dict[int, int | None]) -> list[ComparedRow]:
    """Line up two versions' records: a record carried forward sits beside the one it came from,
    following the chain of versions in between."""
    by_id = {record.pk: record for record in before}
    rows, matched = [], set()
    for record in after:
        source, ancestor = None, record.carried_from_id
        while ancestor is not None and source is None:
            source = by_id.get(ancestor)
            ancestor = lineage.get(ancestor)
        if source is not None:
            matched.add(source.pk)
        rows.append(ComparedRow(before=source, after=record))
    rows.extend(ComparedRow(before=r, after=None) for r in before if r.pk not in matched)
    return rows


def _lineage(model, older: Map, newer: Map) -> dict[int, int | None]:
    between = model.objects.filter(
        map__case_id=newer.case_id, map__number__range=(older.number, newer.number)
    )
    return dict(between.values_list("pk", "carried_from_id"))


def map_compare(older: Map, newer: Map) -> dict:
    """Two versions side by side, each record marked added, removed, changed or unchanged."""
    a, b = map_content(older), map_content(newer)
    statement_lineage = _lineage(DangerStatement, older, newer)
    entry_lineage = _lineage(MapEntry, older, newer)
    sections = [
        {
            "category": MapCategory.DANGER_STATEMENT,
            "kind": "statement",
            "rows": _pair(a.danger_statements, b.danger_statements, statement_lineage),
        }
    ]
    for category in PLAIN_CATEGORIES:
        sections.append(
            {
                "category": category,
                "kind": "entry",
                "rows": _pair(
                    a.entries_by_category[category], b.entries_by_category[category], entry_lineage
                ),
            }
        )
    return {"older": a, "newer": b, "labels": b.labels, "sections": sections}


@dataclass
class RecordChange:
    when: object
    who: object
    what: str
    kind: str  # "added", "changed" or "removed"
    fields: list[tuple[str, object, object]]


HISTORY_FIELDS = {
    "map": ["purpose", "held_on", "status"],
    "entry": ["category", "text"],
    "danger": ["who_is_worried", "worried_about", "impact_on_child", "disputed_by", "dispute"],
    "goal": ["what_will_be_seen", "seen_by", "sustain_for", "sustain_unit"],
}
HISTORY_KINDS = {"+": "added", "~": "changed", "-": "removed"}


def map_change_history(map_: Map) -> list[RecordChange]:
    """Every saved version of the map and its records, each with what changed from the one
    before, oldest first. Built from the record history in a fixed number of queries."""
    labels = category_labels(agency_id=map_.agency_id, service=map_.service)
    sources = [
        ("map", Map.history.filter(id=map_.pk), lambda r: "The map's details"),
        (
            "entry",
            MapEntry.history.filter(map_id=map_.pk),
            lambda r: labels.get(r.category, r.category),
        ),
        (
            "danger",
            DangerStatement.history.filter(map_id=map_.pk),
            lambda r: labels["danger_statement"],
        ),
        (
            "goal",
            SafetyGoal.history.filter(
                danger_statement_id__in=DangerStatement.history.filter(map_id=map_.pk).values("id")
            ),
            lambda r: labels["safety_goal"],
        ),
    ]
    changes = []
    for kind, records, describe in sources:
        previous_by_id = {}
        for record in records.select_related("history_user").order_by("history_date", "history_id"):
            before = previous_by_id.get(record.id)
            fields = [
                (
                    record._meta.get_field(name).verbose_name,
                    getattr(before, name) if before else None,
                    getattr(record, name),
                )
                for name in HISTORY_FIELDS[kind]
                if before is None or getattr(before, name) != getattr(record, name)
            ]
            previous_by_id[record.id] = record
            if record.history_type == "~" and not fields:
                continue  # saved without a visible change (a revision number moving on)
            changes.append(
                RecordChange(
                    when=record.history_date,
                    who=record.history_user,
                    what=describe(record),
                    kind=HISTORY_KINDS[record.history_type],
                    fields=[] if record.history_type == "-" else fields,
                )
            )
    return sorted(changes, key=lambda change: change.when)
