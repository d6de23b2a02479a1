"""Empties Threefold's own tables so the demo can be generated afresh.

Everything in the apps listed in EMPTIED_APPS (with their record history), the audit log and
its chain heads (so a fresh log starts a fresh chain), every agency and team, and every user who
belongs to an agency goes. Platform superusers with no agency are kept, so whoever runs the
reset can still sign in to the admin. Published statistics belong to no agency and stay, as do
the evaluation designs shipped with Threefold."""

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

from agencies.models import Agency, Team, User
from evaluation.models import EvaluationDesign

EMPTIED_APPS = [
    "audits",
    "learning",
    "imports",
    "implementation",
    "api",
    "surveys",
    "portal",
    "timescales",
    "process",
    "voices",
    "safety",
    "practice",
    "people",
    "core",
]


@transaction.atomic
def reset_threefold_data() -> None:
    tables = []
    for label in EMPTIED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                tables.append(model._meta.db_table)
    if connection.vendor == "postgresql":
        # TRUNCATE refuses while foreign-key checks deferred earlier in this transaction are
        # still pending: run them now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    # Every table that points at these is in the list, so one flush empties them together.
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables))
    # Designs an agency saved go with it; the shipped ones (no agency) stay.
    EvaluationDesign.objects.exclude(agency=None).delete()
    User.objects.exclude(agency=None).delete()
    Team.objects.all().delete()
    Agency.objects.all().delete()
