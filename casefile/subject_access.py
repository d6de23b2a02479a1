"""Everything the agency holds about one person, for a subject access request.

Other people's names are marked so the person answering the request can consider redacting
them before it is sent (third-party information)."""

import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import mark_safe

from agencies.models import Role
from core.models import AuditEvent
from people.models import Allocation, Case, Person, Relationship
from practice.models import DangerStatement, MapEntry, MapParticipant, ScaleJudgement


def person_for_subject_access(user, *, person_id: int) -> Person | None:
    """Senior leaders answer subject access requests for their own agency."""
    if user.role != Role.SENIOR_LEADER or not user.agency_id:
        return None
    return Person.objects.filter(agency_id=user.agency_id, pk=person_id).first()


def third_party_names(person: Person) -> list[str]:
    others = Person.objects.filter(
        Q(memberships__case__memberships__person=person) & ~Q(pk=person.pk)
    ).distinct()
    names = set()
    for other in others:
        names.update({other.given_name, other.known_as, other.family_name, other.display_name})
    names.discard(person.family_name)  # shared with the subject: not someone else's
    return sorted((name for name in names if name), key=len, reverse=True)


def marked(text: str, names: list[str]) -> str:
    """The text, escaped, with each third party's name wrapped for the redaction check."""
    escaped = escape(text)
    if not names:
        return mark_safe(escaped)  # noqa: S308 - escaped above
    pattern = re.compile(r"\b(" + "|".join(re.escape(escape(n)) for n in names) + r")\b")
    return mark_safe(pattern.sub(r'<mark class="third-party">\1</mark>', escaped))  # noqa: S308


@dataclass
class SubjectAccessRecord:
    person: Person
    third_parties: list[str]
    cases: list[Case] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)
    views_of_their_record: int = 0


def subject_access_record(person: Person) -> SubjectAccessRecord:
    names = third_party_names(person)
    cases = list(Case.objects.filter(memberships__person=person).select_related("team"))
    record = SubjectAccessRecord(
        person=person,
        third_parties=names,
        cases=cases,
        relationships=list(
            Relationship.objects.filter(Q(person=person) | Q(relative=person)).select_related(
                "person", "relative"
            )
        ),
        views_of_their_record=AuditEvent.objects.filter(
            case_id__in=[c.pk for c in cases], verb="case.viewed"
        ).count(),
    )

    def rows(items, text):
        return [{"when": when, "text": marked(body, names)} for when, body in map(text, items)]

    entries = (
        MapEntry.objects.filter(children=person).select_related("map").order_by("map__held_on")
    )
    dangers = (
        DangerStatement.objects.filter(children=person)
        .select_related("map", "safety_goal")
        .order_by("map__held_on")
    )
    took_part = MapParticipant.objects.filter(person=person).select_related("map")
    scales = (
        ScaleJudgement.objects.filter(map__case__in=cases, map__status="finalised")
        .filter(rater_name__iexact=person.display_name)
        .select_related("map")
    )
    allocations = Allocation.objects.filter(case__in=cases).select_related("worker", "case")
    record.sections = [
        {
            "title": "What the maps say about them",
            "rows": rows(
                entries, lambda e: (e.map.held_on, f"{e.get_category_display()}: {e.text}")
            ),
        },
        {
            "title": "Worries and goals about them",
            "rows": rows(
                dangers,
                lambda d: (
                    d.map.held_on,
                    f"{d.who_is_worried} are worried that {d.worried_about} If nothing changes: "
                    f"{d.impact_on_child} Goal: {d.safety_goal.what_will_be_seen}",
                ),
            ),
        },
        {
            "title": "Meetings they took part in",
            "rows": rows(
                took_part,
                lambda p: (p.map.held_on, f"{p.map.get_purpose_display()} (map {p.map.number})"),
            ),
        },
        {
            "title": "Their own safety scale judgements",
            "rows": rows(scales, lambda j: (j.map.held_on, f"{j.score} out of 10: {j.reason}")),
        },
        {
            "title": "Social workers who have held their case",
            "rows": rows(allocations, lambda a: (a.started_on, f"{a.worker} ({a.case.reference})")),
        },
    ]
    return record
