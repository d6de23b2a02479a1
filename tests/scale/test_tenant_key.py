"""Every table that holds an agency's data carries the agency (the tenant key).

With the agency on every tenant-owned row, one agency's data can be found, exported, deleted or
placed on its own database node (for example a Citus distribution column, see docs/scale.md)
without joining through parents. The lists below are the only exceptions, each with its reason.
Many-to-many link tables Django makes (and their record history) are reached through both ends,
each of which must carry the agency: see `is_link_between_tenant_rows`."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db.models import Index, UniqueConstraint

from agencies.models import Agency

# Not an agency's data: the tenant itself, and platform-wide reference data or security
# counters that belong to no agency.
NOT_TENANT_DATA = {
    "agencies.Agency": "the tenant itself",
    "evaluation.PublishedRelease": "published national statistics, shared by every agency",
    "evaluation.LocalAuthority": "published national statistics, shared by every agency",
    "evaluation.IndicatorValue": "published national statistics, shared by every agency",
    "evaluation.PopulationEstimate": "published national statistics, shared by every agency",
    "evaluation.StatisticalNeighbour": "published national statistics, shared by every agency",
    "evaluation.StatisticsLoad": "a record of loading the national statistics",
    "portal.PortalSignInAttempt": "rate limiting by address, before anyone is known",
}

# Tables whose tenant key has another name, because of where the app sits in the layers.
OTHER_KEY = {
    "core.AuditEvent": "agency_id",  # core sits below agencies: a plain id, not a foreign key
    "core.AuditChainHead": "chain",  # one hash chain per agency: the chain is the agency's id
}


def threefold_models():
    """Every model (many-to-many link tables included) of the apps in this repository."""
    root = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if root in path.parents and ".venv" not in path.parts:
            yield from config.get_models(include_auto_created=True)


def has_agency_key(model) -> bool:
    label = model._meta.label
    if label in OTHER_KEY:
        return any(f.attname == OTHER_KEY[label] for f in model._meta.concrete_fields)
    field = next((f for f in model._meta.concrete_fields if f.name == "agency"), None)
    return field is not None and field.is_relation and field.related_model is Agency


def is_link_between_tenant_rows(model) -> bool:
    """A many-to-many link table Django makes, or its record history, whose two ends (other
    than the history row) both carry the agency."""
    if not (model._meta.auto_created or re.fullmatch(r"Historical\w+_\w+", model.__name__)):
        return False
    ends = [
        f.related_model
        for f in model._meta.concrete_fields
        if f.is_relation and f.name != "history" and f.related_model.__name__ != "User"
    ]
    users = [f for f in model._meta.concrete_fields if f.is_relation and f.name == "user"]
    return (len(ends) == 2 and all(has_agency_key(end) for end in ends)) or (
        model._meta.auto_created and len(users) == 1  # a user's groups and permissions
    )


def test_every_tenant_owned_table_carries_the_agency():
    missing = [
        model._meta.label
        for model in threefold_models()
        if model._meta.label not in NOT_TENANT_DATA
        and not has_agency_key(model)
        and not is_link_between_tenant_rows(model)
    ]
    assert missing == [], f"Add an agency foreign key to: {', '.join(sorted(missing))}"


def test_the_exceptions_are_still_exceptions():
    """A model gone, or a key renamed, must come off the lists, so they stay true."""
    models = {model._meta.label: model for model in threefold_models()}
    stale = [
        label
        for label in [*NOT_TENANT_DATA, *OTHER_KEY]
        if label not in models or (label in OTHER_KEY and not has_agency_key(models[label]))
    ]
    assert stale == [], f"Take these off the lists in this test: {', '.join(stale)}"


def leads_an_index(model, name: str) -> bool:
    """Whether one of the model's own indexes or unique constraints begins with the field."""

    def first(entry):
        names = list(getattr(entry, "fields", ()))
        if names:
            return names[0]
        expression = next(iter(getattr(entry, "expressions", ())), None)
        return getattr(expression, "name", None)

    entries = [*model._meta.indexes, *model._meta.constraints]
    return any(
        first(entry) == name
        for entry in entries
        if isinstance(entry, Index) or (isinstance(entry, UniqueConstraint) and not entry.condition)
    )


def test_the_tenant_key_is_indexed():
    """Finding one agency's rows (a tenant's export, or moving it to its own node) must not
    read every agency's rows: a foreign key gets an index unless told not to, and one told not
    to must begin another index."""
    unindexed = [
        model._meta.label
        for model in threefold_models()
        for field in model._meta.concrete_fields
        if field.name == "agency"
        and field.is_relation
        and not field.db_index
        and not leads_an_index(model, "agency")
        and not model._meta.label.startswith(("practice.Historical", "voices.Historical"))
    ]
    assert unindexed == []
