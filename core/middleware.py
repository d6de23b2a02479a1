import time

from django.conf import settings
from django.utils.cache import add_never_cache_headers


class NoStoreForSignedInMiddleware:
    """Pages behind sign-in hold children's records: no browser or proxy may keep a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


class SessionActivityMiddleware:
    """Keeps a signed-in session alive while it is used: a request moves its end a whole idle
    time on, by saving it, but at most once every SESSION_ACTIVITY_SECONDS. Saving on every
    request would cost every page a database write, and so a session ends at most that many
    seconds before the full idle time (the page's warning comes two minutes before)."""

    KEY = "_threefold_active_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= settings.SESSION_ACTIVITY_SECONDS:
                session[self.KEY] = now  # marks the session modified, so it is saved
        return response
