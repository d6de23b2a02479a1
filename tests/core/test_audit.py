import re

import pytest
from django.conf import settings

from core.audit import VERB_LABELS, audit_record, field_changes
from core.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def test_audit_event_records_who_what_and_the_case(case, worker):
    event = audit_record(
        actor=worker, verb="case.viewed", target=case, case_id=case.pk, ip_address="127.0.0.1"
    )
    assert (event.actor, event.agency_id, event.case_id) == (worker, case.agency_id, case.pk)
    assert event.target_type == "people.case" and event.target_id == case.pk


def test_a_chain_starts_with_its_first_event_and_then_takes_its_lock_in_one_query(worker):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.models import AuditChainHead

    agency = factories.AgencyFactory()
    first = audit_record(actor=worker, verb="case.viewed", agency_id=agency.pk)
    with CaptureQueriesContext(connection) as queries:
        second = audit_record(actor=worker, verb="case.viewed", agency_id=agency.pk)
    head = AuditChainHead.objects.get(chain=agency.pk)
    assert (first.sequence, second.sequence, second.previous_hash) == (1, 2, first.entry_hash)
    assert (head.sequence, head.last_hash) == (2, second.entry_hash)
    # The lock, the event and the new head: nothing else while every writer waits on the lock.
    sql = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert [statement.split()[0] for statement in sql] == ["SELECT", "INSERT", "UPDATE"]
    assert "FOR UPDATE" in sql[0] or connection.vendor == "sqlite"


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


def test_the_chain_verifies_and_detects_a_removed_event(case, worker, capsys):
    from django.core.management import CommandError, call_command

    for n in range(5):
        audit_record(
            actor=worker, verb="case.viewed", target=case, case_id=case.pk, changes={"n": n}
        )
    call_command("verify_audit_chain")
    assert "intact" in capsys.readouterr().out
    AuditEvent.objects.filter(sequence=3).delete()
    with pytest.raises(CommandError):
        call_command("verify_audit_chain")
    assert "events 3 to 3 are missing" in capsys.readouterr().err


def test_cutting_the_newest_events_off_is_detected(case, worker):
    from core.audit import audit_chain_verify

    for _ in range(3):
        audit_record(actor=worker, verb="case.viewed", target=case, case_id=case.pk)
    AuditEvent.objects.filter(sequence=3).delete()
    checked, problems = audit_chain_verify()
    assert checked == 2
    assert [p.problem for p in problems] == ["the newest events are missing from the end"]


def test_a_changed_event_is_detected(case, worker):
    from core.audit import audit_chain_verify, event_hash

    event = audit_record(
        actor=worker,
        verb="map.entry_changed",
        target=case,
        case_id=case.pk,
        changes={"text": {"old": "A", "new": "B"}},
    )
    assert event_hash(AuditEvent.objects.get(pk=event.pk)) == event.entry_hash
    event.changes = {"text": {"old": "A", "new": "Something else"}}
    assert event_hash(event) != event.entry_hash
    assert audit_chain_verify()[1] == []


def test_the_database_refuses_to_change_an_audit_event(case, worker):
    from django.db import DatabaseError, transaction

    event = audit_record(actor=worker, verb="case.viewed", target=case, case_id=case.pk)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(verb="nothing.happened")
    assert AuditEvent.objects.get(pk=event.pk).verb == "case.viewed"


def test_every_verb_the_code_records_reads_plainly_in_the_access_report():
    """A new audited action without wording would show a raw code such as `safety.plan_agreed`
    to the manager reading who did what."""
    verb = re.compile(r'"((?:case|map|safety|voices|person|user|document)\.[a-z_]+)"')
    apps = ["agencies", "casefile", "core", "documents", "people", "practice", "safety", "voices"]
    recorded = {
        found
        for app in apps
        for source in (settings.BASE_DIR / app).rglob("*.py")
        if source.name != "urls.py" and "migrations" not in source.parts
        for found in verb.findall(source.read_text())
    }
    assert len(recorded) > 50
    assert recorded - VERB_LABELS.keys() == set()
