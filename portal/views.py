"""The family and network portal's pages, staff side and family side.

Staff side (`cases/<case_id>/portal/...`): the case is fetched through the access-scoped
selector (404 outside it) and writes need the recording permission (403). The invitation or
alert a form acts on travels in the form and is looked up within that case.

Family side (`family/...`): no staff sign-in. `portal_view` checks the portal session and the
invitation on every request (else the portal's sign-in page), refuses staff (403) and answers
404 for anything the invitation does not name. Every page view is audited."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.audit import audit_view
from core.errors import RuleViolation
from documents.builders import map_document
from documents.rendering import CONTENT_TYPES, render_pdf, safe_filename
from people.selectors import case_family, case_get_visible
from portal import selectors, services
from portal.access import (
    current_access,
    portal_audit,
    portal_public,
    portal_view,
    session_end,
    session_start,
)
from portal.forms import (
    AcknowledgeForm,
    CodeForm,
    InviteForm,
    LinkRequestForm,
    PortalCheckInForm,
    WithdrawForm,
)
from portal.models import PortalToken, Scope
from safety.documents import safety_plan_document
from safety.models import NetworkMember
from surveys import selectors as survey_selectors
from surveys import services as survey_services
from surveys.forms import answer_form
from surveys.models import SurveyInvitation
from voices.documents import words_and_pictures_document
from voices.storage import upload_storage

# Staff side ----------------------------------------------------------------------------------


def _case(request, case_id, *, for_recording=False):
    case = case_get_visible(request.user, case_id=case_id)
    if for_recording and not request.user.has_perm("people.record_on_case", case):
        raise PermissionDenied("You can read this case but not record on it.")
    return case


def _portal_url(case, anchor=""):
    url = reverse("portal:case_portal", args=[case.pk])
    return f"{url}#{anchor}" if anchor else url


def _link_base(request) -> str:
    return request.build_absolute_uri(reverse("portal:family_link"))


def case_portal(request, case_id):
    case = _case(request, case_id)
    audit_view(request, verb="portal.invitations_viewed", target=case, case_id=case.pk)
    context = {
        "case": case,
        "invitations": selectors.case_invitations(case),
        "alerts": selectors.case_alerts(case),
        "may_record": request.user.has_perm("people.record_on_case", case),
    }
    return render(request, "portal/case_portal.html", context)


def _invite_form(case, data=None):
    people = case_family(case)
    members = case.network_members.filter(status=NetworkMember.Status.ACTIVE).order_by("name")
    return InviteForm(data, people=people, members=members, auto_id="invite-%s")


def _print_page(request, case, invitation, code):
    context = {
        "case": case,
        "invitation": invitation,
        "code": services.format_code(code),
        "sign_in_url": request.build_absolute_uri(reverse("portal:family_sign_in")),
        "code_days": services.code_days(),
    }
    response = render(request, "portal/invitation_print.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def invitation_add(request, case_id):
    case = _case(request, case_id, for_recording=True)
    form = _invite_form(case, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, code = services.portal_invitation_create(
                actor=request.user,
                case=case,
                scopes=form.cleaned_data["scopes"],
                expires_on=form.cleaned_data["expires_on"],
                delivery=form.cleaned_data["delivery"],
                email=form.cleaned_data["email"],
                young_person_judgement=form.cleaned_data["young_person_judgement"],
                link_base=_link_base(request),
                **form.invitee(),
            )
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            if code is not None:
                return _print_page(request, case, invitation, code)
            messages.success(request, f"We have emailed {invitation.name} a sign-in link.")
            return redirect(_portal_url(case, f"invitation-{invitation.pk}"))
    return render(request, "portal/invitation_add.html", {"case": case, "form": form})


@require_POST
def invitation_new_code(request, case_id):
    case = _case(request, case_id, for_recording=True)
    invitation = selectors.invitation_get(case, invitation_id=request.POST.get("invitation"))
    try:
        code = services.portal_code_issue(actor=request.user, invitation=invitation)
    except RuleViolation as error:
        messages.error(request, error.message)
        return redirect(_portal_url(case, f"invitation-{invitation.pk}"))
    return _print_page(request, case, invitation, code)


@require_POST
def invitation_send_link(request, case_id):
    case = _case(request, case_id, for_recording=True)
    invitation = selectors.invitation_get(case, invitation_id=request.POST.get("invitation"))
    try:
        services.portal_link_send(
            actor=request.user, invitation=invitation, link_base=_link_base(request)
        )
    except RuleViolation as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"We have emailed {invitation.name} a sign-in link.")
    return redirect(_portal_url(case, f"invitation-{invitation.pk}"))


@require_POST
def invitation_withdraw(request, case_id):
    case = _case(request, case_id, for_recording=True)
    form = WithdrawForm(request.POST)
    invitation = selectors.invitation_get(case, invitation_id=request.POST.get("invitation"))
    try:
        services.portal_invitation_withdraw(
            actor=request.user,
            invitation=invitation,
            reason=form.data.get("reason", "")[:300],
        )
    except RuleViolation as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{invitation.name} can no longer see the family pages.")
    return redirect(_portal_url(case, f"invitation-{invitation.pk}"))


@require_POST
def alert_acknowledge(request, case_id):
    case = _case(request, case_id, for_recording=True)
    alert = selectors.alert_get(case, alert_id=request.POST.get("alert"))
    form = AcknowledgeForm(request.POST)
    form.is_valid()
    try:
        services.portal_alert_acknowledge(
            actor=request.user, alert=alert, note=form.cleaned_data.get("note", "")
        )
    except RuleViolation as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Alert acknowledged.")
    return redirect(_portal_url(case, "alerts"))


# Family side: signing in ---------------------------------------------------------------------


def _ip(request):
    return request.META.get("REMOTE_ADDR")


@portal_public
@require_http_methods(["GET", "POST"])
def family_sign_in(request):
    if request.method == "GET" and current_access(request) is not None:
        return redirect("portal:family_home")
    form = CodeForm(request.POST or None, auto_id="sign-in-%s")
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.portal_sign_in(
                secret=form.cleaned_data["code"],
                kind=PortalToken.Kind.CODE,
                ip_address=_ip(request),
            )
        except RuleViolation as error:
            form.add_error("code", error.message)
        else:
            session_start(request, invitation)
            return redirect("portal:family_home")
    return render(request, "portal/family_sign_in.html", {"form": form})


@portal_public
@require_http_methods(["GET", "POST"])
def family_link_request(request):
    form = LinkRequestForm(request.POST or None, auto_id="link-%s")
    sent = False
    if request.method == "POST" and form.is_valid():
        services.portal_link_request(
            email=form.cleaned_data["email"], link_base=_link_base(request), ip_address=_ip(request)
        )
        sent = True
    context = {"form": form, "sent": sent, "minutes": services.link_minutes()}
    return render(request, "portal/family_link_request.html", context)


@portal_public
@require_http_methods(["GET", "POST"])
def family_link(request):
    """A link from an email. Opening it only shows a button: the link is used when the person
    presses it, so an email scanner that follows links can't use it up."""
    token = (request.POST.get("token") or request.GET.get("token") or "")[:200]
    error = None
    if request.method == "POST":
        try:
            invitation = services.portal_sign_in(
                secret=token, kind=PortalToken.Kind.LINK, ip_address=_ip(request)
            )
        except RuleViolation as refused:
            error = refused.message
        else:
            session_start(request, invitation)
            return redirect("portal:family_home")
    return render(request, "portal/family_link.html", {"token": token, "error": error})


@portal_view()
@require_POST
def family_sign_out(request, access):
    portal_audit(request, access, verb="portal.signed_out")
    session_end(request)
    messages.success(request, "You have signed out.")
    return redirect("portal:family_sign_in")


# Family side: what they can see --------------------------------------------------------------


def _family_render(request, access, template, context, *, verb, target=None, changes=None):
    portal_audit(request, access, verb=verb, target=target, changes=changes)
    context = {"access": access, **context}
    return render(request, template, context)


@portal_view()
def family_home(request, access):
    return _family_render(
        request, access, "portal/family_home.html", selectors.portal_home(access),
        verb="portal.home_viewed",
    )  # fmt: skip


@portal_view(Scope.WORDS_AND_PICTURES)
def family_words_and_pictures(request, access):
    stories = selectors.portal_words_and_pictures(access)
    return _family_render(
        request,
        access,
        "portal/family_words_and_pictures.html",
        {"stories": stories},
        verb="portal.words_and_pictures_viewed",
        changes={"versions": [s.version.pk for s in stories]},
    )


@portal_view(Scope.SAFETY_PLAN)
def family_plan(request, access):
    context = selectors.portal_plan(access)
    return _family_render(
        request,
        access,
        "portal/family_plan.html",
        context,
        verb="portal.plan_viewed",
        target=context["plan"],
    )


@portal_view(Scope.MAP_SUMMARY)
def family_map(request, access):
    summary = selectors.portal_map_summary(access)
    return _family_render(
        request,
        access,
        "portal/family_map.html",
        {"summary": summary},
        verb="portal.map_viewed",
        target=summary.map,
    )


def _pdf(request, access, document, *, stem, target):
    content = render_pdf(document)
    portal_audit(
        request,
        access,
        verb="portal.document_downloaded",
        target=target,
        changes={"kind": document.kind, "format": "pdf", "title": document.title},
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES["pdf"])
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(stem, "pdf")}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@portal_view(Scope.WORDS_AND_PICTURES)
def family_words_and_pictures_pdf(request, access, wp_id):
    story = selectors.portal_story_get(access, wp_id=wp_id)
    first = story.child.known_as or story.child.given_name
    return _pdf(
        request,
        access,
        words_and_pictures_document(story.version),
        stem=f"words-and-pictures-{first}",
        target=story.version,
    )


@portal_view(Scope.WORDS_AND_PICTURES)
def family_words_and_pictures_picture(request, access, wp_id, wp_picture_id):
    """A drawing or photo from a story this person may read; audited each time."""
    picture = selectors.portal_story_picture(access, wp_id=wp_id, picture_id=wp_picture_id)
    try:
        handle = upload_storage().open(picture.stored_name, "rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404("No picture found.") from error
    portal_audit(request, access, verb="portal.picture_viewed", target=picture)
    response = FileResponse(handle, content_type=picture.content_type)
    response["Content-Disposition"] = f'inline; filename="picture-{picture.pk}.{picture.extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@portal_view(Scope.SAFETY_PLAN)
def family_plan_pdf(request, access):
    plan = selectors.portal_plan(access)["plan"]
    if plan is None:
        raise Http404("No safety plan is agreed yet.")
    return _pdf(
        request, access, safety_plan_document(plan), stem=f"safety-plan-{plan.number}", target=plan
    )


@portal_view(Scope.MAP_SUMMARY)
def family_map_pdf(request, access):
    summary = selectors.portal_map_summary(access)
    if summary.map is None:
        raise Http404("No map is finished yet.")
    return _pdf(
        request, access, map_document(summary.map), stem=f"map-{summary.map.number}",
        target=summary.map,
    )  # fmt: skip


# Family side: a network member's part and check-ins ------------------------------------------


@portal_view(Scope.PLAN_RULES_AND_CHECK_IN)
def family_rules(request, access):
    context = selectors.portal_member_part(access)
    context["check_ins"] = selectors.portal_member_check_ins(access)
    return _family_render(
        request,
        access,
        "portal/family_rules.html",
        context,
        verb="portal.rules_viewed",
        target=context["plan"],
    )


@portal_view(Scope.PLAN_RULES_AND_CHECK_IN)
@require_http_methods(["GET", "POST"])
def family_check_in(request, access):
    part = selectors.portal_member_part(access)
    plan = part["plan"]
    if plan is None:
        messages.info(request, "There is no plan to check on yet.")
        return redirect("portal:family_rules")
    rule_ids = [rule.pk for rule in part["rules"]]
    rules = plan.rules.filter(pk__in=rule_ids).prefetch_related("members").order_by("id")
    form = PortalCheckInForm(
        request.POST if request.method == "POST" else None, rules=rules, auto_id="check-in-%s"
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _check_in, alert = services.portal_check_in_record(
                invitation=access.invitation,
                plan=plan,
                checked_on=data["checked_on"],
                what_they_saw=data["what_they_saw"],
                plan_kept=data["plan_kept"] == "yes",
                what_happened=data["what_happened"],
                what_they_did=data["what_they_did"],
                worries=data["worries"],
                rules=data["rules"],
                ip_address=_ip(request),
            )
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            if alert is not None:
                messages.success(
                    request,
                    "Thank you. We have saved your check-in and told the social worker.",
                )
            else:
                messages.success(request, "Thank you. We have saved your check-in.")
            return redirect("portal:family_rules")
    portal_audit(request, access, verb="portal.check_in_form_viewed", target=plan)
    context = {"access": access, "form": form, "today": timezone.localdate()}
    return render(request, "portal/family_check_in.html", context)


# Family side: the family survey ---------------------------------------------------------------


@portal_view()
@require_http_methods(["GET", "POST"])
def family_survey(request, access, survey_invitation_id):
    """A family survey this parent or young person was sent on this case, answered here
    instead of through its link. Only the survey's own questions are shown."""
    invitation = survey_selectors.family_invitation_get(
        case_id=access.invitation.case_id,
        person_id=access.invitation.person_id,
        invitation_id=survey_invitation_id,
    )
    survey = invitation.survey
    form = answer_form(survey, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            survey_services.survey_response_submit(
                invitation=invitation,
                answers=form.answers(),
                through=SurveyInvitation.Channel.PORTAL,
                ip_address=_ip(request),
                audit_changes={"portal_person": access.name, "portal_access": access.invitation.pk},
            )
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Thank you. We have your answers.")
            return redirect("portal:family_home")
    portal_audit(request, access, verb="portal.survey_viewed", target=survey)
    context = {"access": access, "form": form, "survey": survey}
    return render(request, "portal/family_survey.html", context)
