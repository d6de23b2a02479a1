"""The safety network, the safety plan and the agency's trajectory to closure.

A case has a safety network: the family, friends, community members and professionals around
the children, each told about the worries (or not yet), each with a part to play in the plan.
People step back and come back; their status is kept with dates, and every change of a member
is in their record history.

A case has a sequence of safety plans, numbered from 1, like its maps. A plan is a draft until
it is agreed with the family and network; an agreed plan is never edited again. Reviews are
recorded against it and the network's check-ins say how it is working. Changing the plan starts
a new draft that copies the rules forward (each keeping a link to the rule it came from); when
the new version is agreed, the old one is superseded.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from agencies.models import Agency
from core.models import TimeStampedModel
from people.models import Case, Person
from practice.models import DangerStatement


class NetworkMember(TimeStampedModel):
    class Kind(models.TextChoices):
        FAMILY = "family", "Family"
        FRIEND = "friend", "Friend"
        COMMUNITY = "community", "Community member"
        PROFESSIONAL = "professional", "Professional"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        STEPPED_BACK = "stepped_back", "Stepped back"
        NO_LONGER_INVOLVED = "no_longer_involved", "No longer involved"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="network_members")
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="When they are also someone recorded in the case.",
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    relationship = models.CharField(
        max_length=200, help_text="How they know the children or family, e.g. 'Mum's sister'."
    )
    children = models.ManyToManyField(Person, blank=True, related_name="+")
    informed = models.BooleanField(default=False)
    informed_on = models.DateField(null=True, blank=True)
    informed_by = models.CharField(max_length=200, blank=True)
    seen_words_and_pictures = models.BooleanField(default=False)
    words_and_pictures_seen_on = models.DateField(null=True, blank=True)
    plan_roles = models.TextField(blank=True, help_text="What they do in the safety plan.")
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.ACTIVE)
    status_since = models.DateField()
    joined_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revision = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(m2m_fields=[children])

    class Meta:
        ordering = ["case_id", "name", "id"]
        indexes = [models.Index(fields=["case", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(informed=True) | Q(informed_on__isnull=True, informed_by=""),
                name="network_member_told_only_if_informed",
            ),
            models.CheckConstraint(
                condition=Q(seen_words_and_pictures=True)
                | Q(words_and_pictures_seen_on__isnull=True),
                name="network_member_wp_date_only_if_seen",
            ),
            models.CheckConstraint(
                condition=Q(status_since__gte=models.F("joined_on")),
                name="network_member_status_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class NetworkStatusChange(models.Model):
    """One change of a member's status, with its date: the network over time."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        NetworkMember, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=24, choices=NetworkMember.Status.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=NetworkMember.Status.choices)
    changed_on = models.DateField()
    reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["member_id", "changed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=models.F("to_status")),
                name="network_status_change_changes",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member.name}: {self.get_to_status_display()} from {self.changed_on}"


class SafetyPlan(TimeStampedModel):
    """One version of a case's safety plan."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AGREED = "agreed", "Agreed"
        REVIEWED = "reviewed", "Agreed and reviewed"
        SUPERSEDED = "superseded", "Replaced by a newer version"

    IN_FORCE = (Status.AGREED, Status.REVIEWED)

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="safety_plans")
    number = models.PositiveIntegerField(help_text="Version number within the case, from 1.")
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_versions"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    if_broken = models.TextField(
        blank=True, help_text="What everyone does if a rule is broken, in the family's words."
    )
    who_to_call = models.TextField(blank=True, help_text="Who to call, with their numbers.")
    next_review_on = models.DateField(null=True, blank=True)
    agreed_on = models.DateField(null=True, blank=True)
    agreed_with = models.TextField(
        blank=True, help_text="The names and roles of the people who agreed the plan."
    )
    agreed_by_members = models.ManyToManyField(NetworkMember, blank=True, related_name="+")
    agreed_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    superseded_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revision = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(m2m_fields=[agreed_by_members])

    class Meta:
        ordering = ["case_id", "-number"]
        indexes = [models.Index(fields=["case", "status", "number"])]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="safety_plan_number_unique"),
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="draft"), name="one_draft_safety_plan"
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=["agreed", "reviewed"]),
                name="one_safety_plan_in_force",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(agreed_on__isnull=False),
                name="safety_plan_agreed_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="superseded") | Q(superseded_on__isnull=False),
                name="safety_plan_superseded_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Safety plan {self.number} for {self.case.name}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_in_force(self) -> bool:
        return self.status in self.IN_FORCE


class SafetyPlanRule(TimeStampedModel):
    """One rule of the plan, in the family's own words: who does what, when, how it is checked."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="rules")
    text = models.TextField(help_text="The rule, in the family's own words.")
    who = models.CharField(max_length=300, help_text="Who does it.")
    when = models.CharField(max_length=300, help_text="When or how often.")
    how_checked = models.TextField(help_text="How everyone will know it is happening.")
    danger_statements = models.ManyToManyField(
        DangerStatement, blank=True, related_name="safety_plan_rules"
    )
    members = models.ManyToManyField(NetworkMember, blank=True, related_name="plan_rules")
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revision = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(m2m_fields=[danger_statements, members])

    class Meta:
        ordering = ["plan_id", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class SafetyPlanReview(models.Model):
    class Outcome(models.TextChoices):
        WORKING = "working", "The plan is working: carry on"
        SMALL_CHANGES = "small_changes", "Mostly working: some rules need changing"
        NOT_WORKING = "not_working", "Not working: a new plan is needed"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    notes = models.TextField(blank=True)
    who_took_part = models.TextField(blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan_id", "-reviewed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_on__isnull=True)
                | Q(next_review_on__gt=models.F("reviewed_on")),
                name="safety_review_next_after_this",
            )
        ]

    def __str__(self) -> str:
        return f"Review of {self.plan} on {self.reviewed_on}"


class MonitoringCheckIn(models.Model):
    """A network member's check-in: what they saw, and any rule broken and what was done."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(SafetyPlan, on_delete=models.PROTECT, related_name="check_ins")
    member = models.ForeignKey(NetworkMember, on_delete=models.PROTECT, related_name="check_ins")
    checked_on = models.DateField()
    what_they_saw = models.TextField()
    breach = models.BooleanField(default=False)
    breach_details = models.TextField(blank=True)
    action_taken = models.TextField(blank=True)
    rules = models.ManyToManyField(SafetyPlanRule, blank=True, related_name="check_ins")
    # No member of staff when the network member wrote it themselves in the family portal.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    through_portal = models.BooleanField(default=False)
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[rules])

    class Meta:
        ordering = ["plan_id", "-checked_on", "-id"]
        indexes = [models.Index(fields=["plan", "checked_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(breach=False) | (~Q(breach_details="") & ~Q(action_taken="")),
                name="check_in_breach_needs_details_and_action",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member.name} on {self.checked_on}"


class TrajectoryStage(TimeStampedModel):
    """A stage on the agency's way to closing the case, with the milestone that marks it."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="trajectory_stages")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    milestone = models.TextField(help_text="What everyone will see when this stage is reached.")
    target_on = models.DateField()
    achieved_on = models.DateField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["case_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "position"], name="trajectory_stage_position_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name
