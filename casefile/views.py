import csv
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from agencies.models import Role
from audits import selectors as audits
from casefile.subject_access import person_for_subject_access, subject_access_record
from core.audit import VERB_LABELS, actor_label, audit_events_for_case, audit_view
from core.exports import spreadsheet_safe
from core.rendering import render_page_or_partial
from learning import selectors as learning
from people import selectors as people
from portal import selectors as portal
from practice import selectors as practice
from practice.charts import overall_scale_chart
from practice.forms import MapStartForm
from process import selectors as process
from safety import selectors as safety
from surveys import selectors as surveys
from timescales import selectors as timescales
from voices import selectors as voices

CASES_PER_PAGE = 50


def caseload(request):
    """The worker's caseload; managers and agency-wide roles can widen it to every case they see."""
    default_show = "mine" if request.user.role == Role.SOCIAL_WORKER else "all"
    show = request.GET.get("show", default_show)
    search = request.GET.get("q", "")
    status = request.GET.get("status", "open")
    cases = people.case_list_visible_to(
        request.user,
        search=search,
        status="" if status == "all" else status,
        mine_only=show == "mine",
    )
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    query = {"show": show, "q": search, "status": status}
    context = {"page": page, "cases": page.object_list, "query": urlencode(query), **query}
    return render_page_or_partial(request, "casefile/caseload.html", context, partial="results")


def case_detail(request, case_id):
    case = people.case_get_visible(request.user, case_id=case_id)
    audit_view(request, verb="case.viewed", target=case, case_id=case.pk)
    maps = practice.case_maps(case)
    current = maps.current
    history = practice.scale_history(case, maps=maps.versions)
    # The current map is finalised, so its judgements are in the history already.
    content = current and practice.map_content(
        current, judgements=[j for j in history if j.map_id == current.pk]
    )
    permissions = people.case_user_may(request.user, case)
    # Each panel is told once whether this person may record, rather than asking again.
    may_record = permissions["record"]
    allocations = list(people.allocation_history(case))
    case_audits = audits.audits_for_case(request.user, case)
    family = people.case_people(case)
    context = {
        "case": case,
        **family,
        "permissions": permissions,
        "allocation": people.allocation_current(case, history=allocations),
        "allocations": allocations,
        "current_map": current,
        "content": content,
        "draft": maps.draft,
        "versions": maps.versions,
        "scale_history": history,
        "chart": overall_scale_chart(history),
        "start_form": MapStartForm(initial={"held_on": timezone.localdate()}),
        "process": process.case_process_summary(
            case,
            user=request.user,
            may_record=may_record,
            may_approve=permissions["manage"],
            children=family["children"],
        ),
        "timescales": timescales.case_deadlines_summary(
            case, user=request.user, may_record=may_record
        ),
        "safety": safety.case_safety_summary(case, user=request.user, may_record=may_record),
        "portal": portal.case_portal_summary(case, user=request.user, may_record=may_record),
        "voices": voices.case_voices_summary(
            case, user=request.user, may_record=may_record, children=family["children"]
        ),
        "supervision_sessions": learning.sessions_for_case(request.user, case),
        "supervision_actions": learning.actions_for_case(request.user, case),
        "family_survey": {
            "invitations": surveys.case_survey_invitations(case),
            "open": may_record and surveys.family_surveys_open(case.agency_id),
        },
        "case_audits": case_audits,
        "may_start_audit": audits.may_start_audit(request.user, case, case_audits),
        "today": timezone.localdate(),
    }
    return render_page_or_partial(request, "casefile/case_detail.html", context, partial="main")


def case_access_report(request, case_id):
    """Who has opened, printed or changed this family's record, and when: for managers and for
    subject access requests."""
    case = people.case_get_visible(request.user, case_id=case_id)
    if not request.user.has_perm("people.read_access_report", case):
        raise PermissionDenied("Only the team's manager and senior leaders read access reports.")
    audit_view(request, verb="case.access_report_viewed", target=case, case_id=case.pk)
    page = Paginator(audit_events_for_case(case.pk), 100).get_page(request.GET.get("page"))
    context = {"case": case, "page": page, "verb_labels": VERB_LABELS}
    return render_page_or_partial(
        request, "casefile/case_access_report.html", context, partial="events"
    )


def subject_access(request, person_id):
    """Everything held about one person, with third parties' names marked for redaction."""
    person = person_for_subject_access(request.user, person_id=person_id)
    if person is None:
        raise Http404("No person found.")
    record = subject_access_record(person)
    for case in record.cases:
        audit_view(request, verb="person.subject_access_export", target=person, case_id=case.pk)
    return render(request, "casefile/subject_access.html", {"record": record})


def case_access_report_csv(request, case_id):
    """The access report as a spreadsheet-safe CSV download."""
    case = people.case_get_visible(request.user, case_id=case_id)
    if not request.user.has_perm("people.read_access_report", case):
        raise PermissionDenied("Only the team's manager and senior leaders read access reports.")
    audit_view(request, verb="case.access_report_exported", target=case, case_id=case.pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="access-{case.reference}.csv"'
    writer = csv.writer(response)
    writer.writerow(["When", "Who", "Role", "What", "From"])
    for event in audit_events_for_case(case.pk).iterator():
        actor = event.actor
        writer.writerow(
            spreadsheet_safe(
                [
                    event.occurred_at.isoformat(),
                    actor_label(event),
                    actor.get_role_display() if actor else "",
                    VERB_LABELS.get(event.verb, event.verb),
                    event.ip_address or "",
                ]
            )
        )
    return response
