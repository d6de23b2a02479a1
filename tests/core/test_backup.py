import gzip

import pytest
from django.core.management import CommandError, call_command

from core.audit import audit_chain_verify
from core.backup import row_counts
from practice.models import Map
from tests.practice.test_services import make_finalisable

pytestmark = pytest.mark.django_db(transaction=True)


def test_backup_and_restore_round_trip_the_database(tmp_path, draft_map, worker, child):
    from practice import services

    services.map_entry_add(
        actor=worker, map_=draft_map, category="harm", text="Bruise", children=[child]
    )
    make_finalisable(draft_map, worker)
    services.map_finalise(actor=worker, map_=draft_map, expected_revision=draft_map.revision)
    before = row_counts()
    texts = list(Map.objects.values_list("entries__text", flat=True))
    path = tmp_path / "threefold.json.gz"
    call_command("backup", str(path))

    call_command("flush", "--no-input")
    assert not any(row_counts().values())
    call_command("restore", str(path))

    assert row_counts() == before
    assert list(Map.objects.values_list("entries__text", flat=True)) == texts
    checked, problems = audit_chain_verify()
    assert checked > 0 and problems == []


def test_restore_refuses_a_damaged_file_and_a_database_in_use(tmp_path, draft_map):
    path = tmp_path / "backup.json.gz"
    call_command("backup", str(path))
    with pytest.raises(CommandError, match="empty database"):
        call_command("restore", str(path))
    with gzip.open(path, "rt") as handle:
        lines = handle.read().replace("Testington family", "Someone else")
    with gzip.open(path, "wt") as handle:
        handle.write(lines)
    call_command("flush", "--no-input")
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(path))
    assert not any(row_counts().values())
