from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Pages a signed-in person can reach before confirming their second factor.
TWO_FACTOR_OPEN_URLS = {"login", "logout", "two_factor_verify", "two_factor_setup"}


class TwoFactorRequiredMiddleware:
    """Staff in the roles that need it must confirm an authenticator code before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.role not in settings.TWO_FACTOR_ROLES:
            return None
        if user.is_verified() or request.resolver_match.url_name in TWO_FACTOR_OPEN_URLS:
            return None
        # The API never uses the session (bearer tokens only), so there is nothing to confirm.
        if request.path.startswith((settings.STATIC_URL, "/api/")):
            return None
        return redirect(f"{reverse('two_factor_verify')}?next={request.get_full_path()}")


class HtmxSignInRedirectMiddleware:
    """An htmx request whose session has ended would swap the sign-in page into a section;
    tell htmx to load it as a whole page instead (the typed text is kept in the browser)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            getattr(request, "htmx", False)
            and response.status_code == 302
            and response["Location"].startswith(reverse("login"))
        ):
            current = request.htmx.current_url_abs_path or "/"
            converted = HttpResponse(status=204)
            converted["HX-Redirect"] = f"{reverse('login')}?next={current}"
            return converted
        return response
