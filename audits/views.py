"""Case audit pages: rubrics, monthly samples, the audit itself, moderation and results.

Each view checks who may do what (403 for a page someone's role does not reach; 404 for an audit
or case outside what they may open, so a restricted case stays hidden), calls one service, and
without JavaScript answers a save with a redirect back to the page (post/redirect/get). A save
refused because someone else saved meanwhile comes back with the person's entries kept."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.models import Role
from audits import selectors, services
from audits.charts import bar_chart
from audits.forms import (
    AuditForm,
    ModerationForm,
    MonthForm,
    QuestionForm,
    ResultsForm,
    RevisionOnlyForm,
    RubricForm,
    SampleDrawForm,
)
from audits.models import AuditSample, Grade
from core.audit import audit_record, audit_view
from core.charts import trend_chart
from core.errors import ConflictError, RuleViolation
from core.exports import table_response
from core.rendering import render_page_or_partial
from people.selectors import case_get_visible

RESULT_MONTHS = 12


def _render(request, template, context, *, partial=None, status=200):
    """Render with the links to the audit pages this person may use."""
    context = context | {"perms_audits": selectors.nav(request.user)}
    if partial:
        return render_page_or_partial(request, template, context, partial=partial, status=status)
    return render(request, template, context, status=status)


def _require(allowed: bool, message: str):
    if not allowed:
        raise PermissionDenied(message)


# My audits ----------------------------------------------------------------------------------


@require_GET
def audit_list(request):
    user = request.user
    _require(
        selectors._in_agency(user)
        and user.role in {*selectors.AUDIT_READERS, *services.AUDITORS, Role.SOCIAL_WORKER},
        "Case audits are for workers, managers, practice leads and senior leaders.",
    )
    context = selectors.my_audits(user)
    if user.role in selectors.AUDIT_READERS:
        context["recent"] = list(selectors.audits_visible_to(user)[:50])
    return _render(request, "audits/audit_list.html", context)


# Starting and completing an audit -----------------------------------------------------------


@require_POST
def audit_start(request, case_id):
    case = case_get_visible(request.user, case_id=case_id)
    _require(request.user.role in services.AUDITORS, "Only practice leads and managers audit.")
    sample = None
    if request.POST.get("sample"):
        sample = AuditSample.objects.filter(
            agency_id=request.user.agency_id, pk=request.POST["sample"]
        ).first()
    try:
        audit = services.audit_start(actor=request.user, case=case, sample=sample)
    except RuleViolation as error:
        messages.error(request, error.message)
        return redirect(request.POST.get("back") or reverse("audits:audit_list"))
    return redirect("audits:audit_detail", audit_id=audit.pk)


def _audit_form(request, audit, answers, data=None):
    return AuditForm(
        data,
        audit=audit,
        answers=answers,
        is_auditor=request.user.pk == audit.auditor_id,
        is_worker=request.user.pk == audit.worker_id,
        initial={"revision": audit.revision},
        auto_id="audit-%s",
    )


def _audit_context(request, audit, form, answers):
    return {
        "audit": audit,
        "form": form,
        "rows": form.rows(),
        "complete_form": RevisionOnlyForm(initial={"revision": audit.revision}),
        "may_write": request.user.pk in {audit.auditor_id, audit.worker_id}
        and audit.status != audit.Status.MODERATED,
        "is_auditor": request.user.pk == audit.auditor_id,
        "may_moderate": services.may_moderate(request.user, audit)
        and audit.status == audit.Status.COMPLETED,
    }


@require_http_methods(["GET", "POST"])
def audit_detail(request, audit_id):
    audit = selectors.audit_get_visible(request.user, audit_id=audit_id)
    answers = selectors.audit_answers(audit)
    if request.method == "GET":
        audit_view(request, verb="audits.audit_viewed", target=audit, case_id=audit.case_id)
        form = _audit_form(request, audit, answers)
        return _render(
            request, "audits/audit_detail.html", _audit_context(request, audit, form, answers)
        )
    _require(
        request.user.pk in {audit.auditor_id, audit.worker_id},
        "Only the auditor and the worker complete this audit.",
    )
    form = _audit_form(request, audit, answers, request.POST)
    if form.is_valid():
        try:
            services.audit_save(
                actor=request.user,
                audit=audit,
                expected_revision=form.cleaned_data["revision"],
                answers=form.answer_values(),
                summary=form.summary_values(),
            )
        except ConflictError as error:
            audit = selectors.audit_get_visible(request.user, audit_id=audit_id)
            answers = selectors.audit_answers(audit)
            data = request.POST.copy()
            data["revision"] = audit.revision
            form = _audit_form(request, audit, answers, data)
            form.is_valid()
            form.add_error(None, error.message)
            form.conflict_with = audit
            context = _audit_context(request, audit, form, answers) | {"conflict": True}
            return _render(request, "audits/audit_detail.html", context, status=409)
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The audit is saved.")
            return redirect("audits:audit_detail", audit_id=audit.pk)
    return _render(
        request, "audits/audit_detail.html", _audit_context(request, audit, form, answers)
    )


@require_POST
def audit_complete(request, audit_id):
    audit = selectors.audit_get_visible(request.user, audit_id=audit_id)
    _require(request.user.pk == audit.auditor_id, "Only the auditor completes the audit.")
    form = RevisionOnlyForm(request.POST)
    try:
        if not form.is_valid():
            raise RuleViolation("The form was not sent properly: open the audit again.")
        services.audit_complete(
            actor=request.user, audit=audit, expected_revision=form.cleaned_data["revision"]
        )
    except (ConflictError, RuleViolation) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The audit is completed.")
    return redirect("audits:audit_detail", audit_id=audit.pk)


# Moderation ---------------------------------------------------------------------------------


@require_GET
def moderation(request):
    _require(
        selectors.may_moderate_any(request.user),
        "Moderation is for practice leads and senior leaders.",
    )
    return _render(request, "audits/moderation.html", selectors.moderation_queue(request.user))


@require_http_methods(["GET", "POST"])
def moderate(request, audit_id):
    _require(
        selectors.may_moderate_any(request.user),
        "Moderation is for practice leads and senior leaders.",
    )
    audit = selectors.audit_get_visible(request.user, audit_id=audit_id)
    _require(
        services.may_moderate(request.user, audit),
        "You cannot moderate an audit you did or that is of your own work.",
    )
    form = ModerationForm(request.POST or None, audit=audit, auto_id="moderate-%s")
    if request.method == "POST" and form.is_valid():
        try:
            services.moderation_record(
                actor=request.user,
                audit=audit,
                grade=form.cleaned_data["grade"],
                reason=form.cleaned_data["reason"],
            )
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The moderation is recorded.")
            return redirect("audits:moderation")
    context = {"audit": audit, "form": form, "answers": selectors.audit_answers(audit)}
    return _render(request, "audits/moderate.html", context)


# Rubrics ------------------------------------------------------------------------------------


def _require_rubrics(request):
    _require(selectors.may_keep_rubrics(request.user), "Rubrics are kept by practice leads.")


@require_http_methods(["GET", "POST"])
def rubrics(request):
    _require_rubrics(request)
    form = RubricForm(request.POST or None, auto_id="rubric-%s")
    if request.method == "POST" and form.is_valid():
        try:
            rubric = services.rubric_create(actor=request.user, name=form.cleaned_data["name"])
        except RuleViolation as error:
            form.add_error("name", error.message)
        else:
            return redirect("audits:rubric_detail", rubric_id=rubric.pk)
    return _render(
        request, "audits/rubrics.html", {"rubrics": selectors.rubrics(request.user), "form": form}
    )


def _rubric_context(rubric, add_form=None):
    return {
        "rubric": rubric,
        "questions": list(rubric.questions.all()),
        "in_use_by_audits": rubric.audits.exists(),
        "has_next": hasattr(rubric, "next_version"),
        "add_form": add_form
        or QuestionForm(initial={"revision": rubric.revision}, auto_id="add-question-%s"),
        "revision_form": RevisionOnlyForm(initial={"revision": rubric.revision}),
    }


@require_GET
def rubric_detail(request, rubric_id):
    _require_rubrics(request)
    rubric = selectors.rubric_get(request.user, rubric_id=rubric_id)
    return _render(request, "audits/rubric_detail.html", _rubric_context(rubric))


@require_POST
def rubric_question_add(request, rubric_id):
    _require_rubrics(request)
    rubric = selectors.rubric_get(request.user, rubric_id=rubric_id)
    form = QuestionForm(request.POST, auto_id="add-question-%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            question = services.rubric_question_add(
                actor=request.user,
                rubric=rubric,
                expected_revision=data["revision"],
                area=data["area"],
                text=data["text"],
                guidance=data["guidance"],
                scale=data["scale"],
                order=data["order"],
            )
        except (ConflictError, RuleViolation) as error:
            form.add_error(None, error.message)
        else:
            return redirect("audits:rubric_detail", rubric_id=question.rubric_id)
    return _render(request, "audits/rubric_detail.html", _rubric_context(rubric, form))


def _question(request, rubric_id, question_id):
    rubric = selectors.rubric_get(request.user, rubric_id=rubric_id)
    question = rubric.questions.filter(pk=question_id).first()
    if question is None:
        raise Http404("No question found.")
    return rubric, question


@require_http_methods(["GET", "POST"])
def rubric_question_edit(request, rubric_id, question_id):
    _require_rubrics(request)
    rubric, question = _question(request, rubric_id, question_id)
    initial = {
        "revision": rubric.revision,
        "area": question.area,
        "text": question.text,
        "guidance": question.guidance,
        "scale": question.scale,
        "order": question.order,
    }
    form = QuestionForm(request.POST or None, initial=initial, auto_id="question-%s")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.rubric_question_change(
                actor=request.user,
                question=question,
                expected_revision=data["revision"],
                area=data["area"],
                text=data["text"],
                guidance=data["guidance"],
                scale=data["scale"],
                order=data["order"] or question.order,
            )
        except (ConflictError, RuleViolation) as error:
            form.add_error(None, error.message)
        else:
            return redirect("audits:rubric_detail", rubric_id=changed.rubric_id)
    context = {"rubric": rubric, "question": question, "form": form}
    return _render(request, "audits/question_edit.html", context)


@require_POST
def rubric_question_remove(request, rubric_id, question_id):
    _require_rubrics(request)
    rubric, question = _question(request, rubric_id, question_id)
    form = RevisionOnlyForm(request.POST)
    try:
        if not form.is_valid():
            raise RuleViolation("The form was not sent properly: open the rubric again.")
        rubric = services.rubric_question_remove(
            actor=request.user, question=question, expected_revision=form.cleaned_data["revision"]
        )
    except (ConflictError, RuleViolation) as error:
        messages.error(request, error.message)
    return redirect("audits:rubric_detail", rubric_id=rubric.pk)


@require_POST
def rubric_activate(request, rubric_id):
    _require_rubrics(request)
    rubric = selectors.rubric_get(request.user, rubric_id=rubric_id)
    try:
        services.rubric_activate(actor=request.user, rubric=rubric)
    except RuleViolation as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{rubric} is now used for new audits.")
    return redirect("audits:rubric_detail", rubric_id=rubric.pk)


# Samples ------------------------------------------------------------------------------------


def _chosen_month(request):
    form = MonthForm(request.GET or None)
    month = form.cleaned_data.get("month") if form.is_valid() else None
    return form, month or timezone.localdate().replace(day=1)


@require_http_methods(["GET", "POST"])
def samples(request):
    _require(
        selectors.may_sample(request.user), "Samples are drawn by practice leads and managers."
    )
    month_form, month = _chosen_month(request)
    teams = list(selectors.sample_teams(request.user))
    draw_form = SampleDrawForm(
        request.POST or None,
        teams=teams,
        initial={"month": f"{month:%Y-%m}"},
        auto_id="draw-%s",
    )
    if request.method == "POST" and draw_form.is_valid():
        data = draw_form.cleaned_data
        team = next(t for t in teams if t.pk == data["team"])
        try:
            services.sample_draw(
                actor=request.user,
                team=team,
                month=data["month"],
                size=data["size"],
                months_excluded=data["exclude_months"],
            )
        except RuleViolation as error:
            draw_form.add_error(None, error.message)
        else:
            messages.success(request, f"{team.name}'s sample for {data['month']:%B %Y} is drawn.")
            return redirect(f"{reverse('audits:samples')}?month={data['month']:%Y-%m}")
    rows = selectors.samples_for_month(request.user, month)
    for row in rows:
        if row["sample"] is not None:
            drawn = [r["item"].case_id for r in row["rows"]]
            row["reproduced"] = (
                services.draw(
                    row["sample"].eligible_case_ids,
                    seed=row["sample"].seed,
                    size=row["sample"].size,
                )
                == drawn
            )
    context = {"month_form": month_form, "month": month, "teams": rows, "draw_form": draw_form}
    return _render(request, "audits/samples.html", context, partial="samples")


# Results ------------------------------------------------------------------------------------


def _results(request):
    _require(selectors.may_see_results(request.user), "Audit results are for managers and leaders.")
    teams = list(selectors.sample_teams(request.user))
    form = ResultsForm(request.GET or None, teams=teams)
    month, team_id = None, None
    if form.is_valid():
        month, team_id = form.cleaned_data["month"], form.cleaned_data["team"]
    today = timezone.localdate()
    last = min(services.month_last(month), today) if month else today
    data = selectors.results(request.user, last=last, months=RESULT_MONTHS, team_id=team_id)
    team_name = next((t.name for t in teams if t.pk == team_id), None)
    return form, last, team_id, team_name, data


def _query(last, team_id) -> str:
    return f"month={last:%Y-%m}" + (f"&team={team_id}" if team_id else "")


@require_GET
def results(request):
    form, last, team_id, team_name, data = _results(request)
    audit_record(
        actor=request.user,
        verb="audits.results_viewed",
        agency_id=request.user.agency_id,
        changes={"month": f"{last:%Y-%m}", "team": team_name or "All"},
    )
    context = data | {
        "form": form,
        "last": last,
        "team_name": team_name,
        "query": _query(last, team_id),
        "good_chart": trend_chart(data["months"]),
        "score_chart": trend_chart(
            [{"day": r["day"], "percent": r["mean_score"]} for r in data["months"]]
        ),
        "area_chart": bar_chart(data["areas"]),
        "result_months": RESULT_MONTHS,
    }
    return _render(request, "audits/results.html", context, partial="results")


@require_GET
def results_download(request):
    """?table=months|teams|areas&fmt=csv|xlsx, with the same month and team as the page."""
    form, last, team_id, team_name, data = _results(request)
    table = request.GET.get("table") or "months"
    fmt = request.GET.get("fmt") if request.GET.get("fmt") in {"csv", "xlsx"} else "csv"
    if table == "months":
        header = ["Month", "Audits completed", "Good or better", "Percent", "Mean grade"]
        header += [g.label for g in Grade] + ["Moderated", "Moderator agreed", "Mean score %"]
        rows = [
            [f"{r['month']:%Y-%m}", r["done"], r["good"], r["percent"], r["mean_grade"]]
            + r["grades"]
            + [r["moderated"], r["agreed"], r["mean_score"]]
            for r in data["months"]
        ]
    elif table == "teams":
        header = ["Team", "Month", "Audits completed", "Good or better", "Percent"]
        rows = [
            [t["name"], f"{c['month']:%Y-%m}", c["done"], c["good"], c["percent"]]
            for t in data["teams"]
            for c in t["cells"]
        ]
    elif table == "areas":
        header = ["Area", "Answers scored", "Mean score %"]
        rows = [[a["area"], a["answers"], a["mean"]] for a in data["areas"]]
    else:
        raise Http404("No such table.")
    audit_record(
        actor=request.user,
        verb="audits.results_downloaded",
        agency_id=request.user.agency_id,
        changes={
            "table": table,
            "format": fmt,
            "month": f"{last:%Y-%m}",
            "team": team_name or "All",
        },
    )
    name = f"audits-{table}-{last:%Y-%m}"
    return table_response(filename=name, fmt=fmt, header=header, rows=rows, title=table)
