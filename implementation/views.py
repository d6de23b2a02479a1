"""Implementation pages: training and accreditation, the leaders' self-assessment rounds, the
implementation plan, and the leaders' view over time.

- Senior leaders and practice leads: everything, and every write (training records, rounds,
  ratings, the plan, the settings).
- Team managers: their team's training and gaps, and the leaders' view for their team.
- Performance analysts: the leaders' view.
- Everyone: their own training record.
Writes answer with a redirect back to the page (post/redirect/get); a form with errors, or a
save refused because someone else changed the record meanwhile, comes back with the text kept.
Downloads are written to the audit log.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.audit import audit_record
from core.errors import ConflictError, RuleViolation
from core.exports import table_response
from core.rendering import render_page_or_partial
from evaluation.selectors import authorities
from implementation import figures, forms, selectors, services
from implementation.models import (
    AssessmentRound,
    Course,
    ImplementationDomain,
    PracticeLeadRole,
    TrainingRecord,
)
from measures.catalogue import trend_kept_hours

TEAMS_PER_PAGE = 10


def _require(allowed: bool, message: str):
    if not allowed:
        raise PermissionDenied(message)


def _raters_only(request):
    _require(
        selectors.may_rate(request.user),
        "Only senior leaders and practice leads change the implementation records.",
    )


def _months(request) -> int:
    try:
        months = int(request.GET.get("months", figures.MONTH_CHOICES[0]))
    except ValueError:
        return figures.MONTH_CHOICES[0]
    return months if months in figures.MONTH_CHOICES else figures.MONTH_CHOICES[0]


# The leaders' view -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def leaders(request):
    """The leaders' view; a POST counts the finished months again instead of using those kept."""
    _require(
        selectors.may_see_leaders_view(request.user),
        "The leaders' view is for leaders, practice leads, team managers and analysts.",
    )
    months, today, user = _months(request), timezone.localdate(), request.user
    if request.method == "POST":
        figures.leaders_count_again(user, last=today, months=months)
        return redirect(f"{request.path}?months={months}")
    view = figures.leaders_page(user, last=today, months=months, background=True)
    context = {
        "months": months,
        "month_choices": figures.MONTH_CHOICES,
        "kept_query": f"months={months}",
        "trend_kept_hours": trend_kept_hours(),
    }
    if "rows" in view:  # else the background worker is counting them
        # A county's 183 teams of twelve months each are more than anyone reads on one page
        # (and took most of its rendering): ten at a time, as the dashboard's groups; the
        # download holds every team.
        teams = Paginator(view["by_team"], TEAMS_PER_PAGE).get_page(request.GET.get("page"))
        context |= {
            "by_team": teams.object_list,
            "teams_page": teams,
            "may_rate": selectors.may_rate(user),
        }
    context = view | context
    return render_page_or_partial(request, "implementation/leaders.html", context, partial="view")


def _number(value):
    return "" if value is None else value


@require_GET
def download(request):
    """?table=side_by_side|ratings|teams|outcomes|measure&fmt=csv|xlsx&months=12|24"""
    _require(selectors.may_see_leaders_view(request.user), "Not available to your role.")
    table = request.GET.get("table") or "side_by_side"
    fmt = request.GET.get("fmt") if request.GET.get("fmt") in {"csv", "xlsx"} else "csv"
    months, today, user = _months(request), timezone.localdate(), request.user
    if table == "measure":
        _require(not selectors.team_scope(user), "The agency's measure is for agency readers.")
        view = figures.leaders_page(user, last=today, months=months)
        header = figures.MEASURE_HEADER
        rows = [figures.measure_cells(r) for r in view["measure_rows"]]
    elif table in {"side_by_side", "ratings", "teams", "outcomes"}:
        header, rows = _table(table, figures.leaders_page(user, last=today, months=months))
    else:
        raise Http404("No such table.")
    audit_record(
        actor=user,
        verb="implementation.table_downloaded",
        agency_id=user.agency_id,
        changes={"table": table, "format": fmt, "months": months, "rows": len(rows)},
    )
    return table_response(
        filename=f"implementation-{table}-{today:%Y-%m-%d}",
        fmt=fmt,
        header=header,
        rows=rows,
        title=table,
    )


def _table(table: str, view: dict) -> tuple[list, list]:
    if table == "side_by_side":
        header = [
            "Month end",
            "Latest mean rating (0-10)",
            "Round",
            "Staff",
            "Introduction trained (%)",
            "Advanced trained (%)",
            "Supervision sessions",
            "Workers supervised",
            "Breadth (%)",
            "Depth (%)",
        ]
        rows = [
            [
                r["day"].isoformat(),
                _number(r["rating"]),
                r["rating_round"].title if r["rating_round"] else "",
                r["staff"],
                _number(r["introduction"]),
                _number(r["advanced"]),
                "not recorded" if r["supervision"] is None else r["supervision"]["sessions"],
                "" if r["supervision"] is None else r["supervision"]["workers_supervised"],
                _number(r["breadth"]),
                _number(r["depth"]),
            ]
            for r in view["rows"]
        ]
        return header, rows
    if table == "ratings":
        header = ["Round", "Period start", "Period end", "Domain", "Raters", "Mean", "Low", "High"]
        rows = []
        for r in view["rounds"]:
            for domain in view["domains"]:
                cell = r["domains"].get(domain.pk)
                if cell:
                    rows.append(
                        [
                            r["round"].title,
                            r["round"].period_start.isoformat(),
                            r["round"].period_end.isoformat(),
                            domain.name,
                            cell["count"],
                            cell["mean"],
                            cell["low"],
                            cell["high"],
                        ]
                    )
        return header, rows
    if table == "teams":
        header = [
            "Team",
            "Month end",
            "Staff",
            "Introduction trained (%)",
            "Advanced trained (%)",
            "Supervision sessions",
            "Breadth (%)",
            "Depth (%)",
        ]
        rows = [
            [
                item["team"].name,
                r["day"].isoformat(),
                r["staff"],
                _number(r["introduction"]),
                _number(r["advanced"]),
                "not recorded" if r["supervision"] is None else r["supervision"]["sessions"],
                _number(r["breadth"]),
                _number(r["depth"]),
            ]
            for item in view["by_team"]
            for r in item["rows"]
        ]
        return header, rows
    outcomes = view["outcomes"]
    header = ["Indicator", "Unit", "Year ending 31 March", "Local authority", "England"]
    rows = [
        [
            item["indicator"].label,
            item["indicator"].unit,
            row["year"],
            _number(row["authority"]),
            _number(row["england"]),
        ]
        for item in outcomes["indicators"]
        for row in item["rows"]
    ]
    return header, rows


# Training --------------------------------------------------------------------------------------


@require_GET
def training(request):
    _require(
        selectors.may_see_training(request.user),
        "Training coverage is for team managers, practice leads and senior leaders.",
    )
    today = timezone.localdate()
    context = {
        "coverage": selectors.coverage_table(request.user, day=today),
        "gaps": selectors.gaps(request.user, today=today),
        "staff": selectors.staff_in_scope(request.user)
        .select_related("team")
        .order_by("team__name", "first_name", "last_name"),
        "today": today,
        "may_rate": selectors.may_rate(request.user),
    }
    return render(request, "implementation/training.html", context)


@require_GET
def my_training(request):
    _require(bool(request.user.agency_id), "Training records belong to an agency.")
    context = selectors.training_of(request.user) | {"worker": request.user, "own": True}
    return render(request, "implementation/worker.html", context)


def _worker(request, staff_id):
    worker = selectors.worker_get(request.user, staff_id)
    if worker is None:
        raise Http404("No such member of staff.")
    return worker


def _worker_url(worker) -> str:
    return reverse("implementation:worker_training", args=[worker.pk])


@require_http_methods(["GET", "POST"])
def worker_training(request, staff_id):
    _require(selectors.may_see_training(request.user), "Not available to your role.")
    worker = _worker(request, staff_id)
    may_rate = selectors.may_rate(request.user)
    if may_rate:  # the default courses, the first time anyone records training
        services.defaults_ensure(actor=request.user, agency=request.user.agency)
    courses = selectors.courses(request.user.agency_id, active_only=True)
    form = forms.TrainingRecordForm(courses=courses, auto_id="record-%s")
    role_form = forms.PracticeLeadRoleForm(auto_id="role-%s")
    if request.method == "POST":
        _raters_only(request)
        form = forms.TrainingRecordForm(request.POST, courses=courses, auto_id="record-%s")
        if form.is_valid():
            try:
                services.training_record_add(actor=request.user, worker=worker, **form.cleaned_data)
            except RuleViolation as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"Recorded {form.cleaned_data['course']} for {worker}.")
                return redirect(_worker_url(worker))
    context = selectors.training_of(worker) | {
        "worker": worker,
        "form": form,
        "role_form": role_form,
        "may_rate": may_rate,
        "own": worker.pk == request.user.pk,
    }
    return render(
        request, "implementation/worker.html", context, status=400 if form.errors else 200
    )


@require_POST
def training_remove(request, training_record_id):
    _raters_only(request)
    record = TrainingRecord.objects.filter(
        pk=training_record_id, agency_id=request.user.agency_id
    ).first()
    if record is None:
        raise Http404("No such record.")
    worker = record.worker
    services.training_record_remove(actor=request.user, record=record)
    messages.success(request, "Removed the training record.")
    return redirect(_worker_url(worker))


@require_POST
def lead_role_add(request, staff_id):
    _raters_only(request)
    worker = _worker(request, staff_id)
    role_form = forms.PracticeLeadRoleForm(request.POST, auto_id="role-%s")
    if role_form.is_valid():
        try:
            services.practice_lead_role_add(
                actor=request.user, worker=worker, **role_form.cleaned_data
            )
        except RuleViolation as error:
            role_form.add_error(None, error.message)
        else:
            messages.success(request, f"Recorded {worker} as a practice lead.")
            return redirect(_worker_url(worker))
    courses = selectors.courses(request.user.agency_id, active_only=True)
    context = selectors.training_of(worker) | {
        "worker": worker,
        "form": forms.TrainingRecordForm(courses=courses, auto_id="record-%s"),
        "role_form": role_form,
        "may_rate": True,
        "own": worker.pk == request.user.pk,
    }
    return render(request, "implementation/worker.html", context, status=400)


@require_POST
def lead_role_end(request, lead_role_id):
    _raters_only(request)
    role = PracticeLeadRole.objects.filter(
        pk=lead_role_id, agency_id=request.user.agency_id
    ).first()
    if role is None:
        raise Http404("No such role.")
    try:
        services.practice_lead_role_end(
            actor=request.user, role=role, ended_on=timezone.localdate()
        )
    except RuleViolation as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Recorded that {role.worker} is no longer a practice lead.")
    return redirect(_worker_url(role.worker))


# Settings, domains and courses -----------------------------------------------------------------


def _settings_context(request, **overrides) -> dict:
    agency_id = request.user.agency_id
    current = selectors.settings_for(agency_id)
    context = {
        "form": forms.SettingsForm(
            initial={
                "local_authority_code": current.local_authority_code,
                "introduction_within_days": current.introduction_within_days,
                "revision": current.revision,
            },
            authorities=authorities(),
            auto_id="settings-%s",
        ),
        "linked": figures.linked_authority(request.user.agency),
        "domain_form": forms.DomainForm(auto_id="domain-%s"),
        "course_form": forms.CourseForm(auto_id="course-%s"),
        "domains": selectors.domains(agency_id, active_only=False),
        "courses": selectors.courses(agency_id),
    }
    return context | overrides


@require_http_methods(["GET", "POST"])
def settings_page(request):
    _raters_only(request)
    services.defaults_ensure(actor=request.user, agency=request.user.agency)
    if request.method == "POST":
        form = forms.SettingsForm(request.POST, authorities=authorities(), auto_id="settings-%s")
        if form.is_valid():
            try:
                services.settings_update(
                    actor=request.user, agency=request.user.agency, **form.cleaned_data
                )
            except ConflictError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Saved the implementation settings.")
                return redirect("implementation:settings")
        context = _settings_context(request, form=form)
        return render(request, "implementation/settings.html", context, status=400)
    return render(request, "implementation/settings.html", _settings_context(request))


@require_POST
def domain_add(request):
    _raters_only(request)
    form = forms.DomainForm(request.POST, auto_id="domain-%s")
    if form.is_valid():
        try:
            services.domain_add(actor=request.user, agency=request.user.agency, **form.cleaned_data)
        except RuleViolation as error:
            form.add_error("name", error.message)
        else:
            messages.success(request, f"Added the domain “{form.cleaned_data['name']}”.")
            return redirect(reverse("implementation:settings") + "#domains")
    context = _settings_context(request, domain_form=form)
    return render(request, "implementation/settings.html", context, status=400)


@require_POST
def domain_active(request, implementation_domain_id):
    _raters_only(request)
    domain = ImplementationDomain.objects.filter(
        pk=implementation_domain_id, agency_id=request.user.agency_id
    ).first()
    if domain is None:
        raise Http404("No such domain.")
    services.domain_set_active(actor=request.user, domain=domain, active=not domain.active)
    return redirect(reverse("implementation:settings") + "#domains")


@require_POST
def course_add(request):
    _raters_only(request)
    form = forms.CourseForm(request.POST, auto_id="course-%s")
    if form.is_valid():
        try:
            services.course_add(actor=request.user, agency=request.user.agency, **form.cleaned_data)
        except RuleViolation as error:
            form.add_error("name", error.message)
        else:
            messages.success(request, f"Added the course “{form.cleaned_data['name']}”.")
            return redirect(reverse("implementation:settings") + "#courses")
    context = _settings_context(request, course_form=form)
    return render(request, "implementation/settings.html", context, status=400)


@require_POST
def course_active(request, training_course_id):
    _raters_only(request)
    course = Course.objects.filter(pk=training_course_id, agency_id=request.user.agency_id).first()
    if course is None:
        raise Http404("No such course.")
    services.course_set_active(actor=request.user, course=course, active=not course.active)
    return redirect(reverse("implementation:settings") + "#courses")


# Rounds and ratings ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def rounds(request):
    _raters_only(request)
    form = forms.RoundForm(auto_id="round-%s")
    if request.method == "POST":
        form = forms.RoundForm(request.POST, auto_id="round-%s")
        if form.is_valid():
            try:
                round_ = services.round_open(
                    actor=request.user, agency=request.user.agency, **form.cleaned_data
                )
            except RuleViolation as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"Opened the round “{round_.title}”.")
                return redirect("implementation:round_detail", assessment_round_id=round_.pk)
    context = {
        "rounds": selectors.rounds(request.user),
        "form": form,
        "open_round": selectors.rounds(request.user)
        .filter(status=AssessmentRound.Status.OPEN)
        .first(),
    }
    return render(
        request, "implementation/rounds.html", context, status=400 if form.errors else 200
    )


def _round(request, assessment_round_id) -> AssessmentRound:
    _raters_only(request)
    round_ = selectors.round_get(request.user, assessment_round_id)
    if round_ is None:
        raise Http404("No such round.")
    return round_


def _round_context(request, round_, **overrides) -> dict:
    view = selectors.round_view(request.user, round_)
    domain_list = selectors.domains(request.user.agency_id)
    context = view | {
        "round": round_,
        "form": forms.RatingsForm(domains=domain_list, mine=view["mine"], auto_id="rating-%s"),
        "note_form": forms.NoteForm(domains=domain_list, auto_id="note-%s"),
    }
    return context | overrides


@require_http_methods(["GET", "POST"])
def round_detail(request, assessment_round_id):
    """The round: the rater's own ratings (saved as a draft or submitted), everyone's once they
    have submitted, and the round's implementation map."""
    round_ = _round(request, assessment_round_id)
    if request.method == "POST":
        view = selectors.round_view(request.user, round_)
        domain_list = selectors.domains(request.user.agency_id)
        form = forms.RatingsForm(
            request.POST, domains=domain_list, mine=view["mine"], auto_id="rating-%s"
        )
        submit = request.POST.get("action") == "submit"
        if form.is_valid():
            try:
                services.ratings_save(
                    actor=request.user, round_=round_, scores=form.scores(), submit=submit
                )
            except (ConflictError, RuleViolation) as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    "Submitted your ratings: you can now see the other raters'."
                    if submit
                    else "Saved your ratings as a draft. Only you can see them.",
                )
                return redirect("implementation:round_detail", assessment_round_id=round_.pk)
        context = _round_context(request, round_, form=form)
        return render(request, "implementation/round_detail.html", context, status=400)
    return render_page_or_partial(
        request, "implementation/round_detail.html", _round_context(request, round_), partial="map"
    )


@require_POST
def round_note_add(request, assessment_round_id):
    round_ = _round(request, assessment_round_id)
    domain_list = selectors.domains(request.user.agency_id)
    form = forms.NoteForm(request.POST, domains=domain_list, auto_id="note-%s")
    if form.is_valid():
        try:
            services.round_note_add(actor=request.user, round_=round_, **form.cleaned_data)
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Added to the implementation map.")
            return redirect(reverse("implementation:round_detail", args=[round_.pk]) + "#map")
    context = _round_context(request, round_, note_form=form)
    return render(request, "implementation/round_detail.html", context, status=400)


@require_POST
def round_close(request, assessment_round_id):
    round_ = _round(request, assessment_round_id)
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = -1
    try:
        services.round_close(actor=request.user, round_=round_, revision=revision)
    except (ConflictError, RuleViolation) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Closed the round “{round_.title}”.")
    return redirect("implementation:round_detail", assessment_round_id=round_.pk)


# The plan --------------------------------------------------------------------------------------


def _action_form(request, data=None):
    return forms.ActionForm(
        data,
        people=selectors.people_for_choice(request.user),
        domains=selectors.domains(request.user.agency_id),
        auto_id="action-%s",
    )


@require_http_methods(["GET", "POST"])
def plan(request):
    _raters_only(request)
    services.defaults_ensure(actor=request.user, agency=request.user.agency)
    form = _action_form(request)
    if request.method == "POST":
        form = _action_form(request, request.POST)
        if form.is_valid():
            open_round = (
                selectors.rounds(request.user).filter(status=AssessmentRound.Status.OPEN).first()
            )
            try:
                services.action_add(
                    actor=request.user,
                    agency=request.user.agency,
                    raised_in=open_round,
                    **form.cleaned_data,
                )
            except RuleViolation as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Added the action to the plan.")
                return redirect("implementation:plan")
    context = {"actions": selectors.actions(request.user), "form": form}
    return render(request, "implementation/plan.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def action_edit(request, plan_action_id):
    _raters_only(request)
    action = selectors.action_get(request.user, plan_action_id)
    if action is None:
        raise Http404("No such action.")
    kwargs = {
        "people": selectors.people_for_choice(request.user),
        "domains": selectors.domains(request.user.agency_id, active_only=False),
        "rounds": selectors.rounds(request.user),
        "auto_id": "edit-%s",
    }
    if request.method == "POST":
        form = forms.ActionEditForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                services.action_update(
                    actor=request.user,
                    plan_action=action,
                    revision=form.cleaned_data["revision"],
                    **form.values(),
                )
            except ConflictError as error:
                data = form.data.copy()
                data["revision"] = error.current.revision
                form = forms.ActionEditForm(data, **kwargs)
                form.is_valid()
                form.add_error(None, error.message)
                form.conflict_with = error.current
            except RuleViolation as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Saved the action.")
                return redirect("implementation:plan")
    else:
        initial = {
            name: getattr(action, name)
            for name in ["action", "owner", "due_on", "domain", "status", "reviewed_in"]
        } | {"review_note": action.review_note, "revision": action.revision}
        form = forms.ActionEditForm(initial=initial, **kwargs)
    return render(
        request,
        "implementation/action_edit.html",
        {"action": action, "form": form},
        status=400 if form.errors else 200,
    )
