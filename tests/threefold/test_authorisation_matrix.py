"""Walk every URL pattern in the project as every role, and as someone from another agency.

A new page that forgets its permission check fails here: each pattern must be listed in
EXPECTED with who may reach it, so nothing is reachable by default."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from agencies.models import Role
from people.services import case_restrict
from practice import services
from safety import services as safety_services
from tests import factories
from tests.practice.test_services import make_finalisable

pytestmark = pytest.mark.django_db

ALL_STAFF = set(Role.values)
CASE_READERS = {
    "social_worker",
    "team_manager",
    "conference_chair",
    "practice_lead",
    "senior_leader",
    "performance_analyst",
}
CASE_RECORDERS = {"social_worker", "team_manager", "conference_chair"}
MANAGERS = {"team_manager"}

# url name -> (roles that get a 2xx/3xx on GET, roles allowed to POST successfully)
EXPECTED = {
    "casefile:caseload": (ALL_STAFF, None),
    "casefile:case_detail": (CASE_READERS, None),
    "casefile:case_access_report": ({"team_manager", "senior_leader"}, None),
    "casefile:case_access_report_csv": ({"team_manager", "senior_leader"}, None),
    "casefile:subject_access": ({"senior_leader"}, None),
    "people:retention_review": ({"administrator", "senior_leader"}, None),
    "people:case_allocate": (MANAGERS, MANAGERS),
    "people:case_restriction": (MANAGERS, MANAGERS),
    "people:case_delete": (MANAGERS, MANAGERS),
    "people:break_glass": (ALL_STAFF, None),
    "people:break_glass_report": ({"team_manager", "senior_leader"}, None),
    "people:deleted_cases": ({"administrator"}, {"administrator"}),
    "practice:map_start": (set(), CASE_RECORDERS),
    "practice:map_compare": (CASE_READERS, None),
    "practice:map_detail": (CASE_READERS, None),
    "practice:map_details_update": (set(), CASE_RECORDERS),
    "practice:map_print": (CASE_READERS, None),
    "practice:map_history": (CASE_READERS, None),
    "practice:map_finalise": (set(), CASE_RECORDERS),
    "practice:map_sign_off": (set(), MANAGERS),
    "practice:entry_add": (set(), CASE_RECORDERS),
    "practice:entry_detail": (CASE_READERS, None),
    "practice:entry_edit": (CASE_RECORDERS, CASE_RECORDERS),
    "practice:entry_remove": (set(), CASE_RECORDERS),
    "practice:danger_add": (set(), CASE_RECORDERS),
    "practice:danger_edit": (CASE_RECORDERS, CASE_RECORDERS),
    "practice:danger_remove": (set(), CASE_RECORDERS),
    "practice:scale_add": (set(), CASE_RECORDERS),
    "practice:scale_remove": (set(), CASE_RECORDERS),
    "practice:participant_add": (set(), CASE_RECORDERS),
    "practice:participant_remove": (set(), CASE_RECORDERS),
    "practice:guidance": (CASE_RECORDERS, None),
    "practice:plain_language_terms": ({"practice_lead"}, {"practice_lead"}),
    "documents:map_pdf": (CASE_READERS, None),
    "documents:map_docx": (CASE_READERS, None),
    # Safety network, safety plans and the trajectory to closure.
    **{
        f"safety:{name}": (CASE_READERS, None)
        for name in ["network", "plan_list", "plan_detail", "plan_pdf", "plan_docx", "trajectory"]
    },
    **{
        f"safety:{name}": (CASE_RECORDERS, CASE_RECORDERS)
        for name in ["network_member_edit", "rule_edit", "stage_edit"]
    },
    **{
        f"safety:{name}": (set(), CASE_RECORDERS)
        for name in [
            "network_member_add",
            "network_member_status",
            "plan_start",
            "plan_details_update",
            "rule_add",
            "rule_remove",
            "plan_agree",
            "review_add",
            "check_in_add",
            "stage_add",
            "stage_remove",
        ]
    },
    # Children's voices and Words and Pictures.
    **{
        f"voices:{name}": (CASE_READERS, None)
        for name in [
            "child_detail",
            "voice_detail",
            "voice_words",
            "voice_picture",
            "three_houses_pdf",
            "three_houses_docx",
            "wp_detail",
            "wp_picture",
            "wp_pdf",
            "wp_docx",
        ]
    },
    **{
        f"voices:{name}": (CASE_RECORDERS, CASE_RECORDERS)
        for name in ["voice_add", "voice_edit", "wp_add", "wp_edit", "wp_revise"]
    },
    **{
        f"voices:{name}": (set(), CASE_RECORDERS)
        for name in [
            "voice_share",
            "voice_bring",
            "voice_picture_add",
            "voice_picture_remove",
            "wp_agree",
            "wp_share",
            "wp_picture_add",
            "wp_picture_remove",
        ]
    },
    # Timescales and worklists. My work is for the people cases are allocated to; the team's
    # work for its manager; the timescales for the administrator and practice leads; a reason
    # for being overdue from anyone who may record on the case.
    "timescales:my_work": ({"social_worker", "team_manager"}, None),
    "timescales:team_work": (MANAGERS, None),
    "timescales:rules": ({"administrator", "practice_lead"}, {"administrator", "practice_lead"}),
    "timescales:overdue_reason": (CASE_RECORDERS, CASE_RECORDERS),
    # Statutory process. Steps are recorded by anyone who may record on the case; the team's
    # manager approves or returns assessments, plans and closures.
    "process:case_process": (CASE_READERS, None),
    "process:approvals": (MANAGERS, None),
    "process:approval_decide": (MANAGERS, MANAGERS),
    "process:approval_resubmit": (set(), CASE_RECORDERS),
    **{
        f"process:{name}": (CASE_RECORDERS, CASE_RECORDERS)
        for name in [
            "contact_add",
            "referral_add",
            "referral_decide",
            "assessment_start",
            "assessment_complete",
            "strategy_discussion_add",
            "s47_start",
            "s47_complete",
            "conference_start",
            "conference_decide",
            "cp_plan_start",
            "cp_plan_end",
            "core_group_add",
            "cin_plan_start",
            "cin_plan_end",
            "cin_review_add",
            "looked_after_start",
            "looked_after_end",
            "visit_add",
            "closure_add",
        ]
    },
    # Family and network portal. Staff side: anyone who may read the case sees who has been
    # invited and the check-in alerts; only those who may record on it invite, print codes,
    # email links, withdraw access and acknowledge alerts. The invitation or alert travels in
    # the form, so these are POST-only.
    "portal:case_portal": (CASE_READERS, None),
    "portal:invitation_add": (CASE_RECORDERS, CASE_RECORDERS),
    **{
        f"portal:{name}": (set(), CASE_RECORDERS)
        for name in [
            "invitation_new_code",
            "invitation_send_link",
            "invitation_withdraw",
            "alert_acknowledge",
        ]
    },
    # Family side (`family/...`, login_not_required): no staff role reaches any of them. A
    # signed-in member of staff gets 403 (their portal keys are cleared), so staff and portal
    # sessions never mix; tests/portal/test_access.py covers portal visitors.
    **{
        f"portal:{name}": (set(), None)
        for name in [
            "family_sign_in",
            "family_link_request",
            "family_link",
            "family_sign_out",
            "family_home",
            "family_words_and_pictures",
            "family_words_and_pictures_pdf",
            "family_words_and_pictures_picture",
            "family_plan",
            "family_plan_pdf",
            "family_map",
            "family_map_pdf",
            "family_rules",
            "family_check_in",
        ]
    },
    # Evaluation.
    "evaluation:overview": (
        {"senior_leader", "practice_lead", "performance_analyst", "administrator"},
        None,
    ),
    **{
        f"evaluation:{name}": ({"senior_leader", "practice_lead", "performance_analyst"}, None)
        for name in ["compare", "compare_csv", "report", "report_pdf"]
    },
    "evaluation:designs": (
        {"senior_leader", "practice_lead", "performance_analyst"},
        {"senior_leader", "practice_lead", "performance_analyst"},
    ),
    # REST API. The API's operations are unnamed patterns reached only with bearer tokens (a
    # session gets 401): tests/api/test_api_matrix.py walks each one for every role. Named here:
    # its public OpenAPI document and docs page, its root (404), and the administrators' pages.
    "api:openapi-json": (ALL_STAFF, None),
    "api:openapi-view": (ALL_STAFF, None),
    "api:api-root": (set(), None),
    "api_clients:clients": ({"administrator"}, {"administrator"}),
    "api_clients:token_issue": (set(), {"administrator"}),
    "api_clients:token_revoke": (set(), {"administrator"}),
    "api_clients:client_revoke": (set(), {"administrator"}),
    # Measures. The catalogue and definitions are for everyone; the figures for workers (their
    # own caseload), team managers (their team) and agency-wide readers except chairs.
    "measures:catalogue": (ALL_STAFF, None),
    "measures:definition": (ALL_STAFF, None),
    **{
        f"measures:{name}": (
            {
                "social_worker",
                "team_manager",
                "practice_lead",
                "senior_leader",
                "performance_analyst",
            },
            None,
        )
        for name in ["dashboard", "trends", "drilldown", "download"]
    },
    # Statutory returns. The CIN census (page and audited download) is for performance analysts
    # and senior leaders; everyone else is refused.
    **{
        f"returns:{name}": ({"performance_analyst", "senior_leader"}, None)
        for name in ["cin_census", "cin_census_download"]
    },
    # Accounts: every signed-in member of staff manages their own.
    "account": (ALL_STAFF, None),
    "two_factor_verify": (ALL_STAFF, None),
    "two_factor_setup": (ALL_STAFF, None),
    "sign_out_everywhere": (set(), ALL_STAFF),
    "keep_alive": (ALL_STAFF, None),
    "staff_sign_in": ({"administrator"}, {"administrator"}),
    "login": (ALL_STAFF, None),
    "logout": (set(), ALL_STAFF),
}
# Django's own admin is for platform superusers only and is tested by Django.
SKIPPED_NAMESPACES = {"admin"}


def project_url_parameters() -> dict[str, list[str]]:
    """Every named URL in the project, with the names of its parameters."""
    names = {}

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                if pattern.namespace in SKIPPED_NAMESPACES:
                    continue
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names[f"{namespace}{pattern.name}"] = list(pattern.pattern.regex.groupindex)

    walk(get_resolver().url_patterns)
    return names


URL_PARAMETERS = project_url_parameters()


def test_every_url_pattern_has_a_declared_audience():
    assert set(URL_PARAMETERS) == set(EXPECTED)


@pytest.fixture
def world(team, worker, manager, case, child):
    agency = case.agency
    users = {
        role: factories.UserFactory(team=None, agency=agency, role=role)
        for role in [
            "conference_chair",
            "practice_lead",
            "senior_leader",
            "performance_analyst",
            "administrator",
        ]
    }
    users["social_worker"], users["team_manager"] = worker, manager
    map_ = services.map_start(actor=worker, case=case, purpose="mapping", held_on=case.opened_on)
    services.map_entry_add(actor=worker, map_=map_, category="harm", text="A bruise")
    make_finalisable(map_, worker)
    member = safety_services.network_member_add(
        actor=worker, case=case, name="Grandma Pat", kind="family", relationship="Mum's mum"
    )
    plan = safety_services.safety_plan_start(actor=worker, case=case)
    rule = safety_services.safety_plan_rule_add(
        actor=worker, plan=plan, text="Grandma Pat collects Leo from school.", who="Grandma Pat"
    )
    stage = safety_services.trajectory_stage_add(
        actor=worker, case=case, name="Plan ends", target_on=case.opened_on
    )
    ids = {
        "case_id": case.pk,
        "map_id": map_.pk,
        "entry_id": map_.entries.first().pk,
        "danger_id": map_.danger_statements.first().pk,
        "judgement_id": map_.scale_judgements.first().pk,
        "participant_id": map_.participants.first().pk,
        "member_id": member.pk,
        "plan_id": plan.pk,
        "rule_id": rule.pk,
        "stage_id": stage.pk,
        **factories.make_voices_world(actor=worker, case=case, child=child),
        # Timescales and worklists.
        **factories.make_timescales_world(case=case),
        # Statutory process.
        **factories.make_process_world(actor=worker, case=case, child=child),
        # Measures.
        "measure_code": "B01",
    }
    return users, case, ids


def url_for(name, ids):
    return reverse(name, kwargs={key: ids[key] for key in URL_PARAMETERS[name]})


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_role_gets_exactly_the_access_declared(client, world, name):
    users, case, ids = world
    get_roles, _ = EXPECTED[name]
    url = url_for(name, ids)
    for role, user in users.items():
        client.force_login(user)
        response = client.get(url)
        allowed = response.status_code < 400
        if response.status_code == 405:
            continue  # POST-only: checked below
        assert allowed == (role in get_roles), f"GET {url} as {role}: {response.status_code}"


@pytest.mark.parametrize("name", sorted(n for n, (_, post) in EXPECTED.items() if post))
def test_writes_are_refused_to_everyone_else(client, world, name):
    users, case, ids = world
    _, post_roles = EXPECTED[name]
    url = url_for(name, ids)
    for role, user in users.items():
        if role in post_roles:
            continue
        client.force_login(user)
        response = client.post(url, {})
        assert response.status_code in {403, 404}, f"POST {url} as {role}: {response.status_code}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_another_agency_never_reaches_a_case(client, world, name):
    _, case, ids = world
    if "case_id" not in URL_PARAMETERS[name]:
        return
    url = url_for(name, ids)
    for role in Role.values:
        client.force_login(factories.UserFactory(role=role))
        assert client.get(url).status_code in {404, 405}, f"GET {url} as outside {role}"
        assert client.post(url, {}).status_code in {403, 404}, f"POST {url} as outside {role}"


def test_a_restricted_case_is_404_to_everyone_off_the_list(client, world):
    users, case, ids = world
    case_restrict(actor=users["team_manager"], case=case, reason="Staff member's relative")
    for role, user in users.items():
        if role in {"team_manager", "social_worker"}:
            continue
        client.force_login(user)
        for name in ["casefile:case_detail", "practice:map_detail", "practice:map_print"]:
            assert client.get(url_for(name, ids)).status_code in {403, 404}
