"""Reads for surveys, each scoped to the user's agency; deny by default.

Who sees what:
- Practice leads, senior leaders, performance analysts and administrators set surveys up and
  see the results (`may_manage`).
- Every member of staff sees the staff surveys they were asked to answer.
- Anyone who may read a case sees which family surveys were sent on it, and whether they were
  answered (never the answers of an anonymous survey).

Results never name who answered. Small numbers are suppressed as the measures are
(`core.disclosure.suppress_below()`): a team with fewer responses than that is folded into
"Other teams", which is itself hidden if it is still too small, and nothing is shown for a round
with fewer responses than that in all."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from agencies.models import Role, Team
from core.disclosure import suppress_below
from people.models import Case
from surveys.defaults import AGREE_LABELS
from surveys.models import Survey, SurveyAnswer, SurveyInvitation, SurveyQuestion, SurveyResponse

MANAGER_ROLES = {
    Role.PRACTICE_LEAD,
    Role.SENIOR_LEADER,
    Role.PERFORMANCE_ANALYST,
    Role.ADMINISTRATOR,
}
OTHER_TEAMS = "Other teams"
NO_TEAM = "No team"
ROUNDS_SHOWN = 8


def _staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.agency_id)


def may_manage(user) -> bool:
    return _staff(user) and user.role in MANAGER_ROLES


def surveys_for(user) -> QuerySet[Survey]:
    """Every survey of the agency, each with how many were asked and how many answered."""
    if not may_manage(user):
        return Survey.objects.none()
    return (
        Survey.objects.filter(agency_id=user.agency_id)
        .annotate(
            invited=Count("invitations", distinct=True),
            answered=Count(
                "invitations", filter=Q(invitations__answered_on__isnull=False), distinct=True
            ),
        )
        .select_related("created_by")
        .order_by("-opens_on", "-id")
    )


def survey_get(user, *, survey_id: int) -> Survey:
    if not may_manage(user):
        raise Http404("No survey found.")
    survey = Survey.objects.filter(agency_id=user.agency_id, pk=survey_id).first()
    if survey is None:
        raise Http404("No survey found.")
    return survey


def question_get(survey: Survey, *, question_id) -> SurveyQuestion:
    try:
        question_id = int(question_id)
    except (TypeError, ValueError):
        raise Http404("No question found.") from None
    question = survey.questions.filter(pk=question_id).first()
    if question is None:
        raise Http404("No question found.")
    return question


def questions(survey: Survey) -> list[SurveyQuestion]:
    return list(survey.questions.order_by("order", "id"))


def answer_labels(survey: Survey, question: SurveyQuestion) -> list[tuple[int, str]]:
    """Each value a question can take and what it says, in the survey's own words."""
    if question.kind == SurveyQuestion.Kind.AGREE:
        return list(AGREE_LABELS[survey.kind].items())
    return [(value, str(value)) for value in question.values]


# Staff answering -----------------------------------------------------------------------------


def staff_invitations(user) -> list[SurveyInvitation]:
    """The staff surveys this person was asked to answer that are open now (answered or not)."""
    if not _staff(user):
        return []
    today = timezone.localdate()
    return list(
        SurveyInvitation.objects.filter(
            user=user,
            agency_id=user.agency_id,
            survey__state=Survey.State.OPEN,
            survey__opens_on__lte=today,
            survey__closes_on__gte=today,
        )
        .select_related("survey")
        .order_by("survey__closes_on", "survey_id")
    )


def staff_invitation_get(user, *, survey_id: int) -> SurveyInvitation:
    """This person's invitation to an open staff survey, or 404."""
    for invitation in staff_invitations(user):
        if invitation.survey_id == survey_id:
            return invitation
    raise Http404("You were not asked to answer this survey, or it is not open.")


# Family invitations --------------------------------------------------------------------------


def family_surveys_open(agency_id: int) -> list[Survey]:
    today = timezone.localdate()
    return list(
        Survey.objects.filter(
            agency_id=agency_id,
            kind=Survey.Kind.FAMILY,
            state=Survey.State.OPEN,
            opens_on__lte=today,
            closes_on__gte=today,
        ).order_by("closes_on", "id")
    )


def case_survey_invitations(case: Case) -> list[SurveyInvitation]:
    """Every family survey invitation on the case, newest round first."""
    return list(
        case.survey_invitations.select_related("survey", "invited_by", "person").order_by(
            "-survey__opens_on", "name", "id"
        )
    )


def family_invitations_to_answer(*, case_id: int, person_id: int | None) -> list:
    """For the family pages: the open family surveys this person was asked on this case and
    has not answered yet."""
    if person_id is None:
        return []
    today = timezone.localdate()
    return list(
        SurveyInvitation.objects.filter(
            case_id=case_id,
            person_id=person_id,
            answered_on__isnull=True,
            survey__kind=Survey.Kind.FAMILY,
            survey__state=Survey.State.OPEN,
            survey__opens_on__lte=today,
            survey__closes_on__gte=today,
        )
        .select_related("survey")
        .order_by("survey__closes_on", "id")
    )


def family_invitation_get(*, case_id: int, person_id: int | None, invitation_id: int):
    for invitation in family_invitations_to_answer(case_id=case_id, person_id=person_id):
        if invitation.pk == invitation_id:
            return invitation
    raise Http404("No survey to answer.")


# Results -------------------------------------------------------------------------------------


@dataclass
class Group:
    key: object
    label: str
    responses: int = 0
    suppressed: bool = False


@dataclass
class Figures:
    """One question's answers in one group: how many gave each value, and the mean."""

    counts: dict = field(default_factory=dict)
    suppressed: bool = False

    @property
    def n(self) -> int:
        return sum(self.counts.values())

    @property
    def mean(self) -> float | None:
        if self.suppressed or not self.n:
            return None
        return round(sum(v * c for v, c in self.counts.items()) / self.n, 1)


def _team_labels(agency_id: int) -> dict:
    return dict(Team.objects.filter(agency_id=agency_id).values_list("pk", "name"))


def _groups(response_counts: dict, labels: dict, threshold: int) -> tuple[list[Group], dict]:
    """Teams with enough responses stand alone; the rest fold into "Other teams". Returns the
    groups and, for each team id, the key of the group it counts in."""
    groups, member_of, others = [], {}, Group(key=OTHER_TEAMS, label=OTHER_TEAMS)
    for team_id, count in sorted(
        response_counts.items(), key=lambda item: labels.get(item[0], NO_TEAM)
    ):
        if count >= threshold and team_id is not None:
            groups.append(Group(key=team_id, label=labels.get(team_id, NO_TEAM), responses=count))
            member_of[team_id] = team_id
        else:
            others.responses += count
            member_of[team_id] = OTHER_TEAMS
    if others.responses:
        others.suppressed = others.responses < threshold
        groups.append(others)
    return groups, member_of


def response_rates(survey: Survey) -> dict:
    """Invited and answered by team (counts of invitations, which never say what anyone
    answered)."""
    labels = _team_labels(survey.agency_id)
    rows = (
        survey.invitations.values("team_id")
        .annotate(invited=Count("id"), answered=Count("id", filter=Q(answered_on__isnull=False)))
        .order_by()
    )
    teams = []
    for row in rows:
        teams.append(
            {
                "team": labels.get(row["team_id"], NO_TEAM),
                "invited": row["invited"],
                "answered": row["answered"],
                "percent": _percent(row["answered"], row["invited"]),
            }
        )
    teams.sort(key=lambda t: t["team"])
    invited = sum(t["invited"] for t in teams)
    answered = sum(t["answered"] for t in teams)
    return {
        "teams": teams,
        "invited": invited,
        "answered": answered,
        "percent": _percent(answered, invited),
    }


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _value_counts(surveys) -> dict:
    """(survey id, question key, team id) -> {value: count}, in one query."""
    counts: dict = defaultdict(lambda: defaultdict(int))
    rows = (
        SurveyAnswer.objects.filter(response__survey__in=surveys, value__isnull=False)
        .values("response__survey_id", "question__key", "response__team_id", "value")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        key = (row["response__survey_id"], row["question__key"], row["response__team_id"])
        counts[key][row["value"]] += row["n"]
    return counts


def _response_counts(surveys) -> dict:
    """survey id -> {team id: responses}."""
    counts: dict = defaultdict(dict)
    rows = (
        SurveyResponse.objects.filter(survey__in=surveys)
        .values("survey_id", "team_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["survey_id"]][row["team_id"]] = row["n"]
    return counts


def _figures_by_group(counts, survey_id, key, groups, member_of, threshold, total) -> dict:
    """A question's figures for the whole survey ("all") and for each group."""
    by_group = {g.key: Figures() for g in groups}
    everyone = Figures(suppressed=total < threshold)
    for team_id, group_key in member_of.items():
        for value, n in counts.get((survey_id, key, team_id), {}).items():
            by_group[group_key].counts[value] = by_group[group_key].counts.get(value, 0) + n
            everyone.counts[value] = everyone.counts.get(value, 0) + n
    for group in groups:
        by_group[group.key].suppressed = group.suppressed or everyone.suppressed
    return {"all": everyone, **by_group}


def results(survey: Survey) -> dict:
    """Everything the results page shows, in a fixed number of queries."""
    threshold = suppress_below()
    responses = _response_counts([survey.pk]).get(survey.pk, {})
    total = sum(responses.values())
    groups, member_of = _groups(responses, _team_labels(survey.agency_id), threshold)
    counts = _value_counts([survey.pk])
    rows, texts = [], []
    for question in questions(survey):
        if question.is_text:
            texts.append(question)
            continue
        figures = _figures_by_group(
            counts, survey.pk, question.key, groups, member_of, threshold, total
        )
        everyone = figures["all"]
        rows.append(
            {
                "question": question,
                "all": everyone,
                "groups": [figures[g.key] for g in groups],
                "distribution": [
                    {"value": value, "label": label, "count": everyone.counts.get(value, 0)}
                    for value, label in answer_labels(survey, question)
                ],
            }
        )
    suppressed = total < threshold
    return {
        "threshold": threshold,
        "total": total,
        "suppressed": suppressed,
        "groups": groups,
        "rows": rows,
        "columns": [] if suppressed else free_text_columns(survey, texts),
        "rates": response_rates(survey),
    }


def free_text_columns(survey: Survey, text_questions: list[SurveyQuestion]) -> list[dict]:
    """Answers in their own words, in the three columns of the map. Sorted by their words, so
    the order says nothing about who wrote them or when."""
    by_column = defaultdict(list)
    answers = SurveyAnswer.objects.filter(
        question__in=text_questions, response__survey=survey
    ).values_list("question__column", "question__text", "text")
    for column, question_text, text in answers:
        by_column[column].append({"question": question_text, "text": text})
    columns = []
    for column in SurveyQuestion.Column:
        items = sorted(by_column.get(column.value, []), key=lambda a: a["text"].casefold())
        columns.append({"key": column.value, "heading": column.label, "answers": items})
    return columns


def rounds(user, *, kind: str) -> dict:
    """Each question's mean in each round of this kind of survey (oldest first), overall and
    by team, for comparing rounds. Questions are matched across rounds by their key."""
    if not may_manage(user):
        raise Http404("No surveys found.")
    threshold = suppress_below()
    surveys = list(
        Survey.objects.filter(agency_id=user.agency_id, kind=kind)
        .exclude(state=Survey.State.DRAFT)
        .order_by("-opens_on", "-id")[:ROUNDS_SHOWN]
    )[::-1]
    if not surveys:
        return {"surveys": [], "rows": [], "threshold": threshold}
    all_questions = list(
        SurveyQuestion.objects.filter(survey__in=surveys)
        .exclude(kind=SurveyQuestion.Kind.TEXT)
        .order_by("survey__opens_on", "order", "id")
    )
    latest = {q.key: q for q in all_questions}  # the newest wording of each key
    responses = _response_counts(surveys)
    counts = _value_counts(surveys)
    labels = _team_labels(user.agency_id)
    per_round = []
    for survey in surveys:
        team_counts = responses.get(survey.pk, {})
        groups, member_of = _groups(team_counts, labels, threshold)
        per_round.append((survey, sum(team_counts.values()), groups, member_of))
    team_names = sorted({g.label for _, _, groups, _ in per_round for g in groups} - {OTHER_TEAMS})
    if any(g.key == OTHER_TEAMS for _, _, groups, _ in per_round for g in groups):
        team_names.append(OTHER_TEAMS)
    asked = {(q.survey_id, q.key) for q in all_questions}
    rows = []
    for key, question in latest.items():
        points = []
        for survey, total, groups, member_of in per_round:
            if (survey.pk, key) not in asked:
                blank = [None] * len(team_names)
                points.append({"survey": survey, "asked": False, "all": None, "teams": blank})
                continue
            figures = _figures_by_group(counts, survey.pk, key, groups, member_of, threshold, total)
            teams = {g.label: figures[g.key] for g in groups}
            points.append(
                {
                    "survey": survey,
                    "asked": True,
                    "all": figures["all"],
                    "teams": [teams.get(name) for name in team_names],
                }
            )
        rows.append({"question": question, "points": points})
    return {
        "surveys": surveys,
        "rows": rows,
        "team_names": team_names,
        "threshold": threshold,
    }
