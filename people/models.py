import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from simple_history.models import HistoricalRecords

from agencies.models import Agency, Service, Team
from core.models import TimeStampedModel
from people.codes import Ethnicity, Sex
from people.names import name_key_expression


class Person(TimeStampedModel):
    """A child or an adult known to the agency. A person can belong to more than one case."""

    class Kind(models.TextChoices):
        CHILD = "child", "Child"
        ADULT = "adult", "Adult"

    # No index of its own: every index below begins with the agency.
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="people", db_index=False
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    known_as = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(
        null=True, blank=True, help_text="For an unborn child."
    )
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    disabilities = models.JSONField(
        default=list, blank=True, help_text="DfE disability codes; empty when not yet recorded."
    )
    upn = models.CharField("unique pupil number", max_length=13, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    # Sound-alike keys for search (see people/names.py), computed by the database.
    given_name_key = models.GeneratedField(
        expression=name_key_expression("given_name"),
        output_field=models.CharField(max_length=100),
        db_persist=True,
    )
    family_name_key = models.GeneratedField(
        expression=name_key_expression("family_name"),
        output_field=models.CharField(max_length=100),
        db_persist=True,
    )
    known_as_key = models.GeneratedField(
        expression=name_key_expression("known_as"),
        output_field=models.CharField(max_length=100),
        db_persist=True,
    )
    # The keys are derived from the names, which the history already keeps.
    history = HistoricalRecords(
        excluded_fields=["given_name_key", "family_name_key", "known_as_key"]
    )

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "people"
        indexes = [
            models.Index(fields=["agency", "family_name", "given_name"]),
            models.Index(fields=["agency", "family_name_key"]),
            models.Index(fields=["agency", "given_name_key"]),
            models.Index(fields=["agency", "known_as_key"]),
            models.Index(fields=["agency", "date_of_birth"]),
            # Search matches a UPN whatever its case (`upn__iexact`).
            models.Index(F("agency"), Upper("upn"), name="person_agency_upn_upper"),
            models.Index(fields=["agency", "nhs_number"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_of_birth__isnull=True) | Q(expected_date_of_birth__isnull=True),
                name="person_born_or_expected_not_both",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.known_as or self.given_name} {self.family_name}"

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None and self.expected_date_of_birth is not None

    def age_on(self, day: datetime.date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class Case(TimeStampedModel):
    """A family or household the agency works with: the children and the adults around them."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(max_length=32)
    name = models.CharField(
        max_length=200, help_text="How the family is known, e.g. 'Okafor family'."
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="cases")
    service = models.CharField(max_length=32, choices=Service.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    members = models.ManyToManyField(Person, through="CaseMember", related_name="cases")
    # Restricted: only the people on the case's access list can find it at all.
    is_restricted = models.BooleanField(default=False)
    restriction_reason = models.CharField(max_length=300, blank=True)
    # Case records are never deleted: a deleted case is hidden until an administrator restores it.
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deletion_reason = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "reference"], name="case_reference_unique"),
        ]
        indexes = [models.Index(fields=["agency", "team", "status"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.reference})"


class CaseMember(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    lives_in_household = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="case_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.case}"


class Relationship(models.Model):
    """How one person is related to another, read as "<person> is the <kind> of <relative>"."""

    class Kind(models.TextChoices):
        MOTHER = "mother", "mother"
        FATHER = "father", "father"
        STEP_PARENT = "step_parent", "step-parent"
        PARENTS_PARTNER = "parents_partner", "parent's partner"
        GRANDPARENT = "grandparent", "grandparent"
        AUNT_OR_UNCLE = "aunt_or_uncle", "aunt or uncle"
        SIBLING = "sibling", "brother or sister"
        HALF_SIBLING = "half_sibling", "half-brother or half-sister"
        KINSHIP_CARER = "kinship_carer", "kinship carer"
        FOSTER_CARER = "foster_carer", "foster carer"
        FAMILY_FRIEND = "family_friend", "family friend"
        OTHER = "other", "other relative"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    relative = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relatives")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    parental_responsibility = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "relative", "kind"], name="relationship_once"
            ),
            models.CheckConstraint(
                condition=~Q(person=models.F("relative")), name="relationship_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} is the {self.get_kind_display()} of {self.relative}"


class Allocation(models.Model):
    """Which worker holds a case, from when. Ending one and starting the next keeps the history."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="allocations")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allocations"
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(ended_on__isnull=True), name="one_current_allocation"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="allocation_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["worker", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.case} → {self.worker} from {self.started_on}"


class CaseAccessGrant(models.Model):
    """A person on a restricted case's access list."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="access_grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_grant_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} may open {self.case}"


class BreakGlassAccess(models.Model):
    """Emergency access to a restricted case, with a stated reason, for a limited time.
    Every use is audited and listed for managers."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="break_glass")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    started_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.user} broke the glass on {self.case} at {self.started_at:%Y-%m-%d %H:%M}"
