from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import URLPattern, include, path

from api import views
from api.api import api_v1
from api.errors import error_body


def _json_405(view):
    """Ninja answers a method an operation lacks with an empty 405; give it the one format."""

    @wraps(view)  # keeps ninja's csrf_exempt flag
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and "json" not in response.get("Content-Type", ""):
            allowed = response.get("Allow", "")
            response = JsonResponse(
                error_body("method_not_allowed", f"Use {allowed or 'another method'} here."),
                status=405,
            )
            response["Allow"] = allowed
        return response

    return wrapper


def _bearer_only(urls):
    """The API answers 401 in JSON itself, so Django's sign-in redirect must not intercept it.
    (Ninja's views are already exempt from Django's CSRF check, and no API operation reads the
    session: bearer tokens only.)"""
    patterns, app_name, namespace = urls
    wrapped = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern = path(
                str(pattern.pattern),
                login_not_required(_json_405(pattern.callback)),
                name=pattern.name,
            )
        wrapped.append(pattern)
    return wrapped, app_name, namespace


admin_patterns = [
    path("", views.client_list, name="clients"),
    path("tokens/issue/", views.token_issue, name="token_issue"),
    path("tokens/revoke/", views.token_revoke, name="token_revoke"),
    path("revoke/", views.client_revoke, name="client_revoke"),
]

urlpatterns = [
    path("api/v1/", _bearer_only(api_v1.urls)),
    path("api-clients/", include((admin_patterns, "api_clients"))),
]
