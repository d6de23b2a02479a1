"""Worklists, the agency's timescales, and reasons for being overdue.

- My work: social workers and team managers (the people cases are allocated to).
- Team work: team managers, for their own team.
- Timescales: the agency's administrator and practice leads.
- A reason for being overdue: anyone who may record on the case.
Everyone else is refused (403); a case or deadline outside the user's reach is 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from agencies.models import Role
from core.errors import RuleViolation
from core.rendering import render_page_or_partial
from learning.selectors import open_actions_for
from people.selectors import case_get_visible
from portal.selectors import breach_alerts_for
from timescales import selectors, services
from timescales.forms import OverdueReasonForm, TimescaleRulesForm
from timescales.models import TimescaleRules

RULES_KEEPERS = {Role.ADMINISTRATOR, Role.PRACTICE_LEAD}


@require_GET
def my_work(request):
    if not selectors.may_see_own_work(request.user):
        raise PermissionDenied("My work lists the deadlines on cases allocated to you.")
    back = reverse("timescales:my_work")
    context = selectors.my_work(request.user) | {
        "back": back,
        "may_record": True,
        # Check-ins from the family portal that report a broken rule or a worry.
        "alerts": list(breach_alerts_for(request.user)),
        # Actions agreed in supervision that this person owns and has not done.
        "supervision_actions": open_actions_for(request.user),
    }
    attach_reason_forms(context["overdue"], back=back)
    return render_page_or_partial(request, "timescales/my_work.html", context, partial="worklist")


@require_GET
def team_work(request):
    if not selectors.may_see_team_work(request.user):
        raise PermissionDenied("The team's work is for its team manager.")
    back = reverse("timescales:team_work")
    context = selectors.team_work(request.user) | {"back": back, "may_record": True}
    attach_reason_forms(context["deadlines"], back=back)
    return render_page_or_partial(
        request, "timescales/team_work.html", context, partial="team-worklist"
    )


def _safe_next(request, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("timescales:my_work")


@require_http_methods(["GET", "POST"])
def overdue_reason(request, case_id, deadline_id):
    """Say why something is overdue. htmx swaps the item in place; without JavaScript the form
    posts here and comes back to the list it was sent from."""
    case = case_get_visible(request.user, case_id=case_id)
    if not request.user.has_perm("people.record_on_case", case):
        raise PermissionDenied("You can read this case but not record on it.")
    deadline = selectors.deadline_get(case=case, deadline_id=deadline_id)
    back = _safe_next(request, request.POST.get("next") or request.GET.get("next") or "")
    status = 200
    if request.method == "POST":
        form = OverdueReasonForm(request.POST, auto_id=f"reason-{deadline.pk}-%s")
        if form.is_valid():
            try:
                deadline = services.deadline_overdue_reason_record(
                    actor=request.user, deadline=deadline, reason=form.cleaned_data["reason"]
                )
            except RuleViolation as error:
                form.add_error(None, error.message)
            else:
                if request.htmx:
                    return _item(request, deadline, back=back, saved=True)
                messages.success(request, f"Saved why “{deadline.get_kind_display()}” is late.")
                return redirect(back)
        if request.htmx:
            return _item(request, deadline, back=back, form=form)
        status = 400
    else:
        initial = {"reason": deadline.overdue_reason, "next": back}
        form = OverdueReasonForm(initial=initial, auto_id=f"reason-{deadline.pk}-%s")
    context = {"case": case, "deadline": deadline, "form": form, "back": back}
    return render_page_or_partial(
        request, "timescales/overdue_reason.html", context, partial="reason-form", status=status
    )


def _item(request, deadline, *, back, saved=False, form=None):
    """One deadline in a worklist, as htmx swaps it in place after a reason is saved (or with
    the form's errors)."""
    deadline = selectors.deadline_decorate(deadline)
    attach_reason_forms([deadline], back=back)
    if form is not None:
        deadline.reason_form = form
    context = {
        "deadline": deadline,
        "back": back,
        "may_record": True,
        "saved": saved,
        "today": timezone.localdate(),
    }
    return render(request, "timescales/_deadline.html", context)


def attach_reason_forms(deadlines, *, back: str):
    """Each overdue deadline gets its own form for saying why, with ids of its own."""
    for deadline in deadlines:
        if getattr(deadline, "overdue", False):
            deadline.reason_form = OverdueReasonForm(
                initial={"reason": deadline.overdue_reason, "next": back},
                auto_id=f"reason-{deadline.pk}-%s",
            )
    return deadlines


@require_http_methods(["GET", "POST"])
def rules(request):
    """The agency's timescales; saving moves every open deadline to its new due date."""
    user = request.user
    if user.role not in RULES_KEEPERS or not user.agency_id:
        raise PermissionDenied("Only the agency's administrator and practice leads set these.")
    current = services.timescale_rules_ensure(agency_id=user.agency_id)
    status = 200
    if request.method == "POST":
        form = TimescaleRulesForm(
            request.POST, instance=TimescaleRules.objects.get(pk=current.pk), auto_id="rules-%s"
        )
        if form.is_valid():
            try:
                services.timescale_rules_update(
                    actor=user,
                    agency=user.agency,
                    **{name: form.cleaned_data[name] for name in services.RULE_FIELDS},
                )
            except RuleViolation as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Saved the timescales. Open deadlines now follow them.")
                return redirect("timescales:rules")
        status = 400
    else:
        form = TimescaleRulesForm(instance=current, auto_id="rules-%s")
    context = {"form": form, "rules": current}
    return render(request, "timescales/rules.html", context, status=status)
