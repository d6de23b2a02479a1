import pytest

from core.audit import audit_record, field_changes
from core.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def test_audit_event_records_who_what_and_the_case(case, worker):
    event = audit_record(
        actor=worker, verb="case.viewed", target=case, case_id=case.pk, ip_address="127.0.0.1"
    )
    assert (event.actor, event.agency_id, event.case_id) == (worker, case.agency_id, case.pk)
    assert event.target_type == "people.case" and event.target_id == case.pk


def test_field_changes_lists_only_what_changes():
    person = factories.PersonFactory.build(given_name="Leo", family_name="Smith")
    assert field_changes(person, {"given_name": "Leo", "family_name": "Jones"}) == {
        "family_name": {"old": "Smith", "new": "Jones"}
    }


def test_every_map_write_leaves_an_audit_trail(draft_map, worker):
    from practice import services

    entry = services.map_entry_add(actor=worker, map_=draft_map, category="harm", text="A")
    services.map_entry_update(actor=worker, entry=entry, expected_revision=1, text="B")
    services.map_entry_remove(actor=worker, entry=entry, expected_revision=2)
    verbs = list(
        AuditEvent.objects.filter(case_id=draft_map.case_id)
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == ["map.started", "map.entry_added", "map.entry_changed", "map.entry_removed"]
    changed = AuditEvent.objects.get(verb="map.entry_changed")
    assert changed.changes == {"text": {"old": "A", "new": "B"}}
