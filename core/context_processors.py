from django.conf import settings


def session(request):
    """How long a session lasts without use, for the page's sign-out warning."""
    return {"session_idle_seconds": settings.SESSION_COOKIE_AGE}
