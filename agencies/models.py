from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac

from core.models import TimeStampedModel


class Service(models.TextChoices):
    """The services an agency runs; the map's wording can differ between them."""

    EARLY_HELP = "early_help", "Early help"
    CHILDREN_IN_NEED = "children_in_need", "Children in need"
    CHILD_PROTECTION = "child_protection", "Child protection"
    CHILDREN_LOOKED_AFTER = "children_looked_after", "Children looked after"


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    CONFERENCE_CHAIR = "conference_chair", "Conference chair / independent reviewing officer"
    PRACTICE_LEAD = "practice_lead", "Practice lead"
    SENIOR_LEADER = "senior_leader", "Senior leader"
    PERFORMANCE_ANALYST = "performance_analyst", "Performance analyst"
    ADMINISTRATOR = "administrator", "Administrator"


class Agency(TimeStampedModel):
    """A tenant: one local authority or agency. No agency ever sees another's records."""

    name = models.CharField(max_length=200, unique=True)
    code = models.CharField(
        max_length=10, unique=True, help_text="The DfE local authority code, or a short code."
    )

    class Meta:
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Team(TimeStampedModel):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    service = models.CharField(max_length=32, choices=Service.choices)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="team_name_unique_in_agency")
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff. Every user belongs to one agency; only platform superusers have none."""

    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.SOCIAL_WORKER)
    job_title = models.CharField(max_length=200, blank=True)
    # Bumped by "sign out everywhere": every session signed with an older number ends.
    session_generation = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["first_name", "last_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret=None):
        # Django checks this hash on every request; folding the generation into it ends all
        # of a user's other sessions at once, as a password change does.
        key_salt = "threefold.agencies.User.session_auth_hash"
        value = f"{self.password}:{self.session_generation}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()
