"""Implementation records for the synthetic agency: when staff joined and what training they
have done, five closed quarterly self-assessment rounds rated by the leaders and practice leads
(getting slowly better, as an implementation does when it is working), the current quarter's
round open with one rater submitted, the rounds' maps and an implementation plan.

Its own random generator (seeded by the agency's code), so the rest of the demo is unchanged.
Rows are bulk-inserted like the rest of the generator: seed data has no audit trail."""

import datetime
import random

from django.utils import timezone

from agencies.models import Agency, Role, User
from implementation.defaults import DEFAULT_COURSES, DEFAULT_DOMAINS
from implementation.figures import quarter_ends
from implementation.models import (
    AssessmentRound,
    Course,
    ImplementationAction,
    ImplementationDomain,
    ImplementationSettings,
    PracticeLeadRole,
    Rating,
    RoundNote,
    TrainingRecord,
)

ROUNDS = 5
EVIDENCE = [
    "Seen in case audits this quarter",
    "From group supervision and the practice leads' meeting",
    "Staff survey comments and what families told us",
    "Reviewed against the measures dashboard",
]
NOTES = {
    RoundNote.Kind.WORRY: [
        "The assessment form still asks for a risk score that is not on the map.",
        "Police colleagues do not yet come to mapping meetings.",
        "New starters wait months for the introductory course.",
    ],
    RoundNote.Kind.WORKING_WELL: [
        "Group supervision is held in every team each month.",
        "Danger statements are written in the family's words more often.",
        "Leaders ask 'what's working well?' first at the performance meeting.",
    ],
    RoundNote.Kind.NEXT_STEP: [
        "Rewrite the conference report around the map's three columns.",
        "Run a joint mapping session with the police and health visitors.",
        "Book an introductory course every quarter.",
    ],
}
ACTIONS = [
    ("Align the assessment form with the map's domains.", 1),
    ("Invite police and health partners to the introductory course.", 4),
    ("Hold an appreciative inquiry session in each team every quarter.", 2),
    ("Audit ten maps a month for danger statements and safety goals.", 3),
    ("Publish the practice framework to every new starter on their first day.", 0),
]


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def add_implementation(*, agency: Agency, rng: random.Random, today: datetime.date) -> None:
    del rng  # draws from its own generator, so the rest of the demo stays the same
    rng = random.Random("implementation")
    staff = list(User.objects.filter(agency=agency).order_by("pk"))
    if not staff or ImplementationDomain.objects.filter(agency=agency).exists():
        return
    leaders = [u for u in staff if u.role in {Role.SENIOR_LEADER, Role.PRACTICE_LEAD}]
    recorder = leaders[0] if leaders else staff[0]
    # The invented agency sits beside a real authority's published outcomes (Richmond upon
    # Thames, DfE code 318, whose postcodes the demo's placements use) once
    # `manage.py load_published_statistics` has loaded them.
    ImplementationSettings.objects.get_or_create(
        agency=agency, defaults={"local_authority_code": "318"}
    )
    domains = ImplementationDomain.objects.bulk_create(
        ImplementationDomain(agency=agency, name=name, description=text, position=index)
        for index, (name, text) in enumerate(DEFAULT_DOMAINS, start=1)
    )
    courses = {
        course.level: course
        for course in Course.objects.bulk_create(
            Course(agency=agency, name=name, level=level, days=days)
            for name, level, days in DEFAULT_COURSES
        )
    }
    _staff_history(agency, staff, courses, recorder, rng, today)
    _rounds(agency, leaders, domains, staff, rng, today)


def _staff_history(agency, staff, courses, recorder, rng, today) -> None:
    """When each person joined (a few recently, so there are gaps to see) and their courses."""
    records, roles = [], []
    for index, person in enumerate(staff):
        newly_qualified = "newly qualified" in person.job_title.lower()
        if newly_qualified:
            joined = today - datetime.timedelta(days=45)
        elif index % 9 == 4:
            joined = today - datetime.timedelta(days=rng.randint(150, 250))  # late for the course
        else:
            joined = today - datetime.timedelta(days=rng.randint(500, 1600))
        person.date_joined = _aware(joined)
        if newly_qualified or index % 9 == 4 or person.role == Role.ADMINISTRATOR:
            continue
        # The introduction spreads out over the last 18 months: coverage rises over time.
        intro = max(joined + datetime.timedelta(days=20), today - datetime.timedelta(days=540))
        intro += datetime.timedelta(days=rng.randint(0, 420))
        intro = min(intro, today - datetime.timedelta(days=7))
        records.append(
            TrainingRecord(
                agency=agency,
                worker=person,
                course=courses["introduction"],
                completed_on=intro,
                recorded_by=recorder,
            )
        )
        lead = person.role in {Role.PRACTICE_LEAD, Role.SENIOR_LEADER, Role.TEAM_MANAGER}
        if lead or rng.random() < 0.45:
            advanced = min(intro + datetime.timedelta(days=rng.randint(60, 240)), today)
            if advanced < today:
                records.append(
                    TrainingRecord(
                        agency=agency,
                        worker=person,
                        course=courses["advanced"],
                        completed_on=advanced,
                        expires_on=advanced + datetime.timedelta(days=3 * 365),
                        recorded_by=recorder,
                    )
                )
        if person.role == Role.PRACTICE_LEAD or person.job_title == "Senior social worker":
            trained = min(intro + datetime.timedelta(days=300), today - datetime.timedelta(days=1))
            records.append(
                TrainingRecord(
                    agency=agency,
                    worker=person,
                    course=courses["practice_lead"],
                    completed_on=trained,
                    recorded_by=recorder,
                )
            )
            roles.append(
                PracticeLeadRole(
                    agency=agency, worker=person, started_on=trained, recorded_by=recorder
                )
            )
            if person.role == Role.PRACTICE_LEAD:
                records.append(
                    TrainingRecord(
                        agency=agency,
                        worker=person,
                        course=courses["trainer"],
                        completed_on=trained,
                        recorded_by=recorder,
                    )
                )
    User.objects.bulk_update(staff, ["date_joined"])
    TrainingRecord.objects.bulk_create(records)
    PracticeLeadRole.objects.bulk_create(roles)


def _rounds(agency, leaders, domains, staff, rng, today) -> None:
    if not leaders:
        return
    ends = quarter_ends(today, ROUNDS + 1)
    ratings, notes, rounds = [], [], []
    for number, end in enumerate(ends):
        start = datetime.date(end.year, (end.month - 1) // 3 * 3 + 1, 1)
        current = number == len(ends) - 1
        round_ = AssessmentRound.objects.create(
            agency=agency,
            title=f"{end.year} Q{(end.month - 1) // 3 + 1}",
            period_start=start,
            period_end=end,
            status=AssessmentRound.Status.OPEN if current else AssessmentRound.Status.CLOSED,
            opened_by=leaders[0],
            closed_by=None if current else leaders[0],
            closed_at=None if current else _aware(end),
        )
        rounds.append(round_)
        raters = leaders[-1:] if current else leaders[:3]
        for rater in raters:
            for position, domain in enumerate(domains):
                # Start low (alignment and partnership lowest) and climb about a point a
                # quarter; raters differ by a point or so.
                base = 2 + position % 3 - (1 if position in (1, 4) else 0)
                score = base + number + rng.choice([-1, 0, 0, 1])
                ratings.append(
                    Rating(
                        agency=agency,
                        round=round_,
                        domain=domain,
                        rater=rater,
                        score=max(0, min(10, score)),
                        evidence=rng.choice(EVIDENCE),
                        reasons=f"Better than last quarter in places; {domain.name.lower()} "
                        "is not yet part of every team's everyday work.",
                        submitted_at=_aware(min(end, today)),
                    )
                )
        for kind, texts in NOTES.items():
            text = texts[number % len(texts)]
            notes.append(
                RoundNote(
                    agency=agency, round=round_, kind=kind, text=text, author=rng.choice(raters)
                )
            )
    Rating.objects.bulk_create(ratings)
    RoundNote.objects.bulk_create(notes)
    owners = leaders + [u for u in staff if u.role == Role.TEAM_MANAGER]
    actions = []
    for index, (text, domain_index) in enumerate(ACTIONS):
        raised = rounds[min(index, len(rounds) - 2)]
        due = raised.period_end + datetime.timedelta(days=90 + 30 * index)
        done = due < today and index % 2 == 0
        actions.append(
            ImplementationAction(
                agency=agency,
                action=text,
                owner=owners[index % len(owners)],
                due_on=due,
                status=ImplementationAction.Status.DONE
                if done
                else ImplementationAction.Status.IN_PROGRESS,
                domain=domains[domain_index],
                raised_in=raised,
                reviewed_in=rounds[-2] if done else None,
                review_note="Done; the ratings for this domain rose this quarter." if done else "",
                created_by=leaders[0],
            )
        )
    ImplementationAction.objects.bulk_create(actions)
