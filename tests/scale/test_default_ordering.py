"""A record's default order never joins its parent table.

`ordering = ["case", ...]` orders by the case's own default order, its name: every plain read of
process records, maps, plans or network members then joined the cases table and sorted by
family name, on the case page and across a county's records alike. Ordering by the key
(`"case_id"`) groups the same rows with no join."""

from pathlib import Path

from django.apps import apps
from django.conf import settings

# Ordered by a related record on purpose: small tables read in the order people expect to see
# them, never across a county's records.
PARENTS_ORDER_ON_PURPOSE = {
    "evaluation.IndicatorValue",  # published figures, listed by authority name
    "evaluation.PopulationEstimate",
    "evaluation.StatisticalNeighbour",
    "surveys.SurveyInvitation",  # a person's invitations, newest survey first
    "audits.AuditSample",  # a month's samples, by team name
    "audits.AuditAnswer",  # an audit's answers, in the rubric's order of questions
    "implementation.Rating",  # a self-assessment's ratings, in the framework's order
}


def test_no_default_order_joins_another_table():
    root = Path(settings.BASE_DIR).resolve()
    joined = []
    for model in apps.get_models():
        path = Path(apps.get_app_config(model._meta.app_label).path).resolve()
        if root not in path.parents or ".venv" in path.parts:
            continue
        if model._meta.label in PARENTS_ORDER_ON_PURPOSE or not model._meta.ordering:
            continue
        if " JOIN " in str(model._default_manager.all().query):
            joined.append(model._meta.label)
    assert joined == []
