import datetime

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from agencies.models import Agency, Role, Service, User
from demo.generator import DEMO_PASSWORD, generate_agency
from demo.reset import reset_threefold_data
from people.models import Allocation, Case, Person
from practice.models import (
    CategoryLabel,
    DangerStatement,
    Map,
    MapEntry,
    RaterRole,
    ScaleJudgement,
)
from safety.models import NetworkMember
from voices.models import VoiceRecord

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


def fingerprint(agency):
    """Everything a person would see, without database ids."""
    cases = list(
        Case.objects.filter(agency=agency)
        .order_by("reference")
        .values_list("reference", "name", "team__name", "status", "opened_on", "closed_on")
    )
    people = list(
        Person.objects.filter(agency=agency)
        .order_by("family_name", "given_name", "date_of_birth", "ethnicity", "upn")
        .values_list("given_name", "family_name", "date_of_birth", "ethnicity", "upn")
    )
    allocations = list(
        Allocation.objects.filter(agency=agency)
        .order_by("case__reference", "started_on")
        .values_list("case__reference", "worker__username", "started_on", "ended_on")
    )
    maps = list(
        Map.objects.filter(agency=agency)
        .order_by("case__reference", "number")
        .values_list("case__reference", "number", "status", "purpose", "held_on")
    )
    entries = list(
        MapEntry.objects.filter(agency=agency)
        .order_by("map__case__reference", "map__number", "category", "text")
        .values_list("map__case__reference", "map__number", "category", "text")
    )
    statements = list(
        DangerStatement.objects.filter(agency=agency)
        .order_by(
            "map__case__reference", "map__number", "worried_about", "who_is_worried", "dispute"
        )
        .values_list(
            "worried_about",
            "who_is_worried",
            "dispute",
            "safety_goal__what_will_be_seen",
            "safety_goal__sustain_for",
        )
    )
    scores = list(
        ScaleJudgement.objects.filter(agency=agency)
        .order_by(
            "map__case__reference", "map__number", "rater_role", "rater_name", "score", "reason"
        )
        .values_list("map__case__reference", "rater_role", "rater_name", "score", "reason")
    )
    network = list(
        NetworkMember.objects.filter(agency=agency)
        .order_by("case__reference", "name", "relationship")
        .values_list("case__reference", "name", "relationship", "informed", "status")
    )
    voices = list(
        VoiceRecord.objects.filter(agency=agency)
        .order_by("case__reference", "child__given_name", "kind", "done_on")
        .values_list("case__reference", "child__given_name", "kind", "done_on")
    )
    return cases, people, allocations, maps, entries, statements, scores, network, voices


def test_the_same_seed_and_day_give_the_same_agency():
    first = fingerprint(generate_agency(seed=7, families=8, today=TODAY).agency)
    reset_threefold_data()
    assert not Case.objects.exists()
    second = fingerprint(generate_agency(seed=7, families=8, today=TODAY).agency)
    assert first == second
    assert all(first), "every part of the fingerprint has rows"


def test_a_different_seed_gives_different_families():
    a = generate_agency(seed=1, families=8, today=TODAY)
    b = generate_agency(seed=2, families=8, today=TODAY, agency_code="B2", agency_name="Other")
    assert fingerprint(a.agency)[4] != fingerprint(b.agency)[4]
    # A second synthetic agency gets its own usernames.
    assert all(login.username.endswith(".b2") for login in b.logins)


def test_every_role_has_a_login_with_the_demo_password():
    generated = generate_agency(seed=5, families=8, today=TODAY)
    users = User.objects.filter(agency=generated.agency)
    assert {u.role for u in users} == set(Role.values)
    assert {login.role for login in generated.logins} == set(Role.labels)
    assert all(u.check_password(DEMO_PASSWORD) for u in users)
    for user in users.filter(role__in=[Role.SOCIAL_WORKER, Role.TEAM_MANAGER]):
        assert user.team is not None and user.team.agency_id == generated.agency.pk
    admin = users.get(role=Role.ADMINISTRATOR)
    assert admin.is_staff and admin.is_superuser
    assert not users.exclude(role=Role.ADMINISTRATOR).filter(is_superuser=True).exists()
    for team in generated.agency.teams.all():
        assert users.filter(team=team, role=Role.TEAM_MANAGER).count() == 1


def test_maps_are_consistent_versions():
    agency = generate_agency(seed=11, families=12, today=TODAY).agency
    maps = Map.objects.filter(agency=agency)
    # Every danger statement has its safety goal.
    statements = DangerStatement.objects.filter(agency=agency)
    assert statements.exists()
    assert not statements.filter(safety_goal__isnull=True).exists()
    # At most one draft per case, and only ever the latest version.
    for case in Case.objects.filter(agency=agency).prefetch_related("maps"):
        versions = sorted(case.maps.all(), key=lambda m: m.number)
        assert [m.number for m in versions] == list(range(1, len(versions) + 1))
        drafts = [m for m in versions if m.is_draft]
        assert len(drafts) <= 1
        assert not drafts or drafts[0] is versions[-1]
        for earlier, later in zip(versions, versions[1:], strict=False):
            assert later.based_on_id == earlier.pk
            assert earlier.held_on < later.held_on
        for version in versions:
            assert case.opened_on <= version.held_on <= (case.closed_on or TODAY)
    # Carried entries and statements come from the version before.
    for entry in MapEntry.objects.filter(agency=agency, carried_from__isnull=False):
        assert entry.carried_from.map_id == entry.map.based_on_id
    for statement in statements.filter(carried_from__isnull=False):
        assert statement.carried_from.map_id == statement.map.based_on_id
    # Every finalised map is scaled overall by the worker, a parent, and maybe others.
    for map_ in maps.filter(status=Map.Status.FINALISED).prefetch_related("scale_judgements"):
        overall = {j.rater_role for j in map_.scale_judgements.all() if not j.danger_statement_id}
        assert {RaterRole.WORKER, RaterRole.PARENT} <= overall
        assert map_.finalised_by_id and map_.finalised_at
    assert not ScaleJudgement.objects.filter(map__status=Map.Status.DRAFT).exists()


def test_allocations_follow_each_other():
    agency = generate_agency(seed=3, families=20, today=TODAY).agency
    for case in Case.objects.filter(agency=agency).prefetch_related("allocations"):
        allocations = sorted(case.allocations.all(), key=lambda a: a.started_on)
        current = [a for a in allocations if a.ended_on is None]
        if case.status == Case.Status.OPEN:
            assert len(current) == 1 and current[0] is allocations[-1], case.reference
        else:
            assert not current and allocations[-1].ended_on == case.closed_on, case.reference
        assert allocations[0].started_on == case.opened_on
        for earlier, later in zip(allocations, allocations[1:], strict=False):
            assert earlier.ended_on == later.started_on
        for allocation in allocations:
            assert allocation.worker.team_id == case.team_id
            assert allocation.allocated_by.role == Role.TEAM_MANAGER


def test_scores_mostly_improve_over_time():
    agency = generate_agency(seed=3, families=30, today=TODAY).agency
    improved = changed = 0
    for case in Case.objects.filter(agency=agency):
        scores = list(
            ScaleJudgement.objects.filter(
                map__case=case, rater_role=RaterRole.WORKER, danger_statement__isnull=True
            )
            .order_by("map__number")
            .values_list("score", flat=True)
        )
        if len(scores) > 1:
            changed += 1
            improved += scores[-1] > scores[0]
    assert changed and improved > changed / 2
    assert improved < changed, "some families stall or get worse"


def test_the_default_demo_agency():
    generated = generate_agency(today=TODAY)
    agency = generated.agency
    assert agency.name == "Northmoor Borough Council"
    assert agency.code == "999"
    assert {Service.CHILD_PROTECTION, Service.CHILDREN_IN_NEED, Service.EARLY_HELP} <= set(
        agency.teams.values_list("service", flat=True)
    )
    workers = User.objects.filter(agency=agency, role=Role.SOCIAL_WORKER)
    assert workers.count() >= 8
    cases = Case.objects.filter(agency=agency)
    # The 60 families asked for; the looked-after families (NB-C…) and the earlier episodes
    # of re-referred children (NB-E…) come on top.
    families = cases.filter(reference__regex=r"^NB-[0-9]{6}$")
    assert families.count() == 60
    assert families.filter(status=Case.Status.CLOSED).count() in range(3, 20)
    assert cases.filter(service=Service.CHILDREN_LOOKED_AFTER).exists()
    assert all(c.service == c.team.service for c in families.select_related("team"))
    for worker in workers.annotate(
        current=Count("allocations", filter=Q(allocations__ended_on__isnull=True))
    ):
        assert worker.current >= 3, worker.username
    open_cases = cases.filter(status=Case.Status.OPEN).annotate(
        current=Count("allocations", filter=Q(allocations__ended_on__isnull=True))
    )
    assert set(open_cases.values_list("current", flat=True)) == {1}
    unborn = Person.objects.filter(agency=agency, expected_date_of_birth__isnull=False)
    assert unborn.count() <= 2
    assert not unborn.exclude(sex="U").exists()
    assert Map.objects.filter(agency=agency, status=Map.Status.DRAFT).exists()
    labels = dict(
        CategoryLabel.objects.filter(agency=agency, service=Service.EARLY_HELP).values_list(
            "category", "label"
        )
    )
    assert labels == {
        "danger_statement": "Worry statement",
        "safety_goal": "Wellbeing goal",
        "harm": "What has happened",
    }


def test_load_demo_prints_every_role_and_is_idempotent(capsys):
    call_command("load_demo", "--families", "5", "--today", "2026-03-02")
    first = capsys.readouterr().out
    assert "Demo agency: Northmoor Borough Council" in first
    for role in Role:
        assert role.label in first
    assert "sw.amara" in first
    assert DEMO_PASSWORD in first
    assert "Open http://127.0.0.1:8000/ and sign in with any of these." in first
    counts = (Agency.objects.count(), User.objects.count(), Case.objects.count())

    call_command("load_demo")
    second = capsys.readouterr().out
    assert "already loaded" in second
    assert "sw.amara" in second and DEMO_PASSWORD in second
    assert (Agency.objects.count(), User.objects.count(), Case.objects.count()) == counts

    call_command("load_demo", "--reset", "--families", "6", "--today", "2026-03-02")
    assert "already loaded" not in capsys.readouterr().out
    assert Agency.objects.count() == 1
    assert Case.objects.filter(reference__regex=r"^NB-[0-9]{6}$").count() == 6


def test_reset_keeps_platform_superusers():
    User.objects.create_superuser("platform", password="x")
    generate_agency(seed=1, families=3, today=TODAY)
    reset_threefold_data()
    assert list(User.objects.values_list("username", flat=True)) == ["platform"]
    assert not Agency.objects.exists()
