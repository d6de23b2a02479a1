"""Statutory timescales: each agency's rules, and the deadlines worked out from a case's events.

The rules are configuration per jurisdiction: an agency in England keeps the defaults, one
elsewhere sets its own working-day calendar and periods. Deadlines are derived data: they are
rebuilt from the process events by `services.deadlines_refresh`, except for what a person adds
to them (a reason for being overdue), which is kept across every rebuild.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from agencies.models import Agency
from core.models import TimeStampedModel
from people.models import Case, Person
from timescales.calendar import DEFAULT_REGION, calendar_for
from timescales.deadlines import DeadlineKind, PeriodUnit, Timescales


class CalendarRegion(models.TextChoices):
    ENGLAND = "GB-ENG", "England"
    WALES = "GB-WLS", "Wales"
    SCOTLAND = "GB-SCT", "Scotland"
    NORTHERN_IRELAND = "GB-NIR", "Northern Ireland"


POSITIVE_FIELDS = (
    "referral_decision_days",
    "assessment_days",
    "initial_conference_days",
    "first_core_group_days",
    "first_review_months",
    "later_review_months",
    "cp_visit_days",
    "cin_review_every",
)


class TimescaleRules(TimeStampedModel):
    """One agency's timescales. Created with England's when first needed."""

    agency = models.OneToOneField(Agency, on_delete=models.PROTECT, related_name="+")
    calendar_region = models.CharField(
        max_length=8,
        choices=CalendarRegion.choices,
        default=DEFAULT_REGION,
        help_text="Whose bank holidays are not working days.",
    )
    referral_decision_days = models.PositiveSmallIntegerField(
        "Referral decision, in working days", default=1
    )
    assessment_days = models.PositiveSmallIntegerField(
        "Assessment, in working days from the referral", default=45
    )
    initial_conference_days = models.PositiveSmallIntegerField(
        "Initial conference, in working days from the strategy discussion", default=15
    )
    first_core_group_days = models.PositiveSmallIntegerField(
        "First core group, in working days from the initial conference", default=10
    )
    first_review_months = models.PositiveSmallIntegerField(
        "First review conference, in months from the initial conference", default=3
    )
    later_review_months = models.PositiveSmallIntegerField(
        "Later review conferences, in months from the last review", default=6
    )
    cp_visit_days = models.PositiveSmallIntegerField(
        "Visits to a child on a child protection plan, every so many working days", default=10
    )
    cin_review_every = models.PositiveSmallIntegerField("Child in need reviews, every", default=3)
    cin_review_unit = models.CharField(
        "Weeks or months", max_length=8, choices=PeriodUnit.choices, default=PeriodUnit.MONTHS
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "timescale rules"
        verbose_name_plural = "timescale rules"
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{name}__gte": 1}), name=f"timescale_rules_{name}_positive"
            )
            for name in POSITIVE_FIELDS
        ] + [
            models.CheckConstraint(
                condition=Q(calendar_region__in=CalendarRegion.values),
                name="timescale_rules_known_region",
            )
        ]

    def __str__(self) -> str:
        return f"Timescales for agency {self.agency_id}"

    def timescales(self) -> Timescales:
        return Timescales(
            **{name: getattr(self, name) for name in POSITIVE_FIELDS},
            cin_review_unit=self.cin_review_unit,
        )

    def calendar(self):
        return calendar_for(self.calendar_region)


class Deadline(TimeStampedModel):
    """One statutory deadline on a case, started by one process event."""

    class Status(models.TextChoices):
        OPEN = "open", "Due"
        MET = "met", "Done"
        WITHDRAWN = "withdrawn", "No longer due"

    Kind = DeadlineKind

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="deadlines")
    child = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=24, choices=DeadlineKind.choices)
    started_by_source = models.CharField(
        max_length=100, help_text="The record whose event started it, e.g. 'referral:12'."
    )
    started_on = models.DateField()
    counted_from = models.DateField(help_text="The day the clock runs from.")
    first_in_series = models.BooleanField(default=True)
    due_on = models.DateField()
    met_on = models.DateField(null=True, blank=True)
    met_by_source = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    overdue_reason = models.TextField(blank=True)
    overdue_reason_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    overdue_reason_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["agency", "status", "due_on"]),
            models.Index(fields=["case", "status", "due_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "started_by_source", "child"],
                condition=Q(child__isnull=False),
                name="deadline_unique_per_child",
            ),
            models.UniqueConstraint(
                fields=["case", "kind", "started_by_source"],
                condition=Q(child__isnull=True),
                name="deadline_unique_per_family",
            ),
            models.CheckConstraint(
                condition=Q(status="open", met_on__isnull=True)
                | Q(status="met", met_on__isnull=False)
                | Q(status="withdrawn"),
                name="deadline_met_has_date",
            ),
            models.CheckConstraint(
                condition=Q(overdue_reason="", overdue_reason_by__isnull=True)
                | (
                    ~Q(overdue_reason="")
                    & Q(overdue_reason_by__isnull=False, overdue_reason_at__isnull=False)
                ),
                name="deadline_reason_has_author",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("counted_from")),
                name="deadline_due_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.due_on}"

    @property
    def key(self) -> tuple:
        return (self.kind, self.started_by_source, self.child_id)

    def is_overdue(self, today) -> bool:
        return self.status == self.Status.OPEN and self.due_on < today
