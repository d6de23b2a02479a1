"""Every write of staff and family surveys: setting a survey up, opening and closing it,
inviting people and taking their answers.

Each function is atomic and writes its audit event in the same transaction. A family link's
token is returned to the caller once; only its SHA-256 is stored. An answer to an anonymous
survey is stored with its team and day only, and its audit event names the survey, never the
response."""

import datetime
import hashlib
import secrets

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from agencies.models import User
from core.audit import audit_record, field_changes
from core.errors import ConflictError, RuleViolation
from people.models import Case, CaseMember, Person
from surveys.defaults import FAMILY_INTRODUCTION, STAFF_INTRODUCTION, questions_for
from surveys.models import (
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
)

LINK_REFUSED = (
    "This link does not work. Check you typed all of it, or ask your worker for a new one."
)
ALREADY_ANSWERED = "You have already answered this survey. Thank you."
SURVEY_CLOSED = "This survey has closed, so it cannot take answers now. Thank you for your time."


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _audit(actor, verb, survey, changes=None, *, target=None, case_id=None, ip_address=None):
    audit_record(
        actor=actor,
        verb=verb,
        target=target if target is not None else survey,
        agency_id=survey.agency_id,
        case_id=case_id,
        changes={"survey": survey.pk, **(changes or {})},
        ip_address=ip_address,
    )


def _check_revision(record, expected: int, what: str):
    if record.revision != expected:
        raise ConflictError(
            f"Someone else changed this {what} after you opened it. Their version is shown; "
            "check it and save again.",
            current=record,
        )


def _check_dates(opens_on: datetime.date, closes_on: datetime.date):
    if closes_on < opens_on:
        raise RuleViolation("The survey must close on or after the day it opens.")
    if (closes_on - opens_on).days > 366:
        raise RuleViolation("A survey can be open for a year at most. Repeat it for a new round.")


def _lock(survey: Survey) -> Survey:
    return Survey.objects.select_for_update().get(pk=survey.pk)


def _lock_draft(survey: Survey) -> Survey:
    survey = _lock(survey)
    if survey.state != Survey.State.DRAFT:
        raise RuleViolation(
            "The questions cannot change once the survey has opened, so every answer is to the "
            "same question. Repeat the survey to change them for the next round."
        )
    return survey


@transaction.atomic
def survey_create(
    *,
    actor,
    kind: str,
    title: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    introduction: str | None = None,
    anonymous: bool = True,
) -> Survey:
    """A new survey, being set up, with the starting questions for its kind."""
    if kind not in Survey.Kind.values:
        raise RuleViolation("Choose a staff survey or a family survey.")
    _check_dates(opens_on, closes_on)
    if introduction is None:
        introduction = STAFF_INTRODUCTION if kind == Survey.Kind.STAFF else FAMILY_INTRODUCTION
    survey = Survey.objects.create(
        agency_id=actor.agency_id,
        kind=kind,
        title=title.strip(),
        introduction=introduction.strip(),
        anonymous=anonymous,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=actor,
    )
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(agency_id=survey.agency_id, survey=survey, **question)
        for question in questions_for(kind)
    )
    _audit(
        actor,
        "surveys.survey_created",
        survey,
        {"kind": kind, "title": survey.title, "anonymous": anonymous},
    )
    return survey


@transaction.atomic
def survey_update(
    *,
    actor,
    survey: Survey,
    expected_revision: int,
    title: str,
    introduction: str,
    anonymous: bool,
    opens_on: datetime.date,
    closes_on: datetime.date,
) -> Survey:
    """Change a survey's title, introduction and dates. Whether it is anonymous is a promise
    made to the people asked, so it can change only before the survey opens."""
    survey = _lock(survey)
    _check_revision(survey, expected_revision, "survey")
    if survey.state == Survey.State.CLOSED:
        raise RuleViolation("This survey has closed. Repeat it for a new round.")
    if survey.state == Survey.State.OPEN:
        if anonymous != survey.anonymous:
            raise RuleViolation(
                "People were told whether this survey is anonymous when it opened, so that "
                "cannot change now."
            )
        if opens_on != survey.opens_on:
            raise RuleViolation("The survey has opened, so the day it opened cannot change.")
        if closes_on < timezone.localdate():
            raise RuleViolation("Close the survey instead of moving its closing day into the past.")
    _check_dates(opens_on, closes_on)
    new = {
        "title": title.strip(),
        "introduction": introduction.strip(),
        "anonymous": anonymous,
        "opens_on": opens_on,
        "closes_on": closes_on,
    }
    changes = field_changes(survey, new)
    for name, value in new.items():
        setattr(survey, name, value)
    survey.revision += 1
    survey.save()
    _audit(actor, "surveys.survey_changed", survey, changes)
    return survey


@transaction.atomic
def survey_repeat(
    *, actor, survey: Survey, opens_on: datetime.date, closes_on: datetime.date
) -> Survey:
    """The next round: a new survey, being set up, with the same questions (and the same
    question keys, so the rounds can be compared)."""
    _check_dates(opens_on, closes_on)
    if opens_on <= survey.opens_on:
        raise RuleViolation("The next round must open after this one opened.")
    new = Survey.objects.create(
        agency_id=survey.agency_id,
        kind=survey.kind,
        title=survey.title,
        introduction=survey.introduction,
        anonymous=survey.anonymous,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=actor,
    )
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(
            agency_id=new.agency_id,
            survey=new,
            key=q.key,
            text=q.text,
            hint=q.hint,
            group=q.group,
            kind=q.kind,
            column=q.column,
            low_label=q.low_label,
            high_label=q.high_label,
            order=q.order,
            required=q.required,
        )
        for q in survey.questions.all()
    )
    _audit(actor, "surveys.survey_created", new, {"repeat_of": survey.pk, "title": new.title})
    return new


def _invite_staff(survey: Survey, actor) -> int:
    """Every active member of staff in the agency, once, counted with their team now."""
    invited = set(survey.invitations.filter(user__isnull=False).values_list("user_id", flat=True))
    staff = User.objects.filter(agency_id=survey.agency_id, is_active=True).exclude(pk__in=invited)
    today = timezone.localdate()
    created = SurveyInvitation.objects.bulk_create(
        SurveyInvitation(
            agency_id=survey.agency_id,
            survey=survey,
            user=user,
            team_id=user.team_id,
            name=user.get_full_name() or user.username,
            invited_by=actor,
            invited_on=today,
        )
        for user in staff
    )
    return len(created)


@transaction.atomic
def survey_open(*, actor, survey: Survey, expected_revision: int) -> Survey:
    """Open the survey. A staff survey invites every active member of staff in the agency; a
    family survey is sent to families from their cases."""
    survey = _lock(survey)
    _check_revision(survey, expected_revision, "survey")
    if survey.state != Survey.State.DRAFT:
        raise RuleViolation("This survey has already been opened.")
    today = timezone.localdate()
    if survey.closes_on < today:
        raise RuleViolation("The survey's closing day has passed. Change its dates first.")
    if not survey.questions.exists():
        raise RuleViolation("Add at least one question before opening the survey.")
    survey.state = Survey.State.OPEN
    survey.opened_at = timezone.now()
    survey.revision += 1
    survey.save()
    invited = _invite_staff(survey, actor) if survey.kind == Survey.Kind.STAFF else 0
    _audit(actor, "surveys.survey_opened", survey, {"staff_invited": invited})
    return survey


@transaction.atomic
def survey_close(*, actor, survey: Survey, expected_revision: int) -> Survey:
    """Stop taking answers: every unused link stops working."""
    survey = _lock(survey)
    _check_revision(survey, expected_revision, "survey")
    if survey.state != Survey.State.OPEN:
        raise RuleViolation("Only an open survey can be closed.")
    survey.state = Survey.State.CLOSED
    survey.closed_at = timezone.now()
    survey.revision += 1
    survey.save()
    _audit(actor, "surveys.survey_closed", survey)
    return survey


def _question_fields(kind, text, column, hint, group, low_label, high_label, required) -> dict:
    if kind not in SurveyQuestion.Kind.values:
        raise RuleViolation("Choose how the question is answered.")
    if not text.strip():
        raise RuleViolation("Write the question.")
    if kind == SurveyQuestion.Kind.TEXT:
        if column not in SurveyQuestion.Column.values:
            raise RuleViolation(
                "Choose which of the three columns answers in their own words belong to."
            )
    else:
        column = ""
    is_scale = kind == SurveyQuestion.Kind.SCALE
    return {
        "kind": kind,
        "text": text.strip(),
        "column": column,
        "hint": hint.strip(),
        "group": group.strip(),
        "low_label": low_label.strip() if is_scale else "",
        "high_label": high_label.strip() if is_scale else "",
        "required": bool(required),
    }


def _new_key(survey: Survey, text: str) -> str:
    base = slugify(text)[:50] or "question"
    taken = set(survey.questions.values_list("key", flat=True))
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    return key


@transaction.atomic
def survey_question_add(
    *,
    actor,
    survey: Survey,
    text: str,
    kind: str,
    column: str = "",
    hint: str = "",
    group: str = "",
    low_label: str = "",
    high_label: str = "",
    required: bool = False,
) -> SurveyQuestion:
    survey = _lock_draft(survey)
    fields = _question_fields(kind, text, column, hint, group, low_label, high_label, required)
    last = survey.questions.order_by("-order").values_list("order", flat=True).first() or 0
    question = SurveyQuestion.objects.create(
        agency_id=survey.agency_id,
        survey=survey,
        key=_new_key(survey, fields["text"]),
        order=last + 10,
        **fields,
    )
    _audit(
        actor, "surveys.question_added", survey, {"question": question.pk, **fields},
        target=question,
    )  # fmt: skip
    return question


@transaction.atomic
def survey_question_update(
    *,
    actor,
    question: SurveyQuestion,
    expected_revision: int,
    text: str,
    kind: str,
    column: str = "",
    hint: str = "",
    group: str = "",
    low_label: str = "",
    high_label: str = "",
    required: bool = False,
    order: int | None = None,
) -> SurveyQuestion:
    """Change a question of a survey being set up. Its key stays, so a reworded question is
    still compared with earlier rounds: give it new wording only when it asks the same thing."""
    _lock_draft(question.survey)
    question = SurveyQuestion.objects.select_for_update().get(pk=question.pk)
    _check_revision(question, expected_revision, "question")
    fields = _question_fields(kind, text, column, hint, group, low_label, high_label, required)
    if order is not None:
        fields["order"] = order
    changes = field_changes(question, fields)
    for name, value in fields.items():
        setattr(question, name, value)
    question.revision += 1
    question.save()
    _audit(
        actor, "surveys.question_changed", question.survey,
        {"question": question.pk, **changes}, target=question,
    )  # fmt: skip
    return question


@transaction.atomic
def survey_question_remove(*, actor, question: SurveyQuestion) -> None:
    survey = _lock_draft(question.survey)
    text, pk = question.text, question.pk
    question.delete()
    _audit(actor, "surveys.question_removed", survey, {"question": pk, "text": text})


# Family invitations --------------------------------------------------------------------------


def _send_link(invitation: SurveyInvitation, *, url: str, actor) -> None:
    worker = actor.get_full_name() or "Your social worker"
    agency = invitation.case.agency.name
    body = (
        f"Hello {invitation.name},\n\n"
        f"{worker} from {agency} would like to know how it has been for you.\n\n"
        "Please answer a few short questions. It takes about three minutes. "
        "You do not need a password:\n\n"
        f"{url}\n\n"
        f"The survey is open until {invitation.survey.closes_on:%-d %B %Y}. "
        "The link works once.\n\n"
        "If you did not expect this email, you can ignore it.\n"
        f"\n{agency}\n"
    )
    send_mail("A few questions about working with us", body, None, [invitation.email])


@transaction.atomic
def survey_family_invite(
    *,
    actor,
    survey: Survey,
    case: Case,
    person: Person,
    link_for,
    email: str = "",
) -> tuple[SurveyInvitation, str]:
    """Ask a parent or young person on the case to answer the family survey. Returns the
    invitation and its link (once); link_for(token) makes the full address. Asking the same
    person again gives them a new link and the old one stops working. With an email address
    the link is emailed too."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk, agency_id=case.agency_id)
    if survey.kind != Survey.Kind.FAMILY:
        raise RuleViolation("Only a family survey can be sent to a family.")
    today = timezone.localdate()
    if not survey.takes_answers(today):
        raise RuleViolation(f"{survey.title} is not open now, so it cannot be sent.")
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.deleted_at is not None:
        raise RuleViolation("This case has been deleted.")
    if not CaseMember.objects.filter(case=case, person=person).exists():
        raise RuleViolation("Choose someone recorded in this family's case.")
    email = (email or "").strip()
    token = secrets.token_urlsafe(24)
    invitation = SurveyInvitation.objects.filter(survey=survey, case=case, person=person).first()
    if invitation is not None and invitation.answered_on is not None:
        raise RuleViolation(f"{person.display_name} has already answered {survey.title}.")
    if invitation is None:
        invitation = SurveyInvitation(
            agency_id=case.agency_id,
            survey=survey,
            case=case,
            person=person,
            team_id=case.team_id,
            name=person.display_name,
            invited_on=today,
        )
    verb = "surveys.family_invited" if invitation.pk is None else "surveys.family_link_renewed"
    invitation.token_hash = hash_token(token)
    invitation.invited_by = actor
    invitation.email = email or invitation.email
    invitation.save()
    _audit(
        actor,
        verb,
        survey,
        {"invitation": invitation.pk, "person": person.pk, "emailed": bool(invitation.email)},
        target=invitation,
        case_id=case.pk,
    )
    if invitation.email:
        _send_link(invitation, url=link_for(token), actor=actor)
    return invitation, token


def invitation_for_token(token: str) -> SurveyInvitation:
    """The family invitation a link opens, or RuleViolation with a message a family can act
    on: the link is wrong, already used, or the survey has closed."""
    token = (token or "").strip()
    if not token or len(token) > 100:
        raise RuleViolation(LINK_REFUSED)
    invitation = (
        SurveyInvitation.objects.filter(token_hash=hash_token(token), person__isnull=False)
        .select_related("survey", "case", "case__agency")
        .first()
    )
    if invitation is None:
        raise RuleViolation(LINK_REFUSED)
    if invitation.answered_on is not None:
        raise RuleViolation(ALREADY_ANSWERED)
    if not invitation.survey.takes_answers(timezone.localdate()):
        raise RuleViolation(SURVEY_CLOSED)
    return invitation


# Answers -------------------------------------------------------------------------------------


def _clean_answers(survey: Survey, answers: dict) -> list[tuple[SurveyQuestion, int | None, str]]:
    """answers: question id -> a number (scales) or text. Checks every value and that every
    required question is answered."""
    cleaned, missing = [], []
    for question in survey.questions.all():
        raw = answers.get(question.pk)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if question.required:
                missing.append(question.text)
            continue
        if question.is_text:
            cleaned.append((question, None, str(raw).strip()[:5000]))
            continue
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise RuleViolation(f"Choose one of the answers for: {question.text}") from None
        if value not in question.values:
            raise RuleViolation(f"Choose one of the answers for: {question.text}")
        cleaned.append((question, value, ""))
    if missing:
        raise RuleViolation("Answer every question marked as needed: " + "; ".join(missing))
    if not cleaned:
        raise RuleViolation("Answer at least one question.")
    return cleaned


@transaction.atomic
def survey_response_submit(
    *,
    invitation: SurveyInvitation,
    answers: dict,
    through: str,
    actor=None,
    ip_address: str | None = None,
    audit_changes: dict | None = None,
) -> SurveyResponse:
    """Take one person's answers, once. For an anonymous survey nothing stored with the answers
    says who gave them: only the team they count for and the day."""
    invitation = (
        SurveyInvitation.objects.select_for_update(of=("self",))
        .select_related("survey")
        .get(pk=invitation.pk)
    )
    survey = invitation.survey
    if invitation.answered_on is not None:
        raise RuleViolation(ALREADY_ANSWERED)
    today = timezone.localdate()
    if not survey.takes_answers(today):
        raise RuleViolation(SURVEY_CLOSED)
    if through not in SurveyInvitation.Channel.values:
        raise RuleViolation("Unknown way of answering.")
    cleaned = _clean_answers(survey, answers)
    named = not survey.anonymous
    response = SurveyResponse.objects.create(
        agency_id=survey.agency_id,
        survey=survey,
        team_id=invitation.team_id,
        submitted_on=today,
        respondent_user_id=invitation.user_id if named else None,
        respondent_person_id=invitation.person_id if named else None,
        case_id=invitation.case_id if named else None,
    )
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(
            agency_id=survey.agency_id, response=response, question=q, value=value, text=text
        )
        for q, value, text in cleaned
    )
    invitation.answered_on = today
    invitation.answered_through = through
    # Answered once: the link (kept, to say so) never takes answers again.
    invitation.save(update_fields=["answered_on", "answered_through"])
    changes = {"invitation": invitation.pk, "through": through, **(audit_changes or {})}
    if named:
        changes["response"] = str(response.pk)
    _audit(
        actor,
        "surveys.response_submitted",
        survey,
        changes,
        target=invitation,
        case_id=invitation.case_id,
        ip_address=ip_address,
    )
    return response
