"""Rate limiting per client, with ninja's cache-based throttle.

The rate is `THREEFOLD_API_RATE` in settings (default 600 requests a minute per client), read on
every request so it can be changed without a restart of this module. It counts in Django's
default cache: with several server processes, configure a shared cache (for example the
database cache) or each process counts separately.
"""

from django.conf import settings
from ninja.throttling import SimpleRateThrottle

DEFAULT_RATE = "600/min"


class ClientRateThrottle(SimpleRateThrottle):
    scope = "api_client"

    def __init__(self):
        super().__init__(rate=DEFAULT_RATE)

    def allow_request(self, request) -> bool:
        self.rate = getattr(settings, "THREEFOLD_API_RATE", DEFAULT_RATE)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request):
        client = getattr(request, "api_client", None)
        if client is None:
            return None  # not authenticated: refused before any throttling
        return self.cache_format % {"scope": self.scope, "ident": client.pk}
