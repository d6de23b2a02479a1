"""Every write to a map. Each function is atomic, checks the map is still a draft, guards against
overwriting someone else's change (optimistic revisions), and writes its audit event."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from core.audit import audit_record, field_changes
from core.errors import ConflictError, RuleViolation
from people.models import Case, Person
from practice.models import (
    DangerStatement,
    Map,
    MapEntry,
    MapParticipant,
    PlainLanguageTerm,
    SafetyGoal,
    ScaleJudgement,
)
from practice.plain_language_defaults import DEFAULT_TERMS


def _lock_draft(map_id: int) -> Map:
    """Lock the map for this transaction and refuse if it is no longer a draft."""
    map_ = Map.objects.select_for_update(of=("self",)).select_related("finalised_by").get(pk=map_id)
    if not map_.is_draft:
        when = timezone.localtime(map_.finalised_at).strftime("%-d %B %Y at %H:%M")
        raise RuleViolation(
            f"This map was finalised by {map_.finalised_by} on {when}, so it can no longer be "
            "changed. Your text has been kept below: start a new version of the map to add it."
        )
    return map_


def _check_revision(record, expected: int, what: str):
    if record.revision != expected:
        raise ConflictError(
            f"Someone else changed this {what} after you opened it. Their version is shown; "
            "your text has been kept in the form so you can compare and save again.",
            current=record,
        )


def _children_of_case(map_: Map, children) -> list[Person]:
    children = list(children or [])
    if any(child.pk not in _child_ids(map_.case) for child in children):
        raise RuleViolation("Only children in this case can be named.")
    return children


def _child_ids(case: Case) -> set[int]:
    return set(
        case.memberships.filter(person__kind=Person.Kind.CHILD).values_list("person_id", flat=True)
    )


def _audit(actor, verb, target, map_: Map, changes=None):
    audit_record(
        actor=actor,
        verb=verb,
        target=target,
        agency_id=map_.agency_id,
        case_id=map_.case_id,
        changes=changes,
    )


@transaction.atomic
def map_start(*, actor, case: Case, purpose: str, held_on: datetime.date) -> Map:
    """Start a new draft map. If the case has a finalised map, its content is carried forward."""
    Case.objects.select_for_update().get(pk=case.pk)
    if case.maps.filter(status=Map.Status.DRAFT).exists():
        raise RuleViolation("This case already has a draft map. Finish or continue that one first.")
    previous = case.maps.filter(status=Map.Status.FINALISED).order_by("-number").first()
    number = (case.maps.aggregate(n=Max("number"))["n"] or 0) + 1
    map_ = Map.objects.create(
        agency_id=case.agency_id,
        case=case,
        number=number,
        based_on=previous,
        service=case.service,
        purpose=purpose,
        held_on=held_on,
        created_by=actor,
    )
    if previous is not None:
        _carry_forward(previous, map_)
    _audit(
        actor,
        "map.started",
        map_,
        map_,
        {"number": number, "based_on": getattr(previous, "pk", None)},
    )
    return map_


def _carry_forward(source: Map, target: Map) -> None:
    for entry in source.entries.prefetch_related("children"):
        copy = MapEntry.objects.create(
            agency_id=target.agency_id,
            map=target,
            category=entry.category,
            text=entry.text,
            carried_from=entry,
        )
        copy.children.set(entry.children.all())
    statements = source.danger_statements.select_related("safety_goal").prefetch_related("children")
    for statement in statements:
        copy = DangerStatement.objects.create(
            agency_id=target.agency_id,
            map=target,
            who_is_worried=statement.who_is_worried,
            worried_about=statement.worried_about,
            impact_on_child=statement.impact_on_child,
            disputed_by=statement.disputed_by,
            dispute=statement.dispute,
            carried_from=statement,
        )
        copy.children.set(statement.children.all())
        goal = statement.safety_goal
        SafetyGoal.objects.create(
            agency_id=target.agency_id,
            danger_statement=copy,
            what_will_be_seen=goal.what_will_be_seen,
            seen_by=goal.seen_by,
            sustain_for=goal.sustain_for,
            sustain_unit=goal.sustain_unit,
        )


@transaction.atomic
def map_update_details(
    *, actor, map_: Map, expected_revision: int, purpose: str, held_on: datetime.date
) -> Map:
    map_ = _lock_draft(map_.pk)
    _check_revision(map_, expected_revision, "map's details")
    changes = field_changes(map_, {"purpose": purpose, "held_on": held_on})
    map_.purpose, map_.held_on = purpose, held_on
    map_.revision += 1
    map_.save()
    _audit(actor, "map.details_changed", map_, map_, changes)
    return map_


@transaction.atomic
def map_entry_add(*, actor, map_: Map, category: str, text: str, children=()) -> MapEntry:
    map_ = _lock_draft(map_.pk)
    entry = MapEntry.objects.create(
        agency_id=map_.agency_id, map=map_, category=category, text=text.strip()
    )
    entry.children.set(_children_of_case(map_, children))
    _audit(actor, "map.entry_added", entry, map_, {"category": category, "text": entry.text})
    return entry


@transaction.atomic
def map_entry_update(
    *, actor, entry: MapEntry, expected_revision: int, text: str, children=()
) -> MapEntry:
    map_ = _lock_draft(entry.map_id)
    entry = MapEntry.objects.select_for_update().get(pk=entry.pk)
    _check_revision(entry, expected_revision, "entry")
    changes = field_changes(entry, {"text": text.strip()})
    entry.text = text.strip()
    entry.revision += 1
    entry.save()
    entry.children.set(_children_of_case(map_, children))
    _audit(actor, "map.entry_changed", entry, map_, changes)
    return entry


@transaction.atomic
def map_entry_remove(*, actor, entry: MapEntry, expected_revision: int) -> None:
    map_ = _lock_draft(entry.map_id)
    entry = MapEntry.objects.select_for_update().get(pk=entry.pk)
    _check_revision(entry, expected_revision, "entry")
    _audit(
        actor, "map.entry_removed", entry, map_, {"category": entry.category, "text": entry.text}
    )
    entry.delete()


@transaction.atomic
def danger_statement_add(
    *, actor, map_: Map, statement: dict, goal: dict, children=()
) -> DangerStatement:
    """Add a danger statement together with the safety goal it is paired with."""
    map_ = _lock_draft(map_.pk)
    danger = DangerStatement.objects.create(agency_id=map_.agency_id, map=map_, **statement)
    danger.children.set(_children_of_case(map_, children))
    SafetyGoal.objects.create(agency_id=map_.agency_id, danger_statement=danger, **goal)
    _audit(actor, "map.danger_statement_added", danger, map_, {**statement, **goal})
    return danger


@transaction.atomic
def danger_statement_update(
    *,
    actor,
    danger: DangerStatement,
    expected_revision: int,
    statement: dict,
    goal: dict,
    children=(),
) -> DangerStatement:
    map_ = _lock_draft(danger.map_id)
    danger = (
        DangerStatement.objects.select_for_update(of=("self",))
        .select_related("safety_goal")
        .get(pk=danger.pk)
    )
    _check_revision(danger, expected_revision, "danger statement")
    safety_goal = danger.safety_goal
    changes = {**field_changes(danger, statement), **field_changes(safety_goal, goal)}
    for name, value in statement.items():
        setattr(danger, name, value)
    for name, value in goal.items():
        setattr(safety_goal, name, value)
    danger.revision += 1
    danger.save()
    safety_goal.save()
    danger.children.set(_children_of_case(map_, children))
    _audit(actor, "map.danger_statement_changed", danger, map_, changes)
    return danger


@transaction.atomic
def danger_statement_remove(*, actor, danger: DangerStatement, expected_revision: int) -> None:
    map_ = _lock_draft(danger.map_id)
    danger = DangerStatement.objects.select_for_update().get(pk=danger.pk)
    _check_revision(danger, expected_revision, "danger statement")
    _audit(
        actor, "map.danger_statement_removed", danger, map_, {"worried_about": danger.worried_about}
    )
    danger.delete()


@transaction.atomic
def scale_judgement_add(
    *,
    actor,
    map_: Map,
    danger_statement: DangerStatement | None,
    rater_name: str,
    rater_role: str,
    score: int,
    zero_means: str,
    ten_means: str,
    reason: str,
) -> ScaleJudgement:
    map_ = _lock_draft(map_.pk)
    if danger_statement is not None and danger_statement.map_id != map_.pk:
        raise RuleViolation("That danger statement belongs to another map.")
    if not 0 <= score <= 10:
        raise RuleViolation("A scale judgement is a whole number from 0 to 10.")
    judgement = ScaleJudgement.objects.create(
        agency_id=map_.agency_id,
        map=map_,
        danger_statement=danger_statement,
        rater_name=rater_name.strip(),
        rater_role=rater_role,
        score=score,
        zero_means=zero_means.strip(),
        ten_means=ten_means.strip(),
        reason=reason.strip(),
    )
    _audit(
        actor,
        "map.scaled",
        judgement,
        map_,
        {
            "danger_statement": getattr(danger_statement, "pk", None),
            "rater_name": rater_name,
            "rater_role": rater_role,
            "score": score,
        },
    )
    return judgement


@transaction.atomic
def scale_judgement_remove(*, actor, judgement: ScaleJudgement) -> None:
    map_ = _lock_draft(judgement.map_id)
    _audit(
        actor,
        "map.scale_removed",
        judgement,
        map_,
        {
            "rater_name": judgement.rater_name,
            "score": judgement.score,
        },
    )
    judgement.delete()


@transaction.atomic
def map_participant_add(
    *, actor, map_: Map, name: str, role: str, organisation: str = "", person: Person | None = None
) -> MapParticipant:
    map_ = _lock_draft(map_.pk)
    if person is not None and not map_.case.memberships.filter(person=person).exists():
        raise RuleViolation("Only people in this case can be linked to a participant.")
    participant = MapParticipant.objects.create(
        agency_id=map_.agency_id,
        map=map_,
        name=name.strip(),
        role=role,
        organisation=organisation.strip(),
        person=person,
    )
    _audit(
        actor, "map.participant_added", participant, map_, {"name": participant.name, "role": role}
    )
    return participant


@transaction.atomic
def map_participant_remove(*, actor, participant: MapParticipant) -> None:
    map_ = _lock_draft(participant.map_id)
    _audit(actor, "map.participant_removed", participant, map_, {"name": participant.name})
    participant.delete()


def map_finalise_problems(map_: Map) -> list[str]:
    """What stops a map being finalised, in words a worker can act on."""
    problems = []
    if not map_.danger_statements.exists():
        problems.append("Add at least one danger statement with its safety goal.")
    if not map_.scale_judgements.exists():
        problems.append("Add at least one safety scale judgement.")
    if not map_.participants.exists():
        problems.append("Record who took part in the mapping.")
    return problems


@transaction.atomic
def map_finalise(*, actor, map_: Map, expected_revision: int) -> Map:
    map_ = _lock_draft(map_.pk)
    _check_revision(map_, expected_revision, "map's details")
    if problems := map_finalise_problems(map_):
        raise RuleViolation("This map can't be finalised yet. " + " ".join(problems))
    map_.status = Map.Status.FINALISED
    map_.finalised_at = timezone.now()
    map_.finalised_by = actor
    map_.revision += 1
    map_.save()
    _audit(actor, "map.finalised", map_, map_)
    return map_


@transaction.atomic
def map_sign_off(*, actor, map_: Map) -> Map:
    map_ = Map.objects.select_for_update().get(pk=map_.pk)
    if map_.is_draft:
        raise RuleViolation("A map is signed off after it has been finalised.")
    if map_.signed_off_at is not None:
        raise RuleViolation(f"This map was already signed off by {map_.signed_off_by}.")
    map_.signed_off_at = timezone.now()
    map_.signed_off_by = actor
    map_.save()
    _audit(actor, "map.signed_off", map_, map_)
    return map_


# The plain-language word list (practice leads) ----------------------------------------------


def plain_language_terms_seed(*, agency_id: int) -> None:
    """Give an agency the default list the first time it is needed (the data migration gave it
    to every agency that existed then)."""
    if PlainLanguageTerm.objects.filter(agency_id=agency_id).exists():
        return
    try:
        with transaction.atomic():
            PlainLanguageTerm.objects.bulk_create(
                PlainLanguageTerm(agency_id=agency_id, term=term, suggestion=suggestion)
                for term, suggestion in DEFAULT_TERMS
            )
    except IntegrityError:  # someone else seeded it at the same moment
        pass


def _term_audit(actor, verb, term, changes):
    audit_record(actor=actor, verb=verb, target=term, agency_id=term.agency_id, changes=changes)


@transaction.atomic
def plain_language_term_add(*, actor, agency_id: int, term: str, suggestion: str):
    record = PlainLanguageTerm.objects.create(
        agency_id=agency_id, term=term.strip(), suggestion=suggestion.strip()
    )
    _term_audit(
        actor,
        "practice.plain_language_term_added",
        record,
        {"term": record.term, "suggestion": record.suggestion},
    )
    return record


@transaction.atomic
def plain_language_term_update(*, actor, term, new_term: str, suggestion: str):
    changes = {}
    for name, value in (("term", new_term.strip()), ("suggestion", suggestion.strip())):
        if getattr(term, name) != value:
            changes[name] = [getattr(term, name), value]
            setattr(term, name, value)
    if changes:
        term.save(update_fields=list(changes))
        _term_audit(actor, "practice.plain_language_term_changed", term, changes)
    return term


@transaction.atomic
def plain_language_term_set_active(*, actor, term, active: bool):
    if term.active != active:
        term.active = active
        term.save(update_fields=["active"])
        verb = "reactivated" if active else "deactivated"
        _term_audit(actor, f"practice.plain_language_term_{verb}", term, {"term": term.term})
    return term
