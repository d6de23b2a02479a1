from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from agencies.models import Role
from core.audit import audit_record
from core.rendering import render_page_or_partial
from people import selectors, services
from people.access import may_search_people
from people.forms import (
    AccessGrantForm,
    AllocationForm,
    BreakGlassForm,
    DeletionForm,
    RestrictionForm,
)
from people.retention import retention_due


def case_allocate(request, case_id):
    case = selectors.case_get_visible(request.user, case_id=case_id)
    if not request.user.has_perm("people.manage_case", case):
        raise PermissionDenied("Only the team's manager allocates its cases.")
    workers = selectors.workers_allocatable_for(case)
    form = AllocationForm(
        request.POST or None, workers=workers, initial={"started_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            allocation = services.case_allocate(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, f"{case.name} is now allocated to {allocation.worker}.")
            return redirect("casefile:case_detail", case_id=case.pk)
    allocations = list(selectors.allocation_history(case))
    context = {
        "case": case,
        "form": form,
        "current": selectors.allocation_current(case, history=allocations),
        "allocations": allocations,
    }
    return render(request, "people/case_allocate.html", context)


def _managed_case(request, case_id):
    case = selectors.case_get_visible(request.user, case_id=case_id)
    if not request.user.has_perm("people.manage_case", case):
        raise PermissionDenied("Only the team's manager changes who can open this case.")
    return case


def _form_errors(form, error: ValidationError):
    for field, problems in getattr(error, "message_dict", {None: error.messages}).items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


def case_restriction(request, case_id):
    """Restrict a case to a named list of people, and keep that list."""
    case = _managed_case(request, case_id)
    staff = selectors.agency_staff(case)
    restrict_form = RestrictionForm(
        request.POST if request.POST.get("action") == "restrict" else None
    )
    grant_form = AccessGrantForm(
        request.POST if request.POST.get("action") == "grant" else None, staff=staff
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "restrict" and restrict_form.is_valid():
                services.case_restrict(actor=request.user, case=case, **restrict_form.cleaned_data)
                messages.success(
                    request, "Only the people on the access list can now find this case."
                )
                return redirect("people:case_restriction", case_id=case.pk)
            if action == "unrestrict":
                services.case_unrestrict(actor=request.user, case=case)
                messages.success(request, "The case is no longer restricted.")
                return redirect("casefile:case_detail", case_id=case.pk)
            if action == "grant" and grant_form.is_valid():
                services.case_access_grant(actor=request.user, case=case, **grant_form.cleaned_data)
                return redirect("people:case_restriction", case_id=case.pk)
            if action == "revoke":
                grant = get_object_or_404(
                    selectors.case_access_list(case), pk=request.POST.get("grant")
                )
                services.case_access_revoke(actor=request.user, grant=grant)
                return redirect("people:case_restriction", case_id=case.pk)
        except ValidationError as error:
            _form_errors(grant_form if action in {"grant", "revoke"} else restrict_form, error)
    context = {
        "case": case,
        "restrict_form": restrict_form,
        "grant_form": grant_form,
        "grants": selectors.case_access_list(case),
    }
    return render(request, "people/case_restriction.html", context)


def break_glass(request):
    """Open a restricted case in an emergency, by its reference, giving a reason."""
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = selectors.case_find_for_break_glass(
            request.user, reference=form.cleaned_data["reference"]
        )
        if case is None:
            form.add_error(
                "reference",
                "There is no restricted case with that reference that you "
                "could open. Check the reference with whoever gave it to you.",
            )
        else:
            try:
                access = services.case_break_glass(
                    actor=request.user, case=case, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.warning(
                    request,
                    f"You can open this case until "
                    f"{timezone.localtime(access.expires_at):%H:%M on %-d %B}. "
                    "Your manager has been told.",
                )
                return redirect("casefile:case_detail", case_id=case.pk)
    return render(request, "people/break_glass.html", {"form": form})


def break_glass_report(request):
    accesses = selectors.break_glass_report(request.user)
    if request.user.role not in {Role.TEAM_MANAGER, Role.SENIOR_LEADER}:
        raise PermissionDenied("Break-glass reports are for managers and senior leaders.")
    return render(request, "people/break_glass_report.html", {"accesses": accesses[:500]})


def case_delete(request, case_id):
    case = _managed_case(request, case_id)
    form = DeletionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.case_soft_delete(actor=request.user, case=case, **form.cleaned_data)
        messages.success(request, f"{case.name} has been deleted. An administrator can restore it.")
        return redirect("casefile:caseload")
    return render(request, "people/case_delete.html", {"case": case, "form": form})


def deleted_cases(request):
    """Administrators see deleted cases (by reference and reason only) and can restore them."""
    if request.user.role != Role.ADMINISTRATOR:
        raise PermissionDenied("Only administrators restore deleted cases.")
    cases = selectors.cases_deleted_for_restore(request.user)
    if request.method == "POST":
        case = get_object_or_404(cases, pk=request.POST.get("case"))
        services.case_restore(actor=request.user, case=case)
        messages.success(request, f"{case.reference} has been restored.")
        return redirect("people:deleted_cases")
    return render(request, "people/deleted_cases.html", {"cases": cases})


def retention_review(request):
    """Closed cases whose records come up for review under the agency's retention rules."""
    if request.user.role not in {Role.ADMINISTRATOR, Role.SENIOR_LEADER}:
        raise PermissionDenied("Retention reviews are for administrators and senior leaders.")
    today = timezone.localdate()
    context = {
        "due": retention_due(request.user, today=today),
        "today": today,
        "rules": settings.RETENTION_RULES,
    }
    return render(request, "people/retention_review.html", context)


@require_GET
def person_search(request):
    if not may_search_people(request.user):
        raise PermissionDenied("Searching for people is for staff who open case records.")
    query = request.GET.get("q", "")[:200]
    result = selectors.person_search(request.user, query=query)
    if not result.terms.is_empty:
        # Who looked for whom is as much a part of the record as who opened which case.
        audit_record(
            actor=request.user,
            verb="people.searched",
            agency_id=request.user.agency_id,
            changes={"query": query, "found": len(result.people)},
        )
    context = {"q": query, "result": result}
    return render_page_or_partial(
        request, "people/person_search.html", context, partial="search-results"
    )
