"""Reads of the statutory process, always from a case the user may open.

The case page and the process page both need every record of the case; they are read once per
model (a fixed number of queries however long the history), and the stage and next steps are
worked out from those lists in memory."""

import functools
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from people import access
from people.models import Case, Person
from people.selectors import case_children
from process.models import (
    Approval,
    Assessment,
    ChildInNeedPlan,
    ChildInNeedReview,
    ChildProtectionPlan,
    Closure,
    Conference,
    Contact,
    CoreGroupMeeting,
    LookedAfterEpisode,
    Referral,
    Section47Enquiry,
    StatutoryVisit,
    StrategyDiscussion,
)

# The kinds of next step with a fixed element id (`step-<kind>`) on the pages, so worklists
# and the timescales app can link to them.
STEP_KINDS = (
    "referral",
    "referral_decision",
    "assessment",
    "strategy_discussion",
    "s47",
    "initial_conference",
    "conference_decision",
    "cp_plan",
    "first_core_group",
    "core_group",
    "review_conference",
    "cp_visit",
    "cp_plan_end",
    "cin_plan",
    "cin_review",
    "cin_plan_end",
    "looked_after",
    "looked_after_review",
    "looked_after_end",
    "closure",
)


def _process_querysets() -> dict:
    """Each kind of process record, as the case file reads it."""
    return {
        "contacts": Contact.objects.all(),
        "referrals": Referral.objects.all(),
        "assessments": Assessment.objects.all(),
        "strategy_discussions": StrategyDiscussion.objects.select_related("map"),
        "enquiries": Section47Enquiry.objects.all(),
        "conferences": Conference.objects.select_related("map"),
        "cp_plans": ChildProtectionPlan.objects.all(),
        "core_groups": CoreGroupMeeting.objects.all(),
        "cin_plans": ChildInNeedPlan.objects.all(),
        "cin_reviews": ChildInNeedReview.objects.all(),
        "episodes": LookedAfterEpisode.objects.all(),
        "visits": StatutoryVisit.objects.all(),
        "closures": Closure.objects.all(),
    }


@functools.cache
def _kinds_present() -> QuerySet:
    """Which kinds of process record a case has, one `has_<kind>` column each. Built once: the
    thirteen subqueries cost more to put together than the query costs to run."""
    return Case.objects.annotate(
        **{
            f"has_{kind}": Exists(records.model.objects.filter(case_id=OuterRef("pk")))
            for kind, records in _process_querysets().items()
        }
    ).values(*(f"has_{kind}" for kind in _process_querysets()))


def case_process_records(case: Case) -> dict[str, list]:
    """Every process record of the case. Callers check access.

    One query asks which of the thirteen kinds the case has, then one query reads each kind it
    has: most cases have a few kinds (an open case in the large synthetic county has one, four
    or eight), and every query costs the case page about a millisecond and a half however few
    rows it returns."""
    has = _kinds_present().filter(pk=case.pk).first() or {}
    return {
        kind: list(records.filter(case=case)) if has.get(f"has_{kind}") else []
        for kind, records in _process_querysets().items()
    }


def cases_process_records(case_ids) -> dict[int, dict[str, list]]:
    """`case_process_records` of many cases (an import's): one query per kind for the batch."""
    querysets = _process_querysets()
    found = {case_id: {kind: [] for kind in querysets} for case_id in case_ids}
    for kind, records in querysets.items():
        for record in records.filter(case_id__any_of=list(found)):
            found[record.case_id][kind].append(record)
    return found


def latest_contact(case: Case) -> Contact | None:
    """The contact a new referral starts from."""
    return Contact.objects.filter(case=case).order_by("-contact_on", "-pk").first()


def record_get(model, *, case: Case, pk: int):
    """One process record of a case the user has already been allowed to open."""
    record = model.objects.filter(case=case, pk=pk).first()
    if record is None:
        raise Http404("No such record in this case.")
    return record


# Stage and next steps --------------------------------------------------------------------


@dataclass
class Step:
    kind: str
    label: str
    items: list = field(default_factory=list)  # (child name or "", url, hint)

    @property
    def element_id(self) -> str:
        return f"step-{self.kind}"


def _url(name, case, *args, **query) -> str:
    url = reverse(f"process:{name}", args=[case.pk, *args])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def _latest(rows, key):
    return max(rows, key=lambda r: (getattr(r, key), r.pk), default=None)


def _child_stage(records, child_id) -> str:
    mine = {
        name: [r for r in rows if getattr(r, "child_id", None) == child_id]
        for name, rows in records.items()
    }
    if any(e.ended_on is None for e in mine["episodes"]):
        return "Looked after"
    if any(p.ended_on is None for p in mine["cp_plans"]):
        return "Child protection plan"
    if any(p.ended_on is None for p in mine["cin_plans"]):
        return "Child in need plan"
    started = {p.conference_id for p in mine["cp_plans"]}
    if any(
        c.plan_decided is None or (c.kind == "initial" and c.plan_decided and c.pk not in started)
        for c in mine["conferences"]
    ):
        return "Child protection conference"
    if any(e.completed_on is None for e in mine["enquiries"]):
        return "Section 47 enquiry"
    if any(a.completed_on is None for a in mine["assessments"]):
        return "Assessment"
    if any(r.decision == "" for r in mine["referrals"]):
        return "Referral"
    if mine["referrals"]:
        return "Episode finished"
    return "No referral yet"


def _next_steps(case, records, children) -> list[Step]:
    steps = {kind: Step(kind, label) for kind, label in STEP_LABELS.items()}
    for child in children:
        cid, name = child.pk, child.display_name
        mine = {
            key: [r for r in rows if getattr(r, "child_id", None) == cid]
            for key, rows in records.items()
        }

        def add(kind, url, hint="", name=name):
            steps[kind].items.append((name, url, hint))

        referrals = mine["referrals"]
        undecided = [r for r in referrals if r.decision == ""]
        for referral in undecided:
            add(
                "referral_decision",
                _url("referral_decide", case, referral.pk),
                f"Received {referral.received_on:%-d %b %Y}",
            )
        open_assessment = next((a for a in mine["assessments"] if a.completed_on is None), None)
        if open_assessment:
            add(
                "assessment",
                _url("assessment_complete", case, open_assessment.pk),
                f"Complete the assessment started {open_assessment.started_on:%-d %b %Y}",
            )
        else:
            started_from = {a.referral_id for a in mine["assessments"]}
            for referral in referrals:
                if referral.decision == "assessment" and referral.pk not in started_from:
                    add(
                        "assessment",
                        _url("assessment_start", case, child=cid),
                        f"Referral decided {referral.decided_on:%-d %b %Y}",
                    )
        open_cp = next((p for p in mine["cp_plans"] if p.ended_on is None), None)
        open_cin = next((p for p in mine["cin_plans"] if p.ended_on is None), None)
        open_s47 = next((e for e in mine["enquiries"] if e.completed_on is None), None)
        undecided_conference = next(
            (c for c in mine["conferences"] if c.plan_decided is None), None
        )
        decided_referral = any(r.decision == "assessment" for r in referrals)
        if decided_referral and not open_cp and not open_s47 and not undecided_conference:
            add(
                "strategy_discussion",
                _url("strategy_discussion_add", case, child=cid),
                "If there is reasonable cause to suspect significant harm",
            )
        enquired_from = {e.strategy_discussion_id for e in mine["enquiries"]}
        for discussion in mine["strategy_discussions"]:
            if discussion.starts_s47 and discussion.pk not in enquired_from and not open_s47:
                add(
                    "s47",
                    _url("s47_start", case, child=cid),
                    f"Decided at the strategy discussion of {discussion.held_on:%-d %b %Y}",
                )
        if open_s47:
            add("s47", _url("s47_complete", case, open_s47.pk), "Record the outcome of the enquiry")
        conferenced = {c.section47_id for c in mine["conferences"]}
        for enquiry in mine["enquiries"]:
            needs = enquiry.completed_on is None or enquiry.conference_needed
            if needs and enquiry.pk not in conferenced and not open_cp:
                add(
                    "initial_conference",
                    _url("conference_start", case, child=cid, kind="initial"),
                    f"Section 47 enquiry started {enquiry.started_on:%-d %b %Y}",
                )
        if undecided_conference:
            hint = "Record the decision"
            if undecided_conference.map and undecided_conference.map.is_draft:
                hint = "Finish and finalise the conference map, then record the decision"
            add(
                "conference_decision",
                _url("conference_decide", case, undecided_conference.pk),
                hint,
            )
        started_from = {p.conference_id for p in mine["cp_plans"]}
        for conference in mine["conferences"]:
            if (
                conference.kind == "initial"
                and conference.plan_decided
                and conference.pk not in started_from
            ):
                add(
                    "cp_plan",
                    _url("cp_plan_start", case, conference=conference.pk),
                    f"Decided at the conference of {conference.held_on:%-d %b %Y} "
                    f"({conference.get_category_display()})",
                )
        if open_cp:
            groups = [g for g in mine["core_groups"] if g.plan_id == open_cp.pk]
            kind = "core_group" if groups else "first_core_group"
            add(kind, _url("core_group_add", case, plan=open_cp.pk))
            if not undecided_conference:
                add("review_conference", _url("conference_start", case, child=cid, kind="review"))
            add("cp_visit", _url("visit_add", case, child=cid))
            add("cp_plan_end", _url("cp_plan_end", case, open_cp.pk))
        wants_cin = [a for a in mine["assessments"] if a.outcome == "cin_plan"] + [
            e for e in mine["enquiries"] if e.outcome == "child_in_need"
        ]
        if wants_cin and not open_cin and not open_cp and not mine["cin_plans"]:
            add("cin_plan", _url("cin_plan_start", case, child=cid))
        if open_cin:
            add("cin_review", _url("cin_review_add", case, open_cin.pk))
            add("cin_plan_end", _url("cin_plan_end", case, open_cin.pk))
        wants_care = any(a.outcome == "looked_after" for a in mine["assessments"])
        open_episode = next((e for e in mine["episodes"] if e.ended_on is None), None)
        last_episode = _latest(mine["episodes"], "started_on")
        if wants_care and (
            not mine["episodes"] or (not open_episode and last_episode.reason_ceased == "X1")
        ):
            add("looked_after", _url("looked_after_start", case, child=cid))
        if open_episode:
            add("looked_after_review", _url("looked_after_review_add", case, child=cid))
            add("looked_after_end", _url("looked_after_end", case, open_episode.pk))
        if not referrals:
            add("referral", _url("referral_add", case, child=cid))
    if case.status == Case.Status.OPEN and _closure_ready(records):
        steps["closure"].items.append(("", _url("closure_add", case), ""))
    return [step for step in steps.values() if step.items]


STEP_LABELS = {
    "referral": "Record a referral",
    "referral_decision": "Decide the referral",
    "assessment": "Assessment",
    "strategy_discussion": "Hold a strategy discussion",
    "s47": "Section 47 enquiry",
    "initial_conference": "Hold the initial child protection conference",
    "conference_decision": "Record the conference decision",
    "cp_plan": "Start the child protection plan",
    "first_core_group": "Hold the first core group",
    "core_group": "Record a core group meeting",
    "review_conference": "Hold a review conference",
    "cp_visit": "Record a statutory visit",
    "cp_plan_end": "End the child protection plan",
    "cin_plan": "Start the child in need plan",
    "cin_review": "Review the child in need plan",
    "cin_plan_end": "End the child in need plan",
    "looked_after": "Record that the child is looked after",
    "looked_after_review": "Record a looked-after review",
    "looked_after_end": "End the looked-after episode (or change legal status or placement)",
    "closure": "Close the case",
}


def _closure_ready(records) -> bool:
    if not records["referrals"]:
        return False
    blocked = (
        any(p.ended_on is None for p in records["cp_plans"])
        or any(p.ended_on is None for p in records["cin_plans"])
        or any(e.ended_on is None for e in records["episodes"])
        or any(a.completed_on is None for a in records["assessments"])
        or any(e.completed_on is None for e in records["enquiries"])
        or any(r.decision == "" for r in records["referrals"])
        or any(c.plan_decided is None for c in records["conferences"])
    )
    return not blocked


# Which list of `case_process_records` holds each kind of record an approval is for.
_APPROVAL_RECORDS = {
    "assessment": "assessments",
    "cp_plan": "cp_plans",
    "cin_plan": "cin_plans",
    "closure": "closures",
}


def _open_approvals(case: Case, records, children) -> list[Approval]:
    """Each record's newest request, if it is waiting or was returned. The record and its child
    are taken from what the panel has already read rather than joined again."""
    if not any(records[kind] for kind in _APPROVAL_RECORDS.values()):
        return []  # nothing that is approved: no request to look for
    approvals = list(
        Approval.objects.filter(case=case)
        .select_related("decided_by")
        .order_by("submitted_at", "pk")
    )
    newest = {}
    for approval in approvals:
        newest[
            (
                approval.kind,
                approval.assessment_id,
                approval.cp_plan_id,
                approval.cin_plan_id,
                approval.closure_id,
            )
        ] = approval
    open_ = [a for a in newest.values() if a.status != Approval.Status.APPROVED]
    children_by_pk = {child.pk: child for child in children}
    for approval in open_:
        rows = {row.pk: row for row in records[_APPROVAL_RECORDS[approval.kind]]}
        record = rows.get(getattr(approval, f"{approval.kind}_id"))
        if record is None:  # not one of this case's records: left to load on its own
            continue
        if getattr(record, "child_id", None) in children_by_pk:
            record.child = children_by_pk[record.child_id]
        setattr(approval, approval.kind, record)
    return open_


def case_process_summary(
    case: Case,
    *,
    user,
    may_record: bool | None = None,
    may_approve: bool | None = None,
    children: list[Person] | None = None,
) -> dict:
    """The case page's process panel: each child's stage, the next statutory steps (each
    starting pre-filled), and approvals waiting or returned. A fixed number of queries."""
    if may_record is None:  # the case page passes the answer it already has
        may_record = user.has_perm("people.record_on_case", case)
    if may_approve is None:
        may_approve = user.has_perm("people.manage_case", case)
    records = case_process_records(case)
    if children is None:  # the case page passes the children it has already read
        children = list(case_children(case))
    stages = [(child, _child_stage(records, child.pk)) for child in children]
    return {
        "stages": stages,
        "steps": _next_steps(case, records, children) if case.status == Case.Status.OPEN else [],
        "approvals": _open_approvals(case, records, children),
        "may_record": may_record,
        "may_approve": may_approve,
        "has_records": any(records.values()),
        "records": records,
        "children": children,
        "today": timezone.localdate(),
    }


# The timeline ------------------------------------------------------------------------------


def case_timeline(case: Case, records: dict, children) -> list[dict]:
    """Every process record as a dated line, oldest first."""
    names = {child.pk: child.display_name for child in children}
    lines = []

    def line(on, what, child_id=None, detail="", url="", link_text=""):
        lines.append(
            {
                "on": on,
                "what": what,
                "child": names.get(child_id, ""),
                "detail": detail,
                "url": url,
                "link_text": link_text,
            }
        )

    for c in records["contacts"]:
        line(c.contact_on, "Contact", c.child_id, f"From: {c.get_source_display()}. {c.summary}")
    for r in records["referrals"]:
        line(
            r.received_on,
            "Referral received",
            r.child_id,
            f"Source {r.source} ({r.get_source_display()}); primary need "
            f"{r.get_primary_need_display()}.",
        )
        if r.decided_on:
            line(r.decided_on, "Referral decided", r.child_id, r.get_decision_display())
    for a in records["assessments"]:
        line(a.started_on, "Assessment started", a.child_id)
        if a.completed_on:
            factors = ", ".join(a.factors)
            line(
                a.completed_on,
                "Assessment completed",
                a.child_id,
                f"Outcome: {a.get_outcome_display()}. Factors: {factors}."
                + (
                    f" Authorised {a.authorised_on:%-d %b %Y}."
                    if a.authorised_on
                    else " Awaiting authorisation."
                ),
            )
    for s in records["strategy_discussions"]:
        line(
            s.held_on,
            "Strategy discussion",
            s.child_id,
            f"With {s.participants}. Decided: {s.decisions}"
            + (" Section 47 enquiry to start." if s.starts_s47 else ""),
            reverse("practice:map_detail", args=[case.pk, s.map_id]) if s.map_id else "",
            "Open the strategy discussion map",
        )
    for e in records["enquiries"]:
        line(e.started_on, "Section 47 enquiry started", e.child_id)
        if e.completed_on:
            line(
                e.completed_on, "Section 47 enquiry concluded", e.child_id, e.get_outcome_display()
            )
    for c in records["conferences"]:
        if c.plan_decided is None:
            decision = "Decision not yet recorded."
        elif c.kind == "initial":
            decision = (
                f"Child protection plan: {c.get_category_display()}."
                if c.plan_decided
                else "No child protection plan."
            )
        else:
            decision = (
                f"The plan continues ({c.get_category_display()})."
                if c.plan_decided
                else "The plan can end."
            )
        line(
            c.held_on,
            c.get_kind_display(),
            c.child_id,
            f"{decision} {c.decision}",
            reverse("practice:map_detail", args=[case.pk, c.map_id]) if c.map_id else "",
            "Open the conference map (attendees and their scaling)",
        )
    for p in records["cp_plans"]:
        line(
            p.started_on,
            "Child protection plan started",
            p.child_id,
            f"Category: {p.get_initial_category_display()}.",
        )
        if p.ended_on:
            line(p.ended_on, "Child protection plan ended", p.child_id, p.get_end_reason_display())
    for g in records["core_groups"]:
        line(g.held_on, "Core group meeting", g.child_id, g.notes)
    for p in records["cin_plans"]:
        line(p.started_on, "Child in need plan started", p.child_id)
        if p.ended_on:
            line(p.ended_on, "Child in need plan ended", p.child_id, p.get_end_reason_display())
    for r in records["cin_reviews"]:
        line(r.held_on, "Child in need review", r.child_id, r.notes)
    for e in records["episodes"]:
        line(
            e.started_on,
            "Started to be looked after",
            e.child_id,
            f"Legal status {e.get_legal_status_display()}; placement {e.get_placement_display()}.",
        )
        if e.ended_on:
            line(
                e.ended_on, "Looked-after episode ended", e.child_id, e.get_reason_ceased_display()
            )
    for v in records["visits"]:
        line(
            v.visited_on,
            "Statutory visit",
            v.child_id,
            "Seen alone." if v.seen_alone else "Not seen alone.",
        )
    for c in records["closures"]:
        line(
            c.closed_on,
            "Case closure",
            None,
            f"{c.get_reason_display()}." + ("" if c.approved else " Not yet approved."),
        )
    return sorted(lines, key=lambda item: item["on"])


def case_process_page(case: Case, *, user) -> dict:
    summary = case_process_summary(case, user=user)
    summary["timeline"] = case_timeline(case, summary["records"], summary["children"])
    return summary


# Approvals -------------------------------------------------------------------------------


def approvals_awaiting(user) -> list[Approval]:
    """Everything the manager's team has sent for approval, oldest first."""
    if user.role != Role.TEAM_MANAGER:
        return []
    cases = Case.objects.filter(access.case_management_filter(user))
    return list(
        Approval.objects.filter(case__in=cases, status=Approval.Status.SUBMITTED)
        .select_related(
            "case",
            "submitted_by",
            "assessment__child",
            "cp_plan__child",
            "cin_plan__child",
            "closure",
        )
        .order_by("submitted_at", "pk")
    )


def approval_get(*, case: Case, approval_id: int) -> Approval:
    approval = (
        Approval.objects.filter(case=case, pk=approval_id)
        .select_related(
            "submitted_by", "decided_by", "assessment", "cp_plan", "cin_plan", "closure"
        )
        .first()
    )
    if approval is None:
        raise Http404("No such approval in this case.")
    return approval


def approval_history(approval: Approval) -> list[Approval]:
    record_filter = Q(**{approval.kind: approval.record})
    return list(
        Approval.objects.filter(record_filter)
        .select_related("submitted_by", "decided_by")
        .order_by("submitted_at", "pk")
    )
