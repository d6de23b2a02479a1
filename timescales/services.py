"""Every write to timescales: the agency's rules, the deadlines, and reasons for being overdue.

Changing the rules and recording a reason are a person's acts: atomic and audited. Refreshing
a case's deadlines from its events is system work, done after every process write (the process
app calls `deadlines_refresh_cases(cases=...)` through the THREEFOLD_PROCESS_CHANGED_HOOKS
setting, an import with all the cases it touched) and by `manage.py recompute_deadlines`; it is
not audited, and it keeps every reason a person gave.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from core.audit import audit_record, field_changes
from core.bulk import insert_objects
from core.errors import RuleViolation
from people.models import Case
from timescales.deadlines import PeriodUnit, deadlines_from_events, due_date
from timescales.events import ProcessEvent, cases_events
from timescales.models import POSITIVE_FIELDS, CalendarRegion, Deadline, TimescaleRules

RULE_FIELDS = ("calendar_region", *POSITIVE_FIELDS, "cin_review_unit")
SPEC_FIELDS = (
    "child_id",
    "started_on",
    "counted_from",
    "first_in_series",
    "due_on",
    "met_on",
    "met_by_source",
    "status",
)
BATCH = 500


def timescale_rules_ensure(*, agency_id: int) -> TimescaleRules:
    """The agency's rules, created with England's defaults the first time they are needed."""
    rules, _ = TimescaleRules.objects.get_or_create(agency_id=agency_id)
    return rules


def _clean_rules(values: dict) -> dict:
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"Not a timescale rule: {', '.join(sorted(unknown))}")
    cleaned = {}
    for name, value in values.items():
        if name in POSITIVE_FIELDS:
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 400:
                raise RuleViolation("Each period must be a whole number from 1 to 400.")
        elif name == "calendar_region" and value not in CalendarRegion.values:
            raise RuleViolation("Choose whose bank holidays to use.")
        elif name == "cin_review_unit" and value not in PeriodUnit.values:
            raise RuleViolation("Choose weeks or months for child in need reviews.")
        cleaned[name] = value
    return cleaned


@transaction.atomic
def timescale_rules_update(*, actor, agency, **values) -> TimescaleRules:
    """Change the agency's timescales, and move every open deadline to its new due date."""
    values = _clean_rules(values)
    timescale_rules_ensure(agency_id=agency.pk)
    rules = TimescaleRules.objects.select_for_update().get(agency_id=agency.pk)
    changes = field_changes(rules, values)
    if not changes:
        return rules
    for name, value in values.items():
        setattr(rules, name, value)
    rules.updated_by = actor if actor is not None and actor.is_authenticated else None
    rules.save()
    moved = deadlines_recompute_due(agency_id=agency.pk, rules=rules)
    audit_record(
        actor=actor,
        verb="timescales.rules_changed",
        target=rules,
        agency_id=agency.pk,
        changes={**changes, "open_deadlines_moved": moved},
    )
    return rules


def deadlines_recompute_due(*, agency_id: int, rules: TimescaleRules | None = None) -> int:
    """Work out every open deadline's due date again under the agency's rules, from the day its
    clock started. Returns how many moved. Bounded: one read and batched updates."""
    rules = rules or timescale_rules_ensure(agency_id=agency_id)
    timescales, calendar = rules.timescales(), rules.calendar()
    moved = []
    open_deadlines = Deadline.objects.filter(agency_id=agency_id, status=Deadline.Status.OPEN).only(
        "pk", "kind", "counted_from", "first_in_series", "due_on"
    )
    for deadline in open_deadlines.iterator(chunk_size=2000):
        due_on = due_date(
            deadline.kind,
            deadline.counted_from,
            first=deadline.first_in_series,
            rules=timescales,
            calendar=calendar,
        )
        if due_on != deadline.due_on:
            deadline.due_on = due_on
            moved.append(deadline)
    Deadline.objects.bulk_update(moved, ["due_on"], batch_size=BATCH)
    return len(moved)


def _events_with_closure(case: Case, events: list) -> list:
    closed = case.status == Case.Status.CLOSED and case.closed_on
    if closed and not any(e.kind == "case_closed" for e in events):
        events.append(
            ProcessEvent(
                kind="case_closed",
                on=case.closed_on,
                case_id=case.pk,
                child_id=None,
                source=f"case:{case.pk}",
                detail={},
            )
        )
    return events


def _changes(case: Case, specs, existing: dict) -> tuple[list, list, list]:
    """The deadlines to add, to update and to delete (by key) for the case's specs."""
    to_create, to_update, to_delete = [], [], []
    for spec in specs:
        values = {
            "child_id": spec.child_id,
            "started_on": spec.started_on,
            "counted_from": spec.counted_from,
            "first_in_series": spec.first,
            "due_on": spec.due_on,
            "met_on": spec.met_on,
            "met_by_source": spec.met_by_source,
            "status": Deadline.Status.MET if spec.met_on else Deadline.Status.OPEN,
        }
        row = existing.pop(spec.key, None)
        if row is None:
            to_create.append(
                Deadline(
                    agency_id=case.agency_id,
                    case_id=case.pk,
                    kind=spec.kind,
                    started_by_source=spec.started_by_source,
                    **values,
                )
            )
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            to_update.append(row)
    for row in existing.values():
        if row.status == Deadline.Status.WITHDRAWN:
            continue
        if row.status == Deadline.Status.MET or row.overdue_reason:
            row.status = Deadline.Status.WITHDRAWN
            to_update.append(row)
        else:
            to_delete.append(row.pk)
    return to_create, to_update, to_delete


@transaction.atomic
def deadlines_refresh(*, case: Case, today: datetime.date | None = None) -> list[Deadline]:
    """Bring the case's deadlines up to date with its events, and return them."""
    _refresh([case], today)
    return list(Deadline.objects.filter(case_id=case.pk).exclude(status=Deadline.Status.WITHDRAWN))


@transaction.atomic
def deadlines_refresh_cases(*, cases, today: datetime.date | None = None) -> int:
    """Bring each case's deadlines up to date with its events (see `_refresh`). Returns how many
    deadlines changed."""
    return _refresh(list({case.pk: case for case in cases}.values()), today)  # each case once


def _refresh(cases: list, today: datetime.date | None) -> int:
    """Bring each case's deadlines up to date with its events.

    A deadline the events still start is updated in place (keeping any reason for being
    overdue); a new one is added. One the events no longer start (an event recorded in error
    and removed, or a deadline no longer due because the plan ended or the case closed) is
    deleted if nobody has touched it, and otherwise kept as "no longer due" with its history.
    A fixed number of queries, whatever the number of cases (an import passes hundreds) and
    deadlines."""
    if not cases:
        return 0
    today = today or timezone.localdate()
    rules = {
        agency_id: timescale_rules_ensure(agency_id=agency_id)
        for agency_id in {case.agency_id for case in cases}
    }
    events = cases_events(cases)
    specs = {
        case.pk: deadlines_from_events(
            _events_with_closure(case, events[case.pk]),
            rules[case.agency_id].timescales(),
            rules[case.agency_id].calendar(),
            today,
        )
        for case in cases
    }
    # One refresh of a case at a time: two process writes at once must not both add a row.
    ids = sorted(specs)
    list(Case.objects.select_for_update().filter(pk__any_of=ids).order_by("pk").values_list("pk"))
    existing = {case_id: {} for case_id in ids}
    for deadline in Deadline.objects.filter(case_id__any_of=ids):
        existing[deadline.case_id][deadline.key] = deadline
    to_create, to_update, to_delete = [], [], []
    for case in cases:
        created, updated, deleted = _changes(case, specs[case.pk], existing[case.pk])
        to_create += created
        to_update += updated
        to_delete += deleted
    now = timezone.now()
    for row in to_update:
        row.updated_at = now
    insert_objects(Deadline, to_create)  # an import's batch adds thousands
    Deadline.objects.bulk_update(to_update, [*SPEC_FIELDS, "updated_at"], batch_size=BATCH)
    if to_delete:
        Deadline.objects.filter(pk__any_of=to_delete).delete()
    return len(to_create) + len(to_update) + len(to_delete)


@transaction.atomic
def deadline_overdue_reason_record(
    *, actor, deadline: Deadline, reason: str, today: datetime.date | None = None
) -> Deadline:
    """Say why an open deadline is overdue. Saying it again replaces the reason (audited)."""
    today = today or timezone.localdate()
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    reason = (reason or "").strip()
    if not deadline.is_overdue(today):
        raise RuleViolation("This is not overdue, so it needs no reason.")
    if not reason:
        raise RuleViolation("Say why it is overdue.")
    changes = {"reason": {"old": deadline.overdue_reason, "new": reason}}
    deadline.overdue_reason = reason
    deadline.overdue_reason_by = actor
    deadline.overdue_reason_at = timezone.now()
    deadline.save(
        update_fields=["overdue_reason", "overdue_reason_by", "overdue_reason_at", "updated_at"]
    )
    audit_record(
        actor=actor,
        verb="timescales.overdue_reason_recorded",
        target=deadline,
        case_id=deadline.case_id,
        changes={"kind": deadline.kind, "due_on": deadline.due_on, **changes},
    )
    return deadline


def deadlines_refresh_agency(*, agency_id: int, today: datetime.date | None = None) -> int:
    """Refresh every case of the agency that is open or still has open deadlines, a batch of
    cases at a time (each batch in its own transaction). Returns how many were refreshed."""
    cases = Case.objects.filter(agency_id=agency_id, deleted_at__isnull=True)
    open_or_due = cases.filter(status=Case.Status.OPEN) | cases.filter(
        deadlines__status=Deadline.Status.OPEN
    )
    count, batch = 0, []
    for case in open_or_due.distinct().order_by("pk").iterator(chunk_size=BATCH):
        batch.append(case)
        if len(batch) == BATCH:
            count += len(batch)
            deadlines_refresh_cases(cases=batch, today=today)
            batch = []
    deadlines_refresh_cases(cases=batch, today=today)
    return count + len(batch)
