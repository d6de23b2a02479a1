"""Published statistics as a tidy authority x year panel, and the evaluation designs run on it.

Published statistics (DfE children in need, child protection, looked-after tables and ONS
population estimates) are public, aggregate and not owned by any agency: these tables carry no
agency key, and every evaluation reader in every agency reads the same panel. They are written
only by the `load_published_statistics` command (the administrator's job), one release at a time.

A design (which authorities implemented what, from when, compared with whom) is an analyst's
work: it belongs to the agency that saved it. The designs that ship with Threefold (the Signs of
Safety innovation programme pilots) have no agency and are shared by everyone.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class PublishedRelease(models.Model):
    """One file of one published table, as loaded. A newer release of the same table replaces
    the years it covers; loading the same file again changes nothing."""

    table = models.CharField(max_length=32, help_text="b1, c1, c4, d3, d5, cla, population, …")
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    first_year = models.PositiveSmallIntegerField()
    last_year = models.PositiveSmallIntegerField()
    rows = models.PositiveIntegerField()
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["table", "last_year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["table", "sha256"], name="release_file_once"),
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")), name="release_years_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.table} {self.first_year}–{self.last_year} ({self.file_name})"


class LocalAuthority(models.Model):
    """England, a region or a local authority, as the DfE files name it.

    A local authority's `code` is DfE's three-digit (old) LA code, which survives a change of
    ONS code (North Yorkshire, Somerset and Buckinghamshire became unitary under the same DfE
    code); England and the regions are keyed by their ONS code. `series_code` is the unit whose
    series runs across a reorganisation (see `evaluation.reorganisations`)."""

    class Level(models.TextChoices):
        NATIONAL = "national", "England"
        REGION = "region", "Region"
        LOCAL_AUTHORITY = "la", "Local authority"

    code = models.CharField(max_length=16, unique=True)
    level = models.CharField(max_length=8, choices=Level.choices)
    name = models.CharField(max_length=200)
    ons_code = models.CharField(max_length=16, blank=True, help_text="The latest ONS code.")
    earlier_ons_codes = models.CharField(max_length=100, blank=True)
    region_name = models.CharField(max_length=100, blank=True)
    first_year = models.PositiveSmallIntegerField(null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(null=True, blank=True)
    series_code = models.CharField(
        max_length=16,
        blank=True,
        help_text="The combined unit this authority belongs to across a reorganisation.",
    )

    class Meta:
        ordering = ["level", "name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    """One published number: an authority's value of a measure in a reporting year (the year
    ending 31 March). A suppressed or missing value has no number and keeps its code."""

    class Code(models.TextChoices):
        PUBLISHED = "", "Published"
        SUPPRESSED = "c", "Suppressed (small number)"
        NOT_AVAILABLE = ":", "Not available"
        NOT_APPLICABLE = "z", "Not applicable"
        MISSING = "x", "Not available (x)"
        UNRELIABLE = "u", "Low reliability"
        LOW = "low", "Low (rounds to zero)"

    release = models.ForeignKey(PublishedRelease, on_delete=models.CASCADE, related_name="values")
    authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="values")
    year = models.PositiveSmallIntegerField()
    measure = models.CharField(max_length=40)
    value = models.FloatField(null=True, blank=True)
    code = models.CharField(max_length=4, choices=Code.choices, blank=True, default="")

    class Meta:
        ordering = ["measure", "authority", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "year", "measure"], name="indicator_value_once"
            ),
            models.CheckConstraint(
                condition=Q(code="", value__isnull=False) | (~Q(code="") & Q(value__isnull=True)),
                name="indicator_value_number_or_code",
            ),
        ]
        indexes = [models.Index(fields=["measure", "year"])]

    def __str__(self) -> str:
        return f"{self.authority_id} {self.year} {self.measure}: {self.value or self.code}"


class PopulationEstimate(models.Model):
    """ONS mid-year estimate of children aged 0 to 17. The rate for reporting year T uses the
    mid-(T-1) estimate."""

    release = models.ForeignKey(
        PublishedRelease, on_delete=models.CASCADE, related_name="populations"
    )
    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="populations"
    )
    mid_year = models.PositiveSmallIntegerField()
    children = models.PositiveIntegerField()

    class Meta:
        ordering = ["authority", "mid_year"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "mid_year"], name="population_once")
        ]

    def __str__(self) -> str:
        return f"{self.authority_id} mid-{self.mid_year}: {self.children}"


class StatisticalNeighbour(models.Model):
    """DfE's children's services statistical neighbours: ten per authority, closest first."""

    release = models.ForeignKey(
        PublishedRelease, on_delete=models.CASCADE, related_name="neighbours"
    )
    model = models.CharField(max_length=8, help_text="The model's year, e.g. 2021.")
    authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    neighbour = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField()
    closeness = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["model", "authority", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "authority", "rank"], name="statistical_neighbour_rank_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.authority_id} #{self.rank}: {self.neighbour_id}"


class StatisticsLoad(models.Model):
    """Every run of the loader, kept even when it failed (written after the rollback), so the
    overview can show what was loaded and what was wrong."""

    ran_at = models.DateTimeField(auto_now_add=True)
    directory = models.CharField(max_length=500)
    succeeded = models.BooleanField()
    summary = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-ran_at", "-id"]

    def __str__(self) -> str:
        return f"Load {self.pk} ({'loaded' if self.succeeded else 'failed'})"


class EvaluationDesign(models.Model):
    """Which authorities implemented, from which reporting year, against which comparison."""

    class Comparison(models.TextChoices):
        NEIGHBOURS = "neighbours", "Their statistical neighbours"
        ALL_OTHERS = "all_others", "All other local authorities"

    agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty for the designs that ship with Threefold, shared by every agency.",
    )
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # [{"code": "304", "start": 2015}, …]: DfE LA code and first treated reporting year.
    implementation = models.JSONField(default=list)
    comparison = models.CharField(
        max_length=16, choices=Comparison.choices, default=Comparison.NEIGHBOURS
    )
    neighbour_model = models.CharField(max_length=8, default="2021")
    first_year = models.PositiveSmallIntegerField()
    last_year = models.PositiveSmallIntegerField()
    indicators = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "slug"], name="design_slug_unique_in_agency"),
            models.UniqueConstraint(
                fields=["slug"], condition=Q(agency__isnull=True), name="shared_design_slug_unique"
            ),
            models.CheckConstraint(
                condition=Q(last_year__gt=models.F("first_year")), name="design_years_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name
