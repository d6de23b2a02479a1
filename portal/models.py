"""The family and network portal: the people the safety plan belongs to, reading it themselves.

A worker invites one person from the case: a parent, a young person (where the worker judges it
right) or a member of the safety network. The invitation names exactly what they may see (its
scopes). They sign in without a password, with a one-time code (printed or emailed) or a magic
link, each stored only as a hash, single-use and time-limited. Access is checked on every
request: it ends when the invitation is withdrawn or expires, or when the case closes.

Portal users are not Django users: their identity lives in the session (`portal.access`), so
every staff page treats them as an anonymous visitor.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from agencies.models import Agency
from core.models import TimeStampedModel
from people.models import Case, Person
from safety.models import MonitoringCheckIn, NetworkMember


class Scope(models.TextChoices):
    WORDS_AND_PICTURES = "words_and_pictures", "Words and Pictures"
    SAFETY_PLAN = "safety_plan", "The safety plan"
    MAP_SUMMARY = "map_summary", "A summary of the map"
    PLAN_RULES_AND_CHECK_IN = (
        "plan_rules_and_check_in",
        "Their part in the safety plan, and check-ins",
    )


FAMILY_SCOPES = {Scope.WORDS_AND_PICTURES, Scope.SAFETY_PLAN, Scope.MAP_SUMMARY}
NETWORK_SCOPES = {Scope.PLAN_RULES_AND_CHECK_IN}


class PortalInvitation(TimeStampedModel):
    """One person's access to one case's portal, and exactly what they may see."""

    class Kind(models.TextChoices):
        PARENT = "parent", "Parent or carer"
        YOUNG_PERSON = "young_person", "Young person"
        NETWORK_MEMBER = "network_member", "Safety network member"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="portal_invitations")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    network_member = models.ForeignKey(
        NetworkMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=200, help_text="How the portal greets them.")
    email = models.EmailField(blank=True)
    scopes = models.JSONField(default=list, help_text="What they may see (Scope values).")
    young_person_judgement = models.TextField(
        blank=True, help_text="Why the worker judged it right for this young person to see these."
    )
    expires_at = models.DateTimeField()
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = models.CharField(max_length=300, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # Bumped to end every portal session of this invitation at once.
    session_generation = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["case_id", "-created_at", "-id"]
        indexes = [models.Index(fields=["case", "withdrawn_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="network_member", network_member__isnull=False, person__isnull=True)
                    | Q(
                        kind__in=["parent", "young_person"],
                        person__isnull=False,
                        network_member__isnull=True,
                    )
                ),
                name="portal_invitation_names_one_person",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_by__isnull=False),
                name="portal_invitation_withdrawn_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()}) for {self.case}"

    @property
    def is_network_member(self) -> bool:
        return self.kind == self.Kind.NETWORK_MEMBER

    def scope_labels(self) -> list[str]:
        return [Scope(s).label for s in Scope.values if s in self.scopes]


class PortalToken(models.Model):
    """A one-time code or magic link. Only its SHA-256 is kept; it works once, until it expires."""

    class Kind(models.TextChoices):
        CODE = "code", "One-time code"
        LINK = "link", "Sign-in link"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    invitation = models.ForeignKey(
        PortalInvitation, on_delete=models.CASCADE, related_name="tokens"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invitation_id", "-created_at", "-id"]
        indexes = [models.Index(fields=["invitation", "kind", "used_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.invitation.name}"


class PortalSignInAttempt(models.Model):
    """Every try at a code or link, right or wrong, so guessing can be limited by address."""

    ip_address = models.GenericIPAddressField(null=True, blank=True)
    kind = models.CharField(max_length=8, choices=PortalToken.Kind.choices)
    succeeded = models.BooleanField(default=False)
    attempted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["ip_address", "attempted_at"])]

    def __str__(self) -> str:
        return f"{self.kind} from {self.ip_address} at {self.attempted_at}"


class CheckInAlert(models.Model):
    """A network member's check-in through the portal that says a rule was broken or that
    they are worried: it waits on the case and in the allocated worker's worklist until a
    worker acknowledges it."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="portal_alerts")
    invitation = models.ForeignKey(PortalInvitation, on_delete=models.PROTECT, related_name="+")
    check_in = models.OneToOneField(
        MonitoringCheckIn, on_delete=models.PROTECT, related_name="portal_alert"
    )
    breach = models.BooleanField(default=False)
    worries = models.TextField(blank=True)
    raised_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledgement_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["case", "acknowledged_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(acknowledged_by__isnull=False),
                name="portal_alert_acknowledged_by_someone",
            ),
            models.CheckConstraint(
                condition=Q(breach=True) | ~Q(worries=""), name="portal_alert_has_a_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"Check-in alert on {self.case} at {self.raised_at:%Y-%m-%d %H:%M}"
