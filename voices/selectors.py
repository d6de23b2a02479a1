"""Reads of children's voices and Words and Pictures. Callers pass a case they have already
fetched through `people.selectors.case_get_visible`, so every read is scoped by the same access
rules as its case."""

from dataclasses import dataclass, field

from django.db.models import Count, Max, Prefetch, Q
from django.http import Http404

from people.models import Case, Person
from people.selectors import case_children
from practice.models import Map, MapEntry
from voices.models import (
    PART_MAP_CATEGORY,
    PART_QUESTIONS,
    PARTS,
    BroughtIntoMap,
    VoiceKind,
    VoicePicture,
    VoiceRecord,
    VoiceWords,
    WordsAndPictures,
    WPAgreement,
    WPPicture,
    WPSharing,
    WPVersion,
)

ACTIVE_VOICE_PICTURES = VoicePicture.objects.filter(removed_at__isnull=True).order_by("id")
ACTIVE_WP_PICTURES = WPPicture.objects.filter(removed_at__isnull=True).order_by("id")


def child_get(case: Case, *, person_id: int) -> Person:
    """A child who is a member of this case; otherwise 404."""
    child = Person.objects.filter(
        pk=person_id, kind=Person.Kind.CHILD, memberships__case=case
    ).first()
    if child is None:
        raise Http404("No child found.")
    return child


def _links():
    return BroughtIntoMap.objects.select_related("map", "map_entry", "created_by").order_by(
        "created_at", "id"
    )


def voice_record_get(*, case: Case, child: Person, record_id: int) -> VoiceRecord:
    record = (
        VoiceRecord.objects.filter(case=case, child=child, pk=record_id)
        .select_related("child", "done_by", "created_by", "shared_recorded_by")
        .prefetch_related(
            Prefetch("parts", queryset=VoiceWords.objects.order_by("id")),
            Prefetch("pictures", queryset=ACTIVE_VOICE_PICTURES, to_attr="active_pictures"),
            Prefetch("brought_into_map", queryset=_links(), to_attr="links"),
        )
        .first()
    )
    if record is None:
        raise Http404("No record found.")
    return record


@dataclass
class PartView:
    part: str
    label: str
    question: str
    words: str
    map_category: str
    pictures: list = field(default_factory=list)
    links: list = field(default_factory=list)


def record_parts(record: VoiceRecord) -> list[PartView]:
    """Each part of the tool, in its order, with its words, pictures and map links."""
    words = {w.part: w.words for w in record.parts.all()}
    pictures = getattr(record, "active_pictures", None)
    if pictures is None:
        pictures = list(record.pictures.filter(removed_at__isnull=True).order_by("id"))
    links = getattr(record, "links", None)
    if links is None:
        links = list(record.brought_into_map.select_related("map", "map_entry"))
    return [
        PartView(
            part=part.value,
            label=part.label,
            question=PART_QUESTIONS[part],
            words=words.get(part.value, ""),
            map_category=PART_MAP_CATEGORY[part],
            pictures=[p for p in pictures if p.part == part.value],
            links=[link for link in links if link.part == part.value],
        )
        for part in PARTS[VoiceKind(record.kind)]
    ]


def record_whole_pictures(record: VoiceRecord) -> list[VoicePicture]:
    """Pictures of the whole piece of work rather than of one part."""
    return [p for p in getattr(record, "active_pictures", []) if not p.part]


def voice_picture_get(*, record: VoiceRecord, picture_id: int) -> VoicePicture:
    picture = VoicePicture.objects.filter(
        record=record, pk=picture_id, removed_at__isnull=True
    ).first()
    if picture is None:
        raise Http404("No picture found.")
    return picture


def child_page(case: Case, child: Person) -> dict:
    """Everything on a child's page, in a fixed number of queries."""
    records = list(
        VoiceRecord.objects.filter(case=case, child=child)
        .select_related("done_by")
        .annotate(picture_count=Count("pictures", filter=Q(pictures__removed_at__isnull=True)))
        .order_by("-done_on", "-id")
    )
    by_kind = {kind.value: [] for kind in VoiceKind}
    for record in records:
        by_kind[record.kind].append(record)
    links = list(
        _links()
        .filter(record__case=case, record__child=child)
        .select_related("record", "record__child")
        .order_by("-created_at", "-id")
    )
    return {
        "records_by_kind": [(VoiceKind(kind), rows) for kind, rows in by_kind.items()],
        "record_count": len(records),
        "words_and_pictures": wp_list(case, child),
        "links": links,
    }


@dataclass
class WPSummary:
    wp: WordsAndPictures
    latest: WPVersion
    version_count: int
    agreed_on: object = None
    shared_on: object = None


def wp_list(case: Case, child: Person | None = None) -> list[WPSummary]:
    """Each Words and Pictures of the case (or of one child) with its newest version, the last
    time a parent agreed any version, and the last time one was shared with the child."""
    versions = (
        WPVersion.objects.filter(words_and_pictures__case=case)
        .select_related("words_and_pictures", "changed_by")
        .annotate(last_agreed=Max("agreements__agreed_on"), last_shared=Max("sharings__shared_on"))
        .order_by("words_and_pictures_id", "number")
    )
    if child is not None:
        versions = versions.filter(words_and_pictures__child=child)
    summaries: dict[int, WPSummary] = {}
    for version in versions:
        summary = summaries.get(version.words_and_pictures_id)
        if summary is None:
            summary = summaries[version.words_and_pictures_id] = WPSummary(
                version.words_and_pictures, version, 0
            )
        summary.latest = version
        summary.version_count += 1
        summary.agreed_on = max(
            filter(None, [summary.agreed_on, version.last_agreed]), default=None
        )
        summary.shared_on = max(
            filter(None, [summary.shared_on, version.last_shared]), default=None
        )
    return sorted(summaries.values(), key=lambda s: s.latest.changed_at, reverse=True)


def wp_get(*, case: Case, child: Person, wp_id: int) -> WordsAndPictures:
    wp = (
        WordsAndPictures.objects.filter(case=case, child=child, pk=wp_id)
        .select_related("child", "case", "created_by")
        .first()
    )
    if wp is None:
        raise Http404("No Words and Pictures found.")
    return wp


def wp_versions(wp: WordsAndPictures) -> list[WPVersion]:
    """Every version, newest first, with who agreed it, when it was shared, and its pictures."""
    return list(
        wp.versions.select_related("changed_by", "created_by", "based_on")
        .prefetch_related(
            Prefetch("agreements", queryset=WPAgreement.objects.select_related("recorded_by")),
            Prefetch("sharings", queryset=WPSharing.objects.select_related("recorded_by")),
            Prefetch("pictures", queryset=ACTIVE_WP_PICTURES, to_attr="active_pictures"),
        )
        .order_by("-number")
    )


def wp_version_get(wp: WordsAndPictures, *, version_id: int) -> WPVersion:
    version = wp.versions.filter(pk=version_id).first()
    if version is None:
        raise Http404("No version found.")
    return version


def wp_latest(wp: WordsAndPictures) -> WPVersion:
    return wp.versions.order_by("-number").first()


@dataclass
class WPSectionView:
    section: str
    heading: str
    text: str
    pictures: list = field(default_factory=list)


def wp_sections(version: WPVersion) -> list[WPSectionView]:
    pictures = getattr(version, "active_pictures", None)
    if pictures is None:
        pictures = list(ACTIVE_WP_PICTURES.filter(version=version))
    return [
        WPSectionView(
            section=name,
            heading=heading,
            text=text,
            pictures=[p for p in pictures if p.section == name],
        )
        for name, heading, text in version.section_text()
    ]


def wp_picture_get(*, version: WPVersion, picture_id: int) -> WPPicture:
    picture = WPPicture.objects.filter(
        version=version, pk=picture_id, removed_at__isnull=True
    ).first()
    if picture is None:
        raise Http404("No picture found.")
    return picture


def case_voices_summary(
    case: Case, *, user, may_record: bool | None = None, children: list[Person] | None = None
) -> dict:
    """For the case page: per child, how many of each kind of work there are and the latest,
    and where their Words and Pictures has got to. A fixed number of queries whatever the size
    of the family."""
    if may_record is None:  # the case page passes the answer it already has
        may_record = user.has_perm("people.record_on_case", case)
    if children is None:  # the case page passes the children it has already read
        children = case_children(case)
    counts = (
        VoiceRecord.objects.filter(case=case)
        .values("child_id", "kind")
        .annotate(count=Count("id"), latest=Max("done_on"))
    )
    tally = {(row["child_id"], row["kind"]): row for row in counts}
    wps: dict[int, list[WPSummary]] = {}
    for summary in wp_list(case):
        wps.setdefault(summary.wp.child_id, []).append(summary)
    rows = []
    for child in children:
        kinds = []
        for kind in VoiceKind:
            row = tally.get((child.pk, kind.value))
            kinds.append(
                {
                    "kind": kind,
                    "label": kind.label,
                    "count": row["count"] if row else 0,
                    "latest": row["latest"] if row else None,
                }
            )
        rows.append(
            {
                "child": child,
                "kinds": kinds,
                "total": sum(k["count"] for k in kinds),
                "words_and_pictures": wps.get(child.pk, []),
            }
        )
    return {
        "case": case,
        "children": rows,
        "may_record": may_record,
    }


def draft_map_for(case: Case) -> Map | None:
    return case.maps.filter(status=Map.Status.DRAFT).first()


def map_entry_sources(map_: Map) -> dict[int, BroughtIntoMap]:
    """For each entry of a map that holds a child's words, where the words came from: followed
    back through the entries each later version carried forward. For example, to show "From
    Leo's Three Houses, 3 March" beside the entry on the map. One query when no child's words
    were ever brought into the case's maps (most cases), two otherwise, however many versions
    the map has been through."""
    links = {
        link.map_entry_id: link
        for link in BroughtIntoMap.objects.filter(map_entry__map__case_id=map_.case_id)
        .select_related("record", "record__child")
        .order_by("id")
    }
    if not links:
        return {}
    rows = MapEntry.objects.filter(map__case_id=map_.case_id).values_list(
        "pk", "carried_from_id", "map_id"
    )
    carried_from = {pk: source for pk, source, _ in rows}
    chains: dict[int, list[int]] = {}  # entry on this map -> it and every entry it came from
    for entry_id in [pk for pk, _, map_id in rows if map_id == map_.pk]:
        chain, step = [], entry_id
        while step is not None and step not in chain:
            chain.append(step)
            step = carried_from.get(step)
        chains[entry_id] = chain
    found: dict[int, BroughtIntoMap] = {}
    for entry_id, chain in chains.items():
        link = next((links[step] for step in chain if step in links), None)
        if link is not None:
            found[entry_id] = link
    return found
