"""Reads for imports, always scoped to the user's own agency.

Who: administrators and performance analysts (`IMPORTERS`) bring an agency's records in from its
legacy system; everyone else is refused (deny by default)."""

from django.shortcuts import get_object_or_404

from agencies.models import Role
from imports.models import ImportRun

IMPORTERS = frozenset({Role.ADMINISTRATOR, Role.PERFORMANCE_ANALYST})


def may_import(user) -> bool:
    return bool(
        user.is_authenticated and getattr(user, "agency_id", None) and user.role in IMPORTERS
    )


def import_runs(user):
    """The agency's runs, newest first: the history of who imported what."""
    return ImportRun.objects.filter(agency_id=user.agency_id).select_related("started_by")


def import_run_get(user, run_id: int) -> ImportRun:
    return get_object_or_404(import_runs(user), pk=run_id)


def import_of(run: ImportRun) -> ImportRun | None:
    """The import made from a checked dry run, if there is one."""
    return ImportRun.objects.filter(checked_by_run=run).first()
