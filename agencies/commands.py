"""What the management commands that work agency by agency share."""

from django.core.management.base import CommandError

from agencies.models import Agency


def agencies_chosen(code: str | None):
    """Every agency in order of code, or only the one with `code` if given (an error naming the
    code if no agency has it)."""
    agencies = Agency.objects.order_by("code")
    if not code:
        return agencies
    agencies = agencies.filter(code=code)
    if not agencies.exists():
        raise CommandError(f"No agency with code {code!r}.")
    return agencies
