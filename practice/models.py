"""The map: the Signs of Safety assessment and planning record, kept as versions.

A case has a sequence of maps, numbered from 1. Each is a draft until it is finalised; a
finalised map is never edited again: updating the map starts a new draft that carries its
entries forward (each keeping a link to the entry it came from, so versions can be compared).
The case's current map is its latest finalised one.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from agencies.models import Agency, Service
from core.models import TimeStampedModel
from people.models import Case, Person


class MapCategory(models.TextChoices):
    HARM = "harm", "Harm"
    DANGER_STATEMENT = "danger_statement", "Danger statement"
    COMPLICATING_FACTOR = "complicating_factor", "Complicating factor"
    EXISTING_STRENGTH = "existing_strength", "Existing strength"
    EXISTING_SAFETY = "existing_safety", "Existing safety"
    SAFETY_GOAL = "safety_goal", "Safety goal"
    NEXT_STEP = "next_step", "Next step"
    GREY_AREA = "grey_area", "Grey area"


# Danger statements and safety goals have their own structure; everything else is a plain entry.
PLAIN_CATEGORIES = [
    MapCategory.HARM,
    MapCategory.COMPLICATING_FACTOR,
    MapCategory.EXISTING_STRENGTH,
    MapCategory.EXISTING_SAFETY,
    MapCategory.NEXT_STEP,
    MapCategory.GREY_AREA,
]


class MeetingPurpose(models.TextChoices):
    MAPPING = "mapping", "Mapping with the family"
    WORKER_MAPPING = "worker_mapping", "Worker's own mapping"
    SUPERVISION = "supervision", "Supervision or case consultation"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
    INITIAL_CONFERENCE = "initial_conference", "Initial child protection conference"
    REVIEW_CONFERENCE = "review_conference", "Review child protection conference"
    CORE_GROUP = "core_group", "Core group meeting"
    CIN_REVIEW = "cin_review", "Child in need review"
    FAMILY_NETWORK = "family_network", "Family network / safety planning meeting"
    OTHER = "other", "Other meeting"


class ParticipantRole(models.TextChoices):
    PARENT = "parent", "Parent or carer"
    CHILD = "child", "Child or young person"
    FAMILY_MEMBER = "family_member", "Family member"
    NETWORK_MEMBER = "network_member", "Safety network member"
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    CONFERENCE_CHAIR = "conference_chair", "Conference chair / IRO"
    PROFESSIONAL = "professional", "Other professional"


class RaterRole(models.TextChoices):
    WORKER = "worker", "Social worker"
    MANAGER = "manager", "Team manager"
    PARENT = "parent", "Parent or carer"
    CHILD = "child", "Child or young person"
    NETWORK_MEMBER = "network_member", "Safety network member"
    PROFESSIONAL = "professional", "Other professional"
    CONFERENCE_CHAIR = "conference_chair", "Conference chair / IRO"
    OTHER = "other", "Other"


FAMILY_RATER_ROLES = {RaterRole.PARENT, RaterRole.CHILD, RaterRole.NETWORK_MEMBER}


class Map(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        FINALISED = "finalised", "Finalised"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="maps")
    number = models.PositiveIntegerField(help_text="Version number within the case, from 1.")
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_versions"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    service = models.CharField(
        max_length=32, choices=Service.choices, help_text="Chooses the wording of the categories."
    )
    purpose = models.CharField(max_length=32, choices=MeetingPurpose.choices)
    held_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revision = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["case_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="map_number_unique_in_case"),
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="draft"), name="one_draft_map_per_case"
            ),
        ]
        indexes = [models.Index(fields=["case", "status", "number"])]

    def __str__(self) -> str:
        return f"Map {self.number} for {self.case.name}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class MapParticipant(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    map = models.ForeignKey(Map, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=32, choices=ParticipantRole.choices)
    organisation = models.CharField(max_length=200, blank=True)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class MapEntry(TimeStampedModel):
    """One plain-language entry in a map category other than danger statements and goals."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    map = models.ForeignKey(Map, on_delete=models.CASCADE, related_name="entries")
    category = models.CharField(
        max_length=32, choices=[(c.value, c.label) for c in PLAIN_CATEGORIES]
    )
    text = models.TextField()
    children = models.ManyToManyField(Person, blank=True, related_name="+")
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revision = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(m2m_fields=[children])

    class Meta:
        ordering = ["map_id", "category", "id"]
        verbose_name_plural = "map entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=[c.value for c in PLAIN_CATEGORIES]),
                name="map_entry_plain_category",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.text[:60]}"


class DangerStatement(TimeStampedModel):
    """A future worry: who is worried, about what behaviour, and what may happen to the child."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    map = models.ForeignKey(Map, on_delete=models.CASCADE, related_name="danger_statements")
    who_is_worried = models.CharField(max_length=300)
    worried_about = models.TextField(help_text="The behaviour the worry is about.")
    impact_on_child = models.TextField(help_text="What may happen to the child if nothing changes.")
    disputed_by = models.CharField(max_length=300, blank=True)
    dispute = models.TextField(blank=True, help_text="What they say instead.")
    children = models.ManyToManyField(Person, blank=True, related_name="+")
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revision = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(m2m_fields=[children])

    class Meta:
        ordering = ["map_id", "id"]

    def __str__(self) -> str:
        return f"{self.who_is_worried} are worried that {self.worried_about[:60]}"


class SafetyGoal(TimeStampedModel):
    """What will be seen instead of the danger, by whom, for how long. Paired with one statement."""

    class SustainUnit(models.TextChoices):
        WEEKS = "weeks", "weeks"
        MONTHS = "months", "months"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    danger_statement = models.OneToOneField(
        DangerStatement, on_delete=models.CASCADE, related_name="safety_goal"
    )
    what_will_be_seen = models.TextField()
    seen_by = models.CharField(max_length=300, help_text="Who will see it happening.")
    sustain_for = models.PositiveSmallIntegerField()
    sustain_unit = models.CharField(max_length=8, choices=SustainUnit.choices)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(sustain_for__gte=1), name="goal_sustained_for_a_time"
            )
        ]

    def __str__(self) -> str:
        return self.what_will_be_seen[:60]

    @property
    def sustain_period(self) -> str:
        unit = self.sustain_unit if self.sustain_for != 1 else self.sustain_unit.rstrip("s")
        return f"{self.sustain_for} {unit}"


class ScaleJudgement(TimeStampedModel):
    """A person's safety judgement, 0–10: overall, or for one danger statement and its goal."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    map = models.ForeignKey(Map, on_delete=models.CASCADE, related_name="scale_judgements")
    danger_statement = models.ForeignKey(
        DangerStatement,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="scale_judgements",
        help_text="Empty for the overall safety scale.",
    )
    rater_name = models.CharField(max_length=200)
    rater_role = models.CharField(max_length=32, choices=RaterRole.choices)
    score = models.PositiveSmallIntegerField()
    zero_means = models.CharField(max_length=300)
    ten_means = models.CharField(max_length=300)
    reason = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["map_id", "danger_statement_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=10), name="scale_0_to_10")
        ]

    def __str__(self) -> str:
        return f"{self.rater_name} ({self.get_rater_role_display()}): {self.score}"


class CategoryLabel(models.Model):
    """An agency's wording for a map category in one service, e.g. 'Worry statement'."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    service = models.CharField(max_length=32, choices=Service.choices)
    category = models.CharField(max_length=32, choices=MapCategory.choices)
    label = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "service", "category"], name="one_label_per_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_service_display()}: {self.get_category_display()} → {self.label}"


class PlainLanguageTerm(models.Model):
    """A word or label the agency asks workers not to use with families, and what to say
    instead. Practice leads keep the list; the plain-language check reads it."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    term = models.CharField(
        max_length=100, help_text="The word or phrase to avoid, e.g. DV or engagement."
    )
    suggestion = models.CharField(
        max_length=300,
        help_text='What to say instead, e.g. say what happened, e.g. "Dad hit Mum".',
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["agency", Lower("term")]
        constraints = [
            models.UniqueConstraint(
                "agency", Lower("term"), name="plain_language_term_unique_in_agency"
            )
        ]

    def __str__(self) -> str:
        return self.term
