"""Case members and access grants carry the agency (the tenant key), filled from their case.

Added nullable and without its foreign key constraint, filled from the parent with one UPDATE
per table (a correlated subquery, so a table of a million rows is one statement, not a loop),
then made required with the constraint, which is then checked in one pass rather than row by
row as the UPDATE goes (and PostgreSQL will not alter a table with such checks pending)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

# (table's model, its link to the parent, the parent's model) in this app.
FILL = [("casemember", "case", "case"), ("caseaccessgrant", "case", "case")]


def fill_agency(apps, schema_editor):
    for model_name, link, parent_name in FILL:
        parent = apps.get_model("people", parent_name)
        apps.get_model("people", model_name).objects.update(
            agency_id=Subquery(
                parent.objects.filter(pk=OuterRef(f"{link}_id")).values("agency_id")[:1]
            )
        )


def _agency(filled):
    return models.ForeignKey(
        null=not filled,
        db_constraint=filled,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="agencies.agency",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0002_session_generation"),
        ("people", "0003_person_search_keys"),
    ]

    operations = [
        *[
            migrations.AddField(model_name=model_name, name="agency", field=_agency(filled=False))
            for model_name, _, _ in FILL
        ],
        migrations.RunPython(fill_agency, migrations.RunPython.noop),
        *[
            migrations.AlterField(model_name=model_name, name="agency", field=_agency(filled=True))
            for model_name, _, _ in FILL
        ],
    ]
