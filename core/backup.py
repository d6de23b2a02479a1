"""Whole-database backup to one compressed file, and restore into an empty database.

The file is Django's JSON serialisation of every table the project owns (not the tables that
`migrate` rebuilds: content types and permissions), with a manifest of row counts and a
SHA-256 of the data, so a restore can prove nothing was lost or altered on the way."""

import gzip
import hashlib
import io
import json

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.db import transaction

FORMAT = "threefold-backup/1"
REBUILT_BY_MIGRATE = {"contenttypes.contenttype", "auth.permission"}


class BackupError(Exception):
    pass


def backed_up_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.label_lower not in REBUILT_BY_MIGRATE
        and model._meta.managed
        and not model._meta.proxy
    ]


def row_counts() -> dict[str, int]:
    return {model._meta.label_lower: model._default_manager.count() for model in backed_up_models()}


def backup_write(path: str) -> dict[str, int]:
    labels = [model._meta.label for model in backed_up_models()]
    data = io.StringIO()
    call_command("dumpdata", *labels, natural_foreign=True, stdout=data, verbosity=0)
    payload = data.getvalue()
    manifest = {
        "format": FORMAT,
        "counts": row_counts(),
        "sha256": hashlib.sha256(payload.encode()).hexdigest(),
    }
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps(manifest) + "\n")
        handle.write(payload)
    return manifest["counts"]


def backup_restore(path: str) -> dict[str, int]:
    """Load a backup into an empty, migrated database: all of it or, on any problem, none."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        manifest = json.loads(handle.readline())
        payload = handle.read()
    if manifest.get("format") != FORMAT:
        raise BackupError("This file is not a Threefold backup.")
    if hashlib.sha256(payload.encode()).hexdigest() != manifest["sha256"]:
        raise BackupError("The backup file is damaged: its contents do not match its checksum.")
    if any(row_counts().values()):
        raise BackupError("Restore only into an empty database (run migrate on a new one first).")
    with transaction.atomic():
        for obj in serializers.deserialize("json", payload, handle_forward_references=True):
            # The backup holds the record history already; restoring must not add to it.
            obj.object.skip_history_when_saving = True
            obj.save()
        restored = row_counts()
        if restored != manifest["counts"]:
            missing = {
                k: (v, restored.get(k))
                for k, v in manifest["counts"].items()
                if restored.get(k) != v
            }
            raise BackupError(f"Rows differ after restore, so nothing was restored: {missing}")
    return restored
