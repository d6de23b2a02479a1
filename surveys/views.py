"""Surveys' pages.

- Setting surveys up, opening and closing them, results and downloads: practice leads, senior
  leaders, performance analysts and administrators of the agency (`selectors.may_manage`);
  everyone else gets 403, and another agency's survey is 404.
- "Surveys to answer": every member of staff; a staff survey is answered only by someone it
  was sent to (404 otherwise).
- A case's family surveys: anyone who may read the case sees who was asked; those who may
  record on it send a survey (404 outside the case, 403 without recording).
- A family's link (`survey/<token>/`): no account. Signed-in staff are refused (403), so
  nobody answers on a family's behalf. Never cached.

Every write goes through surveys.services; every results page and download is audited."""

import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.audit import audit_record, audit_view
from core.errors import ConflictError, RuleViolation
from core.exports import table_response
from core.rendering import render_page_or_partial
from people.selectors import case_family, case_get_visible
from surveys import exports, selectors, services
from surveys.charts import distribution_chart, rounds_chart
from surveys.forms import FamilyInviteForm, QuestionForm, RepeatForm, SurveyForm, answer_form
from surveys.models import Survey, SurveyInvitation, SurveyQuestion


def _require_manager(user):
    if not selectors.may_manage(user):
        raise PermissionDenied(
            "Surveys are set up by practice leads, senior leaders, analysts and administrators."
        )


def _survey(request, survey_id) -> Survey:
    _require_manager(request.user)
    return selectors.survey_get(request.user, survey_id=survey_id)


def _ip(request):
    return request.META.get("REMOTE_ADDR")


# Setting surveys up --------------------------------------------------------------------------


@require_GET
def survey_list(request):
    _require_manager(request.user)
    surveys = list(selectors.surveys_for(request.user))
    for survey in surveys:
        survey.percent = round(100 * survey.answered / survey.invited) if survey.invited else None
    return render(request, "surveys/survey_list.html", {"surveys": surveys})


@require_http_methods(["GET", "POST"])
def survey_add(request):
    _require_manager(request.user)
    form = SurveyForm(request.POST or None, auto_id="survey-%s")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.survey_create(
                actor=request.user,
                kind=data["kind"],
                title=data["title"],
                introduction=data["introduction"] or None,
                anonymous=data["anonymous"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
            )
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Survey made with the standard questions. Check them.")
            return redirect("surveys:survey_detail", survey.pk)
    return render(request, "surveys/survey_form.html", {"form": form, "survey": None})


def _detail_context(survey) -> dict:
    return {
        "survey": survey,
        "questions": selectors.questions(survey),
        "rates": selectors.response_rates(survey),
        "repeat_form": RepeatForm(auto_id="repeat-%s"),
        "today": timezone.localdate(),
    }


@require_GET
def survey_detail(request, survey_id):
    survey = _survey(request, survey_id)
    return render(request, "surveys/survey_detail.html", _detail_context(survey))


@require_http_methods(["GET", "POST"])
def survey_edit(request, survey_id):
    survey = _survey(request, survey_id)
    initial = {
        "title": survey.title,
        "introduction": survey.introduction,
        "anonymous": "yes" if survey.anonymous else "no",
        "opens_on": survey.opens_on,
        "closes_on": survey.closes_on,
        "revision": survey.revision,
    }
    form = SurveyForm(request.POST or None, initial=initial, editing=True, auto_id="survey-%s")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.survey_update(
                actor=request.user,
                survey=survey,
                expected_revision=data["revision"] or 0,
                title=data["title"],
                introduction=data["introduction"],
                anonymous=data["anonymous"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
            )
        except ConflictError as error:
            form.add_error(None, error.message)
            survey.refresh_from_db()
            form.data = form.data.copy()
            form.data["revision"] = survey.revision
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Survey saved.")
            return redirect("surveys:survey_detail", survey.pk)
    return render(request, "surveys/survey_form.html", {"form": form, "survey": survey})


def _state_change(request, survey, change, done: str):
    try:
        expected = int(request.POST.get("revision", ""))
    except ValueError:
        expected = -1
    try:
        change(actor=request.user, survey=survey, expected_revision=expected)
    except (ConflictError, RuleViolation) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("surveys:survey_detail", survey.pk)


@require_POST
def survey_open(request, survey_id):
    survey = _survey(request, survey_id)
    done = (
        "The survey is open. Every member of staff can answer it from Surveys to answer."
        if survey.kind == Survey.Kind.STAFF
        else "The survey is open. Workers can send it to families from their cases."
    )
    return _state_change(request, survey, services.survey_open, done)


@require_POST
def survey_close(request, survey_id):
    survey = _survey(request, survey_id)
    return _state_change(request, survey, services.survey_close, "The survey is closed.")


@require_POST
def survey_repeat(request, survey_id):
    survey = _survey(request, survey_id)
    form = RepeatForm(request.POST, auto_id="repeat-%s")
    if form.is_valid():
        try:
            new = services.survey_repeat(
                actor=request.user,
                survey=survey,
                opens_on=form.cleaned_data["opens_on"],
                closes_on=form.cleaned_data["closes_on"],
            )
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The next round is ready to check and open.")
            return redirect("surveys:survey_detail", new.pk)
    context = _detail_context(survey) | {"repeat_form": form}
    return render(request, "surveys/survey_detail.html", context, status=400)


def _question_form(request, question=None):
    initial = {}
    if question is not None:
        initial = {
            name: getattr(question, name)
            for name in [
                "text",
                "kind",
                "column",
                "hint",
                "group",
                "low_label",
                "high_label",
                "required",
                "order",
                "revision",
            ]
        }
    else:
        initial = {"kind": SurveyQuestion.Kind.AGREE}
    data = request.POST if request.method == "POST" else None
    return QuestionForm(data, initial=initial, auto_id="question-%s")


def _question_fields(data) -> dict:
    return {
        name: data[name]
        for name in ["text", "kind", "column", "hint", "group", "low_label", "high_label"]
    } | {"required": data["required"]}


@require_http_methods(["GET", "POST"])
def question_add(request, survey_id):
    survey = _survey(request, survey_id)
    form = _question_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_question_add(
                actor=request.user, survey=survey, **_question_fields(form.cleaned_data)
            )
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Question added.")
            return redirect(reverse("surveys:survey_detail", args=[survey.pk]) + "#questions")
    context = {"survey": survey, "form": form, "question": None}
    return render(request, "surveys/question_form.html", context)


@require_http_methods(["GET", "POST"])
def question_edit(request, survey_id, survey_question_id):
    survey = _survey(request, survey_id)
    question = selectors.question_get(survey, question_id=survey_question_id)
    form = _question_form(request, question)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.survey_question_update(
                actor=request.user,
                question=question,
                expected_revision=data["revision"] or 0,
                order=data["order"],
                **_question_fields(data),
            )
        except ConflictError as error:
            form.add_error(None, error.message)
            question.refresh_from_db()
            form.data = form.data.copy()
            form.data["revision"] = question.revision
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Question saved.")
            return redirect(reverse("surveys:survey_detail", args=[survey.pk]) + "#questions")
    context = {"survey": survey, "form": form, "question": question}
    return render(request, "surveys/question_form.html", context)


@require_POST
def question_remove(request, survey_id, survey_question_id):
    survey = _survey(request, survey_id)
    question = selectors.question_get(survey, question_id=survey_question_id)
    try:
        services.survey_question_remove(actor=request.user, question=question)
    except RuleViolation as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Question removed.")
    return redirect(reverse("surveys:survey_detail", args=[survey.pk]) + "#questions")


# Results -------------------------------------------------------------------------------------


@require_GET
def results(request, survey_id):
    survey = _survey(request, survey_id)
    data = selectors.results(survey)
    for row in data["rows"]:
        row["chart"] = None if data["suppressed"] else distribution_chart(row["distribution"])
    audit_record(
        actor=request.user,
        verb="surveys.results_viewed",
        target=survey,
        changes={"survey": survey.pk, "view": "round", "responses": data["total"]},
        ip_address=_ip(request),
    )
    context = {"survey": survey, **data}
    return render_page_or_partial(request, "surveys/results.html", context, partial="results")


@require_GET
def compare(request, survey_kind):
    _require_manager(request.user)
    kind = survey_kind
    if kind not in Survey.Kind.values:
        raise Http404("No such survey.")
    data = selectors.rounds(request.user, kind=kind)
    for row in data["rows"]:
        question = row["question"]
        low, high = (0, 10) if question.kind == SurveyQuestion.Kind.SCALE else (1, 5)
        row["chart"] = rounds_chart(
            [
                {
                    "label": f"{p['survey'].opens_on:%b %Y}",
                    "mean": p["all"].mean if p["all"] is not None else None,
                }
                for p in row["points"]
            ],
            low=low,
            high=high,
        )
    audit_record(
        actor=request.user,
        verb="surveys.results_viewed",
        agency_id=request.user.agency_id,
        changes={"view": "rounds", "kind": kind, "rounds": [s.pk for s in data["surveys"]]},
        ip_address=_ip(request),
    )
    context = {"kind": kind, "kind_label": Survey.Kind(kind).label, **data}
    return render(request, "surveys/compare.html", context)


@require_GET
def results_download(request, survey_id):
    """?table=answers|teams|rates|words&fmt=csv|xlsx."""
    survey = _survey(request, survey_id)
    table = request.GET.get("table") or "answers"
    fmt = request.GET.get("fmt") if request.GET.get("fmt") in {"csv", "xlsx"} else "csv"
    if table not in exports.TABLES:
        raise Http404("No such table.")
    header, rows = exports.TABLES[table](survey)
    audit_record(
        actor=request.user,
        verb="surveys.results_downloaded",
        target=survey,
        changes={"survey": survey.pk, "table": table, "format": fmt, "rows": len(rows)},
        ip_address=_ip(request),
    )
    name = f"survey-{survey.pk}-{table}-{survey.opens_on:%Y-%m-%d}"
    return table_response(filename=name, fmt=fmt, header=header, rows=rows, title=table)


# Staff answering -----------------------------------------------------------------------------


@require_GET
def my_surveys(request):
    invitations = selectors.staff_invitations(request.user)
    return render(request, "surveys/my_surveys.html", {"invitations": invitations})


@require_http_methods(["GET", "POST"])
def staff_answer(request, survey_id):
    invitation = selectors.staff_invitation_get(request.user, survey_id=survey_id)
    survey = invitation.survey
    if invitation.answered_on is not None:
        messages.info(request, services.ALREADY_ANSWERED)
        return redirect("surveys:my_surveys")
    form = answer_form(survey, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_response_submit(
                invitation=invitation,
                answers=form.answers(),
                through=SurveyInvitation.Channel.STAFF,
                actor=request.user,
                ip_address=_ip(request),
            )
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Thank you. Your answers are saved.")
            return redirect("surveys:my_surveys")
    return render(request, "surveys/staff_answer.html", {"survey": survey, "form": form})


# A case's family surveys ---------------------------------------------------------------------


def _case(request, case_id, *, for_recording=False):
    case = case_get_visible(request.user, case_id=case_id)
    if for_recording and not request.user.has_perm("people.record_on_case", case):
        raise PermissionDenied("You can read this case but not record on it.")
    return case


def case_surveys(request, case_id):
    case = _case(request, case_id)
    if request.method != "GET":
        # After the case check, so another agency learns nothing from the answer.
        return HttpResponseNotAllowed(["GET"])
    audit_view(request, verb="surveys.case_invitations_viewed", target=case, case_id=case.pk)
    context = {
        "case": case,
        "invitations": selectors.case_survey_invitations(case),
        "open_surveys": selectors.family_surveys_open(case.agency_id),
        "may_record": request.user.has_perm("people.record_on_case", case),
    }
    return render(request, "surveys/case_surveys.html", context)


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=6)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    svg = svg[svg.index("<svg") :]
    label = 'role="img" aria-label="QR code: scan it with a phone camera to open the survey" '
    return svg.replace("<svg ", f'<svg {label}class="qr" ', 1)


@require_http_methods(["GET", "POST"])
def family_invite(request, case_id):
    case = _case(request, case_id, for_recording=True)
    surveys = selectors.family_surveys_open(case.agency_id)
    people = case_family(case)
    form = FamilyInviteForm(
        request.POST if request.method == "POST" else None,
        surveys=surveys,
        people=list(people),
        auto_id="invite-%s",
    )
    if request.method == "POST" and surveys and form.is_valid():
        data = form.cleaned_data

        def link_for(token):
            return request.build_absolute_uri(reverse("surveys:family_answer", args=[token]))

        try:
            invitation, token = services.survey_family_invite(
                actor=request.user,
                survey=data["survey"],
                case=case,
                person=data["person"],
                email=data["email"],
                link_for=link_for,
            )
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            url = link_for(token)
            context = {
                "case": case,
                "invitation": invitation,
                "url": url,
                "qr_svg": _qr_svg(url),
            }
            response = render(request, "surveys/invitation_print.html", context)
            response["Cache-Control"] = "no-store"
            return response
    context = {"case": case, "form": form, "surveys": surveys}
    return render(request, "surveys/family_invite.html", context)


# A family's link -----------------------------------------------------------------------------


def _refuse_staff(request):
    if request.user.is_authenticated:
        raise PermissionDenied("This survey is for families to answer themselves.")


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def family_answer(request, survey_token):
    _refuse_staff(request)
    try:
        invitation = services.invitation_for_token(survey_token)
    except RuleViolation as error:
        return render(request, "surveys/family_refused.html", {"message": error.message})
    survey = invitation.survey
    form = answer_form(survey, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_response_submit(
                invitation=invitation,
                answers=form.answers(),
                through=SurveyInvitation.Channel.LINK,
                ip_address=_ip(request),
            )
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            return render(request, "surveys/family_thanks.html", {"survey": survey})
    context = {"survey": survey, "form": form, "name": invitation.name}
    response = render(request, "surveys/family_answer.html", context)
    # The link is the key: never send it on to another site. ("no-referrer" would also blank
    # the Origin of the form's own POST, which the CSRF check needs.)
    response["Referrer-Policy"] = "same-origin"
    return response
