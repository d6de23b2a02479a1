"""One URL serves the full page or, for htmx, just the part of it that changes."""

from django.shortcuts import render


def render_page_or_partial(request, template: str, context: dict, *, partial: str, status=200):
    if getattr(request, "htmx", False) and not request.htmx.boosted:
        return render(request, f"{template}#{partial}", context, status=status)
    return render(request, template, context, status=status)
