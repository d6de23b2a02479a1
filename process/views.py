"""Statutory process pages: the process page, one form page per step, and manager approval.

Each view fetches the case through the access-scoped selector (404 outside it), checks the
recording permission for writes (403) or the manager's permission for approvals, calls one
service, and redirects (post/redirect/get). A form with errors, or a step the rules refuse,
comes back with the answers kept and the reason in plain words. Every step form is one URL:
the full page, or for htmx just the form."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from agencies.models import Role
from core.audit import audit_view
from core.errors import ConflictError, RuleViolation
from core.rendering import render_page_or_partial
from people.selectors import case_get_visible
from process import forms, selectors, services
from process.models import (
    Assessment,
    ChildInNeedPlan,
    ChildProtectionPlan,
    Conference,
    LookedAfterEpisode,
    Referral,
    Section47Enquiry,
)


def _case(request, case_id, *, for_recording=False):
    case = case_get_visible(request.user, case_id=case_id)
    if for_recording and not request.user.has_perm("people.record_on_case", case):
        raise PermissionDenied("You can read this case but not record on it.")
    return case


def _process_url(case, anchor=""):
    url = reverse("process:case_process", args=[case.pk])
    return f"{url}#{anchor}" if anchor else url


def _redirect(request, url):
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def case_process(request, case_id):
    case = _case(request, case_id)
    audit_view(request, verb="process.viewed", target=case, case_id=case.pk)
    context = {"case": case, "process": selectors.case_process_page(case, user=request.user)}
    return render_page_or_partial(request, "process/case_process.html", context, partial="main")


# One form page per step ------------------------------------------------------------------


def _query_int(request, name):
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


def _today(*names):
    def initial(request, case, record):
        return dict.fromkeys(names, timezone.localdate())

    return initial


@dataclass
class StepPage:
    title: str
    form_class: type
    save: Callable  # (actor, case, record, cleaned) -> the saved record
    button: str
    lead: str = ""
    model: type | None = None
    initial: Callable = _today()
    done: Callable | None = None  # (case, saved) -> url; the process page by default
    message: str = "Saved."


def _step_view(page: StepPage, record_kwarg: str | None = None):
    @require_http_methods(["GET", "POST"])
    def view(request, case_id, **kwargs):
        case = _case(request, case_id, for_recording=True)
        record = None
        if page.model is not None:
            record = selectors.record_get(page.model, case=case, pk=kwargs[record_kwarg])
        form_kwargs = {"case": case, "record": record}
        if request.method == "POST":
            form = page.form_class(request.POST, **form_kwargs)
            if form.is_valid():
                try:
                    saved = page.save(request.user, case, record, form.cleaned_data)
                except ConflictError as error:
                    data = form.data.copy()
                    data["revision"] = error.current.revision
                    form = page.form_class(data, **form_kwargs)
                    form.is_valid()
                    form.add_error(None, error.message)
                    record = error.current
                except RuleViolation as error:
                    form.add_error(None, error.message)
                else:
                    messages.success(request, page.message)
                    url = page.done(case, saved) if page.done else _process_url(case)
                    return _redirect(request, url)
        else:
            initial = page.initial(request, case, record)
            if record is not None and hasattr(record, "revision"):
                initial["revision"] = record.revision
            form = page.form_class(initial=initial, **form_kwargs)
            audit_view(request, verb="process.viewed", target=record or case, case_id=case.pk)
        context = {"case": case, "page": page, "form": form, "record": record}
        return render_page_or_partial(
            request, "process/step_form.html", context, partial="step-form"
        )

    return view


def _with_child(*dates):
    def initial(request, case, record):
        values = dict.fromkeys(dates, timezone.localdate())
        if child := _query_int(request, "child"):
            values["child"] = child
        return values

    return initial


def _referral_initial(request, case, record):
    """A referral starts from the latest contact: its source and the child it was about."""
    values = {"received_on": timezone.localdate()}
    latest = selectors.latest_contact(case)
    if latest is not None:
        values |= {"source": latest.source, "received_on": latest.contact_on}
        if latest.child_id:
            values["child"] = latest.child_id
    if child := _query_int(request, "child"):
        values["child"] = child
    return values


def _conference_initial(request, case, record):
    values = _with_child("held_on")(request, case, record)
    values["kind"] = request.GET.get("kind", "initial")
    return values


def _cp_plan_initial(request, case, record):
    """The plan starts from the conference's decision: its date and its category."""
    conference_id = _query_int(request, "conference")
    conference = Conference.objects.filter(case=case, pk=conference_id).first()
    if conference is None:
        conference = (
            Conference.objects.filter(case=case, kind="initial", plan_decided=True)
            .order_by("-held_on")
            .first()
        )
    if conference is None:
        return {}
    return {
        "conference": conference.pk,
        "started_on": conference.held_on,
        "category": conference.category,
    }


def _core_group_initial(request, case, record):
    values = {"held_on": timezone.localdate()}
    if plan := _query_int(request, "plan"):
        values["plan"] = plan
    return values


def _conference_decision_initial(request, case, record):
    values = {}
    if record.reviewed_plan_id:
        values["category"] = record.reviewed_plan.latest_category
    return values


def _referral_decide_initial(request, case, record):
    return {"decided_on": timezone.localdate(), "decision": "assessment"}


def _save_contact(actor, case, record, data):
    return services.contact_record(actor=actor, case=case, **data)


def _save_referral(actor, case, record, data):
    contact = selectors.latest_contact(case)
    if contact is not None and contact.child_id not in (None, data["child"].pk):
        contact = None  # that contact was about another child
    return services.referral_record(actor=actor, case=case, contact=contact, **data)


def _save_referral_decision(actor, case, record, data):
    return services.referral_decide(
        actor=actor,
        referral=record,
        expected_revision=data["revision"],
        decision=data["decision"],
        decided_on=data["decided_on"],
    )


def _save_assessment_start(actor, case, record, data):
    return services.assessment_start(actor=actor, case=case, **data)


def _save_assessment_complete(actor, case, record, data):
    data = dict(data)
    return services.assessment_complete(
        actor=actor, assessment=record, expected_revision=data.pop("revision"), **data
    )


def _save_strategy(actor, case, record, data):
    return services.strategy_discussion_record(actor=actor, case=case, **data)


def _save_s47_start(actor, case, record, data):
    return services.section47_start(actor=actor, case=case, **data)


def _save_s47_complete(actor, case, record, data):
    data = dict(data)
    return services.section47_complete(
        actor=actor, enquiry=record, expected_revision=data.pop("revision"), **data
    )


def _save_conference_start(actor, case, record, data):
    return services.conference_start(actor=actor, case=case, **data)


def _save_conference_decision(actor, case, record, data):
    data = dict(data)
    return services.conference_decide(
        actor=actor, conference=record, expected_revision=data.pop("revision"), **data
    )


def _save_cp_plan_start(actor, case, record, data):
    return services.cp_plan_start(actor=actor, **data)


def _save_plan_end(service, argument):
    def save(actor, case, record, data):
        data = dict(data)
        return service(
            actor=actor, expected_revision=data.pop("revision"), **{argument: record}, **data
        )

    return save


def _save_core_group(actor, case, record, data):
    return services.core_group_record(actor=actor, **data)


def _save_cin_plan_start(actor, case, record, data):
    return services.cin_plan_start(actor=actor, case=case, **data)


def _save_cin_review(actor, case, record, data):
    return services.cin_review_record(actor=actor, plan=record, **data)


def _save_looked_after_start(actor, case, record, data):
    return services.looked_after_start(actor=actor, case=case, **data)


def _save_looked_after_review(actor, case, record, data):
    return services.looked_after_review_record(actor=actor, case=case, **data)


def _save_missing(actor, case, record, data):
    return services.missing_episode_record(actor=actor, case=case, **data)


def _save_outcomes(actor, case, record, data):
    return services.looked_after_outcomes_record(actor=actor, case=case, **data)


def _outcomes_initial(request, case, record):
    today = timezone.localdate()
    values = {"year": today.year if today.month > 3 else today.year - 1}
    if child := _query_int(request, "child"):
        values["child"] = child
    return values


def _save_visit(actor, case, record, data):
    return services.visit_record(actor=actor, case=case, **data)


def _save_closure(actor, case, record, data):
    return services.closure_record(actor=actor, case=case, **data)


def _to_map(case, saved):
    return reverse("practice:map_detail", args=[case.pk, saved.map_id])


contact_add = _step_view(
    StepPage(
        "Record a contact",
        forms.ContactForm,
        _save_contact,
        "Save the contact",
        initial=_with_child("contact_on"),
        message="Contact recorded.",
    )
)
referral_add = _step_view(
    StepPage(
        "Record a referral",
        forms.ReferralForm,
        _save_referral,
        "Save the referral",
        lead="Pre-filled from the latest contact.",
        initial=_referral_initial,
        message="Referral recorded. Record its decision within one working day.",
    )
)
referral_decide = _step_view(
    StepPage(
        "Decide the referral",
        forms.ReferralDecisionForm,
        _save_referral_decision,
        "Save the decision",
        model=Referral,
        initial=_referral_decide_initial,
        message="Decision recorded.",
    ),
    "referral_id",
)
assessment_start = _step_view(
    StepPage(
        "Start an assessment",
        forms.AssessmentStartForm,
        _save_assessment_start,
        "Start the assessment",
        initial=_with_child("started_on"),
        message="Assessment started. It is due within 45 working days.",
    )
)
assessment_complete = _step_view(
    StepPage(
        "Complete the assessment",
        forms.AssessmentCompleteForm,
        _save_assessment_complete,
        "Complete and send for approval",
        lead="Your manager authorises the assessment, or returns it with comments.",
        model=Assessment,
        initial=_today("completed_on"),
        message="Assessment completed and sent to your manager for approval.",
    ),
    "assessment_id",
)
strategy_discussion_add = _step_view(
    StepPage(
        "Record a strategy discussion",
        forms.StrategyDiscussionForm,
        _save_strategy,
        "Save and open its map",
        lead=(
            "Saving starts the discussion's map, pre-filled from the latest map: write the "
            "draft danger statements, safety goals and scaling there."
        ),
        initial=_with_child("held_on"),
        done=_to_map,
        message="Strategy discussion recorded. Its map is below.",
    )
)
s47_start = _step_view(
    StepPage(
        "Start a section 47 enquiry",
        forms.Section47StartForm,
        _save_s47_start,
        "Start the enquiry",
        initial=_with_child("started_on"),
        message="Section 47 enquiry started.",
    )
)
s47_complete = _step_view(
    StepPage(
        "Record the section 47 outcome",
        forms.Section47CompleteForm,
        _save_s47_complete,
        "Save the outcome",
        model=Section47Enquiry,
        initial=_today("completed_on"),
        message="Outcome recorded.",
    ),
    "enquiry_id",
)
conference_start = _step_view(
    StepPage(
        "Start a child protection conference",
        forms.ConferenceStartForm,
        _save_conference_start,
        "Start the conference map",
        lead=(
            "The conference is recorded as a map, pre-filled from the latest finalised map: "
            "add the attendees, scale each danger statement and overall safety with each "
            "attendee, finalise it, then record the decision."
        ),
        initial=_conference_initial,
        done=_to_map,
        message="Conference started: record the attendees and their scaling on its map.",
    )
)
conference_decide = _step_view(
    StepPage(
        "Record the conference decision",
        forms.ConferenceDecisionForm,
        _save_conference_decision,
        "Save the decision",
        model=Conference,
        initial=_conference_decision_initial,
        message="Conference decision recorded.",
    ),
    "conference_id",
)
cp_plan_start = _step_view(
    StepPage(
        "Start the child protection plan",
        forms.CPPlanStartForm,
        _save_cp_plan_start,
        "Start the plan and send for approval",
        lead="Pre-filled from the conference decision: the plan starts on the conference day.",
        initial=_cp_plan_initial,
        message="Child protection plan started and sent to your manager for approval.",
    )
)
cp_plan_end = _step_view(
    StepPage(
        "End the child protection plan",
        forms.CPPlanEndForm,
        _save_plan_end(services.cp_plan_end, "plan"),
        "End the plan",
        model=ChildProtectionPlan,
        initial=_today("ended_on"),
        message="Child protection plan ended.",
    ),
    "cp_plan_id",
)
core_group_add = _step_view(
    StepPage(
        "Record a core group meeting",
        forms.CoreGroupForm,
        _save_core_group,
        "Save the core group",
        initial=_core_group_initial,
        message="Core group recorded.",
    )
)
cin_plan_start = _step_view(
    StepPage(
        "Start a child in need plan",
        forms.CINPlanStartForm,
        _save_cin_plan_start,
        "Start the plan and send for approval",
        initial=_with_child("started_on"),
        message="Child in need plan started and sent to your manager for approval.",
    )
)
cin_plan_end = _step_view(
    StepPage(
        "End the child in need plan",
        forms.CINPlanEndForm,
        _save_plan_end(services.cin_plan_end, "plan"),
        "End the plan",
        model=ChildInNeedPlan,
        initial=_today("ended_on"),
        message="Child in need plan ended.",
    ),
    "cin_plan_id",
)
cin_review_add = _step_view(
    StepPage(
        "Review the child in need plan",
        forms.CINReviewForm,
        _save_cin_review,
        "Save the review",
        model=ChildInNeedPlan,
        initial=_today("held_on"),
        message="Review recorded.",
    ),
    "cin_plan_id",
)
looked_after_start = _step_view(
    StepPage(
        "Record that a child is looked after",
        forms.LookedAfterStartForm,
        _save_looked_after_start,
        "Save the episode",
        initial=_with_child("started_on"),
        message="Looked-after episode recorded.",
    )
)
looked_after_end = _step_view(
    StepPage(
        "End the looked-after episode",
        forms.LookedAfterEndForm,
        _save_plan_end(services.looked_after_end, "episode"),
        "End the episode",
        model=LookedAfterEpisode,
        initial=_today("ended_on"),
        message="Episode ended.",
    ),
    "episode_id",
)
looked_after_review_add = _step_view(
    StepPage(
        "Record a looked-after review",
        forms.LookedAfterReviewForm,
        _save_looked_after_review,
        "Save the review",
        lead="The statutory review of the child's care plan, and how the child took part.",
        initial=_with_child("held_on"),
        message="Review recorded.",
    )
)
missing_add = _step_view(
    StepPage(
        "Record that a looked-after child was missing or away",
        forms.MissingEpisodeForm,
        _save_missing,
        "Save",
        initial=_with_child("started_on"),
        message="Missing episode recorded.",
    )
)
outcomes_add = _step_view(
    StepPage(
        "Record a looked-after child's outcomes for the year",
        forms.LookedAfterOutcomesForm,
        _save_outcomes,
        "Save the outcomes",
        lead=(
            "For a child looked after continuously for 12 months at 31 March (the SSDA903 OC2 "
            "table). Leave blank what does not apply to the child's age."
        ),
        initial=_outcomes_initial,
        message="Outcomes recorded.",
    )
)
visit_add = _step_view(
    StepPage(
        "Record a statutory visit",
        forms.VisitForm,
        _save_visit,
        "Save the visit",
        initial=_with_child("visited_on"),
        message="Visit recorded.",
    )
)
closure_add = _step_view(
    StepPage(
        "Close the case",
        forms.ClosureForm,
        _save_closure,
        "Send the closure for approval",
        lead="The case closes when your manager approves the closure.",
        initial=_today("closed_on"),
        message="Closure sent to your manager for approval.",
    )
)


# Manager approval ------------------------------------------------------------------------


def approvals(request):
    if request.user.role != Role.TEAM_MANAGER:
        raise PermissionDenied("Only team managers approve assessments, plans and closures.")
    waiting = selectors.approvals_awaiting(request.user)
    for approval in waiting:
        audit_view(
            request, verb="process.approvals_viewed", target=approval, case_id=approval.case_id
        )
    return render_page_or_partial(
        request, "process/approvals.html", {"approvals": waiting}, partial="main"
    )


@require_http_methods(["GET", "POST"])
def approval_decide(request, case_id, approval_id):
    case = _case(request, case_id)
    if not request.user.has_perm("people.manage_case", case):
        raise PermissionDenied("Only the team's manager approves this.")
    approval = selectors.approval_get(case=case, approval_id=approval_id)
    form = forms.ApprovalDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = (
            services.approval_approve
            if form.cleaned_data["decision"] == "approve"
            else services.approval_return
        )
        try:
            service(actor=request.user, approval=approval, comments=form.cleaned_data["comments"])
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Decision recorded.")
            return _redirect(request, reverse("process:approvals"))
    if request.method == "GET":
        audit_view(request, verb="process.approval_viewed", target=approval, case_id=case.pk)
    context = {
        "case": case,
        "approval": approval,
        "form": form,
        "history": selectors.approval_history(approval),
    }
    return render_page_or_partial(
        request, "process/approval_decide.html", context, partial="decision-form"
    )


@require_POST
def approval_resubmit(request, case_id, approval_id):
    case = _case(request, case_id, for_recording=True)
    approval = selectors.approval_get(case=case, approval_id=approval_id)
    form = forms.ResubmitForm(request.POST)
    form.is_valid()
    try:
        services.approval_resubmit(
            actor=request.user, approval=approval, note=form.cleaned_data.get("note", "")
        )
    except RuleViolation as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Sent back to your manager for approval.")
    return _redirect(request, _process_url(case, "approvals"))
