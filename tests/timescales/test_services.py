import datetime

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from core.errors import RuleViolation
from core.models import AuditEvent
from people.models import Case
from tests import factories
from tests.timescales.fake_events import event, record
from timescales import services
from timescales.events import case_events
from timescales.models import Deadline, TimescaleRules

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 2, 2)


def rows(case):
    return {
        (d.kind, d.started_by_source): (d.due_on, d.met_on, d.status)
        for d in Deadline.objects.filter(case=case)
    }


def test_case_events_reads_the_setting(case):
    record(case, event("referral_received", "2026-01-05", "referral:1"))
    with override_settings(THREEFOLD_PROCESS_EVENTS=None):
        assert case_events(case) == []
    with override_settings(THREEFOLD_PROCESS_EVENTS="tests.timescales.fake_events.events_for"):
        assert [e.source for e in case_events(case)] == ["referral:1"]


def test_rules_are_created_with_englands_defaults(case):
    rules = services.timescale_rules_ensure(agency_id=case.agency_id)
    assert (rules.calendar_region, rules.assessment_days, rules.cp_visit_days) == ("GB-ENG", 45, 10)
    assert services.timescale_rules_ensure(agency_id=case.agency_id) == rules


def test_refresh_adds_the_deadlines_the_events_start(case):
    record(
        case,
        event("referral_received", "2026-01-09", "referral:1"),
        event("referral_decided", "2026-01-12", "referral:1"),
        event("assessment_started", "2026-01-12", "assessment:1"),
    )
    services.deadlines_refresh(case=case, today=TODAY)
    assert rows(case) == {
        ("referral_decision", "referral:1"): (D(2026, 1, 12), D(2026, 1, 12), "met"),
        ("assessment", "assessment:1"): (D(2026, 3, 13), None, "open"),
    }
    deadline = Deadline.objects.get(kind="assessment")
    assert deadline.agency_id == case.agency_id
    assert deadline.counted_from == D(2026, 1, 9)


def test_refresh_is_idempotent_and_bounded(case, django_assert_max_num_queries):
    record(case, event("cp_plan_started", "2026-01-05", "cp-plan:1"))
    record(
        case,
        *[event("visit", D(2026, 1, 6) + datetime.timedelta(days=n), f"v:{n}") for n in range(40)],
    )
    with django_assert_max_num_queries(12):
        services.deadlines_refresh(case=case, today=D(2026, 3, 1))
    before = {d.pk: d.updated_at for d in Deadline.objects.filter(case=case)}
    assert len(before) == 41
    with django_assert_max_num_queries(6):
        services.deadlines_refresh(case=case, today=D(2026, 3, 1))
    assert {d.pk: d.updated_at for d in Deadline.objects.filter(case=case)} == before


@pytest.mark.parametrize("count", [2, 20])
def test_many_cases_refresh_together_in_a_fixed_number_of_queries(
    team, count, django_assert_max_num_queries
):
    """An import's batch of cases: the same deadlines as case by case, in queries that do not
    grow with the cases."""
    cases = [factories.CaseFactory(team=team) for _ in range(count)]
    for n, case in enumerate(cases):
        record(case, event("referral_received", "2026-01-05", f"referral:{n}"))
        if n % 2:
            record(case, event("referral_decided", "2026-01-07", f"referral:{n}"))
    with django_assert_max_num_queries(11):
        # A case named twice is refreshed once.
        changed = services.deadlines_refresh_cases(cases=[*cases, cases[0]], today=TODAY)
    assert changed == count
    for n, case in enumerate(cases):
        assert rows(case) == {
            ("referral_decision", f"referral:{n}"): (
                D(2026, 1, 6),
                D(2026, 1, 7) if n % 2 else None,
                "met" if n % 2 else "open",
            )
        }
    with django_assert_max_num_queries(5):
        assert services.deadlines_refresh_cases(cases=cases, today=TODAY) == 0


def test_refresh_marks_a_deadline_met_and_keeps_its_reason(case, worker):
    record(case, event("referral_received", "2026-01-09", "referral:1"))
    services.deadlines_refresh(case=case, today=TODAY)
    deadline = Deadline.objects.get(case=case)
    services.deadline_overdue_reason_record(
        actor=worker, deadline=deadline, reason="Waiting for the police check.", today=TODAY
    )
    record(case, event("referral_decided", "2026-01-14", "referral:1"))
    services.deadlines_refresh(case=case, today=TODAY)
    deadline.refresh_from_db()
    assert (deadline.status, deadline.met_on) == ("met", D(2026, 1, 14))
    assert deadline.overdue_reason == "Waiting for the police check."


def test_a_deadline_no_longer_started_is_removed_unless_someone_touched_it(case, worker):
    record(
        case,
        event("referral_received", "2026-01-05", "referral:1"),
        event("referral_received", "2026-01-06", "referral:2"),
        event("referral_received", "2026-01-07", "referral:3"),
        event("referral_decided", "2026-01-07", "referral:3"),
    )
    services.deadlines_refresh(case=case, today=TODAY)
    services.deadline_overdue_reason_record(
        actor=worker,
        deadline=Deadline.objects.get(started_by_source="referral:2"),
        reason="Duty was short-staffed.",
        today=TODAY,
    )
    # All three referrals were recorded in error and removed.
    from tests.timescales import fake_events

    fake_events.EVENTS[case.pk] = []
    services.deadlines_refresh(case=case, today=TODAY)
    assert rows(case) == {
        ("referral_decision", "referral:2"): (D(2026, 1, 7), None, "withdrawn"),
        ("referral_decision", "referral:3"): (D(2026, 1, 8), D(2026, 1, 7), "withdrawn"),
    }
    # Recorded again: the same deadline comes back, reason and all.
    record(case, event("referral_received", "2026-01-06", "referral:2"))
    services.deadlines_refresh(case=case, today=TODAY)
    again = Deadline.objects.get(started_by_source="referral:2")
    assert (again.status, again.overdue_reason) == ("open", "Duty was short-staffed.")


def test_a_closed_case_has_nothing_due(case):
    record(case, event("referral_received", "2026-01-05", "referral:1"))
    services.deadlines_refresh(case=case, today=TODAY)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, closed_on=D(2026, 1, 5))
    case.refresh_from_db()
    services.deadlines_refresh(case=case, today=TODAY)
    assert rows(case) == {}


def test_without_the_setting_a_case_has_no_deadlines(case, settings):
    settings.THREEFOLD_PROCESS_EVENTS = None
    record(case, event("referral_received", "2026-01-05", "referral:1"))
    assert services.deadlines_refresh(case=case, today=TODAY) == []


def test_each_child_has_their_own_deadline(case, child):
    mia = factories.PersonFactory(agency=case.agency, given_name="Mia")
    factories.CaseMemberFactory(case=case, person=mia)
    record(
        case,
        event("cp_plan_started", "2026-01-05", "cp-plan:1", child_id=child.pk),
        event("cp_plan_started", "2026-01-05", "cp-plan:1", child_id=mia.pk),
    )
    services.deadlines_refresh(case=case, today=TODAY)
    assert sorted(Deadline.objects.values_list("child_id", flat=True)) == sorted([child.pk, mia.pk])


# The agency's rules --------------------------------------------------------------------------


def test_changing_the_rules_moves_open_due_dates_and_is_audited(case, worker):
    admin = factories.UserFactory(team=None, agency=case.agency, role="administrator")
    record(
        case,
        event("referral_received", "2026-01-05", "referral:1"),
        event("referral_decided", "2026-01-06", "referral:1"),
        event("assessment_started", "2026-01-06", "assessment:1"),
        event("cp_plan_started", "2026-01-05", "cp-plan:1"),
        event("conference_held", "2026-01-05", "conf:1", conference="initial", plan_decided=True),
    )
    services.deadlines_refresh(case=case, today=TODAY)
    other_agency = factories.DeadlineFactory(due_on=D(2026, 1, 19))
    services.timescale_rules_update(
        actor=admin,
        agency=case.agency,
        referral_decision_days=2,
        assessment_days=40,
        cp_visit_days=5,
        first_review_months=2,
    )
    assert rows(case) == {
        ("referral_decision", "referral:1"): (D(2026, 1, 6), D(2026, 1, 6), "met"),  # kept
        ("assessment", "assessment:1"): (D(2026, 3, 2), None, "open"),
        ("cp_visit", "cp-plan:1"): (D(2026, 1, 12), None, "open"),
        ("first_core_group", "conf:1"): (D(2026, 1, 19), None, "open"),
        ("review_conference", "conf:1"): (D(2026, 3, 5), None, "open"),
    }
    other_agency.refresh_from_db()
    assert other_agency.due_on == D(2026, 1, 19)
    audit = AuditEvent.objects.get(verb="timescales.rules_changed")
    assert audit.actor == admin
    assert audit.agency_id == case.agency_id
    assert audit.changes["assessment_days"] == {"old": 45, "new": 40}
    assert audit.changes["open_deadlines_moved"] == 3
    # A refresh from the events agrees with the moved dates.
    services.deadlines_refresh(case=case, today=TODAY)
    assert rows(case)[("assessment", "assessment:1")][0] == D(2026, 3, 2)


def test_changing_the_calendar_and_cin_period(case, worker):
    record(case, event("cin_plan_started", "2026-01-05", "cin-plan:1"))
    services.deadlines_refresh(case=case, today=TODAY)
    services.timescale_rules_update(
        actor=worker,
        agency=case.agency,
        calendar_region="GB-SCT",
        cin_review_every=6,
        cin_review_unit="weeks",
    )
    assert rows(case) == {("cin_review", "cin-plan:1"): (D(2026, 2, 16), None, "open")}
    assert TimescaleRules.objects.get(agency=case.agency).calendar().region == "GB-SCT"


def test_saving_the_same_rules_writes_nothing(case, worker):
    services.timescale_rules_update(actor=worker, agency=case.agency, assessment_days=45)
    assert not AuditEvent.objects.filter(verb="timescales.rules_changed").exists()


@pytest.mark.parametrize(
    "values",
    [
        {"assessment_days": 0},
        {"cp_visit_days": -1},
        {"cp_visit_days": "10"},
        {"calendar_region": "FR"},
        {"cin_review_unit": "fortnights"},
    ],
)
def test_rules_must_make_sense(case, worker, values):
    with pytest.raises(RuleViolation):
        services.timescale_rules_update(actor=worker, agency=case.agency, **values)


def test_only_rules_can_be_changed(case, worker):
    with pytest.raises(TypeError):
        services.timescale_rules_update(actor=worker, agency=case.agency, agency_id=2)


# Reasons for being overdue -------------------------------------------------------------------


def test_a_reason_is_recorded_for_an_overdue_deadline(case, worker):
    deadline = factories.DeadlineFactory(case=case, due_on=D(2026, 1, 30))
    services.deadline_overdue_reason_record(
        actor=worker, deadline=deadline, reason="  Family away.  ", today=TODAY
    )
    deadline.refresh_from_db()
    assert (deadline.overdue_reason, deadline.overdue_reason_by) == ("Family away.", worker)
    assert deadline.overdue_reason_at is not None
    audit = AuditEvent.objects.get(verb="timescales.overdue_reason_recorded")
    assert (audit.case_id, audit.target_id) == (case.pk, deadline.pk)
    assert audit.changes["reason"] == {"old": "", "new": "Family away."}


def test_a_reason_is_only_for_something_overdue(case, worker):
    due_today = factories.DeadlineFactory(case=case, due_on=TODAY)
    with pytest.raises(RuleViolation, match="not overdue"):
        services.deadline_overdue_reason_record(
            actor=worker, deadline=due_today, reason="Why not", today=TODAY
        )
    met = factories.DeadlineFactory(
        case=case, due_on=D(2026, 1, 5), status="met", met_on=D(2026, 1, 9)
    )
    with pytest.raises(RuleViolation, match="not overdue"):
        services.deadline_overdue_reason_record(
            actor=worker, deadline=met, reason="Late", today=TODAY
        )
    overdue = factories.DeadlineFactory(case=case, due_on=D(2026, 1, 5))
    with pytest.raises(RuleViolation, match="Say why"):
        services.deadline_overdue_reason_record(
            actor=worker, deadline=overdue, reason="   ", today=TODAY
        )


# The management command ----------------------------------------------------------------------


def test_recompute_deadlines_command(case, capsys):
    record(case, event("referral_received", "2026-01-05", "referral:1"))
    call_command("recompute_deadlines", "--agency", case.agency.code)
    assert Deadline.objects.filter(case=case).count() == 1
    assert f"{case.agency.code}: refreshed the deadlines of 1 cases." in capsys.readouterr().out
    call_command("recompute_deadlines")
    assert Deadline.objects.filter(case=case).count() == 1
    with pytest.raises(CommandError):
        call_command("recompute_deadlines", "--agency", "NOPE")


def test_every_timescales_verb_reads_plainly_in_the_access_report():
    import re

    from django.conf import settings

    from core.audit import VERB_LABELS

    verb = re.compile(r'"(timescales\.[a-z_]+)"')
    recorded = {
        found
        for source in (settings.BASE_DIR / "timescales").rglob("*.py")
        if "migrations" not in source.parts
        for found in verb.findall(source.read_text())
    }
    assert recorded == {"timescales.rules_changed", "timescales.overdue_reason_recorded"}
    assert recorded <= VERB_LABELS.keys()
