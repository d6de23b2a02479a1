"""The agency owning its practice approach: who is trained, how leaders rate the implementation,
and the plan that follows from the ratings.

The 0 to 10 scale is the practice's own device turned on the agency: 0 "barely begun", 10 "fully
implemented" (Munro, Turnell and Murphy's implementation scale; see
docs/implementation.md). Each rater places the agency separately, as on a family's map.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from core.models import TimeStampedModel


class ImplementationSettings(TimeStampedModel):
    """An agency's link to its local authority in the published statistics, and its rules."""

    agency = models.OneToOneField(
        "agencies.Agency", on_delete=models.PROTECT, related_name="implementation_settings"
    )
    local_authority_code = models.CharField(
        max_length=16,
        blank=True,
        help_text="The DfE local authority code whose published outcomes sit beside ours.",
    )
    introduction_within_days = models.PositiveSmallIntegerField(
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text="New staff should complete the introductory course within this many days.",
    )
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "implementation settings"

    def __str__(self) -> str:
        return f"Implementation settings for {self.agency}"


class Course(TimeStampedModel):
    class Level(models.TextChoices):
        INTRODUCTION = "introduction", "Introduction"
        ADVANCED = "advanced", "Advanced"
        PRACTICE_LEAD = "practice_lead", "Practice lead"
        TRAINER = "trainer", "Train the trainer"

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    level = models.CharField(max_length=16, choices=Level.choices)
    days = models.PositiveSmallIntegerField(default=1, validators=[MaxValueValidator(60)])
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="course_name_unique_in_agency")
        ]

    def __str__(self) -> str:
        return self.name


class TrainingRecord(TimeStampedModel):
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_records"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="records")
    completed_on = models.DateField()
    expires_on = models.DateField(
        null=True, blank=True, help_text="Leave empty if the accreditation does not lapse."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-completed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("completed_on")),
                name="training_expires_after_completion",
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker} – {self.course} ({self.completed_on})"


class PracticeLeadRole(TimeStampedModel):
    """A worker holding the practice-lead role for a time (they may be in any team)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="practice_lead_roles"
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="practice_lead_role_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker}: practice lead from {self.started_on}"


class ImplementationDomain(TimeStampedModel):
    """One area of the implementation the leaders rate (leadership, alignment, …)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)
    description = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="domain_name_unique_in_agency")
        ]

    def __str__(self) -> str:
        return self.name


class AssessmentRound(TimeStampedModel):
    """One period's self-assessment: open while leaders rate, closed when it is done."""

    class Status(models.TextChoices):
        OPEN = "open", "Open for ratings"
        CLOSED = "closed", "Closed"

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=120)
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-period_end", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "period_start"], name="round_period_unique_in_agency"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="round_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Rating(TimeStampedModel):
    """One rater's place on one domain's scale in one round: kept private to the rater until
    they submit (so nobody anchors on someone else's number)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey(AssessmentRound, on_delete=models.PROTECT, related_name="ratings")
    domain = models.ForeignKey(ImplementationDomain, on_delete=models.PROTECT, related_name="+")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    evidence = models.TextField(blank=True)
    reasons = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["domain__position", "domain__name", "rater_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "domain", "rater"], name="one_rating_per_rater_domain_round"
            ),
            models.CheckConstraint(condition=Q(score__lte=10), name="rating_score_0_to_10"),
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.domain} {self.score} ({self.rater})"


class RoundNote(TimeStampedModel):
    """The round's implementation map: worries, what is working well, what needs to happen."""

    class Kind(models.TextChoices):
        WORRY = "worry", "What are we worried about?"
        WORKING_WELL = "working_well", "What's working well?"
        NEXT_STEP = "next_step", "What needs to happen?"

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey(AssessmentRound, on_delete=models.PROTECT, related_name="notes")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.TextField()
    domain = models.ForeignKey(
        ImplementationDomain, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class ImplementationAction(TimeStampedModel):
    """One action in the implementation plan, reviewed against a round's ratings."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "No longer needed"

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    action = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNED)
    domain = models.ForeignKey(
        ImplementationDomain, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    raised_in = models.ForeignKey(
        AssessmentRound, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_in = models.ForeignKey(
        AssessmentRound, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.action[:60]
