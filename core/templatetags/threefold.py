"""Template helpers for accessible forms: each control names its hint and error message."""

from django import template
from django.forms import CheckboxSelectMultiple, RadioSelect
from django.utils import timezone

from core.audit import actor_label

register = template.Library()


@register.filter
def audit_actor(event) -> str:
    return actor_label(event)


@register.filter
def is_choice_group(field) -> bool:
    return isinstance(field.field.widget, CheckboxSelectMultiple | RadioSelect)


@register.simple_tag
def field_widget(field, **attrs):
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
        attrs["aria-invalid"] = "true"
    if described and not is_choice_group(field):
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def described_by(field) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.filter
def get(mapping, key):
    """Look up a key that is itself a variable, e.g. {{ labels|get:entry.category }}."""
    if not hasattr(mapping, "get"):  # an unset variable renders as ""
        return None
    return mapping.get(key)


@register.filter
def age_today(person):
    return person.age_on(timezone.localdate())
