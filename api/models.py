"""API clients (other systems that call the REST API) and their bearer tokens.

A client belongs to one agency and acts as one member of staff (`acting_user`): every read and
write it makes goes through the same access rules as that person's pages, so a client can never
see or change more than its acting user could. Tokens are random secrets shown once when issued;
only their SHA-256 hash is stored.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from agencies.models import Agency
from core.models import TimeStampedModel


class Scope(models.TextChoices):
    """What a client may do. Reading a case's core record needs `cases:read`; everything under
    a case also needs the case to be visible to the acting user."""

    CASES_READ = "cases:read", "Read cases and their allocations"
    PEOPLE_READ = "people:read", "Read the children and adults in cases"
    MAPS_READ = "maps:read", "Read maps, danger statements, goals and scales"
    MAPS_WRITE = "maps:write", "Start maps and add or change their content"
    SAFETY_READ = "safety:read", "Read safety networks and safety plans"
    SAFETY_WRITE = "safety:write", "Add to safety networks and write safety plans"
    PROCESS_READ = "process:read", "Read the statutory process: referrals, assessments, plans"
    PROCESS_WRITE = "process:write", "Record referrals and their decisions, assessments, visits"
    MEASURES_READ = "measures:read", "Read the measures of practice (figures, never records)"


class ApiClient(TimeStampedModel):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="api_clients")
    name = models.CharField(max_length=100, help_text="The system that will call the API.")
    scopes = models.JSONField(default=list, blank=True)
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_clients",
        help_text="The member of staff the system acts as: it sees exactly what they see.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agency", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="api_client_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])


class ApiToken(models.Model):
    """A bearer token. The secret itself is never stored: only its SHA-256 hash, and a short
    prefix so administrators can tell tokens apart."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["client", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.prefix}… for {self.client}"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
