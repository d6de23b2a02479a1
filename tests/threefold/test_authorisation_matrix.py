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
SURVEY_MANAGERS = {"practice_lead", "senior_leader", "performance_analyst", "administrator"}

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
    "people:search": (CASE_READERS, None),
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
            # Children looked after (SSDA903): reviews, missing episodes, yearly outcomes.
            "looked_after_review_add",
            "missing_add",
            "outcomes_add",
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
    # Case audit. Practice leads and team managers audit (and draw their samples); the audit
    # is seen by its auditor (here the practice lead), the worker audited, the case's team
    # manager and senior leaders, and written only by the auditor and the worker; moderation by
    # practice leads and senior leaders but never of their own audit; rubrics by practice
    # leads; results by managers and leaders.
    "audits:audit_list": (
        {"social_worker", "team_manager", "practice_lead", "senior_leader"},
        None,
    ),
    "audits:audit_start": (set(), {"practice_lead", "team_manager"}),
    "audits:audit_detail": (
        {"social_worker", "team_manager", "practice_lead", "senior_leader"},
        {"social_worker", "practice_lead"},
    ),
    "audits:audit_complete": (set(), {"practice_lead"}),
    "audits:moderation": ({"practice_lead", "senior_leader"}, None),
    "audits:moderate": ({"senior_leader"}, {"senior_leader"}),
    "audits:samples": ({"practice_lead", "team_manager"}, {"practice_lead", "team_manager"}),
    **{
        f"audits:{name}": (
            {"team_manager", "practice_lead", "senior_leader", "performance_analyst"},
            None,
        )
        for name in ["results", "results_download"]
    },
    "audits:rubrics": ({"practice_lead"}, {"practice_lead"}),
    "audits:rubric_detail": ({"practice_lead"}, None),
    "audits:rubric_question_edit": ({"practice_lead"}, {"practice_lead"}),
    **{
        f"audits:{name}": (set(), {"practice_lead"})
        for name in ["rubric_activate", "rubric_question_add", "rubric_question_remove"]
    },
    # Staff and family surveys. Practice leads, senior leaders, analysts and administrators set
    # surveys up and see results; every member of staff answers the staff surveys sent to them
    # (opened in the world, so everyone is asked); case readers see who on the case was sent
    # the family survey, and case recorders send it. A family's link and the family pages'
    # survey are for families only: signed-in staff get 403.
    **{
        f"surveys:{name}": (SURVEY_MANAGERS, None)
        for name in ["survey_list", "survey_detail", "results", "results_download", "compare"]
    },
    **{
        f"surveys:{name}": (SURVEY_MANAGERS, SURVEY_MANAGERS)
        for name in ["survey_add", "survey_edit", "question_add", "question_edit"]
    },
    **{
        f"surveys:{name}": (set(), SURVEY_MANAGERS)
        for name in ["survey_open", "survey_close", "survey_repeat", "question_remove"]
    },
    "surveys:my_surveys": (ALL_STAFF, None),
    "surveys:staff_answer": (ALL_STAFF, ALL_STAFF),
    "surveys:case_surveys": (CASE_READERS, None),
    "surveys:family_invite": (CASE_RECORDERS, CASE_RECORDERS),
    "surveys:family_answer": (set(), None),
    "portal:family_survey": (set(), None),
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
        for name in [
            "cin_census",
            "cin_census_download",
            "ssda903",
            "ssda903_download",
            "annex_a",
            "annex_a_download",
        ]
    },
    # Imports from legacy systems: administrators and performance analysts only.
    "imports:home": (
        {"administrator", "performance_analyst"},
        {"administrator", "performance_analyst"},
    ),
    **{
        f"imports:{name}": ({"administrator", "performance_analyst"}, None)
        for name in ["layouts", "template", "run_detail"]
    },
    "imports:run_confirm": (set(), {"administrator", "performance_analyst"}),
    # Learning in practice. Supervision sessions are seen by the facilitator (here the team
    # manager) and the people supervised (the worker); supervisors record them; actions are
    # changed by their owner and the facilitator. Inquiries are seen by the worker who recorded
    # them, their team manager and practice leads, who confirm sharing. The library and the
    # lists of one's own records are for all staff.
    **{
        f"learning:{name}": (ALL_STAFF, None)
        for name in ["session_list", "inquiry_list", "library", "library_entry"]
    },
    "learning:session_add": (
        {"team_manager", "practice_lead"},
        {"team_manager", "practice_lead"},
    ),
    "learning:supervision_frequency": ({"team_manager", "practice_lead", "senior_leader"}, None),
    "learning:session_detail": ({"social_worker", "team_manager"}, None),
    "learning:session_edit": (MANAGERS, MANAGERS),
    "learning:session_complete": (set(), MANAGERS),
    "learning:session_map_start": (set(), {"social_worker", "team_manager"}),
    "learning:action_add": (set(), MANAGERS),
    "learning:action_edit": (
        {"social_worker", "team_manager"},
        {"social_worker", "team_manager"},
    ),
    "learning:action_done": (set(), {"social_worker", "team_manager"}),
    "learning:inquiry_add": (
        {"social_worker", "team_manager", "practice_lead", "conference_chair"},
        {"social_worker", "team_manager", "practice_lead", "conference_chair"},
    ),
    "learning:inquiry_detail": ({"social_worker", "team_manager", "practice_lead"}, None),
    "learning:inquiry_edit": (
        {"social_worker", "practice_lead"},
        {"social_worker", "practice_lead"},
    ),
    "learning:inquiry_share": (set(), {"team_manager", "practice_lead"}),
    "learning:inquiry_withdraw": (set(), {"social_worker", "team_manager", "practice_lead"}),
    # Implementation. Senior leaders and practice leads rate, plan, record training and change
    # the settings; team managers see their team's training and the leaders' view; analysts the
    # leaders' view; everyone their own training record.
    **{
        f"implementation:{name}": (
            {"senior_leader", "practice_lead", "team_manager", "performance_analyst"},
            None,
        )
        for name in ["leaders", "download"]
    },
    "implementation:training": ({"senior_leader", "practice_lead", "team_manager"}, None),
    "implementation:my_training": (ALL_STAFF, None),
    "implementation:worker_training": (
        {"senior_leader", "practice_lead", "team_manager"},
        {"senior_leader", "practice_lead"},
    ),
    **{
        f"implementation:{name}": (
            {"senior_leader", "practice_lead"},
            {"senior_leader", "practice_lead"},
        )
        for name in ["settings", "rounds", "round_detail", "plan", "action_edit"]
    },
    **{
        f"implementation:{name}": (set(), {"senior_leader", "practice_lead"})
        for name in [
            "lead_role_add",
            "training_remove",
            "lead_role_end",
            "domain_add",
            "domain_active",
            "course_add",
            "course_active",
            "round_note_add",
            "round_close",
        ]
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
        # Imports.
        **factories.make_imports_world(case=case),
        # Staff and family surveys.
        **factories.make_surveys_world(
            lead=users["practice_lead"], actor=worker, case=case, child=child
        ),
        # Case audit: an audit of the case in progress by the practice lead.
        **factories.make_audits_world(case=case, auditor=users["practice_lead"]),
        # Learning in practice.
        **factories.make_learning_world(facilitator=manager, attendee=worker, case=case),
        # Implementation: training, a round and the plan, recorded by the senior leader.
        **factories.make_implementation_world(leader=users["senior_leader"], worker=worker),
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
