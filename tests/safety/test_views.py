"""Safety pages through the browser's eyes: permissions, htmx partials, no-JS fallbacks,
conflicts, and the family's downloads."""

import datetime
import io

import pytest
from django.urls import reverse

from agencies.models import Role
from core.models import AuditEvent
from safety import services
from safety.models import MonitoringCheckIn, NetworkMember, SafetyPlan
from tests import factories
from tests.safety.conftest import RULE

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def stage(case, worker):
    return services.trajectory_stage_add(
        actor=worker,
        case=case,
        name="Safety plan agreed",
        milestone="Everyone has signed up to the plan.",
        target_on=datetime.date(2026, 3, 1),
    )


@pytest.fixture
def world(case, agreed_plan, grandma, stage):
    return case, agreed_plan, agreed_plan.rules.get(), grandma, stage


def safety_urls(case, plan, rule, member, stage):
    c, p = case.pk, plan.pk
    return [
        reverse("safety:network", args=[c]),
        reverse("safety:network_member_add", args=[c]),
        reverse("safety:network_member_edit", args=[c, member.pk]),
        reverse("safety:network_member_status", args=[c, member.pk]),
        reverse("safety:plan_list", args=[c]),
        reverse("safety:plan_start", args=[c]),
        reverse("safety:plan_detail", args=[c, p]),
        reverse("safety:plan_details_update", args=[c, p]),
        reverse("safety:rule_add", args=[c, p]),
        reverse("safety:rule_edit", args=[c, p, rule.pk]),
        reverse("safety:rule_remove", args=[c, p, rule.pk]),
        reverse("safety:plan_agree", args=[c, p]),
        reverse("safety:review_add", args=[c, p]),
        reverse("safety:check_in_add", args=[c, p]),
        reverse("safety:plan_pdf", args=[c, p]),
        reverse("safety:plan_docx", args=[c, p]),
        reverse("safety:trajectory", args=[c]),
        reverse("safety:stage_add", args=[c]),
        reverse("safety:stage_edit", args=[c, stage.pk]),
        reverse("safety:stage_remove", args=[c, stage.pk]),
    ]


def test_every_safety_url_is_listed_here(world):
    from safety.urls import urlpatterns

    assert len(safety_urls(*world)) == len(urlpatterns)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("role", [Role.CONFERENCE_CHAIR, Role.SOCIAL_WORKER, Role.SENIOR_LEADER])
def test_another_agencys_user_gets_404_on_every_safety_url(client, world, method, role):
    outsider = factories.UserFactory(role=role)
    client.force_login(outsider)
    for url in safety_urls(*world):
        response = getattr(client, method)(url)
        assert response.status_code in {404, 405}, url
        if method == "post":
            assert response.status_code == 404, url
    case = world[0]
    assert case.network_members.count() == 1 and case.safety_plans.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for url in safety_urls(*world):
        response = client.get(url)
        assert response.status_code in {302, 405}
        if response.status_code == 302:
            assert response.url.startswith(reverse("login"))


def test_practice_lead_reads_but_every_write_is_403(client, world):
    case, plan, rule, member, stage = world
    lead = factories.UserFactory(team=None, agency=case.agency, role=Role.PRACTICE_LEAD)
    client.force_login(lead)
    reads = ["network", "plan_list", "trajectory"]
    for name in reads:
        assert client.get(reverse(f"safety:{name}", args=[case.pk])).status_code == 200
    assert client.get(reverse("safety:plan_detail", args=[case.pk, plan.pk])).status_code == 200
    writes = [
        url
        for url in safety_urls(*world)
        if not url.endswith(("/network/", "/safety-plans/", "/trajectory/", ".pdf", ".docx"))
        and url != reverse("safety:plan_detail", args=[case.pk, plan.pk])
    ]
    assert len(writes) == 14
    for url in writes:
        assert client.post(url, {"name": "Sneaky", "text": "Sneaky"}).status_code == 403, url
    assert not NetworkMember.objects.filter(name="Sneaky").exists()
    page = client.get(reverse("safety:network", args=[case.pk])).content.decode()
    assert "Add someone to the network" not in page and "can read the safety network" in page


def test_pages_are_audited(client, worker, world):
    case, plan, *_ = world
    client.force_login(worker)
    client.get(reverse("safety:network", args=[case.pk]))
    client.get(reverse("safety:plan_detail", args=[case.pk, plan.pk]))
    client.get(reverse("safety:trajectory", args=[case.pk]))
    verbs = set(AuditEvent.objects.filter(case_id=case.pk).values_list("verb", flat=True))
    assert {"safety.network_viewed", "safety.plan_viewed", "safety.trajectory_viewed"} <= verbs


def test_adding_a_member_with_htmx_returns_just_the_network_section(client, worker, case, child):
    client.force_login(worker)
    url = reverse("safety:network_member_add", args=[case.pk])
    data = {
        "name": "Auntie Michelle",
        "kind": "family",
        "relationship": "Mum's sister",
        "children": [child.pk],
        "informed": "on",
        "informed_on": "2026-02-01",
        "informed_by": "Mum",
    }
    response = client.post(url, data, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="network-members"' in html and "Auntie Michelle" in html
    member = case.network_members.get()
    assert member.informed and list(member.children.all()) == [child]


def test_adding_a_member_without_javascript_redirects(client, worker, case):
    client.force_login(worker)
    url = reverse("safety:network_member_add", args=[case.pk])
    response = client.post(url, {"name": "Mr Ahmed", "kind": "professional", "relationship": "GP"})
    member = case.network_members.get()
    assert response.status_code == 302 and response.url.endswith(f"#member-{member.pk}")
    assert "Mr Ahmed" in client.get(response.url).content.decode()


def test_a_member_without_a_name_gets_an_error_in_place(client, worker, case):
    client.force_login(worker)
    url = reverse("safety:network_member_add", args=[case.pk])
    response = client.post(url, {"kind": "family", "relationship": "Mum's sister"}, **HTMX)
    html = response.content.decode()
    assert "There is a problem" in html and 'aria-invalid="true"' in html
    assert "Mum&#x27;s sister" in html
    full = client.post(url, {"kind": "family", "relationship": "Mum's sister"})
    assert full.status_code == 200 and "<html" in full.content.decode()
    assert not case.network_members.exists()


def test_informed_date_without_the_tick_is_explained(client, worker, case):
    client.force_login(worker)
    url = reverse("safety:network_member_add", args=[case.pk])
    data = {
        "name": "Kerry",
        "kind": "friend",
        "relationship": "Friend",
        "informed_on": "2026-01-01",
    }
    html = client.post(url, data, **HTMX).content.decode()
    assert "Tick this if they have been told" in html


def test_editing_a_member_conflict_keeps_the_text(client, worker, manager, case, grandma):
    values = {"name": "Grandma Pat", "kind": "family", "relationship": "Nan", "informed": True}
    services.network_member_update(actor=manager, member=grandma, expected_revision=1, **values)
    client.force_login(worker)
    url = reverse("safety:network_member_edit", args=[case.pk, grandma.pk])
    assert "<html" in client.get(url).content.decode()
    data = {"name": "Grandma Pat", "kind": "family", "relationship": "Gran", "revision": 1}
    html = client.post(url, data).content.decode()
    assert "Someone else changed this network member" in html
    assert 'value="Gran"' in html and "Nan" in html
    response = client.post(url, data | {"revision": 2})
    assert response.status_code == 302
    grandma.refresh_from_db()
    assert grandma.relationship == "Gran"


def test_status_change_through_the_page(client, worker, case, grandma):
    client.force_login(worker)
    url = reverse("safety:network_member_status", args=[case.pk, grandma.pk])
    data = {
        "status": "stepped_back",
        "changed_on": "2026-02-10",
        "reason": "Moved away",
        "revision": 1,
    }
    response = client.post(url, data, **HTMX)
    assert "Stepped back" in response.content.decode()
    grandma.refresh_from_db()
    assert grandma.status == "stepped_back"
    stale = client.post(url, data | {"status": "active"}, **HTMX).content.decode()
    assert "Someone else changed this network member" in stale


def test_writing_and_agreeing_a_plan(client, worker, case, danger, grandma):
    client.force_login(worker)
    response = client.post(reverse("safety:plan_start", args=[case.pk]))
    plan = case.safety_plans.get()
    assert response.status_code == 302 and response.url.endswith(f"/safety-plans/{plan.pk}/")
    page = client.get(response.url).content.decode()
    assert "Add a rule" in page and danger.worried_about[:30] in page

    add = reverse("safety:rule_add", args=[case.pk, plan.pk])
    data = RULE | {"danger_statements": [danger.pk], "members": [grandma.pk]}
    html = client.post(add, data, **HTMX).content.decode()
    assert "<html" not in html and 'id="plan-rules"' in html and RULE["text"] in html
    assert 'id="plan-agree" aria-labelledby="heading-agree" hx-swap-oob="true"' in html
    rule = plan.rules.get()
    assert list(rule.danger_statements.all()) == [danger]

    no_js = client.post(add, RULE | {"text": "Mum keeps her phone on."})
    assert no_js.status_code == 302 and "#rule-" in no_js.url

    details = reverse("safety:plan_details_update", args=[case.pk, plan.pk])
    client.post(
        details, {"if_broken": "Grandma takes the children.", "who_to_call": "Sam", "revision": 1}
    )
    plan.refresh_from_db()
    agree = reverse("safety:plan_agree", args=[case.pk, plan.pk])
    bad = client.post(agree, {"agreed_on": "2026-02-20", "revision": plan.revision}, **HTMX)
    assert "Say who agreed the plan" in bad.content.decode()
    response = client.post(
        agree,
        {
            "agreed_on": "2026-02-20",
            "next_review_on": "2026-05-20",
            "agreed_with": "Jade (Mum)",
            "members": [grandma.pk],
            "revision": plan.revision,
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == SafetyPlan.Status.AGREED
    page = client.get(response.url).content.decode()
    assert "Add a rule" not in page and "agreed and can't be changed" in page


def test_agreed_plan_refuses_rule_changes_through_the_page(client, worker, world):
    case, plan, rule, *_ = world
    client.force_login(worker)
    url = reverse("safety:rule_edit", args=[case.pk, plan.pk, rule.pk])
    html = client.post(url, RULE | {"text": "Changed", "revision": rule.revision}).content.decode()
    assert "can no longer be changed" in html and "Changed" in html
    rule.refresh_from_db()
    assert rule.text == RULE["text"]


def test_rule_edit_inline_and_conflict(client, worker, manager, case, draft_plan):
    rule = services.safety_plan_rule_add(actor=worker, plan=draft_plan, **RULE)
    client.force_login(worker)
    url = reverse("safety:rule_edit", args=[case.pk, draft_plan.pk, rule.pk])
    inline = client.get(url, **HTMX)
    assert "<html" not in inline.content.decode() and inline["HX-Retarget"] == f"#rule-{rule.pk}"
    services.safety_plan_rule_update(
        actor=manager, rule=rule, expected_revision=1, **RULE | {"when": "Every evening"}
    )
    html = client.post(url, RULE | {"when": "Weekends", "revision": 1}, **HTMX).content.decode()
    assert "Someone else changed this rule" in html and "Weekends" in html
    assert "Every evening" in html
    ok = client.post(url, RULE | {"when": "Weekends", "revision": 2}, **HTMX)
    assert 'id="plan-rules"' in ok.content.decode()
    rule.refresh_from_db()
    assert rule.when == "Weekends"


def test_check_in_with_breach_and_review(client, worker, world):
    case, plan, rule, member, _ = world
    client.force_login(worker)
    url = reverse("safety:check_in_add", args=[case.pk, plan.pk])
    data = {
        "member": member.pk,
        "checked_on": "2026-03-01",
        "what_they_saw": "Dad had been drinking.",
        "breach": "on",
        "rules": [rule.pk],
    }
    html = client.post(url, data, **HTMX).content.decode()
    assert "Say what was done about it." in html and "Dad had been drinking." in html
    data |= {"breach_details": "Two cans at teatime.", "action_taken": "Leo went to Grandma's."}
    html = client.post(url, data, **HTMX).content.decode()
    assert 'id="plan-check-ins"' in html and "Leo went to Grandma" in html
    assert MonitoringCheckIn.objects.get().breach

    review = reverse("safety:review_add", args=[case.pk, plan.pk])
    response = client.post(
        review,
        {"reviewed_on": "2026-03-10", "outcome": "small_changes", "next_review_on": "2026-04-10"},
        **HTMX,
    )
    html = response.content.decode()
    assert 'id="plan-reviews"' in html and 'id="plan-summary" hx-swap-oob="true"' in html
    plan.refresh_from_db()
    assert plan.status == "reviewed" and plan.next_review_on == datetime.date(2026, 4, 10)


def test_trajectory_stage_add_and_edit(client, worker, case, stage):
    client.force_login(worker)
    url = reverse("safety:stage_add", args=[case.pk])
    data = {"name": "Case closed", "milestone": "Step down.", "target_on": "2026-12-01"}
    html = client.post(url, data, **HTMX).content.decode()
    assert 'id="stages"' in html and "Case closed" in html and "<html" not in html
    response = client.post(url, data | {"name": "Child in need plan"})
    assert response.status_code == 302 and "#stage-" in response.url
    edit = reverse("safety:stage_edit", args=[case.pk, stage.pk])
    response = client.post(
        edit,
        {
            "name": stage.name,
            "milestone": stage.milestone,
            "target_on": "2026-03-01",
            "achieved_on": "2026-02-25",
            "revision": 1,
        },
    )
    assert response.status_code == 302
    stage.refresh_from_db()
    assert stage.achieved_on == datetime.date(2026, 2, 25)


def test_case_section_renders_the_summary(client, worker, world):
    from django.template.loader import render_to_string

    from safety.selectors import case_safety_summary

    case, plan, *_ = world
    html = render_to_string(
        "safety/_case_section.html",
        {"case": case, "safety": case_safety_summary(case, user=worker)},
    )
    assert "Safety network and safety plan" in html
    assert "<strong>1</strong> person in the network, <strong>1</strong> told" in html
    assert reverse("safety:plan_detail", args=[case.pk, plan.pk]) in html
    assert "Safety plan agreed" in html and "1 Mar 2026" in html


def test_plan_downloads(client, worker, world):
    import docx

    case, plan, *_ = world
    client.force_login(worker)
    pdf = client.get(reverse("safety:plan_pdf", args=[case.pk, plan.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    word = client.get(reverse("safety:plan_docx", args=[case.pk, plan.pk]))
    assert word.status_code == 200
    document = docx.Document(io.BytesIO(word.content))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert RULE["text"] in text and "Our safety plan" in text
    assert AuditEvent.objects.filter(verb="document.generated", case_id=case.pk).count() == 2


def test_plain_language_guidance_on_rules_never_blocks_saving(client, worker, case, draft_plan):
    client.force_login(worker)
    url = reverse("safety:rule_add", args=[case.pk, draft_plan.pk])
    data = RULE | {"text": "Dad will engage with the substance misuse service."}
    html = client.post(url, data, **HTMX).content.decode()
    assert draft_plan.rules.get().text == data["text"]  # saved regardless
    assert "Things to think about" in html and "engage" in html
    invalid = client.post(url, data | {"who": ""}, **HTMX).content.decode()
    assert "There is a problem" in invalid and "Things to think about" in invalid


def test_plan_page_queries_do_not_grow_with_rules(
    client, worker, case, draft_plan, danger, grandma, django_assert_max_num_queries
):
    client.force_login(worker)
    url = reverse("safety:plan_detail", args=[case.pk, draft_plan.pk])
    services.safety_plan_rule_add(actor=worker, plan=draft_plan, danger_statements=[danger], **RULE)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(5):
        services.safety_plan_rule_add(
            actor=worker, plan=draft_plan, danger_statements=[danger], members=[grandma], **RULE
        )
    with django_assert_max_num_queries(len(one) + 2):
        client.get(url)
