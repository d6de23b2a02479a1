"""Statutory process history for the synthetic agency.

For every family of an agency built by `demo.generator.generate_agency`, each child's process
from the case's opening to its closure (or today), consistent with the case's service:

- child protection: referral → assessment → strategy discussion → section 47 → initial
  conference → plan (with its category) → core groups → review conferences → statutory visits
  → the plan ends before a closed case closes;
- children in need: referral → assessment → child in need plan → reviews;
- children looked after: referral → assessment → episodes (an interim care order, then a full
  care order, placements) ending before closure, with what the SSDA903 return asks: reason for
  the new episode, category of need, provider, postcodes, URN, previous permanence; statutory
  reviews with the child's participation; now and then a missing or away episode; outcomes
  (OC2) for each year a child was looked after for 12 months at 31 March;
- early help: a contact only (early help is outside the statutory process).

Closed cases end with an approved closure and its RC code; assessments, plans and closures
carry their manager's approval. Deterministic for a given `rng` and `today`. Rows are written
with bulk inserts, like the rest of the generator: seed data has no audit trail and no record
history. Cases that already have process records are left alone."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from agencies.models import Agency, Role, Service, Team, User
from demo import names
from people.models import Allocation, Case, CaseMember, Person, Relationship
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
    LookedAfterOutcomes,
    LookedAfterReview,
    MissingEpisode,
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
# Real postcodes (ONS postcode directory, Open Government Licence) for synthetic families: homes
# and the agency's own foster placements in one borough (E09000027, Richmond upon Thames, which
# is the local authority the independent 903 validator is run as), private children's homes in
# the next one (E09000018, Hounslow). The SSDA903 placement LA and distance come from them.
HOME_POSTCODES = ["TW2 7HQ", "TW1 2NN", "TW11 9EA", "TW12 1TP", "TW2 7PZ", "TW1 4NN"]
FOSTER_POSTCODES = ["TW12 2NL", "TW12 2QR", "TW1 2NN", "TW11 9EA"]
HOME_PROVIDER_POSTCODES = ["TW7 5RN", "TW5 0TG", "TW8 9TP", "TW3 3RW"]
# Synthetic Ofsted URNs: the agency's fostering service, and private children's homes.
FOSTERING_URN = "SC999001"
HOME_URNS = ["SC999101", "SC999102", "SC999103"]
PARTICIPANTS = [
    "DS Khan (police), Helen Ward (school), Priya Shah (health visitor)",
    "PC Adams (police), Dr Okoro (GP), Ms Clarke (school)",
    "Police public protection unit, school nurse, Tom Bell (family support)",
]


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(14, 0), tzinfo=datetime.UTC)


def add_looked_after_children(*, agency: Agency, today: datetime.date) -> None:
    """Families whose children are looked after, held by the child protection teams, with
    their whole process from referral (the demo's other families are child protection, in need
    and early help). One family for every five others, at least three; drawn from its own
    generator, so the rest of the demo stays as it was."""
    from demo.generator import demo_upn  # the generator imports this module

    # Seeded by name, not by the agency's code: the same demo whatever the agency is called.
    rng = random.Random("process-looked-after")
    teams = list(
        Team.objects.filter(agency=agency, service=Service.CHILD_PROTECTION).order_by("pk")
    )
    workers = defaultdict(list)
    for user in User.objects.filter(agency=agency, role=Role.SOCIAL_WORKER).order_by("pk"):
        workers[user.team_id].append(user)
    managers = {
        user.team_id: user
        for user in User.objects.filter(agency=agency, role=Role.TEAM_MANAGER).order_by("pk")
    }
    teams = [team for team in teams if workers[team.pk]]
    if not teams:
        return
    families = max(3, Case.objects.filter(agency=agency).count() // 5)
    cases, people, members, relationships, allocations = [], [], [], [], []
    for number in range(families):
        team = teams[number % len(teams)]
        opened = today - _days(rng.randint(200, 1400))
        closed = None
        if rng.random() < 0.25:
            closed = min(opened + _days(rng.randint(300, 900)), today - _days(rng.randint(10, 60)))
        british = names.NAMES["british"]
        surname = rng.choice(british["surnames"])
        case = Case(
            agency=agency,
            reference=f"NB-C{number + 1:05d}",
            name=f"{surname} family",
            team=team,
            service=Service.CHILDREN_LOOKED_AFTER,
            status=Case.Status.CLOSED if closed else Case.Status.OPEN,
            opened_on=opened,
            closed_on=closed,
        )
        cases.append(case)
        mum = Person(
            agency=agency,
            kind=Person.Kind.ADULT,
            given_name=rng.choice(british["women"]),
            family_name=surname,
            sex="F",
            ethnicity="WBRI",
            date_of_birth=opened - _days(rng.randint(22 * 365, 40 * 365)),
        )
        people.append(mum)
        members.append(CaseMember(agency=agency, case=case, person=mum))
        # Under 17 today, so nobody turns 18 in care in the demo.
        oldest = min(15 * 365, 17 * 365 - (today - opened).days)
        for _ in range(rng.choice([1, 1, 2])):
            sex = rng.choice(["F", "M"])
            born = opened - _days(rng.randint(60, max(60, oldest)))
            school_age = born <= datetime.date(today.year - 5, 8, 31)
            child = Person(
                agency=agency,
                kind=Person.Kind.CHILD,
                given_name=rng.choice(british["girls" if sex == "F" else "boys"]),
                family_name=surname,
                sex=sex,
                ethnicity="WBRI",
                date_of_birth=born,
                disabilities=["NONE"],
                upn=demo_upn(rng.randint(10**8, 10**11)) if school_age else "",
            )
            people.append(child)
            members.append(CaseMember(agency=agency, case=case, person=child))
            relationships.append(
                Relationship(
                    agency=agency,
                    person=mum,
                    relative=child,
                    kind=Relationship.Kind.MOTHER,
                    parental_responsibility=True,
                )
            )
        # One or two workers in turn; the handover is the same day.
        pool = workers[team.pk]
        span, handover = ((closed or today) - opened).days, None
        if span > 120 and rng.random() < 0.5:
            handover = opened + _days(rng.randint(60, span - 30))
        for worker, begins, ends in [
            (rng.choice(pool), opened, handover or closed),
            *([(rng.choice(pool), handover, closed)] if handover else []),
        ]:
            allocations.append(
                Allocation(
                    agency=agency,
                    case=case,
                    worker=worker,
                    allocated_by=managers.get(team.pk),
                    started_on=begins,
                    ended_on=ends,
                    reason="New case" if begins == opened else "Worker moved to another team",
                )
            )
    Case.objects.bulk_create(cases)
    Person.objects.bulk_create(people)
    for row in members:
        row.case_id, row.person_id = row.case.pk, row.person.pk
    CaseMember.objects.bulk_create(members)
    for row in relationships:
        row.person_id, row.relative_id = row.person.pk, row.relative.pk
    Relationship.objects.bulk_create(relationships)
    for row in allocations:
        row.case_id = row.case.pk
    Allocation.objects.bulk_create(allocations)
    _History(agency, rng, today, cases).write()


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
        # The looked-after details draw from their own generator, so adding them left the rest
        # of the process history as it was.
        self.lac_rng = random.Random("process-looked-after-details")

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
            LookedAfterReview,
            MissingEpisode,
            LookedAfterOutcomes,
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
            need = referral.primary_need if referral.primary_need != "N9" else "N8"
            return max(latest, self._looked_after(case, child, end, need))
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

    def _looked_after(self, case, child, end, need) -> datetime.date:
        rng, lac = self.rng, self.lac_rng
        # Looked after from the day of the referral (an emergency admission): the allocated
        # worker's episode then starts with the care episode (SSDA903 rule SW12STG2).
        first = min(case.opened_on, end)
        placement = rng.choice(["U3", "U6", "U6", "U4", "K2"])
        place = self._placement(placement)
        interim = self._row(
            LookedAfterEpisode,
            case,
            first,
            child=child,
            started_on=first,
            legal_status="C1",
            placement=placement,
            reason_new_episode="S",
            category_of_need=need,
            home_postcode=lac.choice(HOME_POSTCODES),
            previous_permanence="Z1",
            **place,
        )
        care_order = first + _days(rng.randint(120, 200))
        leaves = case.closed_on - _days(rng.randint(7, 30)) if case.closed_on else None
        if leaves is not None:
            leaves = max(leaves, first)
        last = interim
        if care_order < (leaves or end):
            interim.ended_on, interim.reason_ceased = care_order, "X1"
            last = self._row(
                LookedAfterEpisode,
                case,
                care_order,
                child=child,
                started_on=care_order,
                legal_status="C2",
                placement=placement,
                reason_new_episode="L",
                category_of_need=need,
                home_postcode=interim.home_postcode,
                **place,
            )
            if leaves is not None:
                last.ended_on = max(leaves, care_order)
                last.reason_ceased = rng.choice(["E13", "E41", "E45", "E4A"])
                if last.reason_ceased == "E45" and placement == "K2":
                    last.reason_ceased = "E46"  # an SGO to foster carers needs foster care
        elif leaves is not None:
            interim.ended_on, interim.reason_ceased = leaves, rng.choice(["E13", "E4A"])
        self._looked_after_details(case, child, first, last.ended_on, end)
        if last.ended_on is not None:
            return last.ended_on
        return last.started_on

    def _placement(self, placement) -> dict:
        lac = self.lac_rng
        if placement == "K2":
            return {
                "placement_provider": "PR4",
                "placement_postcode": lac.choice(HOME_PROVIDER_POSTCODES),
                "urn": lac.choice(HOME_URNS),
            }
        return {
            "placement_provider": "PR1",
            "placement_postcode": lac.choice(FOSTER_POSTCODES),
            "urn": FOSTERING_URN,
        }

    def _looked_after_details(self, case, child, first, left, end) -> None:
        """Reviews, missing episodes and 12-month outcomes while the child was looked after."""
        lac = self.lac_rng
        until = left or end
        birth = child.date_of_birth
        # Reviews: within 20 working days, then three months later, then every six months.
        review = first + _days(lac.randint(18, 26))
        gaps = [lac.randint(80, 88)] + [lac.randint(170, 178) for _ in range(40)]
        for gap in gaps:
            if review > until:
                break
            under_four = birth is None or child.age_on(review) < 4
            self._row(
                LookedAfterReview,
                case,
                review,
                child=child,
                held_on=review,
                participation="PN0" if under_four else lac.choice(["PN1", "PN1", "PN3", "PN5"]),
            )
            review += _days(gap)
        # Now and then an older child goes missing or is away for a night or two.
        if birth is not None and child.age_on(until) >= 10 and lac.random() < 0.6:
            gone = first + _days(lac.randint(30, 200))
            back = gone + _days(lac.randint(1, 3))
            if back < until:
                self._row(
                    MissingEpisode,
                    case,
                    back,
                    child=child,
                    kind=lac.choice(["M", "A"]),
                    started_on=gone,
                    ended_on=back,
                )
        # Outcomes for each year ending 31 March when they had been looked after for 12 months.
        year = first.year + (1 if first <= datetime.date(first.year, 4, 1) else 2)
        while datetime.date(year, 3, 31) <= min(until, end) and birth is not None:
            if left is None or left > datetime.date(year, 3, 31):
                self._outcomes(case, child, year)
            year += 1

    def _outcomes(self, case, child, year) -> None:
        lac = self.lac_rng
        end_of_year = datetime.date(year, 3, 31)
        age_start = child.age_on(datetime.date(year - 1, 4, 1))
        age_end = child.age_on(end_of_year)
        sdq = age_end >= 4 and age_start < 17  # DfE rules 186, 188 and 189
        score = lac.randint(4, 28) if sdq and lac.random() < 0.85 else None
        misuse = age_end >= 12 and lac.random() < 0.1
        self._row(
            LookedAfterOutcomes,
            case,
            end_of_year,
            child=child,
            year=year,
            sdq_score=score,
            sdq_reason="SDQ2" if sdq and score is None else "",
            convicted=(lac.random() < 0.05) if age_end >= 10 else None,
            health_check=True if age_end < 5 else None,
            immunisations=lac.random() < 0.95,
            teeth_check=lac.random() < 0.9,
            health_assessment=lac.random() < 0.95,
            substance_misuse=misuse,
            intervention_received=True if misuse else None,
        )
