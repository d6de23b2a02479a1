import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audits import services
from audits.models import AuditRubric, AuditSample, CaseAudit
from core.models import AuditEvent
from people.services import case_restrict
from tests import factories
from tests.audits.conftest import DAY, fill

pytestmark = pytest.mark.django_db


def answer_fields(audit, **values):
    data = {"revision": audit.revision}
    for answer in audit.answers.order_by("question__order"):
        for key, value in values.items():
            data[f"{key}_{answer.pk}"] = value
    return data


def test_an_audit_from_sample_to_moderation_without_javascript(
    client, rubric, case, lead, worker, senior, team
):
    client.force_login(lead)
    month = f"{datetime.date.today():%Y-%m}"
    response = client.post(
        f"{reverse('audits:samples')}?month={month}",
        {"team": team.pk, "month": month, "size": 2, "exclude_months": 6},
    )
    assert response.status_code == 302
    sample = AuditSample.objects.get()
    page = client.get(reverse("audits:samples"), {"month": month}).content.decode()
    assert case.name in page and "Repeating the draw from the seed gives the same cases" in page

    response = client.post(reverse("audits:audit_start", args=[case.pk]), {"sample": sample.pk})
    audit = CaseAudit.objects.get()
    assert response.url == reverse("audits:audit_detail", args=[audit.pk])
    assert audit.sample == sample and audit.worker == worker

    page = client.get(response.url).content.decode()
    assert "Are the dangers clear?" in page and "Is the child heard?" in page
    assert AuditEvent.objects.filter(verb="audits.audit_viewed", case_id=case.pk).exists()
    q1, q2 = audit.answers.order_by("question__order")
    data = {
        "revision": 1,
        f"score_{q1.pk}": 3,
        f"evidence_{q1.pk}": "The danger statement is clear.",
        f"score_{q2.pk}": 8,
        f"evidence_{q2.pk}": "Three Houses done.",
        "working_well": "The map is in the family's words.",
        "worries": "Dad's voice is missing.",
        "next_steps": "Meet dad before the review.",
        "grade": 3,
        "worker_present": "on",
    }
    assert client.post(response.url, data).status_code == 302
    complete = client.post(reverse("audits:audit_complete", args=[audit.pk]), {"revision": 2})
    assert complete.status_code == 302
    audit.refresh_from_db()
    assert audit.status == "completed" and audit.counted_grade == 3 and audit.worker_present

    client.force_login(worker)
    page = client.get(reverse("audits:audit_detail", args=[audit.pk])).content.decode()
    assert "The danger statement is clear." in page and f'name="score_{q1.pk}"' not in page
    data = {"revision": 3, f"comment_{q1.pk}": "We wrote it with mum.", "worker_reflections": "Yes"}
    assert client.post(reverse("audits:audit_detail", args=[audit.pk]), data).status_code == 302
    q1.refresh_from_db()
    assert q1.worker_comment == "We wrote it with mum." and q1.score == 3

    client.force_login(senior)
    assert audit.case.name in client.get(reverse("audits:moderation")).content.decode()
    refused = client.post(reverse("audits:moderate", args=[audit.pk]), {"grade": 4})
    assert "Say why you changed the grade." in refused.content.decode()
    moderated = client.post(
        reverse("audits:moderate", args=[audit.pk]), {"grade": 4, "reason": "Exceptional."}
    )
    assert moderated.status_code == 302
    audit.refresh_from_db()
    assert audit.status == "moderated" and audit.counted_grade == 4


def test_two_people_saving_together_get_a_conflict_not_an_overwrite(
    client, rubric, case, lead, worker
):
    audit = services.audit_start(actor=lead, case=case, on=DAY)
    client.force_login(lead)
    url = reverse("audits:audit_detail", args=[audit.pk])
    client.post(url, {"revision": 1, "worries": "The lead's worry."})
    client.force_login(worker)
    response = client.post(url, {"revision": 1, "worries": "The worker's worry."})
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this audit after you opened it" in page
    assert "The worker&#x27;s worry." in page and "The lead&#x27;s worry." in page
    assert 'name="revision" value="2"' in page
    audit.refresh_from_db()
    assert audit.worries == "The lead's worry."


def test_only_the_auditor_and_worker_write_and_a_restricted_audit_is_hidden(
    client, rubric, case, lead, manager, senior
):
    audit = services.audit_start(actor=lead, case=case, on=DAY)
    url = reverse("audits:audit_detail", args=[audit.pk])
    client.force_login(manager)
    assert client.get(url).status_code == 200
    assert client.post(url, {"revision": 1, "worries": "x"}).status_code == 403
    case_restrict(actor=manager, case=case, reason="A relative of a member of staff")
    for user in [lead, senior]:
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert case.name not in client.get(reverse("audits:audit_list")).content.decode()


def test_a_team_manager_draws_only_their_own_teams_sample(client, team, manager):
    other = factories.TeamFactory(agency=team.agency, name="Other team")
    client.force_login(manager)
    page = client.get(reverse("audits:samples")).content.decode()
    assert team.name in page and "Other team" not in page
    month = f"{datetime.date.today():%Y-%m}"
    response = client.post(
        reverse("audits:samples"),
        {"team": other.pk, "month": month, "size": 2, "exclude_months": 6},
    )
    assert response.status_code == 200 and not AuditSample.objects.exists()


def test_rubric_pages_version_a_rubric_in_use(client, rubric, case, lead):
    services.audit_start(actor=lead, case=case, on=DAY)
    client.force_login(lead)
    question = rubric.questions.get(order=2)
    response = client.post(
        reverse("audits:rubric_question_edit", args=[rubric.pk, question.pk]),
        {
            "revision": rubric.revision,
            "area": "Child's voice",
            "text": "Are the child's own words in the record?",
            "guidance": "",
            "scale": "ten",
            "order": 2,
        },
    )
    successor = AuditRubric.objects.get(version=2)
    assert response.url == reverse("audits:rubric_detail", args=[successor.pk])
    page = client.get(response.url).content.decode()
    assert "Are the child&#x27;s own words in the record?" in page
    old = client.get(reverse("audits:rubric_detail", args=[rubric.pk])).content.decode()
    assert "Is the child heard?" in old and "A newer version" in old
    response = client.post(reverse("audits:rubrics"), {"name": "Thematic audit"})
    assert AuditRubric.objects.filter(name="Thematic audit", active=False).exists()


@pytest.fixture
def completed_audits(rubric, team, lead):
    def make(count):
        for index in range(count):
            case = factories.CaseFactory(team=team)
            factories.AllocationFactory(case=case)
            audit = services.audit_start(actor=lead, case=case, on=DAY)
            fill(audit, actor=lead, grade=2 + index % 3)
            services.audit_complete(actor=lead, audit=audit, expected_revision=2, on=DAY)

    return make


def test_results_page_and_downloads(client, completed_audits, senior):
    completed_audits(3)  # grades 2, 3, 4
    client.force_login(senior)
    page = client.get(reverse("audits:results"), {"month": "2026-03"}).content.decode()
    assert "<strong>2 of 3</strong> graded good or better (66.7%)" in page
    assert "<svg" in page and "Map and analysis" in page
    assert AuditEvent.objects.filter(verb="audits.results_viewed").exists()
    csv = client.get(
        reverse("audits:results_download"), {"table": "months", "fmt": "csv", "month": "2026-03"}
    )
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("Month,Audits completed,Good or better,Percent")
    assert lines[-1].startswith("2026-03,3,2,66.7,3.0")
    xlsx = client.get(
        reverse("audits:results_download"), {"table": "areas", "fmt": "xlsx", "month": "2026-03"}
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[1]] == ["Area", "Answers scored", "Mean score %"]
    assert sheet.max_row == 3
    event = AuditEvent.objects.filter(verb="audits.results_downloaded").latest("sequence")
    assert event.changes["table"] == "areas" and event.changes["format"] == "xlsx"


@pytest.mark.parametrize("count", [2, 12])
def test_pages_take_a_bounded_number_of_queries(
    client, completed_audits, lead, senior, team, count, django_assert_max_num_queries
):
    completed_audits(count)
    services.sample_draw(actor=lead, team=team, month=DAY, today=DAY, size=count)
    client.force_login(senior)
    for name, params in [
        ("audits:audit_list", {}),
        ("audits:moderation", {}),
        ("audits:results", {"month": "2026-03"}),
    ]:
        with django_assert_max_num_queries(20):
            assert client.get(reverse(name), params).status_code == 200
    client.force_login(lead)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("audits:samples"), {"month": "2026-03"}).status_code == 200
    audit = CaseAudit.objects.first()
    with django_assert_max_num_queries(20):
        assert client.get(reverse("audits:audit_detail", args=[audit.pk])).status_code == 200
