import datetime
import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from agencies.models import Role, User
from demo.generator import generate_agency
from demo.management.commands.load_demo import Command
from people.models import Case
from practice.models import DangerStatement, Map, ScaleJudgement

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 26)


def fingerprint(agency):
    cases = list(
        Case.objects.filter(agency=agency)
        .order_by("reference")
        .values_list("reference", "name", "opened_on", "status")
    )
    statements = list(
        DangerStatement.objects.filter(agency=agency)
        .order_by("map__case__reference", "map__number", "id")
        .values_list("worried_about", "safety_goal__sustain_for")
    )
    scores = list(
        ScaleJudgement.objects.filter(agency=agency)
        .order_by("map__case__reference", "map__number", "id")
        .values_list("rater_role", "score")
    )
    return cases, statements, scores


def test_the_same_seed_and_day_give_the_same_agency():
    first = fingerprint(generate_agency(seed=7, families=8, today=TODAY).agency)
    Command(stdout=io.StringIO())._reset()
    second = fingerprint(generate_agency(seed=7, families=8, today=TODAY).agency)
    assert first == second
    assert first[0], "the agency has cases"


def test_a_different_seed_gives_different_families():
    a = fingerprint(generate_agency(seed=1, families=8, today=TODAY, agency_code="A1").agency)
    b = fingerprint(
        generate_agency(
            seed=2, families=8, today=TODAY, agency_code="B2", agency_name="Other"
        ).agency
    )
    assert a != b


def test_default_demo_agency_is_big_enough_and_consistent():
    agency = generate_agency(today=TODAY).agency
    assert agency.teams.count() >= 2
    assert User.objects.filter(agency=agency, role=Role.SOCIAL_WORKER).count() >= 8
    assert set(User.objects.filter(agency=agency).values_list("role", flat=True)) == set(
        Role.values
    )
    assert Case.objects.filter(agency=agency).count() == 60
    maps = Map.objects.filter(agency=agency)
    assert maps.count() >= 120, "maps over time"
    # Every danger statement has its goal; every case at most one draft.
    assert not DangerStatement.objects.filter(agency=agency, safety_goal__isnull=True).exists()
    drafts = Case.objects.filter(agency=agency).annotate(
        drafts=Count("maps", filter=Q(maps__status=Map.Status.DRAFT))
    )
    assert max(drafts.values_list("drafts", flat=True)) <= 1
    # Every finalised map is scaled overall from at least two perspectives.
    for map_ in maps.filter(status=Map.Status.FINALISED).prefetch_related("scale_judgements"):
        roles = {j.rater_role for j in map_.scale_judgements.all() if j.danger_statement_id is None}
        assert len(roles) >= 2
    # Each open case has exactly one current allocation; closed cases have none.
    for case in Case.objects.filter(agency=agency).annotate(
        current=Count("allocations", filter=Q(allocations__ended_on__isnull=True))
    ):
        assert case.current == (1 if case.status == Case.Status.OPEN else 0), case.reference
    # Each social worker holds several cases.
    for worker in User.objects.filter(agency=agency, role=Role.SOCIAL_WORKER):
        assert worker.allocations.filter(ended_on__isnull=True).count() >= 2


def test_scales_mostly_improve_over_time():
    agency = generate_agency(seed=3, families=20, today=TODAY).agency
    improved = 0
    cases = Case.objects.filter(agency=agency)
    for case in cases:
        scores = list(
            ScaleJudgement.objects.filter(
                map__case=case,
                map__status=Map.Status.FINALISED,
                rater_role="worker",
                danger_statement__isnull=True,
            )
            .order_by("map__number")
            .values_list("score", flat=True)
        )
        if len(scores) > 1 and scores[-1] > scores[0]:
            improved += 1
    assert improved >= cases.count() // 3


def test_load_demo_prints_every_role_and_is_idempotent(capsys):
    call_command("load_demo", "--families", "5", "--today", "2026-11-26")
    first = capsys.readouterr().out
    for role in Role:
        assert role.label in first
    assert "threefold-demo-2026" in first
    call_command("load_demo")
    second = capsys.readouterr().out
    assert "already loaded" in second
    assert Case.objects.count() == 5
