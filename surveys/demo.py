"""Staff and family surveys for the synthetic agency: two rounds of each over the past year.

The staff survey ran about nine and three months ago, each round asking every member of staff;
the family survey ran about seven months ago and its second round is open now, so workers can
send it from a case and families can answer on the family pages. About seven in ten staff and
four in ten family members answer; confidence with the tools and how families feel rise a
little from the first round to the second, and differ by team. Rows are written with bulk
inserts, like the rest of the generator: seed data has no audit trail. Deterministic for a given
agency and `today`; it draws from its own random stream, so the rest of the demo is unchanged."""

from __future__ import annotations

import datetime
import hashlib
import random

from agencies.models import Agency, Role, User
from people.models import Case, CaseMember, Person
from surveys.defaults import FAMILY_INTRODUCTION, STAFF_INTRODUCTION, questions_for
from surveys.models import Survey, SurveyAnswer, SurveyInvitation, SurveyQuestion, SurveyResponse

STAFF_WORDS = {
    "worries": [
        "Caseloads went up again after two people left the team.",
        "Court deadlines leave little time to do the mapping properly.",
        "I worry that scaling questions get skipped on duty visits.",
        "Supervision gets cancelled when the team is busy.",
        "Recording takes longer than the visit sometimes.",
        "New starters don't get enough time to learn the tools.",
    ],
    "working_well": [
        "Group supervision on mapping has really helped.",
        "Words and Pictures are getting much better and parents say so.",
        "Practice leads come to team meetings and model the tools.",
        "My manager backs me when I raise a worry.",
        "Safety networks are bigger and the plans are clearer.",
        "Appreciative inquiry sessions are a highlight.",
    ],
    "needs_to_happen": [
        "Protected time for mapping before conferences.",
        "More training on Three Houses with younger children.",
        "Fewer cases each so we can see families more often.",
        "Regular reflective supervision for everyone, not only new staff.",
        "Share good Words and Pictures across teams.",
    ],
}
FAMILY_WORDS = {
    "worries": [
        "I still don't know when the social worker will stop coming.",
        "I worry about the meeting next month.",
        "Too many different workers.",
        "I didn't understand some of the words at the start.",
    ],
    "working_well": [
        "She listened to me and my kids.",
        "The plan with my mum helping has worked.",
        "The story for the children was kind and true.",
        "Things are calmer at home now.",
        "They came when they said they would.",
    ],
    "needs_to_happen": [
        "Tell us sooner what is written about us.",
        "Keep the same worker.",
        "Explain things in simpler words.",
        "Meetings at times I can get to after school.",
    ],
}


def _day_bounds(today, opens_ago: int, closes_ago: int):
    return today - datetime.timedelta(days=opens_ago), today - datetime.timedelta(days=closes_ago)


def _survey(agency, lead, kind, title, today, opens_ago, closes_ago):
    opens_on, closes_on = _day_bounds(today, opens_ago, closes_ago)
    is_open = closes_on >= today
    survey = Survey.objects.create(
        agency=agency,
        kind=kind,
        title=title,
        introduction=STAFF_INTRODUCTION if kind == "staff" else FAMILY_INTRODUCTION,
        anonymous=True,
        state=Survey.State.OPEN if is_open else Survey.State.CLOSED,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=lead,
    )
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(agency=agency, survey=survey, **q) for q in questions_for(kind)
    )
    return survey, list(survey.questions.all())


def _value(rng, question, lift: float) -> int:
    """A plausible answer: scales centre near 6, agree/disagree near 4, moved by `lift`."""
    if question.kind == SurveyQuestion.Kind.SCALE:
        return max(0, min(10, round(rng.gauss(5.8 + 2 * lift, 1.8))))
    return max(1, min(5, round(rng.gauss(3.6 + lift, 0.9))))


def _answer(rng, agency, survey, questions, invitation, words, lift, day):
    response = SurveyResponse(
        agency=agency, survey=survey, team_id=invitation.team_id, submitted_on=day
    )
    answers = []
    for question in questions:
        if question.is_text:
            if rng.random() < 0.45:
                text = rng.choice(words[question.column])
                answers.append(
                    SurveyAnswer(agency=agency, response=response, question=question, text=text)
                )
        elif question.required or rng.random() < 0.9:
            value = _value(rng, question, lift)
            answers.append(
                SurveyAnswer(agency=agency, response=response, question=question, value=value)
            )
    return response, answers


def _write(agency, survey, questions, invitations, rng, *, today, rate, words, lift_for, through):
    SurveyInvitation.objects.bulk_create(invitations)
    responses, answers = [], []
    last = min(survey.closes_on, today)
    for invitation in invitations:
        if rng.random() >= rate:
            continue
        span = max((last - invitation.invited_on).days, 0)
        day = invitation.invited_on + datetime.timedelta(days=rng.randint(0, span))
        invitation.answered_on = day
        invitation.answered_through = through(invitation)
        response, rows = _answer(
            rng, agency, survey, questions, invitation, words, lift_for(invitation), day
        )
        if rows:
            responses.append(response)
            answers.extend(rows)
    SurveyResponse.objects.bulk_create(responses)
    SurveyAnswer.objects.bulk_create(answers)
    SurveyInvitation.objects.bulk_update(
        [i for i in invitations if i.answered_on], ["answered_on", "answered_through"]
    )


def add_surveys(*, agency: Agency, rng: random.Random, today: datetime.date) -> None:
    """Two rounds of the staff survey and two of the family survey."""
    del rng  # Our own stream: the rest of the demo stays as it was.
    rng = random.Random("surveys")
    lead = (
        User.objects.filter(agency=agency, role=Role.PRACTICE_LEAD).order_by("pk").first()
        or User.objects.filter(agency=agency).order_by("pk").first()
    )
    if lead is None or Survey.objects.filter(agency=agency).exists():
        return
    staff = list(User.objects.filter(agency=agency, is_active=True).order_by("pk"))
    team_lift = {}
    for user in staff:
        team_lift.setdefault(user.team_id, rng.uniform(-0.4, 0.4))
    for round_number, (opens_ago, closes_ago) in enumerate([(275, 247), (95, 67)]):
        survey, questions = _survey(
            agency, lead, "staff", "Staff survey: tools, conditions and climate", today,
            opens_ago, closes_ago,
        )  # fmt: skip
        invitations = [
            SurveyInvitation(
                agency=agency,
                survey=survey,
                user=user,
                team_id=user.team_id,
                name=user.get_full_name() or user.username,
                invited_by=lead,
                invited_on=survey.opens_on,
            )
            for user in staff
        ]
        _write(
            agency, survey, questions, invitations, rng, today=today, rate=0.7, words=STAFF_WORDS,
            lift_for=lambda i, r=round_number: team_lift.get(i.team_id, 0) + 0.3 * r,
            through=lambda i: SurveyInvitation.Channel.STAFF,
        )  # fmt: skip
    members = list(
        CaseMember.objects.filter(
            case__agency=agency, case__deleted_at__isnull=True, person__kind=Person.Kind.ADULT
        )
        .select_related("case", "person")
        .order_by("case_id", "person_id")
    )
    for round_number, (opens_ago, closes_ago) in enumerate([(215, 180), (21, -40)]):
        survey, questions = _survey(
            agency, lead, "family", "How was it for you?", today, opens_ago, closes_ago
        )
        opened = survey.opens_on
        chosen = [
            m
            for m in members
            if m.case.opened_on <= opened
            and (m.case.status == Case.Status.OPEN or (m.case.closed_on or today) >= opened)
            and rng.random() < 0.35
        ]
        invitations = []
        for member in chosen:
            seed = f"{survey.pk}-{member.case_id}-{member.person_id}-{agency.code}"
            invitations.append(
                SurveyInvitation(
                    agency=agency,
                    survey=survey,
                    case=member.case,
                    person=member.person,
                    team_id=member.case.team_id,
                    name=member.person.display_name,
                    # Demo links are not given out: a digest no one holds the secret of.
                    token_hash=hashlib.sha256(seed.encode()).hexdigest(),
                    invited_by=lead,
                    invited_on=opened + datetime.timedelta(days=rng.randint(0, 7)),
                )
            )
        _write(
            agency, survey, questions, invitations, rng, today=today, rate=0.45, words=FAMILY_WORDS,
            lift_for=lambda i, r=round_number: team_lift.get(i.team_id, 0) + 0.25 * r,
            through=lambda i: rng.choice(
                [SurveyInvitation.Channel.LINK, SurveyInvitation.Channel.PORTAL]
            ),
        )  # fmt: skip
