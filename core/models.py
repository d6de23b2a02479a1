from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One thing a person did to a record: append-only, written by services and by record views.

    Core sits below the agency and case apps, so the agency and case are kept as plain ids:
    the log must outlive and never block changes to the records it describes.
    """

    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    agency_id = models.BigIntegerField(null=True, db_index=True)
    case_id = models.BigIntegerField(null=True, db_index=True)
    verb = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.BigIntegerField(null=True)
    changes = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # Tamper evidence: each event's hash covers its content and the previous event's hash in
    # the same chain (one chain per agency), so a changed or missing event breaks the chain.
    chain = models.BigIntegerField(default=0)
    sequence = models.BigIntegerField()
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["case_id", "occurred_at"])]
        constraints = [
            models.UniqueConstraint(fields=["chain", "sequence"], name="audit_sequence_once")
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.verb} {self.target_type}#{self.target_id}"


class AuditChainHead(models.Model):
    """The latest event of each chain: the lock that orders writers, and the check that the
    newest events have not been cut off the end."""

    chain = models.BigIntegerField(unique=True)
    sequence = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"chain {self.chain} at {self.sequence}"
