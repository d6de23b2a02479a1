import datetime

import pytest
from django.http import Http404

from agencies.models import Role
from audits import selectors, services
from audits.models import AuditAnswer, Moderation
from people.selectors import case_get_visible
from people.services import case_restrict
from tests import factories
from tests.audits.conftest import DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(rubric, case, lead):
    return services.audit_start(actor=lead, case=case, on=DAY)


def test_who_sees_an_audit(audit, lead, worker, manager, senior, team):
    same_team_worker = factories.UserFactory(team=team, role=Role.SOCIAL_WORKER)
    other_manager = factories.UserFactory(
        team=factories.TeamFactory(agency=team.agency), role=Role.TEAM_MANAGER
    )
    seeing = [lead, worker, manager, senior]
    not_seeing = [
        same_team_worker,
        other_manager,
        factories.UserFactory(team=None, agency=team.agency, role=Role.PERFORMANCE_ANALYST),
        factories.UserFactory(team=None, agency=team.agency, role=Role.CONFERENCE_CHAIR),
        factories.UserFactory(team=None, agency=team.agency, role=Role.ADMINISTRATOR),
        # Another agency's practice lead never sees it.
        factories.UserFactory(team=None, agency=factories.AgencyFactory(), role="practice_lead"),
    ]
    for user in seeing:
        assert selectors.audit_get_visible(user, audit_id=audit.pk) == audit
    for user in not_seeing:
        with pytest.raises(Http404):
            selectors.audit_get_visible(user, audit_id=audit.pk)


def test_an_audit_of_a_restricted_case_is_hidden_from_everyone_off_its_list(
    audit, lead, worker, manager, senior, case
):
    case_restrict(actor=manager, case=case, reason="A relative of a member of staff")
    for user in [manager, worker]:
        assert selectors.audits_for_case(user, case) == [audit]
    for user in [lead, senior]:
        with pytest.raises(Http404):
            selectors.audit_get_visible(user, audit_id=audit.pk)
        assert selectors.audits_for_case(user, case) == []
    assert selectors.my_audits(lead)["auditing"] == []


def test_the_moderation_queue_leaves_out_your_own_audits(audit, lead, senior, team, case):
    audit.status, audit.grade, audit.completed_on = "completed", 3, DAY
    audit.save()
    other = factories.CaseAuditFactory(
        case=factories.CaseFactory(team=team), auditor=senior, completed_on=DAY
    )
    assert selectors.moderation_queue(lead)["waiting"] == [other]
    assert selectors.moderation_queue(senior)["waiting"] == [audit]


# Results --------------------------------------------------------------------------------------


def answer(audit, question, score):
    AuditAnswer.objects.create(agency=audit.agency, audit=audit, question=question, score=score)


@pytest.fixture
def history(team, rubric, lead):
    """Audits in two teams around January to March 2026 (see each line)."""
    team_b = factories.TeamFactory(agency=team.agency, name="Zeta team")
    q1, q2 = rubric.questions.order_by("order")

    def audit(team_, completed_on, grade, counted=None, status="completed"):
        return factories.CaseAuditFactory(
            case=factories.CaseFactory(team=team_),
            rubric=rubric,
            auditor=lead,
            completed_on=completed_on,
            grade=grade,
            counted_grade=counted or grade,
            status=status,
        )

    audit(team, datetime.date(2026, 1, 15), 2)
    feb = audit(team, datetime.date(2026, 2, 10), 3)
    answer(feb, q1, 3)  # 3 on 1–4: 66.7%
    answer(feb, q2, 7)  # 7 of 10: 70%
    moderated = audit(team, datetime.date(2026, 2, 28), 2, counted=3, status="moderated")
    Moderation.objects.create(
        agency=team.agency,
        audit=moderated,
        moderator=factories.UserFactory(team=None, agency=team.agency, role="senior_leader"),
        moderated_on=datetime.date(2026, 3, 2),
        grade=3,
        agreed=False,
        reason="Strong plan",
    )
    march = audit(team, datetime.date(2026, 3, 1), 4)
    answer(march, q1, 4)  # 100%
    answer(march, q2, 10)  # 100%
    b_march = audit(team_b, datetime.date(2026, 3, 31), 1)
    audit(team_b, datetime.date(2026, 4, 1), 4)  # after the period
    audit(team_b, datetime.date(2025, 12, 31), 4)  # before it
    factories.CaseAuditFactory(
        case=factories.CaseFactory(team=team_b),
        status="in_progress",
        completed_on=None,
        started_on=datetime.date(2026, 3, 3),
        grade=None,
        counted_grade=None,
    )
    return {"team_b": team_b, "b_march": b_march}


def test_results_by_month_team_and_area_match_hand_counts(history, senior, team):
    data = selectors.results(senior, last=datetime.date(2026, 3, 31), months=3)
    jan, feb, mar = data["months"]
    assert (jan["done"], jan["good"], jan["percent"]) == (1, 0, 0.0)
    assert (feb["done"], feb["good"], feb["percent"]) == (2, 2, 100.0)
    assert (feb["moderated"], feb["agreed"], feb["mean_grade"]) == (1, 0, 3.0)
    assert (mar["done"], mar["good"], mar["percent"], mar["mean_grade"]) == (2, 1, 50.0, 2.5)
    assert mar["grades"] == [1, 0, 0, 1]  # inadequate, requires improvement, good, outstanding
    assert feb["mean_score"] == 68.3 and mar["mean_score"] == 100.0 and jan["mean_score"] is None
    assert data["total"] == {"done": 5, "good": 3, "percent": 60.0}
    team_a, team_b = data["teams"]
    assert team_a["name"] == team.name and (team_a["good"], team_a["done"]) == (3, 4)
    assert [c["done"] for c in team_a["cells"]] == [1, 2, 1]
    assert (team_b["good"], team_b["done"], team_b["percent"]) == (0, 1, 0.0)
    assert data["areas"] == [
        {"area": "Child's voice", "answers": 2, "mean": 85.0},
        {"area": "Map and analysis", "answers": 2, "mean": 83.3},
    ]


def test_results_for_one_team_a_manager_and_without_restricted_cases(
    history, senior, manager, team
):
    only_b = selectors.results(
        senior, last=datetime.date(2026, 3, 31), months=3, team_id=history["team_b"].pk
    )
    assert only_b["total"] == {"done": 1, "good": 0, "percent": 0.0}
    mine = selectors.results(manager, last=datetime.date(2026, 3, 31), months=3)
    assert [t["name"] for t in mine["teams"]] == [team.name] and mine["total"]["done"] == 4
    case_restrict(actor=manager, case=history["b_march"].case, reason="Staff member's child")
    hidden = selectors.results(senior, last=datetime.date(2026, 3, 31), months=3)
    assert hidden["total"]["done"] == 4


def test_results_take_a_bounded_number_of_queries(history, senior, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        selectors.results(senior, last=datetime.date(2026, 3, 31), months=12)


def test_a_case_opened_for_one_person_is_still_checked_for_another(
    audit, lead, worker, manager, case
):
    case_restrict(actor=manager, case=case, reason="A relative of a member of staff")
    opened = case_get_visible(worker, case_id=case.pk)
    assert selectors.audits_for_case(worker, opened) == [audit]
    assert selectors.audits_for_case(lead, opened) == []
