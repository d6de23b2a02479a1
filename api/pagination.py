"""Limit/offset pages with a count, and the moment to use as the next `updated_since`."""

from django.utils import timezone


def paginate(queryset, params) -> dict:
    """One page of a queryset. `synced_at` is taken before reading, so a record changed while
    the page is read is picked up again by the next sync rather than missed."""
    synced_at = timezone.now()
    count = queryset.count()
    results = list(queryset[params.offset : params.offset + params.limit])
    following = params.offset + len(results)
    return {
        "count": count,
        "limit": params.limit,
        "offset": params.offset,
        "next_offset": following if following < count else None,
        "synced_at": synced_at,
        "results": results,
    }
