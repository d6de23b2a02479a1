"""Statutory process history for the synthetic agency.

For every family of an agency built by `demo.generator.generate_agency`, each child's process
from the case's opening to its closure (or today), consistent with the case's service:

- child protection: referral → assessment → strategy discussion → section 47 → initial
  conference → plan (with its category) → core groups → review conferences → statutory visits
  → the plan ends before a closed case closes;
- children in need: referral → assessment → child in need plan → reviews;
- children looked after: referral → assessment → episodes (an interim care order, then a full
  care order, placements) ending before closure;
- early help: a contact only (early help is outside the statutory process).

Closed cases end with an approved closure and its RC code; assessments, plans and closures
carry their manager's approval. Deterministic for a given `rng` and `today`. Rows are written
with bulk inserts, like the rest of the generator: seed data has no audit trail and no record
history. Cases that already have process records are left alone."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from agencies.models import Agency, Role, Service, User
from people.models import Allocation, Case, CaseMember, Person
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

SOURCES = ["2A", "2A", "3A", "3B", "3E", "6", "6", "1A", "5D", "8"]
CP_FACTORS = [["3B", "17A"], ["16A"], ["2B", "16A"], ["4B", "17A"], ["18C"], ["3C", "1B"]]
# Not "21" (no factors identified): that code is for no further action, and these assessments
# lead to a plan (CIN rule 8873Q).
CIN_FACTORS = [["4B"], ["6A"], ["5B", "16A"], ["7A"], ["14A"], ["20"]]
CATEGORIES = ["NEG", "NEG", "EMO", "EMO", "PHY", "SAB", "MUL"]
PARTICIPANTS = [
    "DS Khan (police), Helen Ward (school), Priya Shah (health visitor)",
    "PC Adams (police), Dr Okoro (GP), Ms Clarke (school)",
    "Police public protection unit, school nurse, Tom Bell (family support)",
]


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(14, 0), tzinfo=datetime.UTC)


def add_process_history(*, agency: Agency, rng: random.Random, today: datetime.date) -> None:
    cases = list(
        Case.objects.filter(agency=agency, deleted_at__isnull=True)
        .exclude(pk__in=Referral.objects.values("case_id"))
        .exclude(pk__in=Contact.objects.values("case_id"))
        .order_by("pk")
    )
    _History(agency, rng, today, cases).write()


class _History:
    def __init__(self, agency, rng, today, cases):
        self.agency, self.rng, self.today, self.cases = agency, rng, today, cases
        ids = [case.pk for case in cases]
        self.children = defaultdict(list)
        for member in (
            CaseMember.objects.filter(case_id__in=ids, person__kind=Person.Kind.CHILD)
            .select_related("person")
            .order_by("person__date_of_birth", "person_id")
        ):
            self.children[member.case_id].append(member.person)
        self.allocations = defaultdict(list)
        for allocation in Allocation.objects.filter(case_id__in=ids).order_by("started_on", "pk"):
            self.allocations[allocation.case_id].append(allocation)
        self.managers = {
            user.team_id: user
            for user in User.objects.filter(agency=agency, role=Role.TEAM_MANAGER).order_by("pk")
        }
        self.rows = defaultdict(list)

    # Helpers ------------------------------------------------------------------------------

    def _worker(self, case, day):
        allocations = self.allocations[case.pk]
        current = allocations[0].worker
        for allocation in allocations:
            if allocation.started_on <= day:
                current = allocation.worker
        return current

    def _row(self, model, case, day, **values):
        row = model(agency=self.agency, case=case, recorded_by=self._worker(case, day), **values)
        self.rows[model].append(row)
        return row

    def _approve(self, case, kind, record, submitted_on, decided_on):
        worker, manager = self._worker(case, submitted_on), self.managers.get(case.team_id)
        decided = decided_on is not None and manager is not None
        self.rows[Approval].append(
            Approval(
                agency=self.agency,
                case=case,
                kind=kind,
                submitted_by=worker,
                submitted_at=_at(submitted_on),
                status=Approval.Status.APPROVED if decided else Approval.Status.SUBMITTED,
                decided_by=manager if decided else None,
                decided_at=_at(decided_on) if decided else None,
                comments="Agreed." if decided else "",
                **{kind: record},
            )
        )

    # Building -----------------------------------------------------------------------------

    def write(self) -> None:
        for case in self.cases:
            if not self.allocations[case.pk]:
                continue
            end = case.closed_on or self.today
            if case.service == Service.EARLY_HELP:
                self._row(
                    Contact,
                    case,
                    case.opened_on,
                    contact_on=case.opened_on,
                    source=self.rng.choice(SOURCES),
                    summary="Worries shared with the early help team.",
                )
                continue
            latest = case.opened_on
            for offset, child in enumerate(self.children[case.pk]):
                latest = max(latest, self._child(case, child, end, offset))
            if case.closed_on is not None:
                reason = self._closure_reason(case)
                closed_on = max(case.closed_on, latest)
                closure = self._row(
                    Closure,
                    case,
                    closed_on,
                    closed_on=closed_on,
                    reason=reason,
                    summary="The family's safety plan is working without us.",
                    approved=True,
                )
                self._approve(case, Approval.Kind.CLOSURE, closure, closed_on, closed_on)
        for model in [
            Contact,
            Referral,
            Assessment,
            StrategyDiscussion,
            Section47Enquiry,
            Conference,
            ChildProtectionPlan,
            CoreGroupMeeting,
            StatutoryVisit,
            ChildInNeedPlan,
            ChildInNeedReview,
            LookedAfterEpisode,
            Closure,
            Approval,
        ]:
            if model is Conference:
                # Review conferences point at plans, which point at initial conferences.
                initial = [c for c in self.rows[model] if c.kind == Conference.Kind.INITIAL]
                Conference.objects.bulk_create(initial, batch_size=500)
                continue
            if model is ChildProtectionPlan:
                ChildProtectionPlan.objects.bulk_create(self.rows[model], batch_size=500)
                reviews = [c for c in self.rows[Conference] if c.kind == Conference.Kind.REVIEW]
                Conference.objects.bulk_create(reviews, batch_size=500)
                continue
            model.objects.bulk_create(self.rows[model], batch_size=500)

    def _closure_reason(self, case) -> str:
        if case.service == Service.CHILDREN_LOOKED_AFTER:
            return self.rng.choice(["RC3", "RC4", "RC7"])
        return self.rng.choices(["RC7", "RC5", "RC3"], weights=[85, 10, 5])[0]

    def _child(self, case, child, end, offset) -> datetime.date:
        """One child's process from the case's opening; returns the latest date written."""
        rng = self.rng
        received = case.opened_on
        if child.expected_date_of_birth is not None:
            # An unborn baby is referred during the pregnancy, not years before it (CIN 8606).
            received = max(received, child.expected_date_of_birth - _days(26 * 7))
            if received > end:
                return case.opened_on
        referral = self._row(
            Referral,
            case,
            received,
            child=child,
            received_on=received,
            source=rng.choice(SOURCES),
            primary_need="N1"
            if case.service == Service.CHILD_PROTECTION
            else rng.choice(["N1", "N2", "N3", "N4", "N5"]),
            decision=Referral.Decision.ASSESSMENT,
            decided_on=min(received + _days(1), end),
        )
        started = min(received + _days(rng.randint(1, 3)), end)
        completed = started + _days(rng.randint(18, 42))
        outcome = {
            Service.CHILD_PROTECTION: Assessment.Outcome.CHILD_PROTECTION,
            Service.CHILDREN_IN_NEED: Assessment.Outcome.CIN_PLAN,
            Service.CHILDREN_LOOKED_AFTER: Assessment.Outcome.LOOKED_AFTER,
        }[case.service]
        assessment = self._row(
            Assessment,
            case,
            started,
            child=child,
            referral=referral,
            started_on=started,
            summary="Assessment with the family and their network.",
        )
        latest = started
        if completed <= end:
            assessment.completed_on = completed
            assessment.outcome = outcome
            factors = CP_FACTORS if case.service == Service.CHILD_PROTECTION else CIN_FACTORS
            assessment.factors = rng.choice(factors)
            authorised = completed + _days(rng.randint(0, 4))
            assessment.authorised_on = authorised if authorised <= end else None
            self._approve(
                case, Approval.Kind.ASSESSMENT, assessment, completed, assessment.authorised_on
            )
            latest = assessment.authorised_on or completed
        if case.service == Service.CHILD_PROTECTION:
            return max(latest, self._protection(case, child, received, end))
        if case.service == Service.CHILDREN_IN_NEED and assessment.completed_on:
            return max(latest, self._in_need(case, child, assessment.completed_on, end))
        if case.service == Service.CHILDREN_LOOKED_AFTER:
            return max(latest, self._looked_after(case, child, started, end))
        return latest

    def _protection(self, case, child, received, end) -> datetime.date:
        rng = self.rng
        held = min(received + _days(rng.randint(1, 4)), end)
        discussion = self._row(
            StrategyDiscussion,
            case,
            held,
            child=child,
            held_on=held,
            participants=rng.choice(PARTICIPANTS),
            decisions="Reasonable cause to suspect significant harm: section 47 enquiry.",
            starts_s47=True,
        )
        enquiry = self._row(
            Section47Enquiry,
            case,
            held,
            child=child,
            strategy_discussion=discussion,
            started_on=held,
        )
        concluded = held + _days(rng.randint(6, 12))
        if concluded > end:
            return held
        enquiry.completed_on = concluded
        enquiry.outcome = Section47Enquiry.Outcome.CONFERENCE
        enquiry.conference_needed = True
        icpc = max(held + _days(rng.randint(10, 15)), concluded)
        while icpc.weekday() >= 5:  # conferences are held on working days (CIN rule 8875)
            icpc += _days(1)
        if icpc > end:
            return concluded
        category = rng.choice(CATEGORIES)
        conference = self._row(
            Conference,
            case,
            icpc,
            child=child,
            kind=Conference.Kind.INITIAL,
            held_on=icpc,
            section47=enquiry,
            plan_decided=True,
            category=category,
            decision="Child protection plan.",
            decided_on=icpc,
        )
        plan = self._row(
            ChildProtectionPlan,
            case,
            icpc,
            child=child,
            conference=conference,
            started_on=icpc,
            initial_category=category,
            latest_category=category,
        )
        self._approve(case, Approval.Kind.CP_PLAN, plan, icpc, min(icpc + _days(2), end))
        # A closed case's plan ends a few weeks before closure, at a review conference.
        plan_end = None
        if case.closed_on is not None:
            plan_end = max(icpc + _days(30), case.closed_on - _days(rng.randint(14, 40)))
            plan_end = min(plan_end, case.closed_on)
        last = plan_end or end
        day = icpc + _days(rng.randint(5, 10))
        while day < last:
            self._row(
                CoreGroupMeeting,
                case,
                day,
                child=child,
                plan=plan,
                held_on=day,
                notes="Checked the safety plan with the network.",
            )
            day += _days(rng.randint(35, 49))
        day = icpc + _days(rng.randint(8, 15))
        # Now and then a visit slips, so the worklists have something overdue to show.
        visits_until = last
        if plan_end is None and rng.random() < 0.25:
            visits_until = end - _days(rng.randint(20, 30))
        while day < visits_until:
            self._row(
                StatutoryVisit,
                case,
                day,
                child=child,
                visited_on=day,
                seen_alone=rng.random() < 0.7,
            )
            day += _days(rng.randint(7, 14))
        review = icpc + _days(rng.randint(80, 90))
        while review < last:
            self._row(
                Conference,
                case,
                review,
                child=child,
                kind=Conference.Kind.REVIEW,
                held_on=review,
                reviewed_plan=plan,
                plan_decided=True,
                category=category,
                decision="The plan continues.",
                decided_on=review,
            )
            review += _days(rng.randint(170, 180))
        if plan_end is None:
            return max(icpc, day - _days(14))
        self._row(
            Conference,
            case,
            plan_end,
            child=child,
            kind=Conference.Kind.REVIEW,
            held_on=plan_end,
            reviewed_plan=plan,
            plan_decided=False,
            decision="Safe enough for the plan to end.",
            decided_on=plan_end,
        )
        plan.ended_on = plan_end
        plan.end_reason = ChildProtectionPlan.EndReason.NO_LONGER_NEEDED
        return plan_end

    def _in_need(self, case, child, completed, end) -> datetime.date:
        rng = self.rng
        start = completed + _days(rng.randint(1, 7))
        if start > end:
            return completed
        plan = self._row(ChildInNeedPlan, case, start, child=child, started_on=start)
        self._approve(case, Approval.Kind.CIN_PLAN, plan, start, min(start + _days(3), end))
        plan_end = case.closed_on - _days(rng.randint(0, 14)) if case.closed_on else None
        if plan_end is not None:
            plan_end = max(plan_end, start)
        last = plan_end or end
        review = start + _days(rng.randint(80, 95))
        while review < last:
            self._row(
                ChildInNeedReview,
                case,
                review,
                child=child,
                plan=plan,
                held_on=review,
                notes="Reviewed the plan with the family.",
            )
            review += _days(rng.randint(80, 95))
        if plan_end is None:
            return start
        plan.ended_on = plan_end
        plan.end_reason = ChildInNeedPlan.EndReason.NEEDS_MET
        return plan_end

    def _looked_after(self, case, child, started, end) -> datetime.date:
        rng = self.rng
        first = min(started + _days(rng.randint(0, 5)), end)
        placement = rng.choice(["U3", "U6", "U6", "U4", "K2"])
        interim = self._row(
            LookedAfterEpisode,
            case,
            first,
            child=child,
            started_on=first,
            legal_status="C1",
            placement=placement,
        )
        care_order = first + _days(rng.randint(120, 200))
        leaves = case.closed_on - _days(rng.randint(7, 30)) if case.closed_on else None
        if leaves is not None:
            leaves = max(leaves, first)
        if care_order < (leaves or end):
            interim.ended_on, interim.reason_ceased = care_order, "X1"
            full = self._row(
                LookedAfterEpisode,
                case,
                care_order,
                child=child,
                started_on=care_order,
                legal_status="C2",
                placement=placement,
            )
            if leaves is not None:
                full.ended_on = max(leaves, care_order)
                full.reason_ceased = rng.choice(["E13", "E41", "E45", "E4A"])
                return full.ended_on
            return care_order
        if leaves is not None:
            interim.ended_on, interim.reason_ceased = leaves, rng.choice(["E13", "E4A"])
            return leaves
        return first
