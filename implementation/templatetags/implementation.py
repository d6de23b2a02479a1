from django import template

from implementation import selectors

register = template.Library()


@register.simple_tag
def implementation_nav(user) -> dict:
    """Which implementation pages the user may open, for the section's navigation."""
    return {
        "leaders": selectors.may_see_leaders_view(user),
        "training": selectors.may_see_training(user),
        "rate": selectors.may_rate(user),
    }
