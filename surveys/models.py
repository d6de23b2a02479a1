"""Staff and family surveys: what staff say about the tools and their working conditions, and
what families say about how it was for them.

A survey is one round (surveys repeat, for example every quarter); rounds of the same kind are
compared question by question through each question's `key`, which a repeated round keeps.

Anonymity is kept by what is not stored: a response to an anonymous survey records only the
team it counts for and the day it came in, never who gave it. Responses and answers have random
ids and no time of day, so their order cannot be matched to the invitations or the audit log.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from agencies.models import Agency, Team
from core.models import TimeStampedModel
from people.models import Case, Person


class Survey(TimeStampedModel):
    class Kind(models.TextChoices):
        STAFF = "staff", "Staff survey"
        FAMILY = "family", "Family survey"

    class State(models.TextChoices):
        DRAFT = "draft", "Being set up"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    title = models.CharField(max_length=200)
    introduction = models.TextField(
        blank=True, help_text="What people read before the questions: why we ask and who sees it."
    )
    anonymous = models.BooleanField(
        default=True, help_text="If on, no answer is stored with the name of who gave it."
    )
    state = models.CharField(max_length=8, choices=State.choices, default=State.DRAFT)
    opens_on = models.DateField()
    closes_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opens_on", "-id"]
        indexes = [models.Index(fields=["agency", "kind", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="survey_closes_after_it_opens",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def takes_answers(self, day) -> bool:
        """Open, and the day within its dates."""
        return self.state == self.State.OPEN and self.opens_on <= day <= self.closes_on


class SurveyQuestion(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", "A 0 to 10 scale"
        AGREE = "agree", "Agree or disagree (5 points)"
        TEXT = "text", "Their own words"

    class Column(models.TextChoices):
        WORRIES = "worries", "What we are worried about"
        WORKING_WELL = "working_well", "What's working well"
        NEEDS_TO_HAPPEN = "needs_to_happen", "What needs to happen"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(
        max_length=60, help_text="Kept when a survey is repeated, so rounds can be compared."
    )
    text = models.CharField(max_length=300)
    hint = models.CharField(max_length=300, blank=True)
    group = models.CharField(
        max_length=100, blank=True, help_text="A heading for questions that belong together."
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    column = models.CharField(
        max_length=16, choices=Column.choices, blank=True, help_text="For their own words."
    )
    low_label = models.CharField(max_length=80, blank=True, help_text="What 0 means.")
    high_label = models.CharField(max_length=80, blank=True, help_text="What 10 means.")
    order = models.PositiveIntegerField(default=0)
    required = models.BooleanField(default=False)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["survey_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "key"], name="survey_question_key_once"),
            models.CheckConstraint(
                condition=Q(kind="text", column__in=["worries", "working_well", "needs_to_happen"])
                | (Q(column="") & ~Q(kind="text")),
                name="survey_question_text_has_a_column",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_text(self) -> bool:
        return self.kind == self.Kind.TEXT

    @property
    def values(self) -> list[int]:
        return list(range(0, 11)) if self.kind == self.Kind.SCALE else [1, 2, 3, 4, 5]


class SurveyInvitation(models.Model):
    """One person asked to answer one survey: a member of staff, or a parent or young person on
    a case. Family invitations carry a link token, stored only as its SHA-256, that works once.
    The invitation records that they answered (the day only), never which response is theirs
    when the survey is anonymous."""

    class Channel(models.TextChoices):
        STAFF = "staff", "Threefold"
        LINK = "link", "The link"
        PORTAL = "portal", "The family pages"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="survey_invitations",
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="survey_invitations"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    invited_on = models.DateField()
    answered_on = models.DateField(null=True, blank=True)
    answered_through = models.CharField(max_length=8, choices=Channel.choices, blank=True)

    class Meta:
        ordering = ["survey", "name", "id"]
        indexes = [models.Index(fields=["survey", "team", "answered_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, case__isnull=True, person__isnull=True)
                | Q(user__isnull=True, case__isnull=False, person__isnull=False),
                name="survey_invitation_names_one_person",
            ),
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=Q(user__isnull=False),
                name="survey_invitation_staff_once",
            ),
            models.UniqueConstraint(
                fields=["survey", "case", "person"],
                condition=Q(person__isnull=False),
                name="survey_invitation_family_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.survey}"

    @property
    def is_family(self) -> bool:
        return self.person_id is not None


class SurveyResponse(models.Model):
    """One set of answers. Who gave it is kept only when the survey is not anonymous."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_on = models.DateField()
    respondent_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    respondent_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["survey", "team"])]

    def __str__(self) -> str:
        return f"Response to {self.survey} on {self.submitted_on}"


class SurveyAnswer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["question", "value"])]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="survey_answer_once_per_question"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | ~Q(text=""), name="survey_answer_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__lte=10), name="survey_answer_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question}"
