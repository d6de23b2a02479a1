"""Safety network, safety plan and trajectory pages.

Each view fetches the case through the access-scoped selector (404 outside it), checks the
recording permission for writes (403), calls one service, and answers htmx with just the
section that changed, or, without JavaScript, with a redirect back to the page (post/redirect/
get). A form with errors, or a save refused because someone else changed the record meanwhile,
comes back in place with the person's text kept."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, retarget

from core.audit import audit_view
from core.errors import ConflictError, RuleViolation
from people.selectors import case_children, case_family, case_get_visible
from safety import selectors, services
from safety.documents import safety_plan_document
from safety.forms import (
    CheckInForm,
    NetworkMemberAddForm,
    NetworkMemberEditForm,
    NetworkStatusForm,
    SafetyPlanAgreeForm,
    SafetyPlanDetailsForm,
    SafetyPlanReviewForm,
    SafetyPlanRuleEditForm,
    SafetyPlanRuleForm,
    TrajectoryStageEditForm,
    TrajectoryStageForm,
)
from safety.guidance import rule_guidance, rules_guidance

NETWORK = "safety/network.html"
PLAN = "safety/plan_detail.html"
TRAJECTORY = "safety/trajectory.html"


def _case(request, case_id, *, for_recording=False):
    case = case_get_visible(request.user, case_id=case_id)
    if for_recording and not request.user.has_perm("people.record_on_case", case):
        raise PermissionDenied("You can read this case but not record on it.")
    return case


def _may_record(request, case) -> bool:
    if not hasattr(request, "_safety_may_record"):
        request._safety_may_record = request.user.has_perm("people.record_on_case", case)
    return request._safety_may_record


def _respond(request, template, partial, context, *, url, invalid=False):
    """htmx gets the changed section; without JavaScript a form with errors is shown on the full
    page, and a save is answered with a redirect back to the page at that section."""
    if request.htmx:
        return render(request, f"{template}#{partial}", context)
    if invalid:
        return render(request, template, context)
    return redirect(url)


def _conflicted(form, error, form_class, **kwargs):
    """Keep the person's text, move the revision on to what is now saved, and explain."""
    data = form.data.copy()
    data["revision"] = error.current.revision
    fresh = form_class(data, **kwargs)
    fresh.is_valid()
    fresh.add_error(None, error.message)
    fresh.conflict_with = error.current
    return fresh


# The safety network -------------------------------------------------------------------------


def _network_url(case, anchor=""):
    url = reverse("safety:network", args=[case.pk])
    return f"{url}#{anchor}" if anchor else url


def _member_form_kwargs(case, auto_id):
    return {
        "family": case_family(case),
        "children_queryset": case_children(case),
        "auto_id": auto_id,
    }


def _status_form(member, data=None):
    initial = {
        "revision": member.revision,
        "status": member.status,
        "changed_on": timezone.localdate(),
    }
    return NetworkStatusForm(data, initial=initial, auto_id=f"status-{member.pk}-%s")


def _network_context(request, case, *, forms=None):
    forms = forms or {}
    members = selectors.network_members(case)
    return {
        "case": case,
        "members": members,
        "counts": selectors.network_counts(case),
        "editable": _may_record(request, case),
        "add_form": forms.get("add")
        or NetworkMemberAddForm(**_member_form_kwargs(case, "add-member-%s")),
        "status_forms": {m.pk: forms.get(f"status-{m.pk}") or _status_form(m) for m in members},
        "focus": forms.get("focus"),
    }


def network(request, case_id):
    case = _case(request, case_id)
    audit_view(request, verb="safety.network_viewed", target=case, case_id=case.pk)
    return render(request, NETWORK, _network_context(request, case))


@require_POST
def network_member_add(request, case_id):
    case = _case(request, case_id, for_recording=True)
    form = NetworkMemberAddForm(request.POST, **_member_form_kwargs(case, "add-member-%s"))
    if form.is_valid():
        try:
            member = services.network_member_add(
                actor=request.user,
                case=case,
                joined_on=form.cleaned_data["joined_on"],
                children=form.cleaned_data["children"],
                **form.values(),
            )
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            context = _network_context(request, case, forms={"focus": "add"})
            return _respond(
                request,
                NETWORK,
                "members-section",
                context,
                url=_network_url(case, f"member-{member.pk}"),
            )
    context = _network_context(request, case, forms={"add": form, "focus": "add"})
    return _respond(
        request, NETWORK, "members-section", context, url=_network_url(case), invalid=True
    )


@require_http_methods(["GET", "POST"])
def network_member_edit(request, case_id, member_id):
    case = _case(request, case_id, for_recording=True)
    member = selectors.network_member_get(case=case, member_id=member_id)
    kwargs = _member_form_kwargs(case, f"member-{member.pk}-%s")
    if request.method == "POST":
        form = NetworkMemberEditForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                services.network_member_update(
                    actor=request.user,
                    member=member,
                    expected_revision=form.cleaned_data["revision"],
                    children=form.cleaned_data["children"],
                    **form.values(),
                )
            except ConflictError as error:
                form = _conflicted(form, error, NetworkMemberEditForm, **kwargs)
                member = selectors.network_member_get(case=case, member_id=member_id)
            except RuleViolation as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"Saved the changes to {member.name}.")
                url = _network_url(case, f"member-{member.pk}")
                return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    else:
        initial = {name: getattr(member, name) for name in NetworkMemberEditForm.SERVICE_FIELDS}
        initial |= {"children": list(member.children.all()), "revision": member.revision}
        form = NetworkMemberEditForm(initial=initial, **kwargs)
    context = {"case": case, "member": member, "form": form}
    template = "safety/network_member_edit.html"
    return render(request, f"{template}#member-form" if request.htmx else template, context)


@require_POST
def network_member_status(request, case_id, member_id):
    case = _case(request, case_id, for_recording=True)
    member = selectors.network_member_get(case=case, member_id=member_id)
    form = _status_form(member, request.POST)
    forms = {"focus": f"status-{member.pk}"}
    if form.is_valid():
        try:
            services.network_member_change_status(
                actor=request.user,
                member=member,
                expected_revision=form.cleaned_data["revision"],
                status=form.cleaned_data["status"],
                changed_on=form.cleaned_data["changed_on"],
                reason=form.cleaned_data["reason"],
            )
        except (ConflictError, RuleViolation) as error:
            form.add_error(None, error.message)
        else:
            context = _network_context(request, case, forms=forms)
            return _respond(
                request,
                NETWORK,
                "members-section",
                context,
                url=_network_url(case, f"member-{member.pk}"),
            )
    forms[f"status-{member.pk}"] = form
    context = _network_context(request, case, forms=forms)
    return _respond(
        request, NETWORK, "members-section", context, url=_network_url(case), invalid=True
    )


# Safety plans -------------------------------------------------------------------------------


def _plan_url(plan, anchor=""):
    url = reverse("safety:plan_detail", args=[plan.case_id, plan.pk])
    return f"{url}#{anchor}" if anchor else url


def _case_and_plan(request, case_id, plan_id, *, for_recording=False):
    case = _case(request, case_id, for_recording=for_recording)
    return case, selectors.safety_plan_get(case=case, plan_id=plan_id)


def _rule_form_kwargs(case, plan, auto_id):
    return {
        "statements": selectors.danger_statements_for_plan(plan),
        "members": selectors.active_network(case),
        "auto_id": auto_id,
    }


def _plan_context(request, case, plan, *, forms=None):
    forms = forms or {}
    may_record = _may_record(request, case)
    editable = plan.is_draft and may_record
    rules = selectors.safety_plan_rules(plan)
    members = selectors.active_network(case)
    context = {
        "case": case,
        "plan": plan,
        "rules": rules,
        "editable": editable,
        "recordable": plan.is_in_force and may_record,
        "may_record": may_record,
        "reviews": selectors.safety_plan_reviews(plan),
        "check_ins": selectors.safety_plan_check_ins(plan),
        "agreed_by": list(plan.agreed_by_members.all()) if not plan.is_draft else [],
        "focus": forms.get("focus"),
        "guidance": {},
    }
    if editable or "rule" in forms:
        context["rule_form"] = forms.get("rule") or SafetyPlanRuleForm(
            **_rule_form_kwargs(case, plan, "add-rule-%s")
        )
        context["guidance"] = rules_guidance(rules, agency_id=case.agency_id)
        context["form_guidance"] = forms.get("rule_guidance", [])
    if editable or "details" in forms:
        context["details_form"] = forms.get("details") or SafetyPlanDetailsForm(
            initial={
                "if_broken": plan.if_broken,
                "who_to_call": plan.who_to_call,
                "next_review_on": plan.next_review_on,
                "revision": plan.revision,
            },
            auto_id="plan-details-%s",
        )
    if editable or "agree" in forms:
        context["agree_problems"] = services.safety_plan_agree_problems(plan)
        context["agree_form"] = forms.get("agree") or SafetyPlanAgreeForm(
            initial={"agreed_on": timezone.localdate(), "revision": plan.revision},
            members=members,
            auto_id="agree-%s",
        )
    if context["recordable"] or "review" in forms or "check_in" in forms:
        context["review_form"] = forms.get("review") or SafetyPlanReviewForm(
            initial={"reviewed_on": timezone.localdate()}, auto_id="review-%s"
        )
        context["check_in_form"] = forms.get("check_in") or CheckInForm(
            initial={"checked_on": timezone.localdate()},
            members=members,
            rules=plan.rules.order_by("id"),
            auto_id="check-in-%s",
        )
    return context


def plan_list(request, case_id):
    case = _case(request, case_id)
    audit_view(request, verb="safety.plans_viewed", target=case, case_id=case.pk)
    context = {
        "case": case,
        "plans": selectors.safety_plan_list(case),
        "draft": selectors.safety_plan_draft(case),
        "current": selectors.safety_plan_in_force(case),
        "may_record": _may_record(request, case),
    }
    return render(request, "safety/plan_list.html", context)


@require_POST
def plan_start(request, case_id):
    case = _case(request, case_id, for_recording=True)
    try:
        plan = services.safety_plan_start(actor=request.user, case=case)
    except RuleViolation as error:
        messages.error(request, error.message)
        return redirect("safety:plan_list", case_id=case.pk)
    return redirect(_plan_url(plan))


def plan_detail(request, case_id, plan_id):
    case, plan = _case_and_plan(request, case_id, plan_id)
    audit_view(request, verb="safety.plan_viewed", target=plan, case_id=case.pk)
    return render(request, PLAN, _plan_context(request, case, plan))


def _plan_respond(request, case, plan, partial, *, anchor, forms=None, invalid=False):
    plan.refresh_from_db()
    context = _plan_context(request, case, plan, forms=forms)
    return _respond(request, PLAN, partial, context, url=_plan_url(plan, anchor), invalid=invalid)


def _form_guidance(form, case) -> list:
    texts = [form.data.get("text", ""), form.data.get("how_checked", "")]
    return rule_guidance(texts, agency_id=case.agency_id)


@require_POST
def plan_details_update(request, case_id, plan_id):
    case, plan = _case_and_plan(request, case_id, plan_id, for_recording=True)
    form = SafetyPlanDetailsForm(request.POST, auto_id="plan-details-%s")
    if form.is_valid():
        try:
            services.safety_plan_update_details(
                actor=request.user,
                plan=plan,
                expected_revision=form.cleaned_data["revision"],
                if_broken=form.cleaned_data["if_broken"],
                who_to_call=form.cleaned_data["who_to_call"],
                next_review_on=form.cleaned_data["next_review_on"],
            )
        except ConflictError as error:
            form = _conflicted(form, error, SafetyPlanDetailsForm, auto_id="plan-details-%s")
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            return _plan_respond(request, case, plan, "details-response", anchor="plan-details")
    return _plan_respond(
        request,
        case,
        plan,
        "details-response",
        anchor="plan-details",
        forms={"details": form, "focus": "details"},
        invalid=True,
    )


@require_POST
def rule_add(request, case_id, plan_id):
    case, plan = _case_and_plan(request, case_id, plan_id, for_recording=True)
    form = SafetyPlanRuleForm(request.POST, **_rule_form_kwargs(case, plan, "add-rule-%s"))
    if form.is_valid():
        try:
            rule = services.safety_plan_rule_add(
                actor=request.user,
                plan=plan,
                danger_statements=form.cleaned_data["danger_statements"],
                members=form.cleaned_data["members"],
                **form.values(),
            )
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            return _plan_respond(
                request,
                case,
                plan,
                "rules-response",
                anchor=f"rule-{rule.pk}",
                forms={"focus": "rule"},
            )
    forms = {"rule": form, "focus": "rule", "rule_guidance": _form_guidance(form, case)}
    return _plan_respond(
        request, case, plan, "rules-response", anchor="plan-rules", forms=forms, invalid=True
    )


@require_http_methods(["GET", "POST"])
def rule_edit(request, case_id, plan_id, rule_id):
    case, plan = _case_and_plan(request, case_id, plan_id, for_recording=True)
    rule = selectors.safety_plan_rule_get(plan=plan, rule_id=rule_id)
    kwargs = _rule_form_kwargs(case, plan, f"rule-{rule.pk}-%s")
    guidance = []
    if request.method == "POST":
        form = SafetyPlanRuleEditForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                services.safety_plan_rule_update(
                    actor=request.user,
                    rule=rule,
                    expected_revision=form.cleaned_data["revision"],
                    danger_statements=form.cleaned_data["danger_statements"],
                    members=form.cleaned_data["members"],
                    **form.values(),
                )
            except ConflictError as error:
                form = _conflicted(form, error, SafetyPlanRuleEditForm, **kwargs)
                rule = selectors.safety_plan_rule_get(plan=plan, rule_id=rule_id)
            except RuleViolation as error:
                form.add_error(None, error.message)
            else:
                return _plan_respond(
                    request, case, plan, "rules-response", anchor=f"rule-{rule.pk}"
                )
        guidance = _form_guidance(form, case)
    else:
        initial = {name: getattr(rule, name) for name in ("text", "who", "when", "how_checked")}
        initial |= {
            "danger_statements": list(rule.danger_statements.all()),
            "members": list(rule.members.all()),
            "revision": rule.revision,
        }
        form = SafetyPlanRuleEditForm(initial=initial, **kwargs)
    context = {"case": case, "plan": plan, "rule": rule, "form": form, "form_guidance": guidance}
    if request.htmx:
        response = render(request, "safety/rule_edit.html#rule-form", context)
        return retarget(response, f"#rule-{rule.pk}")
    return render(request, "safety/rule_edit.html", context)


@require_POST
def rule_remove(request, case_id, plan_id, rule_id):
    case, plan = _case_and_plan(request, case_id, plan_id, for_recording=True)
    rule = selectors.safety_plan_rule_get(plan=plan, rule_id=rule_id)
    try:
        revision = int(request.POST.get("revision", "0"))
        services.safety_plan_rule_remove(actor=request.user, rule=rule, expected_revision=revision)
    except (ConflictError, RuleViolation, ValueError) as error:
        messages.error(request, getattr(error, "message", "That rule could not be removed."))
    return _plan_respond(
        request, case, plan, "rules-response", anchor="plan-rules", forms={"focus": "rule"}
    )


@require_POST
def plan_agree(request, case_id, plan_id):
    case, plan = _case_and_plan(request, case_id, plan_id, for_recording=True)
    form = SafetyPlanAgreeForm(
        request.POST, members=selectors.active_network(case), auto_id="agree-%s"
    )
    if form.is_valid():
        try:
            services.safety_plan_agree(
                actor=request.user,
                plan=plan,
                expected_revision=form.cleaned_data["revision"],
                agreed_on=form.cleaned_data["agreed_on"],
                agreed_with=form.cleaned_data["agreed_with"],
                next_review_on=form.cleaned_data["next_review_on"],
                members=form.cleaned_data["members"],
            )
        except (ConflictError, RuleViolation) as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Safety plan {plan.number} is agreed and is now in use.")
            url = _plan_url(plan)
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    return _plan_respond(
        request,
        case,
        plan,
        "agree-panel",
        anchor="plan-agree",
        forms={"agree": form, "focus": "agree"},
        invalid=True,
    )


@require_POST
def review_add(request, case_id, plan_id):
    case, plan = _case_and_plan(request, case_id, plan_id, for_recording=True)
    form = SafetyPlanReviewForm(request.POST, auto_id="review-%s")
    if form.is_valid():
        try:
            services.safety_plan_review_add(actor=request.user, plan=plan, **form.cleaned_data)
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            return _plan_respond(
                request,
                case,
                plan,
                "reviews-response",
                anchor="plan-reviews",
                forms={"focus": "review"},
            )
    return _plan_respond(
        request,
        case,
        plan,
        "reviews-response",
        anchor="plan-reviews",
        forms={"review": form, "focus": "review"},
        invalid=True,
    )


@require_POST
def check_in_add(request, case_id, plan_id):
    case, plan = _case_and_plan(request, case_id, plan_id, for_recording=True)
    form = CheckInForm(
        request.POST,
        members=selectors.active_network(case),
        rules=plan.rules.order_by("id"),
        auto_id="check-in-%s",
    )
    if form.is_valid():
        try:
            services.monitoring_check_in_add(actor=request.user, plan=plan, **form.cleaned_data)
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            return _plan_respond(
                request,
                case,
                plan,
                "check-ins-section",
                anchor="plan-check-ins",
                forms={"focus": "check_in"},
            )
    return _plan_respond(
        request,
        case,
        plan,
        "check-ins-section",
        anchor="plan-check-ins",
        forms={"check_in": form, "focus": "check_in"},
        invalid=True,
    )


def _plan_download(request, case_id, plan_id, fmt):
    from documents.rendering import document_response

    case, plan = _case_and_plan(request, case_id, plan_id)
    return document_response(
        request,
        case=case,
        document=safety_plan_document(plan),
        fmt=fmt,
        filename_stem=f"safety-plan-{plan.number}-{case.reference}",
    )


def plan_pdf(request, case_id, plan_id):
    return _plan_download(request, case_id, plan_id, "pdf")


def plan_docx(request, case_id, plan_id):
    return _plan_download(request, case_id, plan_id, "docx")


# The trajectory -----------------------------------------------------------------------------


def _trajectory_url(case, anchor=""):
    url = reverse("safety:trajectory", args=[case.pk])
    return f"{url}#{anchor}" if anchor else url


def _trajectory_context(request, case, *, forms=None):
    forms = forms or {}
    return {
        "case": case,
        "stages": selectors.trajectory_stages(case),
        "editable": _may_record(request, case),
        "stage_form": forms.get("stage") or TrajectoryStageForm(auto_id="add-stage-%s"),
        "focus": forms.get("focus"),
        "today": timezone.localdate(),
    }


def trajectory(request, case_id):
    case = _case(request, case_id)
    audit_view(request, verb="safety.trajectory_viewed", target=case, case_id=case.pk)
    return render(request, TRAJECTORY, _trajectory_context(request, case))


@require_POST
def stage_add(request, case_id):
    case = _case(request, case_id, for_recording=True)
    form = TrajectoryStageForm(request.POST, auto_id="add-stage-%s")
    if form.is_valid():
        try:
            stage = services.trajectory_stage_add(actor=request.user, case=case, **form.values())
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            context = _trajectory_context(request, case, forms={"focus": "stage"})
            url = _trajectory_url(case, f"stage-{stage.pk}")
            return _respond(request, TRAJECTORY, "stages-section", context, url=url)
    context = _trajectory_context(request, case, forms={"stage": form, "focus": "stage"})
    return _respond(
        request, TRAJECTORY, "stages-section", context, url=_trajectory_url(case), invalid=True
    )


@require_http_methods(["GET", "POST"])
def stage_edit(request, case_id, stage_id):
    case = _case(request, case_id, for_recording=True)
    stage = selectors.trajectory_stage_get(case=case, stage_id=stage_id)
    auto_id = f"stage-{stage.pk}-%s"
    if request.method == "POST":
        form = TrajectoryStageEditForm(request.POST, auto_id=auto_id)
        if form.is_valid():
            try:
                services.trajectory_stage_update(
                    actor=request.user,
                    stage=stage,
                    expected_revision=form.cleaned_data["revision"],
                    **form.values(),
                )
            except ConflictError as error:
                form = _conflicted(form, error, TrajectoryStageEditForm, auto_id=auto_id)
                stage = error.current
            except RuleViolation as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"Saved the stage “{form.cleaned_data['name']}”.")
                url = _trajectory_url(case, f"stage-{stage.pk}")
                return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    else:
        initial = {name: getattr(stage, name) for name in services.STAGE_FIELDS}
        form = TrajectoryStageEditForm(
            initial=initial | {"revision": stage.revision}, auto_id=auto_id
        )
    context = {"case": case, "stage": stage, "form": form}
    template = "safety/stage_edit.html"
    return render(request, f"{template}#stage-form" if request.htmx else template, context)


@require_POST
def stage_remove(request, case_id, stage_id):
    case = _case(request, case_id, for_recording=True)
    stage = selectors.trajectory_stage_get(case=case, stage_id=stage_id)
    try:
        revision = int(request.POST.get("revision", "0"))
        services.trajectory_stage_remove(
            actor=request.user, stage=stage, expected_revision=revision
        )
    except (ConflictError, ValueError) as error:
        messages.error(request, getattr(error, "message", "That stage could not be removed."))
    context = _trajectory_context(request, case, forms={"focus": "stage"})
    return _respond(
        request, TRAJECTORY, "stages-section", context, url=_trajectory_url(case, "stages")
    )
