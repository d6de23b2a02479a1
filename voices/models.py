"""Children's voices (Three Houses, Fairy or Wizard, Safety House) and Words and Pictures.

A voice record keeps a child's own words for each part of the tool, the drawings or photos that
go with them, the child's age on the day, who did the work and whether it was shared with the
parents. Words and Pictures is the family's explanation for a child, kept as versions: each
revision is a new version copying the one before, and a version a parent has agreed is never
changed again.

Uploaded pictures are stored under a random name in the upload storage (`voices/storage.py`),
never under a public URL: they are served only by the permission-checked views.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from agencies.models import Agency
from core.models import TimeStampedModel
from people.models import Case, Person
from practice.models import PLAIN_CATEGORIES, Map, MapEntry


class VoiceKind(models.TextChoices):
    THREE_HOUSES = "three_houses", "Three Houses"
    FAIRY_WIZARD = "fairy_wizard", "Fairy or Wizard"
    SAFETY_HOUSE = "safety_house", "Safety House"


class VoicePart(models.TextChoices):
    WORRIES = "worries", "House of worries"
    GOOD_THINGS = "good_things", "House of good things"
    DREAMS = "dreams", "House of dreams"
    WAND_WORRIES = "wand_worries", "Worries the magic wand would take away"
    WAND_GOOD_THINGS = "wand_good_things", "Good things the magic wand would keep"
    WAND_DREAMS = "wand_dreams", "Dreams the magic wand would make come true"
    INSIDE = "inside", "People inside the house"
    OUTER_CIRCLE = "outer_circle", "People in the outer circle"
    ROOF_RULES = "roof_rules", "Rules on the roof"
    OUTSIDE_FENCE = "outside_fence", "People the child worries about (outside the fence)"
    PATH_HOME = "path_home", "The path home"


PARTS = {
    VoiceKind.THREE_HOUSES: [VoicePart.WORRIES, VoicePart.GOOD_THINGS, VoicePart.DREAMS],
    VoiceKind.FAIRY_WIZARD: [
        VoicePart.WAND_WORRIES,
        VoicePart.WAND_GOOD_THINGS,
        VoicePart.WAND_DREAMS,
    ],
    VoiceKind.SAFETY_HOUSE: [
        VoicePart.INSIDE,
        VoicePart.OUTER_CIRCLE,
        VoicePart.ROOF_RULES,
        VoicePart.OUTSIDE_FENCE,
        VoicePart.PATH_HOME,
    ],
}

# The question asked of the child for each part, in words a child understands.
PART_QUESTIONS = {
    VoicePart.WORRIES: "What worries you? What is not so good?",
    VoicePart.GOOD_THINGS: "What is good in your life? What do you like?",
    VoicePart.DREAMS: "What would you like to happen? What would make things better?",
    VoicePart.WAND_WORRIES: "If you had a magic wand, which worries would you make go away?",
    VoicePart.WAND_GOOD_THINGS: "Which good things would you keep just as they are?",
    VoicePart.WAND_DREAMS: "What would you wish for?",
    VoicePart.INSIDE: "Who lives in your safe house with you, or comes in every day?",
    VoicePart.OUTER_CIRCLE: "Who visits your safe house, or helps you from nearby?",
    VoicePart.ROOF_RULES: "What rules does everyone follow, so your house stays safe?",
    VoicePart.OUTSIDE_FENCE: "Who would you not want in your safe house? Who worries you?",
    VoicePart.PATH_HOME: "What needs to happen so you can feel safe at home?",
}

# Where a child's words from each part most often belong on the map; the worker chooses.
PART_MAP_CATEGORY = {
    VoicePart.WORRIES: "harm",
    VoicePart.GOOD_THINGS: "existing_strength",
    VoicePart.DREAMS: "next_step",
    VoicePart.WAND_WORRIES: "harm",
    VoicePart.WAND_GOOD_THINGS: "existing_strength",
    VoicePart.WAND_DREAMS: "next_step",
    VoicePart.INSIDE: "existing_safety",
    VoicePart.OUTER_CIRCLE: "existing_strength",
    VoicePart.ROOF_RULES: "existing_safety",
    VoicePart.OUTSIDE_FENCE: "harm",
    VoicePart.PATH_HOME: "next_step",
}


class VoiceRecord(TimeStampedModel):
    """One piece of direct work with one child: their words for each part of the tool."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="voice_records")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="voice_records")
    kind = models.CharField(max_length=16, choices=VoiceKind.choices)
    done_on = models.DateField(help_text="The day the work was done with the child.")
    child_age = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The child's age in years on that day."
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_with_parents_on = models.DateField(null=True, blank=True)
    shared_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revision = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-done_on", "-id"]
        indexes = [models.Index(fields=["case", "child", "kind", "done_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=VoiceKind.values), name="voice_record_known_kind"
            ),
            models.CheckConstraint(
                condition=Q(shared_with_parents_on__isnull=True)
                | Q(shared_with_parents_on__gte=models.F("done_on")),
                name="voice_shared_after_done",
            ),
            models.CheckConstraint(
                condition=Q(shared_with_parents_on__isnull=True)
                | Q(shared_recorded_by__isnull=False),
                name="voice_sharing_recorded_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.child}, {self.done_on:%-d %B %Y}"

    @property
    def source_label(self) -> str:
        """How words brought into the map name where they came from."""
        name = self.child.known_as or self.child.given_name
        return f"From {name}'s {self.get_kind_display()}, {self.done_on.day} {self.done_on:%B}"

    def part_names(self) -> list[str]:
        return [part.value for part in PARTS[VoiceKind(self.kind)]]


class VoiceWords(models.Model):
    """The child's exact words for one part of the tool."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    record = models.ForeignKey(VoiceRecord, on_delete=models.CASCADE, related_name="parts")
    part = models.CharField(max_length=32, choices=VoicePart.choices)
    words = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["record_id", "id"]
        verbose_name_plural = "voice words"
        constraints = [
            models.UniqueConstraint(fields=["record", "part"], name="voice_words_once_per_part"),
            models.CheckConstraint(
                condition=Q(part__in=VoicePart.values), name="voice_words_known_part"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_part_display()}: {self.words[:60]}"


class StoredPicture(models.Model):
    """A drawing or photo: checked to be a real PNG or JPEG, re-encoded without its metadata and
    stored under a random name. Removing one hides it; the file and the row stay on record."""

    class ContentType(models.TextChoices):
        PNG = "image/png", "PNG"
        JPEG = "image/jpeg", "JPEG"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    stored_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=16, choices=ContentType.choices)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()
    alt_text = models.CharField(
        "short description", max_length=300, help_text="What the picture shows, for screen readers."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def extension(self) -> str:
        return "png" if self.content_type == self.ContentType.PNG else "jpg"


def _picture_constraints(prefix: str) -> list:
    return [
        models.CheckConstraint(
            condition=Q(content_type__in=["image/png", "image/jpeg"]),
            name=f"{prefix}_png_or_jpeg",
        ),
        models.CheckConstraint(condition=~Q(alt_text=""), name=f"{prefix}_has_description"),
        models.CheckConstraint(condition=~Q(stored_name=""), name=f"{prefix}_has_file"),
    ]


class VoicePicture(StoredPicture):
    record = models.ForeignKey(VoiceRecord, on_delete=models.PROTECT, related_name="pictures")
    part = models.CharField(
        max_length=32,
        choices=VoicePart.choices,
        blank=True,
        help_text="The part of the drawing it shows; empty for the whole piece of work.",
    )

    class Meta:
        ordering = ["record_id", "id"]
        constraints = _picture_constraints("voice_picture")

    def __str__(self) -> str:
        return self.alt_text


class BroughtIntoMap(models.Model):
    """A child's words added to a draft map, with the link back to where they came from."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    record = models.ForeignKey(
        VoiceRecord, on_delete=models.PROTECT, related_name="brought_into_map"
    )
    part = models.CharField(max_length=32, choices=VoicePart.choices)
    map = models.ForeignKey(Map, on_delete=models.PROTECT, related_name="+")
    # Kept when the entry is later removed from the draft: the link then says so.
    map_entry = models.ForeignKey(
        MapEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    category = models.CharField(
        max_length=32, choices=[(c.value, c.label) for c in PLAIN_CATEGORIES]
    )
    text = models.TextField(help_text="What was added to the map.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "words brought into maps"
        constraints = [
            models.UniqueConstraint(fields=["map_entry"], name="one_source_per_map_entry"),
            models.CheckConstraint(
                condition=Q(category__in=[c.value for c in PLAIN_CATEGORIES]),
                name="brought_into_map_plain_category",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record.source_label} → map {self.map.number}"


class WPSection(models.TextChoices):
    WHO_IS_WORRIED = "who_is_worried", "Who is worried?"
    WORRIED_ABOUT = "worried_about", "What are they worried about?"
    WHAT_HAPPENED = "what_happened", "What happened then?"
    WHAT_WE_ARE_DOING = "what_we_are_doing", "What are we doing about it?"
    SAFETY_PLAN = "safety_plan", "The safety plan"


WP_SECTIONS = [s.value for s in WPSection]
WP_REQUIRED_SECTIONS = WP_SECTIONS[:4]


class WordsAndPictures(models.Model):
    """The story for one child of why people are worried and what is being done, in words and
    pictures the child can understand. Its content lives in its versions."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="words_and_pictures")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="words_and_pictures")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "Words and Pictures"
        indexes = [models.Index(fields=["case", "child"])]

    def __str__(self) -> str:
        return f"Words and Pictures for {self.child}"


class WPVersion(models.Model):
    """One version of a Words and Pictures. Only the newest version can change, and only until
    a parent agrees it; after that a change makes a new version."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AGREED = "agreed", "Agreed"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    words_and_pictures = models.ForeignKey(
        WordsAndPictures, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    who_is_worried = models.TextField()
    worried_about = models.TextField()
    what_happened = models.TextField()
    what_we_are_doing = models.TextField()
    safety_plan = models.TextField(blank=True)
    change_note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField()
    revision = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["words_and_pictures_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["words_and_pictures", "number"], name="wp_version_number_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="wp_version_number_from_1"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "agreed"]), name="wp_version_known_status"
            ),
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of {self.words_and_pictures}"

    @property
    def is_agreed(self) -> bool:
        return self.status == self.Status.AGREED

    def section_text(self) -> list[tuple[str, str, str]]:
        """(section, heading, text) in reading order, leaving out an empty safety plan."""
        return [
            (s.value, s.label, getattr(self, s.value))
            for s in WPSection
            if getattr(self, s.value) or s.value in WP_REQUIRED_SECTIONS
        ]


class WPAgreement(models.Model):
    """A parent agreeing a version, and when."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(WPVersion, on_delete=models.PROTECT, related_name="agreements")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=200)
    agreed_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreed_on", "id"]
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="wp_agreement_named")]

    def __str__(self) -> str:
        return f"{self.name} agreed on {self.agreed_on}"


class WPSharing(models.Model):
    """A version shared with the child: when, and who was there."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(WPVersion, on_delete=models.PROTECT, related_name="sharings")
    shared_on = models.DateField()
    present = models.CharField(max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["shared_on", "id"]
        constraints = [models.CheckConstraint(condition=~Q(present=""), name="wp_sharing_present")]

    def __str__(self) -> str:
        return f"Shared on {self.shared_on} with {self.present}"


class WPPicture(StoredPicture):
    version = models.ForeignKey(WPVersion, on_delete=models.PROTECT, related_name="pictures")
    section = models.CharField(max_length=32, choices=WPSection.choices)
    # A picture carried into a new version keeps pointing at the same stored file.
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["version_id", "id"]
        constraints = _picture_constraints("wp_picture")

    def __str__(self) -> str:
        return self.alt_text
