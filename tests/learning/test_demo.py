import datetime

import pytest

from demo.generator import generate_agency
from learning import selectors, services
from learning.models import AppreciativeInquiry, SupervisionAction, SupervisionSession
from practice.models import Map, MeetingPurpose, RaterRole

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


def test_the_demo_has_a_year_of_supervision_and_a_library(settings):
    agency = generate_agency(seed=4, families=24, today=TODAY).agency
    sessions = SupervisionSession.objects.filter(agency=agency)
    group = sessions.filter(kind="group")
    assert group.count() >= 12 and sessions.filter(kind="individual").count() >= 50
    assert sessions.filter(held_on__lt=TODAY - datetime.timedelta(days=330)).exists()
    # Group maps are the cases' own maps, for supervision, on the session's day.
    mapped = group.filter(map__isnull=False).select_related("map")
    assert mapped.exists()
    for session in mapped:
        assert session.map.case_id == session.case_id and session.map.held_on == session.held_on
        assert session.map.purpose == MeetingPurpose.SUPERVISION
    assert Map.objects.filter(agency=agency, purpose=MeetingPurpose.SUPERVISION).count() == (
        mapped.count()
    )
    # Each group map is a proper new version of the case's map.
    for session in mapped:
        versions = sorted(session.case.maps.all(), key=lambda m: m.number)
        assert [m.number for m in versions] == list(range(1, len(versions) + 1))
        for earlier, later in zip(versions, versions[1:], strict=False):
            assert later.based_on_id == earlier.pk and earlier.held_on < later.held_on
        assert all(not m.is_draft for m in versions[:-1])
        if not session.map.is_draft:
            roles = set(
                session.map.scale_judgements.filter(danger_statement__isnull=True).values_list(
                    "rater_role", flat=True
                )
            )
            assert {RaterRole.WORKER, RaterRole.PARENT} <= roles
    assert SupervisionAction.objects.filter(agency=agency, done_on__isnull=True).exists()
    library = AppreciativeInquiry.objects.filter(agency=agency, state="shared")
    assert 8 <= library.count() <= 10
    for inquiry in library:
        assert not services.inquiry_anonymity_problems(inquiry)
    # Some workers have had no supervision in the configured number of days.
    lead = agency.users.get(role="practice_lead")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.utils.timezone.localdate", lambda *a: TODAY)
        workers = selectors.supervision_by_worker(lead)
        assert any(w.in_gap for w in workers) and not all(w.in_gap for w in workers)
        held = selectors.supervision_held(agency.pk)
        # Every month has sessions (the current one may be only days old).
        assert all(row["sessions"] and row["workers_supervised"] for row in held[:-1])
