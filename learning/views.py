"""Supervision sessions, their actions, appreciative inquiries and the library of good practice.

- Supervision: team managers and practice leads record sessions they facilitate; the people
  supervised and action owners see them; the facilitator changes them. The case presented is
  shown only to those who may open it ("a case you cannot open" to everyone else).
- Supervision frequency: team managers (their team), practice leads and senior leaders.
- Appreciative inquiry: practitioners record them; practice leads and team managers confirm
  the anonymised account before it is shared; every member of staff reads the library.
Anything outside a user's reach is 404; a role that may not act is refused (403).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.models import User
from core.audit import audit_record
from core.errors import ConflictError, RuleViolation
from core.rendering import render_page_or_partial
from learning import selectors, services
from learning.forms import (
    ActionDoneForm,
    ActionEditForm,
    ActionForm,
    InquiryEditForm,
    InquiryForm,
    InquiryShareForm,
    LibrarySearchForm,
    SessionEditForm,
    SessionForm,
)
from learning.models import PracticeTheme, SupervisionSession


def _staff_only(request):
    if not selectors._staff(request.user):
        raise PermissionDenied("Learning in practice is for the agency's staff.")


# Supervision sessions.


@require_GET
def session_list(request):
    _staff_only(request)
    context = {
        "sessions": selectors.session_list(request.user),
        "may_record": selectors.may_record_sessions(request.user),
        "actions": selectors.open_actions_for(request.user),
    }
    return render(request, "learning/session_list.html", context)


@require_http_methods(["GET", "POST"])
def session_add(request):
    user = request.user
    if not selectors.may_record_sessions(user):
        raise PermissionDenied("Team managers and practice leads record supervision.")
    kwargs = {
        "staff": selectors.supervisable_staff(user).select_related("team"),
        "cases": selectors.presentable_cases(user),
    }
    status = 200
    if request.method == "POST":
        form = SessionForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                session = services.session_record(actor=user, **form.cleaned_data)
            except RuleViolation as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"Recorded the {session.get_kind_display().lower()}.")
                return redirect("learning:session_detail", session_id=session.pk)
        status = 400
    else:
        form = SessionForm(
            initial={"held_on": timezone.localdate(), "kind": SupervisionSession.Kind.GROUP},
            **kwargs,
        )
    return render(request, "learning/session_add.html", {"form": form}, status=status)


def _session_context(request, session, *, action_form=None):
    user = request.user
    editable = selectors.may_edit_session(user, session)
    actions = selectors.session_actions(session)
    for action in actions:
        action.editable = selectors.may_edit_action(user, action)
    if editable and action_form is None:
        action_form = ActionForm(people=selectors.session_people(session), auto_id="action-%s")
    return {
        "session": session,
        "actions": actions,
        "editable": editable,
        "action_form": action_form if editable else None,
        "may_start_map": session.case_visible and selectors.may_start_session_map(user, session),
        "today": timezone.localdate(),
    }


@require_GET
def session_detail(request, session_id):
    session = selectors.session_get_visible(request.user, session_id=session_id)
    audit_record(
        actor=request.user,
        verb="learning.session_viewed",
        target=session,
        case_id=session.case_id if session.case_visible else None,
    )
    context = _session_context(request, session)
    return render(request, "learning/session_detail.html", context)


@require_http_methods(["GET", "POST"])
def session_edit(request, session_id):
    session = selectors.session_get_visible(request.user, session_id=session_id)
    if not selectors.may_edit_session(request.user, session):
        raise PermissionDenied("Only the facilitator changes the record of a session.")
    staff = selectors.supervisable_staff(request.user).select_related("team")
    status = 200
    if request.method == "POST":
        form = SessionEditForm(request.POST, staff=staff)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.session_update(
                    actor=request.user,
                    session=session,
                    expected_revision=data.pop("revision"),
                    **data,
                )
            except ConflictError as error:
                form.add_error(None, error.message)
                form.conflict_with = error.current
            except RuleViolation as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Saved the session.")
                return redirect("learning:session_detail", session_id=session.pk)
        status = 400
    else:
        form = SessionEditForm(
            initial={
                "revision": session.revision,
                "held_on": session.held_on,
                "presenter": session.presenter_id,
                "attendees": [a.pk for a in session.attendees.all()],
                "focus": session.focus,
                "questions": session.questions,
                "reflections": session.reflections,
            },
            staff=staff,
        )
    context = {"session": session, "form": form}
    return render(request, "learning/session_edit.html", context, status=status)


@require_POST
def session_complete(request, session_id):
    session = selectors.session_get_visible(request.user, session_id=session_id)
    if not selectors.may_edit_session(request.user, session):
        raise PermissionDenied("Only the facilitator completes a session.")
    form = ActionDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The page was out of date: try again.")
    else:
        try:
            services.session_complete(
                actor=request.user,
                session=session,
                expected_revision=form.cleaned_data["revision"],
            )
        except (ConflictError, RuleViolation) as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "The session is completed.")
    return redirect("learning:session_detail", session_id=session.pk)


@require_POST
def session_map_start(request, session_id):
    session = selectors.session_get_visible(request.user, session_id=session_id)
    if not session.case_visible or not selectors.may_start_session_map(request.user, session):
        raise PermissionDenied("The map is started by someone who records on this case.")
    try:
        map_ = services.session_map_start(actor=request.user, session=session)
    except RuleViolation as error:
        messages.error(request, error.message)
        return redirect("learning:session_detail", session_id=session.pk)
    messages.success(request, "Started the session's map. Map the case together here.")
    return redirect(
        reverse("practice:map_detail", kwargs={"case_id": map_.case_id, "map_id": map_.pk})
    )


# Actions.


@require_POST
def action_add(request, session_id):
    session = selectors.session_get_visible(request.user, session_id=session_id)
    if not selectors.may_edit_session(request.user, session):
        raise PermissionDenied("Only the facilitator adds actions.")
    form = ActionForm(request.POST, people=selectors.session_people(session), auto_id="action-%s")
    if form.is_valid():
        try:
            action = services.action_add(actor=request.user, session=session, **form.cleaned_data)
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Added an action for {action.owner}.")
            return redirect(
                reverse("learning:session_detail", kwargs={"session_id": session.pk}) + "#actions"
            )
    context = _session_context(request, session, action_form=form)
    return render(request, "learning/session_detail.html", context, status=400)


@require_http_methods(["GET", "POST"])
def action_edit(request, action_id):
    action = selectors.action_get_editable(request.user, action_id=action_id)
    people = selectors.session_people(action.session)
    status = 200
    if request.method == "POST":
        form = ActionEditForm(request.POST, people=people)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.action_update(
                    actor=request.user,
                    action=action,
                    expected_revision=data.pop("revision"),
                    **data,
                )
            except ConflictError as error:
                form.add_error(None, error.message)
                form.conflict_with = error.current
            except RuleViolation as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Saved the action.")
                return redirect(_back(request, action))
        status = 400
    else:
        form = ActionEditForm(
            initial={
                "revision": action.revision,
                "text": action.text,
                "owner": action.owner_id,
                "due_on": action.due_on,
                "done_on": action.done_on,
            },
            people=people,
        )
    context = {"action": action, "form": form, "back": _back(request, action)}
    return render_page_or_partial(
        request, "learning/action_edit.html", context, partial="action-form", status=status
    )


def _back(request, action):
    if request.POST.get("next") == "my_work" or request.GET.get("next") == "my_work":
        return reverse("timescales:my_work")
    return reverse("learning:session_list")


@require_POST
def action_done(request, action_id):
    action = selectors.action_get_editable(request.user, action_id=action_id)
    form = ActionDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The page was out of date: try again.")
    else:
        try:
            services.action_mark_done(
                actor=request.user,
                action=action,
                expected_revision=form.cleaned_data["revision"],
                done_on=timezone.localdate(),
            )
        except (ConflictError, RuleViolation) as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Marked done: {action.text[:80]}")
    return redirect(_back(request, action))


# Supervision frequency.


@require_GET
def supervision_frequency(request):
    user = request.user
    if not selectors.may_see_frequency(user):
        raise PermissionDenied("Supervision frequency is for managers and practice leads.")
    teams = list(selectors.frequency_teams(user))
    team = next((t for t in teams if str(t.pk) == request.GET.get("team", "")), None)
    if user.role == "team_manager":
        team = teams[0] if teams else None
    workers = selectors.supervision_by_worker(user, team_id=team.pk if team else None)
    if user.role == "team_manager" and team is None:
        months = []
    else:
        months = selectors.supervision_held(user.agency_id, team_id=team.pk if team else None)
    context = {
        "teams": teams,
        "team": team,
        "workers": workers,
        "gaps": sum(1 for w in workers if w.in_gap),
        "gap_days": selectors.gap_days(),
        "months": months,
        "choose_team": user.role != "team_manager",
    }
    return render_page_or_partial(
        request, "learning/frequency.html", context, partial="frequency-results"
    )


# Appreciative inquiry.


def _inquiry_form_kwargs(user):
    staff = (
        User.objects.filter(agency_id=user.agency_id, is_active=True)
        .exclude(role="administrator")
        .select_related("team")
    )
    return {"staff": staff, "cases": selectors.presentable_cases(user, open_only=False)}


@require_GET
def inquiry_list(request):
    _staff_only(request)
    context = {
        "inquiries": selectors.inquiry_list(request.user),
        "may_record": selectors.may_record_inquiries(request.user),
        "waiting": selectors.inquiries_waiting_for(request.user).count(),
    }
    return render(request, "learning/inquiry_list.html", context)


@require_http_methods(["GET", "POST"])
def inquiry_add(request):
    user = request.user
    if not selectors.may_record_inquiries(user):
        raise PermissionDenied("Practitioners, managers and practice leads record inquiries.")
    kwargs = _inquiry_form_kwargs(user)
    status = 200
    if request.method == "POST":
        form = InquiryForm(request.POST, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                inquiry = services.inquiry_record(actor=user, **data)
            except RuleViolation as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Recorded the appreciative inquiry.")
                return redirect("learning:inquiry_detail", inquiry_id=inquiry.pk)
        status = 400
    else:
        form = InquiryForm(initial={"held_on": timezone.localdate()}, **kwargs)
    return render(request, "learning/inquiry_add.html", {"form": form}, status=status)


def _inquiry_context(request, inquiry, *, share_form=None):
    user = request.user
    may_confirm = selectors.may_confirm_sharing(user, inquiry)
    return {
        "inquiry": inquiry,
        "editable": selectors.may_edit_inquiry(user, inquiry),
        "may_confirm": may_confirm,
        "may_withdraw": inquiry.is_shared and (may_confirm or inquiry.created_by_id == user.pk),
        "problems": services.inquiry_anonymity_problems(inquiry) if inquiry.shared_text else [],
        "share_form": share_form
        or InquiryShareForm(initial={"revision": inquiry.revision}, auto_id="share-%s"),
    }


@require_GET
def inquiry_detail(request, inquiry_id):
    inquiry = selectors.inquiry_get_visible(request.user, inquiry_id=inquiry_id)
    audit_record(
        actor=request.user,
        verb="learning.inquiry_viewed",
        target=inquiry,
        case_id=inquiry.case_id if inquiry.case_visible else None,
    )
    return render(request, "learning/inquiry_detail.html", _inquiry_context(request, inquiry))


@require_http_methods(["GET", "POST"])
def inquiry_edit(request, inquiry_id):
    user = request.user
    inquiry = selectors.inquiry_get_visible(user, inquiry_id=inquiry_id)
    if not selectors.may_edit_inquiry(user, inquiry):
        raise PermissionDenied("Only the people who recorded it and practice leads change it.")
    kwargs = _inquiry_form_kwargs(user)
    if inquiry.case_id and not inquiry.case_visible:
        kwargs["cases"] = kwargs["cases"].none()
    status = 200
    if request.method == "POST":
        form = InquiryEditForm(request.POST, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            # Someone who cannot open the case keeps the link as it is, unseen.
            if inquiry.case_id and not inquiry.case_visible:
                data["case"] = inquiry.case
            try:
                services.inquiry_update(
                    actor=user,
                    inquiry=inquiry,
                    expected_revision=data.pop("revision"),
                    **data,
                )
            except ConflictError as error:
                form.add_error(None, error.message)
                form.conflict_with = error.current
            except RuleViolation as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Saved the appreciative inquiry.")
                return redirect("learning:inquiry_detail", inquiry_id=inquiry.pk)
        status = 400
    else:
        initial = {
            name: getattr(inquiry, name) for name in services.INQUIRY_FIELDS + ("revision", "case")
        }
        initial["workers"] = [w.pk for w in inquiry.workers.all()]
        form = InquiryEditForm(initial=initial, **kwargs)
    context = {"inquiry": inquiry, "form": form}
    return render(request, "learning/inquiry_edit.html", context, status=status)


@require_POST
def inquiry_share(request, inquiry_id):
    inquiry = selectors.inquiry_get_visible(request.user, inquiry_id=inquiry_id)
    if not selectors.may_confirm_sharing(request.user, inquiry):
        raise PermissionDenied("A practice lead or team manager confirms sharing.")
    form = InquiryShareForm(request.POST, auto_id="share-%s")
    if form.is_valid():
        try:
            services.inquiry_share(
                actor=request.user,
                inquiry=inquiry,
                expected_revision=form.cleaned_data["revision"],
                confirmed_anonymised=form.cleaned_data["confirmed_anonymised"],
            )
        except (ConflictError, RuleViolation) as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Shared in the library of good practice.")
            return redirect("learning:inquiry_detail", inquiry_id=inquiry.pk)
    inquiry = selectors.inquiry_get_visible(request.user, inquiry_id=inquiry_id)
    context = _inquiry_context(request, inquiry, share_form=form)
    return render(request, "learning/inquiry_detail.html", context, status=400)


@require_POST
def inquiry_withdraw(request, inquiry_id):
    inquiry = selectors.inquiry_get_visible(request.user, inquiry_id=inquiry_id)
    allowed = selectors.may_confirm_sharing(request.user, inquiry)
    if not (allowed or inquiry.created_by_id == request.user.pk):
        raise PermissionDenied("You can't take this inquiry out of the library.")
    form = ActionDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The page was out of date: try again.")
    else:
        try:
            services.inquiry_withdraw(
                actor=request.user,
                inquiry=inquiry,
                expected_revision=form.cleaned_data["revision"],
            )
        except (ConflictError, RuleViolation) as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Taken out of the library.")
    return redirect("learning:inquiry_detail", inquiry_id=inquiry.pk)


# The library of good practice.


@require_GET
def library(request):
    _staff_only(request)
    form = LibrarySearchForm(request.GET or None)
    search, theme = "", ""
    if form.is_valid():
        search, theme = form.cleaned_data["q"], form.cleaned_data["theme"]
    context = {
        "form": form,
        "entries": list(selectors.library(request.user, search=search, theme=theme)),
        "search": search,
        "theme_label": dict(PracticeTheme.choices).get(theme, ""),
    }
    return render_page_or_partial(request, "learning/library.html", context, partial="results")


@require_GET
def library_entry(request, inquiry_id):
    _staff_only(request)
    entry = selectors.library_entry(request.user, inquiry_id=inquiry_id)
    return render(request, "learning/library_entry.html", {"entry": entry})
