"""Administrators' pages for API clients: create a client, issue a token (its secret is shown
once, on the page that issues it), revoke a token, switch a client off."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from agencies.models import Role
from api import selectors, services
from api.forms import ApiClientForm, TokenIssueForm
from api.models import ApiToken
from core.errors import RuleViolation


def _posted_id(request, name: str) -> int:
    value = request.POST.get(name, "")
    if not value.isdigit() or len(value) > 18:
        raise Http404("No such record.")
    return int(value)


def _administrator(request):
    if request.user.role != Role.ADMINISTRATOR or not request.user.agency_id:
        raise PermissionDenied("Only administrators manage API clients.")


def _page(request, *, form=None, status=200):
    staff = selectors.api_acting_user_choices(request.user)
    return render(
        request,
        "api/client_list.html",
        {
            "clients": selectors.api_clients_for(request.user),
            "form": form or ApiClientForm(staff=staff),
            "token_form": TokenIssueForm(),
        },
        status=status,
    )


def client_list(request):
    _administrator(request)
    if request.method != "POST":
        return _page(request)
    staff = selectors.api_acting_user_choices(request.user)
    form = ApiClientForm(request.POST, staff=staff)
    if form.is_valid():
        try:
            client = services.api_client_create(actor=request.user, **form.cleaned_data)
        except RuleViolation as problem:
            form.add_error(None, problem.message)
        else:
            messages.success(request, f"{client.name} has been added. Issue it a token below.")
            return redirect("api_clients:clients")
    return _page(request, form=form, status=400)


@require_POST
def token_issue(request):
    _administrator(request)
    form = TokenIssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose how long the token lasts.")
        return redirect("api_clients:clients")
    client = get_object_or_404(
        selectors.api_clients_for(request.user), pk=form.cleaned_data["client"]
    )
    try:
        token, secret = services.api_token_issue(
            actor=request.user, client=client, days=form.cleaned_data["days"]
        )
    except RuleViolation as problem:
        messages.error(request, problem.message)
        return redirect("api_clients:clients")
    # Shown on this page only: it is not stored and cannot be shown again.
    return render(
        request, "api/token_issued.html", {"client": client, "token": token, "secret": secret}
    )


@require_POST
def token_revoke(request):
    _administrator(request)
    token = get_object_or_404(
        ApiToken.objects.filter(client__in=selectors.api_clients_for(request.user)),
        pk=_posted_id(request, "token"),
    )
    try:
        services.api_token_revoke(actor=request.user, token=token)
    except RuleViolation as problem:
        messages.error(request, problem.message)
    else:
        messages.success(request, f"Token {token.prefix}… no longer works.")
    return redirect("api_clients:clients")


@require_POST
def client_revoke(request):
    _administrator(request)
    client = get_object_or_404(
        selectors.api_clients_for(request.user), pk=_posted_id(request, "client")
    )
    try:
        services.api_client_revoke(actor=request.user, client=client)
    except RuleViolation as problem:
        messages.error(request, problem.message)
    else:
        messages.success(request, f"{client.name} has been switched off, with all its tokens.")
    return redirect("api_clients:clients")
