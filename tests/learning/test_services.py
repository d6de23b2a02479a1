import datetime

import pytest

from core.errors import ConflictError, RuleViolation
from core.models import AuditEvent
from learning import services
from learning.models import AppreciativeInquiry, SupervisionSession
from practice.models import Map, MeetingPurpose
from tests import factories
from tests.practice.test_services import make_finalisable

pytestmark = pytest.mark.django_db


def test_a_supervisor_records_a_group_supervision_on_a_case(session, manager, worker, colleague):
    assert session.facilitator == manager and session.kind == "group"
    # The presenting worker is one of the people supervised.
    assert set(session.attendees.all()) == {worker, colleague}
    event = AuditEvent.objects.get(verb="learning.session_recorded")
    assert event.case_id == session.case_id and event.actor == manager


def test_social_workers_do_not_record_sessions(worker, colleague, case, today):
    with pytest.raises(RuleViolation):
        services.session_record(
            actor=worker, kind="group", held_on=today, attendees=[colleague], case=case
        )


def test_group_supervision_needs_a_case_but_individual_does_not(manager, worker, today):
    with pytest.raises(RuleViolation, match="start from a case"):
        services.session_record(actor=manager, kind="group", held_on=today, attendees=[worker])
    session = services.session_record(
        actor=manager, kind="individual", held_on=today, attendees=[worker]
    )
    assert session.case is None


def test_staff_of_another_agency_cannot_be_supervised(manager, today):
    outsider = factories.UserFactory()
    with pytest.raises(RuleViolation, match="your agency"):
        services.session_record(
            actor=manager, kind="individual", held_on=today, attendees=[outsider]
        )


def test_a_case_the_supervisor_cannot_open_cannot_be_presented(manager, worker, today):
    elsewhere = factories.CaseFactory(team=factories.TeamFactory(agency=manager.agency))
    with pytest.raises(RuleViolation, match="case you can open"):
        services.session_record(
            actor=manager, kind="group", held_on=today, attendees=[worker], case=elsewhere
        )


def test_the_sessions_map_is_one_of_the_cases_maps(session, manager):
    map_ = services.session_map_start(actor=manager, session=session)
    session.refresh_from_db()
    assert session.map == map_
    assert map_.case_id == session.case_id and map_.purpose == MeetingPurpose.SUPERVISION
    assert map_.held_on == session.held_on and map_.is_draft
    assert {"map.started", "learning.session_map_started"} <= set(
        AuditEvent.objects.values_list("verb", flat=True)
    )
    with pytest.raises(RuleViolation, match="already has its map"):
        services.session_map_start(actor=manager, session=session)


def test_the_sessions_map_carries_the_cases_finalised_map_forward(session, manager, draft_map):
    make_finalisable(draft_map, manager)
    from practice.services import map_finalise

    map_finalise(actor=manager, map_=draft_map, expected_revision=draft_map.revision)
    map_ = services.session_map_start(actor=manager, session=session)
    assert map_.based_on == draft_map and map_.number == 2
    assert map_.entries.count() == draft_map.entries.count()


def test_a_case_with_a_draft_map_says_so(session, manager, draft_map):
    with pytest.raises(RuleViolation, match="already has a draft map"):
        services.session_map_start(actor=manager, session=session)
    assert not Map.objects.filter(purpose=MeetingPurpose.SUPERVISION).exists()


def test_a_practice_lead_facilitating_leaves_the_map_to_the_worker(lead, worker, case, today):
    session = services.session_record(
        actor=lead, kind="group", held_on=today, attendees=[worker], presenter=worker, case=case
    )
    with pytest.raises(RuleViolation, match="records on this case"):
        services.session_map_start(actor=lead, session=session)
    assert services.session_map_start(actor=worker, session=session).created_by == worker


def test_someone_outside_the_session_cannot_start_its_map(session, team):
    other = factories.UserFactory(team=team)
    with pytest.raises(RuleViolation):
        services.session_map_start(actor=other, session=session)


def test_editing_a_session_guards_against_stale_saves(session, manager, worker, colleague):
    values = dict(
        held_on=session.held_on,
        attendees=[worker, colleague],
        presenter=worker,
        questions="What would the children say?",
        reflections="Scaling was higher in the group.",
    )
    services.session_update(actor=manager, session=session, expected_revision=1, **values)
    with pytest.raises(ConflictError):
        services.session_update(actor=manager, session=session, expected_revision=1, **values)
    session.refresh_from_db()
    assert session.questions == "What would the children say?" and session.revision == 2


def test_only_the_facilitator_edits_and_completes(session, worker, manager):
    with pytest.raises(RuleViolation):
        services.session_complete(actor=worker, session=session, expected_revision=1)
    services.session_complete(actor=manager, session=session, expected_revision=1)
    session.refresh_from_db()
    assert session.state == SupervisionSession.State.COMPLETED
    # A completed record is not changed again.
    with pytest.raises(RuleViolation):
        services.action_add(
            actor=manager, session=session, text="X", owner=manager, due_on=session.held_on
        )


def test_actions_belong_to_someone_in_the_session(session, manager, worker, team, today):
    action = services.action_add(
        actor=manager, session=session, text="Ask Nan to the network meeting", owner=worker,
        due_on=today + datetime.timedelta(days=7),
    )  # fmt: skip
    assert action.case_id == session.case_id
    with pytest.raises(RuleViolation, match="in the session"):
        services.action_add(
            actor=manager, session=session, text="X", owner=factories.UserFactory(team=team),
            due_on=today,
        )  # fmt: skip


def test_the_owner_and_the_facilitator_change_an_action_nobody_else(
    session, manager, worker, colleague, today
):
    action = services.action_add(
        actor=manager, session=session, text="Talk to school", owner=worker, due_on=today
    )
    services.action_mark_done(actor=worker, action=action, expected_revision=1, done_on=today)
    with pytest.raises(ConflictError):
        services.action_mark_done(actor=manager, action=action, expected_revision=1, done_on=today)
    with pytest.raises(RuleViolation):
        services.action_update(
            actor=colleague, action=action, expected_revision=2, text="Mine now",
            owner=colleague, due_on=today, done_on=None,
        )  # fmt: skip
    services.action_update(
        actor=manager, action=action, expected_revision=2, text="Talk to the class teacher",
        owner=worker, due_on=today, done_on=None,
    )  # fmt: skip
    action.refresh_from_db()
    assert action.done_on is None and action.text == "Talk to the class teacher"
    assert AuditEvent.objects.filter(verb__startswith="learning.action_").count() == 3


def test_sharing_needs_a_manager_or_lead_and_their_confirmation(inquiry, worker, manager):
    with pytest.raises(RuleViolation, match="practice lead or team manager"):
        services.inquiry_share(
            actor=worker, inquiry=inquiry, expected_revision=1, confirmed_anonymised=True
        )
    with pytest.raises(RuleViolation, match="Confirm"):
        services.inquiry_share(
            actor=manager, inquiry=inquiry, expected_revision=1, confirmed_anonymised=False
        )
    shared = services.inquiry_share(
        actor=manager, inquiry=inquiry, expected_revision=1, confirmed_anonymised=True
    )
    assert shared.is_shared and shared.shared_by == manager
    assert AuditEvent.objects.filter(verb="learning.inquiry_shared", actor=manager).exists()


def test_a_name_from_the_case_blocks_sharing_until_it_is_taken_out(inquiry, worker, manager):
    values = {name: getattr(inquiry, name) for name in services.INQUIRY_FIELDS}
    values["shared_text"] = "Leo drew his house of worries on the third visit."
    inquiry = services.inquiry_update(
        actor=worker, inquiry=inquiry, expected_revision=1, workers=[worker], case=inquiry.case,
        **values,
    )  # fmt: skip
    assert services.inquiry_anonymity_problems(inquiry) == ["Leo"]
    with pytest.raises(RuleViolation, match="Leo"):
        services.inquiry_share(
            actor=manager, inquiry=inquiry, expected_revision=2, confirmed_anonymised=True
        )
    values["shared_text"] = "The boy drew his house of worries on the third visit."
    inquiry = services.inquiry_update(
        actor=worker, inquiry=inquiry, expected_revision=2, workers=[worker], case=inquiry.case,
        **values,
    )  # fmt: skip
    assert services.inquiry_share(
        actor=manager, inquiry=inquiry, expected_revision=3, confirmed_anonymised=True
    ).is_shared


def test_changing_the_shared_text_takes_it_out_of_the_library(inquiry, worker, manager):
    inquiry = services.inquiry_share(
        actor=manager, inquiry=inquiry, expected_revision=1, confirmed_anonymised=True
    )
    values = {name: getattr(inquiry, name) for name in services.INQUIRY_FIELDS}
    values["what_made_it_work"] = "Patience."
    inquiry = services.inquiry_update(
        actor=worker, inquiry=inquiry, expected_revision=2, workers=[worker], case=inquiry.case,
        **values,
    )  # fmt: skip
    assert inquiry.is_shared, "private fields do not touch the library"
    values["shared_text"] = "A boy drew the house of worries."
    inquiry = services.inquiry_update(
        actor=worker, inquiry=inquiry, expected_revision=3, workers=[worker], case=inquiry.case,
        **values,
    )  # fmt: skip
    assert inquiry.state == AppreciativeInquiry.State.PRIVATE and inquiry.shared_by is None


def test_withdrawing_from_the_library(inquiry, worker, manager, colleague):
    inquiry = services.inquiry_share(
        actor=manager, inquiry=inquiry, expected_revision=1, confirmed_anonymised=True
    )
    with pytest.raises(RuleViolation):
        services.inquiry_withdraw(actor=colleague, inquiry=inquiry, expected_revision=2)
    inquiry = services.inquiry_withdraw(actor=worker, inquiry=inquiry, expected_revision=2)
    assert not inquiry.is_shared
