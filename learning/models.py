"""Learning in practice: group supervision, case consultation, individual supervision, and
appreciative inquiry with its agency library of good practice.

Group supervision follows the Signs of Safety process (Turnell, Trainer Licensing Document 4;
see /work/shared/reference/signs-of-safety.md §2.6): a worker presents a case, the group maps
it, asks questions, and moves from information to analysis, judgement and action. The map made
in the session is an ordinary practice.Map on the case, so it lives with the case's other maps.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from agencies.models import Agency
from core.models import TimeStampedModel
from people.models import Case
from practice.models import Map


class SupervisionSession(TimeStampedModel):
    class Kind(models.TextChoices):
        GROUP = "group", "Group supervision"
        CONSULTATION = "consultation", "Case consultation"
        INDIVIDUAL = "individual", "Individual supervision"

    class State(models.TextChoices):
        OPEN = "open", "Being recorded"
        COMPLETED = "completed", "Completed"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    held_on = models.DateField()
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The worker who brings the case. In individual supervision, the supervisee.",
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="supervision_sessions",
        help_text="Everyone supervised in the session, including the presenting worker.",
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="supervision_sessions"
    )
    map = models.OneToOneField(
        Map,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_session",
        help_text="The map made in the session: one of the case's own maps.",
    )
    focus = models.TextField(
        blank=True, help_text="What the presenting worker wants from the session."
    )
    questions = models.TextField(blank=True, help_text="Questions the group raised.")
    reflections = models.TextField(blank=True, help_text="What the group learned or noticed.")
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["agency", "held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="individual") | Q(case__isnull=False),
                name="group_session_presents_a_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on:%-d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class SupervisionAction(TimeStampedModel):
    """Something a person agreed to do in supervision: it lands in their worklist."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        SupervisionSession, on_delete=models.CASCADE, related_name="actions"
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="supervision_actions"
    )
    text = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervision_actions"
    )
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["owner", "done_on", "due_on"])]

    def __str__(self) -> str:
        return self.text[:60]


class PracticeTheme(models.TextChoices):
    """The Signs of Safety tools and practices an inquiry can be about, for the library filter."""

    MAPPING = "mapping", "Mapping"
    DANGER_STATEMENTS = "danger_statements", "Danger statements and safety goals"
    SCALING = "scaling", "Scaling questions"
    THREE_HOUSES = "three_houses", "Three Houses"
    WORDS_AND_PICTURES = "words_and_pictures", "Words and Pictures"
    SAFETY_PLANNING = "safety_planning", "Safety planning"
    NETWORK = "network", "Building the safety network"
    PARTNERSHIP = "partnership", "Working with parents"
    OTHER = "other", "Other practice"


class AppreciativeInquiry(TimeStampedModel):
    """A look at work a practitioner thinks went well: what happened, what made it work, and
    what others can take from it. The record and its case stay private; only the anonymised
    text, once a practice lead or team manager confirms it, is shared in the library."""

    class State(models.TextChoices):
        PRIVATE = "private", "Not shared"
        SHARED = "shared", "Shared in the library"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    theme = models.CharField(max_length=32, choices=PracticeTheme.choices)
    held_on = models.DateField()
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="appreciative_inquiries",
        help_text="The practitioners whose work is looked at.",
    )
    case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appreciative_inquiries",
    )
    practice_examined = models.TextField(help_text="The piece of good practice.")
    what_made_it_work = models.TextField()
    what_others_can_take = models.TextField()
    shared_text = models.TextField(
        blank=True, help_text="The anonymised account for the library: no names, no places."
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.PRIVATE)
    shared_at = models.DateTimeField(null=True, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The practice lead or team manager who confirmed the text is anonymised.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name_plural = "appreciative inquiries"
        indexes = [models.Index(fields=["agency", "state", "theme"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="private") | (Q(shared_by__isnull=False) & ~Q(shared_text="")),
                name="shared_inquiry_is_confirmed",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_shared(self) -> bool:
        return self.state == self.State.SHARED
