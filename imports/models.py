"""Imports from an agency's legacy system: each run of a file, and the map from the legacy
system's own IDs to the records they became, so that running a file again updates or skips
what it brought in before and never makes a second copy."""

from django.conf import settings
from django.db import models

from agencies.models import Agency


class ImportKind(models.TextChoices):
    """One file layout per kind of record, in the order an agency imports them: each refers to
    the records of the kinds before it by their legacy IDs."""

    PEOPLE = "people", "People (children and adults)"
    CASES = "cases", "Cases and who is in them"
    REFERRALS = "referrals", "Referrals"
    ASSESSMENTS = "assessments", "Assessments"
    SECTION47S = "section47s", "Section 47 enquiries"
    CP_PLANS = "cp_plans", "Child protection plans"
    CIN_PLANS = "cin_plans", "Child in need plans"
    LOOKED_AFTER = "looked_after", "Looked-after episodes"


class ImportRun(models.Model):
    """One file, checked (a dry run) or imported. Its counts are the progress while it runs and
    the record of what it did afterwards."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        CHECKING = "checking", "Checking every row"
        WAITING = "waiting", "Waiting for another import to finish"
        WRITING = "writing", "Writing"
        CHECKED = "checked", "Checked: ready to import"
        IMPORTED = "imported", "Imported"
        REFUSED = "refused", "Refused: nothing was written"
        FAILED = "failed", "Stopped by an error: nothing was written"

    FINISHED = frozenset({State.CHECKED, State.IMPORTED, State.REFUSED, State.FAILED})

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=ImportKind.choices)
    source_system = models.CharField(
        max_length=64, help_text="The legacy system the file came from, as its IDs belong to it."
    )
    file_name = models.CharField(max_length=255, help_text="The name of the file as uploaded.")
    stored_path = models.CharField(max_length=500, help_text="Where the uploaded file is kept.")
    dry_run = models.BooleanField(default=True)
    checked_by_run = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The dry run this import follows.",
    )  # fmt: skip
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_expected = models.PositiveIntegerField(null=True, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    rows_valid = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    # The first problems found, for the report; error_count counts them all.
    errors = models.JSONField(default=list, blank=True)
    failure = models.TextField(blank=True, help_text="An unexpected error that stopped the run.")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.file_name}"

    @property
    def is_finished(self) -> bool:
        return self.state in self.FINISHED

    @property
    def progress_max(self) -> int | None:
        """An import counts each row twice, checked and written; a check (dry run) once."""
        if not self.rows_expected:
            return None
        return self.rows_expected * (1 if self.dry_run else 2)

    @property
    def progress_value(self) -> int:
        if self.state in {self.State.CHECKED, self.State.IMPORTED}:
            return self.progress_max or 0
        return self.rows_read + self.rows_written


class ImportedRecord(models.Model):
    """The legacy system's ID of a record brought in by an import. IDs belong to one agency and
    one source system: another agency's (or system's) ID never finds this record."""

    # No index of its own: the unique constraint's index begins with the agency.
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", db_index=False)
    source_system = models.CharField(max_length=64)
    kind = models.CharField(max_length=16, choices=ImportKind.choices)
    external_id = models.CharField(max_length=64)
    object_id = models.BigIntegerField(help_text="The primary key of the record it became.")
    # A digest of the row as last imported: the same row again is skipped, a changed row updates.
    fingerprint = models.CharField(max_length=32)
    run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "source_system", "kind", "external_id"],
                name="imported_record_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_system} {self.kind} {self.external_id}"
