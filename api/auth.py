"""Bearer-token authentication. The API never reads the session cookie, so it needs no CSRF
token and a signed-in browser gets nothing from it without a token.

`ApiBearer(scope)` is the `auth` of each operation: no token, or an unknown, expired or revoked
one, is a 401; a good token without the operation's scope is a 403. After it, `request.user` is
the client's acting user (so django-simple-history records them as the author of every change)
and `request.api_client` is the client.
"""

from ninja.security import HttpBearer

from api.errors import ScopeMissing
from api.selectors import api_token_get_usable
from api.services import api_token_touch


class ApiBearer(HttpBearer):
    def __init__(self, scope: str):
        super().__init__()
        self.scope = scope

    def __call__(self, request):
        # Ninja's own version logs an unexpected header in full when DEBUG is on, which would
        # put someone's credentials in the log; this one never logs the header.
        scheme, _, token = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != self.openapi_scheme or not token.strip():
            return None
        return self.authenticate(request, token)

    def authenticate(self, request, token: str):
        api_token = api_token_get_usable(token.strip())
        if api_token is None:
            return None
        client = api_token.client
        if not client.has_scope(self.scope):
            raise ScopeMissing(self.scope)
        api_token_touch(api_token)
        request.user = client.acting_user
        # Read by core.audit.audit_record, so every write made through the API names the client.
        request.user.api_client_name = client.name
        request.api_client = client
        return api_token
