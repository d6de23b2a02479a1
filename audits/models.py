"""Collaborative case audit: a practice lead or team manager reads a case with the worker who
holds it, scores it against the agency's rubric, and they agree together what is working well,
what the worries are and what needs to happen. A second auditor moderates a share of the audits;
the moderated grade is the one that counts.

- A rubric is versioned: once an audit has used a version its questions never change again;
  editing it makes the next version, so every audit keeps the questions it was scored on.
- Each month a random sample of open cases is drawn for each team from a recorded seed, so the
  draw can be repeated and checked.
- The overall grade uses the four Ofsted inspection grades (Ofsted, "Inspecting local authority
  children's services" framework), highest best: 4 outstanding, 3 good, 2 requires improvement,
  1 inadequate. A question is scored on that scale or from 0 to 10.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from agencies.models import Agency, Team
from people.models import Case


class Grade(models.IntegerChoices):
    INADEQUATE = 1, "Inadequate"
    REQUIRES_IMPROVEMENT = 2, "Requires improvement"
    GOOD = 3, "Good"
    OUTSTANDING = 4, "Outstanding"


GOOD_OR_BETTER = Grade.GOOD


class Scale(models.TextChoices):
    GRADES = "grades", "Four grades (1 inadequate to 4 outstanding)"
    TEN = "ten", "0 to 10"


SCALE_RANGES = {Scale.GRADES: (1, 4), Scale.TEN: (0, 10)}


def scale_choices(scale: str) -> list[tuple[int, str]]:
    if scale == Scale.GRADES:
        return [(g.value, f"{g.value} {g.label}") for g in Grade]
    low, high = SCALE_RANGES[Scale.TEN]
    return [(n, str(n)) for n in range(low, high + 1)]


class AuditRubric(models.Model):
    """One version of a rubric. Only one rubric is in use for new audits in an agency."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField(default=1)
    active = models.BooleanField(
        default=False, help_text="The rubric used for new audits (one at a time)."
    )
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_version"
    )
    revision = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "name", "version"], name="audit_rubric_version_unique"
            ),
            models.UniqueConstraint(
                fields=["agency"], condition=Q(active=True), name="audit_rubric_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"


class AuditQuestion(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    rubric = models.ForeignKey(AuditRubric, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField(default=1)
    area = models.CharField(
        max_length=100, help_text='The part of practice, for example "Child\'s voice".'
    )
    text = models.CharField(max_length=500)
    guidance = models.TextField(blank=True, help_text="What to look for at each grade.")
    scale = models.CharField(max_length=8, choices=Scale.choices, default=Scale.GRADES)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def low(self) -> int:
        return SCALE_RANGES[self.scale][0]

    @property
    def high(self) -> int:
        return SCALE_RANGES[self.scale][1]

    def choices(self) -> list[tuple[int, str]]:
        return scale_choices(self.scale)


class AuditSample(models.Model):
    """The cases drawn for audit in one team for one month."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="The first day of the month.")
    size = models.PositiveIntegerField()
    seed = models.PositiveBigIntegerField()
    exclude_months = models.PositiveIntegerField(
        help_text="Cases audited in this many months before the month were left out."
    )
    # The cases that could have been drawn, in order: with the seed they repeat the draw exactly.
    eligible_case_ids = models.JSONField(default=list)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "team__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "team", "month"], name="audit_sample_one_per_team_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.month:%B %Y}"


class AuditSampleCase(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    sample = models.ForeignKey(AuditSample, on_delete=models.CASCADE, related_name="drawn")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The worker allocated when the sample was drawn.",
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "case"], name="audit_sample_case_once")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.case}"


class CaseAudit(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        MODERATED = "moderated", "Moderated"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="audits")
    rubric = models.ForeignKey(AuditRubric, on_delete=models.PROTECT, related_name="audits")
    sample = models.ForeignKey(
        AuditSample, null=True, blank=True, on_delete=models.PROTECT, related_name="audits"
    )
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The worker whose practice is audited, who completes it with the auditor.",
    )
    worker_present = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    started_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    grade = models.PositiveSmallIntegerField(choices=Grade.choices, null=True, blank=True)
    # The grade that counts: the moderator's once moderated, else the auditor's.
    counted_grade = models.PositiveSmallIntegerField(choices=Grade.choices, null=True, blank=True)
    working_well = models.TextField(blank=True)
    worries = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    worker_reflections = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-pk"]
        indexes = [models.Index(fields=["agency", "completed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="in_progress")
                | Q(completed_on__isnull=False, grade__isnull=False),
                name="case_audit_completed_has_grade",
            )
        ]

    def __str__(self) -> str:
        return f"Audit of {self.case} started {self.started_on:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.IN_PROGRESS


class AuditAnswer(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(AuditQuestion, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    evidence = models.TextField(blank=True)
    worker_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["question__order", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "question"], name="audit_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.score}"

    @property
    def percent(self) -> float | None:
        """The score as a share of its scale, so 1–4 and 0–10 questions can be averaged."""
        if self.score is None:
            return None
        low, high = self.question.low, self.question.high
        return round(100 * (self.score - low) / (high - low), 1)


class Moderation(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    audit = models.OneToOneField(CaseAudit, on_delete=models.CASCADE, related_name="moderation")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    moderated_on = models.DateField()
    grade = models.PositiveSmallIntegerField(choices=Grade.choices)
    agreed = models.BooleanField(help_text="The moderator agreed the auditor's grade.")
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Moderation of {self.audit}: {self.get_grade_display()}"
