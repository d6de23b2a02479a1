"""The statutory process in England, as the record of what happened to each child and when.

Contact → referral (and its decision) → assessment → strategy discussion → section 47 enquiry →
initial child protection conference → child protection plan → core groups → review conferences
→ step-down or closure; child in need plans and their reviews; looked-after episodes; statutory
visits. These dates are exactly what the CIN census and SSDA903 returns report, and what the
timescales are counted from, so they are kept once, here, and derived everywhere else.

Strategy discussions and conferences are meetings recorded as maps: each links one-to-one to a
`practice.Map` (attendees are its participants, their scaling its scale judgements). Dates that
depend on each other are also held by database constraints, so no path can store an impossible
sequence; the services explain the same rules in plain words before the database has to.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from agencies.models import Agency
from core.models import TimeStampedModel
from people.models import Case, Person
from practice.models import Map
from process.codes import (
    CARE_LEAVER_ACCOMMODATION,
    AbuseCategory,
    AdoptersLegalStatus,
    AdoptersSex,
    CareLeaverActivity,
    CareLeaverInTouch,
    CategoryOfNeed,
    ClosureReason,
    LegalStatus,
    MissingKind,
    NoLongerPlacedReason,
    PlacementChangeReason,
    PlacementProvider,
    PlacementType,
    PreviousPermanence,
    PrimaryNeed,
    ReasonEpisodeCeased,
    ReasonNewEpisode,
    ReferralSource,
    ReviewParticipation,
    SdqReason,
)


class ProcessRecord(TimeStampedModel):
    """What every process record carries: the agency, the case, who recorded it, a revision."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revision = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


def _child():
    return models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")


class Contact(ProcessRecord):
    """Someone got in touch about a child. Not every contact becomes a referral."""

    child = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contact_on = models.DateField()
    source = models.CharField(max_length=3, choices=ReferralSource.choices)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["case_id", "contact_on", "id"]
        indexes = [models.Index(fields=["case", "contact_on"])]


class Referral(ProcessRecord):
    class Decision(models.TextChoices):
        ASSESSMENT = "assessment", "Assessment by children's social care"
        EARLY_HELP = "early_help", "Referred to early help"
        NO_FURTHER_ACTION = "no_further_action", "No further action"

    child = _child()
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    received_on = models.DateField()
    source = models.CharField(max_length=3, choices=ReferralSource.choices)
    primary_need = models.CharField(max_length=2, choices=PrimaryNeed.choices)
    summary = models.TextField(blank=True)
    decision = models.CharField(max_length=24, choices=Decision.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["case_id", "received_on", "id"]
        indexes = [models.Index(fields=["case", "received_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="", decided_on__isnull=True)
                | (~Q(decision="") & Q(decided_on__gte=F("received_on"))),
                name="referral_decided_on_or_after_received",
            )
        ]

    def __str__(self) -> str:
        return f"Referral received {self.received_on:%-d %b %Y}"


class Assessment(ProcessRecord):
    class Outcome(models.TextChoices):
        CHILD_PROTECTION = "child_protection", "Child protection enquiries (section 47)"
        CIN_PLAN = "cin_plan", "Child in need plan"
        LOOKED_AFTER = "looked_after", "To be looked after"
        EARLY_HELP = "early_help", "Referred to early help"
        NO_FURTHER_ACTION = "no_further_action", "No further action"

    child = _child()
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="assessments")
    started_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    # The manager's authorisation date: the CIN census AssessmentAuthorisationDate.
    authorised_on = models.DateField(null=True, blank=True)
    factors = models.JSONField(default=list, blank=True, help_text="DfE assessment factor codes.")
    outcome = models.CharField(max_length=24, choices=Outcome.choices, blank=True)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["case_id", "started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("started_on")),
                name="assessment_completed_after_start",
            ),
            models.CheckConstraint(
                condition=Q(authorised_on__isnull=True)
                | Q(completed_on__isnull=False, authorised_on__gte=F("completed_on")),
                name="assessment_authorised_after_completion",
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment started {self.started_on:%-d %b %Y}"


class StrategyDiscussion(ProcessRecord):
    child = _child()
    held_on = models.DateField()
    participants = models.TextField(help_text="Who took part: police, health, education, …")
    decisions = models.TextField()
    starts_s47 = models.BooleanField(help_text="Whether it decided to start a section 47 enquiry.")
    # One meeting about brothers and sisters is one map, shared by each child's record.
    map = models.ForeignKey(
        Map, null=True, blank=True, on_delete=models.PROTECT, related_name="strategy_discussions"
    )

    class Meta:
        ordering = ["case_id", "held_on", "id"]

    def __str__(self) -> str:
        return f"Strategy discussion {self.held_on:%-d %b %Y}"


class Section47Enquiry(ProcessRecord):
    class Outcome(models.TextChoices):
        CONFERENCE = "conference", "Concerns substantiated: initial conference needed"
        CIN = "child_in_need", "Concerns substantiated: child in need plan, no conference"
        NOT_SUBSTANTIATED = "not_substantiated", "Concerns not substantiated"

    child = _child()
    strategy_discussion = models.ForeignKey(
        StrategyDiscussion, on_delete=models.PROTECT, related_name="enquiries"
    )
    started_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=24, choices=Outcome.choices, blank=True)
    conference_needed = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["case_id", "started_on", "id"]
        verbose_name_plural = "section 47 enquiries"
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("started_on")),
                name="s47_completed_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Section 47 enquiry started {self.started_on:%-d %b %Y}"


class ChildProtectionPlan(ProcessRecord):
    class EndReason(models.TextChoices):
        STEP_DOWN_CIN = "step_down_cin", "Stepped down to a child in need plan"
        NO_LONGER_NEEDED = "no_longer_needed", "No longer needed: safe enough without a plan"
        LOOKED_AFTER = "looked_after", "The child became looked after"
        TRANSFERRED = "transferred", "Transferred to another local authority"
        OTHER = "other", "Another reason"

    child = _child()
    conference = models.ForeignKey(
        "Conference", on_delete=models.PROTECT, related_name="plans_started"
    )
    started_on = models.DateField()
    initial_category = models.CharField(max_length=3, choices=AbuseCategory.choices)
    latest_category = models.CharField(max_length=3, choices=AbuseCategory.choices)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=24, choices=EndReason.choices, blank=True)

    class Meta:
        ordering = ["case_id", "started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, end_reason="")
                | (Q(ended_on__gte=F("started_on")) & ~Q(end_reason="")),
                name="cp_plan_ends_after_start_with_reason",
            ),
            models.UniqueConstraint(
                fields=["child"], condition=Q(ended_on__isnull=True), name="one_open_cp_plan"
            ),
        ]

    def __str__(self) -> str:
        return f"Child protection plan from {self.started_on:%-d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class Conference(ProcessRecord):
    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial child protection conference"
        REVIEW = "review", "Review child protection conference"

    child = _child()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    held_on = models.DateField()
    section47 = models.ForeignKey(
        Section47Enquiry, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_plan = models.ForeignKey(
        ChildProtectionPlan,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="review_conferences",
    )
    # One conference about brothers and sisters is one map, shared by each child's record.
    map = models.ForeignKey(
        Map, null=True, blank=True, on_delete=models.PROTECT, related_name="conferences"
    )
    # Empty until the decision is recorded: a plan (or, at a review, the plan continues) or not.
    plan_decided = models.BooleanField(null=True, blank=True)
    category = models.CharField(max_length=3, choices=AbuseCategory.choices, blank=True)
    decision = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["case_id", "held_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="initial", section47__isnull=False, reviewed_plan__isnull=True)
                | Q(kind="review", reviewed_plan__isnull=False),
                name="conference_follows_s47_or_reviews_plan",
            ),
            models.CheckConstraint(
                condition=~Q(plan_decided=True) | ~Q(category=""),
                name="conference_plan_has_category",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%-d %b %Y}"

    @property
    def is_decided(self) -> bool:
        return self.plan_decided is not None


class CoreGroupMeeting(ProcessRecord):
    child = _child()
    plan = models.ForeignKey(
        ChildProtectionPlan, on_delete=models.PROTECT, related_name="core_groups"
    )
    held_on = models.DateField()
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["case_id", "held_on", "id"]


class ChildInNeedPlan(ProcessRecord):
    class EndReason(models.TextChoices):
        NEEDS_MET = "needs_met", "Needs met"
        STEP_UP_CP = "step_up_cp", "Stepped up to a child protection plan"
        EARLY_HELP = "early_help", "Stepped down to early help"
        LOOKED_AFTER = "looked_after", "The child became looked after"
        TRANSFERRED = "transferred", "Transferred to another local authority"
        OTHER = "other", "Another reason"

    child = _child()
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=24, choices=EndReason.choices, blank=True)

    class Meta:
        ordering = ["case_id", "started_on", "id"]
        verbose_name = "child in need plan"
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, end_reason="")
                | (Q(ended_on__gte=F("started_on")) & ~Q(end_reason="")),
                name="cin_plan_ends_after_start_with_reason",
            ),
            models.UniqueConstraint(
                fields=["child"], condition=Q(ended_on__isnull=True), name="one_open_cin_plan"
            ),
        ]

    def __str__(self) -> str:
        return f"Child in need plan from {self.started_on:%-d %b %Y}"


class ChildInNeedReview(ProcessRecord):
    child = _child()
    plan = models.ForeignKey(ChildInNeedPlan, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField()
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["case_id", "held_on", "id"]


class LookedAfterEpisode(ProcessRecord):
    """One SSDA903 episode: a period with one legal status and one placement."""

    child = _child()
    started_on = models.DateField()
    legal_status = models.CharField(max_length=2, choices=LegalStatus.choices)
    placement = models.CharField(max_length=3, choices=PlacementType.choices)
    ended_on = models.DateField(null=True, blank=True)
    reason_ceased = models.CharField(max_length=3, choices=ReasonEpisodeCeased.choices, blank=True)
    # What the SSDA903 return needs about the episode. Blank on episodes recorded before these
    # were asked (the return then works them out: `returns.ssda903`).
    reason_new_episode = models.CharField(
        "reason for new episode", max_length=1, choices=ReasonNewEpisode.choices, blank=True
    )
    category_of_need = models.CharField(max_length=2, choices=CategoryOfNeed.choices, blank=True)
    placement_provider = models.CharField(
        max_length=3, choices=PlacementProvider.choices, blank=True
    )
    reason_placement_change = models.CharField(
        "reason for the placement change",
        max_length=6,
        choices=PlacementChangeReason.choices,
        blank=True,
        help_text="Only when the episode ended because the placement changed.",
    )
    home_postcode = models.CharField("postcode of the child's home", max_length=8, blank=True)
    placement_postcode = models.CharField(max_length=8, blank=True)
    urn = models.CharField(
        "Ofsted unique reference number (URN)",
        max_length=8,
        blank=True,
        help_text="For placements with a provider registered with Ofsted.",
    )
    # Asked when a period of care starts (RNE S): the child's previous permanence option.
    previous_permanence = models.CharField(
        max_length=2, choices=PreviousPermanence.choices, blank=True
    )
    previous_permanence_la = models.CharField(
        "local authority that arranged it", max_length=3, blank=True
    )
    previous_permanence_on = models.DateField("date of the order", null=True, blank=True)

    class Meta:
        ordering = ["case_id", "started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, reason_ceased="")
                | (Q(ended_on__gte=F("started_on")) & ~Q(reason_ceased="")),
                name="episode_ends_after_start_with_reason",
            ),
            models.UniqueConstraint(
                fields=["child"], condition=Q(ended_on__isnull=True), name="one_open_episode"
            ),
        ]


def reason_for_new_episode(episode, previous) -> str:
    """The SSDA903 reason for a new episode, from what changed since `previous` (the episode
    that ended with X1 the day this one started, or None when a period of care starts)."""
    if previous is None:
        return "S"
    legal = previous.legal_status != episode.legal_status
    placement = (previous.placement, previous.placement_postcode) != (
        episode.placement,
        episode.placement_postcode,
    )
    if legal and placement:
        return "U"
    return "L" if legal else "P"


class LookedAfterReview(ProcessRecord):
    """A statutory review of a looked-after child's care plan, and how the child took part."""

    child = _child()
    held_on = models.DateField()
    participation = models.CharField(max_length=3, choices=ReviewParticipation.choices)

    class Meta:
        ordering = ["case_id", "held_on", "id"]


class AsylumSeekingStatus(ProcessRecord):
    """The child is (or was) an unaccompanied asylum-seeking child; when the status ceased."""

    child = _child()
    ceased_on = models.DateField("date the status ceased", null=True, blank=True)

    class Meta:
        verbose_name = "unaccompanied asylum-seeking child status"
        constraints = [models.UniqueConstraint(fields=["child"], name="one_uasc_status")]


class MissingEpisode(ProcessRecord):
    """A period when a looked-after child was missing, or away without authorisation."""

    child = _child()
    kind = models.CharField(max_length=1, choices=MissingKind.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["case_id", "started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="missing_ends_after_start",
            )
        ]


class AdoptionDecision(ProcessRecord):
    """The decision that the child should be placed for adoption, and its reversal if any."""

    child = _child()
    decided_on = models.DateField("date of the decision that the child should be placed")
    reversed_on = models.DateField(
        "date of the decision that the child should no longer be placed", null=True, blank=True
    )
    reversal_reason = models.CharField(
        max_length=3, choices=NoLongerPlacedReason.choices, blank=True
    )

    class Meta:
        ordering = ["case_id", "decided_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reversed_on__isnull=True, reversal_reason="")
                | (Q(reversed_on__gte=F("decided_on")) & ~Q(reversal_reason="")),
                name="adoption_reversal_with_reason",
            )
        ]


class Adoption(ProcessRecord):
    """The adoption of a looked-after child (AD1): the dates and the adopters."""

    class Adopters(models.IntegerChoices):
        ONE = 1, "One adopter"
        TWO = 2, "Two adopters"

    child = _child()
    best_interests_on = models.DateField(
        "date of the decision that adoption is in the best interests"
    )
    matched_on = models.DateField("date the child was matched with the adopters")
    by_foster_carers = models.BooleanField("adopted by their foster carer(s)")
    adopters = models.PositiveSmallIntegerField("number of adopters", choices=Adopters.choices)
    adopters_sex = models.CharField(max_length=2, choices=AdoptersSex.choices)
    adopters_legal_status = models.CharField(max_length=3, choices=AdoptersLegalStatus.choices)

    class Meta:
        ordering = ["case_id", "matched_on", "id"]
        constraints = [models.UniqueConstraint(fields=["child"], name="one_adoption")]


class LookedAfterOutcomes(ProcessRecord):
    """Outcomes for a child looked after continuously for 12 months at 31 March (OC2), for the
    year ending then. Each answer is blank where it does not apply to the child's age."""

    child = _child()
    year = models.PositiveSmallIntegerField(help_text="The year ending 31 March, e.g. 2026.")
    sdq_score = models.PositiveSmallIntegerField(
        "strengths and difficulties questionnaire (SDQ) score", null=True, blank=True
    )
    sdq_reason = models.CharField(
        "reason there is no SDQ score", max_length=4, choices=SdqReason.choices, blank=True
    )
    convicted = models.BooleanField("convicted during the year", null=True, blank=True)
    health_check = models.BooleanField("health promotion check up to date", null=True, blank=True)
    immunisations = models.BooleanField("immunisations up to date", null=True)
    teeth_check = models.BooleanField("teeth checked by a dentist", null=True)
    health_assessment = models.BooleanField("annual health assessment up to date", null=True)
    substance_misuse = models.BooleanField("substance misuse problem identified", null=True)
    intervention_received = models.BooleanField(
        "intervention received for substance misuse", null=True, blank=True
    )
    intervention_offered = models.BooleanField(
        "intervention offered but refused", null=True, blank=True
    )

    class Meta:
        ordering = ["case_id", "year", "id"]
        verbose_name_plural = "looked-after outcomes"
        constraints = [
            models.UniqueConstraint(fields=["child", "year"], name="one_outcomes_per_year"),
            models.CheckConstraint(
                condition=Q(sdq_score__isnull=True) | Q(sdq_score__lte=40), name="sdq_score_0_40"
            ),
        ]


class CareLeaverContact(ProcessRecord):
    """A care leaver's situation around their birthday in a year (OC3): whether the agency is
    in touch, their activity and accommodation."""

    child = _child()
    year = models.PositiveSmallIntegerField(help_text="The year ending 31 March, e.g. 2026.")
    in_touch = models.CharField(max_length=4, choices=CareLeaverInTouch.choices)
    activity = models.CharField(max_length=2, choices=CareLeaverActivity.choices)
    accommodation = models.CharField(max_length=2, choices=CARE_LEAVER_ACCOMMODATION)

    class Meta:
        ordering = ["case_id", "year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["child", "year"], name="one_care_leaver_contact")
        ]


class StatutoryVisit(ProcessRecord):
    child = _child()
    visited_on = models.DateField()
    seen_alone = models.BooleanField()
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["case_id", "visited_on", "id"]
        indexes = [models.Index(fields=["child", "visited_on"])]


class Closure(ProcessRecord):
    """Closing the case (every child's episode), with the DfE reason. It takes effect when the
    team manager approves it."""

    closed_on = models.DateField()
    reason = models.CharField(max_length=3, choices=ClosureReason.choices)
    summary = models.TextField(blank=True)
    approved = models.BooleanField(default=False)

    class Meta:
        ordering = ["case_id", "closed_on", "id"]


class Approval(TimeStampedModel):
    """A request for the team manager to approve, or return with comments, an assessment, a plan
    or a closure."""

    class Kind(models.TextChoices):
        ASSESSMENT = "assessment", "Assessment"
        CP_PLAN = "cp_plan", "Child protection plan"
        CIN_PLAN = "cin_plan", "Child in need plan"
        CLOSURE = "closure", "Closure"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Awaiting approval"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned with comments"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="approvals"
    )
    cp_plan = models.ForeignKey(
        ChildProtectionPlan,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approvals",
    )
    cin_plan = models.ForeignKey(
        ChildInNeedPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="approvals"
    )
    closure = models.ForeignKey(
        Closure, null=True, blank=True, on_delete=models.PROTECT, related_name="approvals"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    note = models.TextField(blank=True, help_text="What the worker asks the manager to look at.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comments = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["case_id", "submitted_at", "id"]
        indexes = [models.Index(fields=["agency", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind="assessment",
                    assessment__isnull=False,
                    cp_plan__isnull=True,
                    cin_plan__isnull=True,
                    closure__isnull=True,
                )
                | Q(
                    kind="cp_plan",
                    assessment__isnull=True,
                    cp_plan__isnull=False,
                    cin_plan__isnull=True,
                    closure__isnull=True,
                )
                | Q(
                    kind="cin_plan",
                    assessment__isnull=True,
                    cp_plan__isnull=True,
                    cin_plan__isnull=False,
                    closure__isnull=True,
                )
                | Q(
                    kind="closure",
                    assessment__isnull=True,
                    cp_plan__isnull=True,
                    cin_plan__isnull=True,
                    closure__isnull=False,
                ),
                name="approval_names_one_record_of_its_kind",
            ),
            models.CheckConstraint(
                condition=Q(status="submitted", decided_at__isnull=True)
                | (~Q(status="submitted") & Q(decided_at__isnull=False)),
                name="approval_decided_when_not_submitted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_status_display()}"

    @property
    def record(self):
        return self.assessment or self.cp_plan or self.cin_plan or self.closure
