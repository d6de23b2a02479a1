"""Every write to children's voices and Words and Pictures. Each function is atomic, guards
against overwriting someone else's change (optimistic revisions) and writes its audit event."""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.audit import audit_record, field_changes
from core.errors import ConflictError, RuleViolation
from people.models import Case, Person
from practice import services as practice_services
from practice.models import PLAIN_CATEGORIES, Map
from voices.models import (
    PARTS,
    WP_REQUIRED_SECTIONS,
    WP_SECTIONS,
    BroughtIntoMap,
    VoiceKind,
    VoicePicture,
    VoiceRecord,
    VoiceWords,
    WordsAndPictures,
    WPAgreement,
    WPPicture,
    WPSection,
    WPSharing,
    WPVersion,
)
from voices.uploads import CleanPicture, store_picture


def _audit(actor, verb, target, *, case_id, agency_id, changes=None):
    audit_record(
        actor=actor,
        verb=verb,
        target=target,
        agency_id=agency_id,
        case_id=case_id,
        changes=changes,
    )


def _check_revision(record, expected: int, what: str):
    if record.revision != expected:
        raise ConflictError(
            f"Someone else changed this {what} after you opened it. Their version is shown; "
            "your text has been kept in the form so you can compare and save again.",
            current=record,
        )


def _check_child(case: Case, child: Person) -> None:
    if child.kind != Person.Kind.CHILD or not case.memberships.filter(person=child).exists():
        raise RuleViolation("Only a child in this case can be chosen.")


def _check_day(child: Person, day: datetime.date, what: str) -> None:
    if day > timezone.localdate():
        raise RuleViolation(f"The date {what} can't be in the future.")
    if child.date_of_birth and day < child.date_of_birth:
        raise RuleViolation(f"The date {what} can't be before the child was born.")


# Children's voices --------------------------------------------------------------------------


def _words_for(kind: str, words: dict[str, str]) -> dict[str, str]:
    parts = [p.value for p in PARTS[VoiceKind(kind)]]
    unknown = set(words) - set(parts)
    if unknown:
        raise RuleViolation("Those parts don't belong to this kind of work.")
    cleaned = {part: (words.get(part) or "").strip() for part in parts}
    if not any(cleaned.values()):
        raise RuleViolation("Write down at least some of the child's words.")
    return cleaned


@transaction.atomic
def voice_record_add(
    *,
    actor,
    case: Case,
    child: Person,
    kind: str,
    done_on: datetime.date,
    words: dict[str, str],
    done_by=None,
    pictures=(),
) -> VoiceRecord:
    """Record a piece of direct work with a child, in the child's own words, with any drawings
    or photos given as (checked picture, short description, part) triples."""
    _check_child(case, child)
    _check_day(child, done_on, "of the work")
    cleaned = _words_for(kind, words)
    done_by = done_by or actor
    if done_by.agency_id != case.agency_id:
        raise RuleViolation("The work must be done by someone in this agency.")
    record = VoiceRecord.objects.create(
        agency_id=case.agency_id,
        case=case,
        child=child,
        kind=kind,
        done_on=done_on,
        child_age=child.age_on(done_on),
        done_by=done_by,
        created_by=actor,
    )
    VoiceWords.objects.bulk_create(
        VoiceWords(agency_id=record.agency_id, record=record, part=part, words=text)
        for part, text in cleaned.items()
    )
    _audit(
        actor,
        "voices.record_added",
        record,
        case_id=case.pk,
        agency_id=case.agency_id,
        changes={"kind": kind, "done_on": done_on, "words": cleaned},
    )
    for picture, alt_text, part in pictures:
        voice_picture_add(actor=actor, record=record, picture=picture, alt_text=alt_text, part=part)
    return record


@transaction.atomic
def voice_record_update(
    *,
    actor,
    record: VoiceRecord,
    expected_revision: int,
    done_on: datetime.date,
    words: dict[str, str],
    done_by=None,
) -> VoiceRecord:
    record = VoiceRecord.objects.select_for_update().select_related("child").get(pk=record.pk)
    _check_revision(record, expected_revision, "record of the child's words")
    _check_day(record.child, done_on, "of the work")
    cleaned = _words_for(record.kind, words)
    done_by = done_by or record.done_by
    if done_by.agency_id != record.agency_id:
        raise RuleViolation("The work must be done by someone in this agency.")
    changes = field_changes(record, {"done_on": done_on, "done_by": done_by})
    existing = {w.part: w for w in record.parts.all()}
    for part, text in cleaned.items():
        current = existing.get(part)
        if current is None:
            VoiceWords.objects.create(
                agency_id=record.agency_id, record=record, part=part, words=text
            )
            changes[part] = {"old": "", "new": text}
        elif current.words != text:
            changes[part] = {"old": current.words, "new": text}
            current.words = text
            current.save()
    record.done_on, record.done_by = done_on, done_by
    record.child_age = record.child.age_on(done_on)
    record.revision += 1
    record.save()
    _audit(
        actor,
        "voices.record_changed",
        record,
        case_id=record.case_id,
        agency_id=record.agency_id,
        changes=changes,
    )
    return record


@transaction.atomic
def voice_record_share_with_parents(
    *, actor, record: VoiceRecord, shared_on: datetime.date
) -> VoiceRecord:
    record = VoiceRecord.objects.select_for_update().select_related("child").get(pk=record.pk)
    if shared_on < record.done_on:
        raise RuleViolation("It can't have been shared before the work was done.")
    _check_day(record.child, shared_on, "it was shared")
    changes = field_changes(record, {"shared_with_parents_on": shared_on})
    record.shared_with_parents_on = shared_on
    record.shared_recorded_by = actor
    record.save()
    _audit(
        actor,
        "voices.shared_with_parents",
        record,
        case_id=record.case_id,
        agency_id=record.agency_id,
        changes=changes,
    )
    return record


@transaction.atomic
def voice_picture_add(
    *, actor, record: VoiceRecord, picture: CleanPicture, alt_text: str, part: str = ""
) -> VoicePicture:
    if part and part not in record.part_names():
        raise RuleViolation("That part doesn't belong to this kind of work.")
    if not alt_text.strip():
        raise RuleViolation("Say in a few words what the picture shows.")
    stored = VoicePicture.objects.create(
        agency_id=record.agency_id,
        record=record,
        part=part,
        stored_name=store_picture(picture, agency_id=record.agency_id),
        content_type=picture.content_type,
        width=picture.width,
        height=picture.height,
        size_bytes=len(picture.content),
        alt_text=alt_text.strip(),
        uploaded_by=actor,
    )
    _audit(
        actor,
        "voices.picture_added",
        stored,
        case_id=record.case_id,
        agency_id=record.agency_id,
        changes={"record": record.pk, "part": part, "alt_text": stored.alt_text},
    )
    return stored


def _remove_picture(actor, picture, *, case_id):
    picture = type(picture).objects.select_for_update().get(pk=picture.pk)
    if picture.removed_at is not None:
        raise RuleViolation("That picture has already been removed.")
    picture.removed_at = timezone.now()
    picture.removed_by = actor
    picture.save()
    _audit(
        actor,
        "voices.picture_removed",
        picture,
        case_id=case_id,
        agency_id=picture.agency_id,
        changes={"alt_text": picture.alt_text},
    )
    return picture


@transaction.atomic
def voice_picture_remove(*, actor, picture: VoicePicture) -> VoicePicture:
    """Hide a picture from the record; the stored file and its row stay on record."""
    return _remove_picture(actor, picture, case_id=picture.record.case_id)


@transaction.atomic
def voice_words_bring_into_map(
    *, actor, record: VoiceRecord, part: str, map_: Map, category: str, text: str
) -> BroughtIntoMap:
    """Add a child's words to the case's draft map, keeping the link back to their source."""
    if map_.case_id != record.case_id:
        raise RuleViolation("Words can only go into this family's own map.")
    if part not in record.part_names():
        raise RuleViolation("That part doesn't belong to this kind of work.")
    if category not in {c.value for c in PLAIN_CATEGORIES}:
        raise RuleViolation("Choose where on the map the words belong.")
    text = text.strip()
    if not text:
        raise RuleViolation("Write the words to add to the map.")
    entry = practice_services.map_entry_add(
        actor=actor, map_=map_, category=category, text=text, children=[record.child]
    )
    link = BroughtIntoMap.objects.create(
        agency_id=record.agency_id,
        record=record,
        part=part,
        map=map_,
        map_entry=entry,
        category=category,
        text=entry.text,
        created_by=actor,
    )
    _audit(
        actor,
        "voices.brought_into_map",
        record,
        case_id=record.case_id,
        agency_id=record.agency_id,
        changes={"part": part, "map": map_.pk, "map_entry": entry.pk, "category": category},
    )
    return link


# Words and Pictures --------------------------------------------------------------------------


def _sections(sections: dict[str, str]) -> dict[str, str]:
    unknown = set(sections) - set(WP_SECTIONS)
    if unknown:
        raise RuleViolation("Words and Pictures has no such section.")
    cleaned = {name: (sections.get(name) or "").strip() for name in WP_SECTIONS}
    missing = [WPSection(name).label for name in WP_REQUIRED_SECTIONS if not cleaned[name]]
    if missing:
        raise RuleViolation("Fill in every part of the story: " + " ".join(missing))
    return cleaned


def _lock_latest(version: WPVersion) -> WPVersion:
    """Lock the Words and Pictures and return this version, refusing if it is not the newest."""
    WordsAndPictures.objects.select_for_update().get(pk=version.words_and_pictures_id)
    locked = WPVersion.objects.select_for_update().get(pk=version.pk)
    latest = (
        WPVersion.objects.filter(words_and_pictures_id=version.words_and_pictures_id)
        .order_by("-number")
        .first()
    )
    if latest.pk != locked.pk:
        raise ConflictError(
            f"Version {latest.number} has been made since you opened version {locked.number}. "
            "It is shown; your text has been kept in the form so you can compare and save again.",
            current=latest,
        )
    return locked


@transaction.atomic
def wp_start(
    *, actor, case: Case, child: Person, sections: dict[str, str], change_note: str = ""
) -> WPVersion:
    """Start a Words and Pictures for a child: its first version, drafted by the worker."""
    _check_child(case, child)
    cleaned = _sections(sections)
    wp = WordsAndPictures.objects.create(
        agency_id=case.agency_id, case=case, child=child, created_by=actor
    )
    version = WPVersion.objects.create(
        agency_id=case.agency_id,
        words_and_pictures=wp,
        number=1,
        created_by=actor,
        changed_by=actor,
        changed_at=timezone.now(),
        change_note=change_note.strip(),
        **cleaned,
    )
    _audit(
        actor,
        "voices.wp_started",
        version,
        case_id=case.pk,
        agency_id=case.agency_id,
        changes={"words_and_pictures": wp.pk, **cleaned},
    )
    return version


@transaction.atomic
def wp_version_update(
    *,
    actor,
    version: WPVersion,
    expected_revision: int,
    sections: dict[str, str],
    change_note: str = "",
) -> WPVersion:
    """Change the newest version in place, while no parent has agreed it."""
    version = _lock_latest(version)
    if version.is_agreed:
        raise RuleViolation(
            f"Version {version.number} has been agreed by a parent, so it can't be changed. "
            "Your text has been kept: make a new version to change it."
        )
    _check_revision(version, expected_revision, "Words and Pictures")
    cleaned = _sections(sections)
    changes = field_changes(version, cleaned)
    for name, text in cleaned.items():
        setattr(version, name, text)
    version.change_note = change_note.strip()
    version.changed_by = actor
    version.changed_at = timezone.now()
    version.revision += 1
    version.save()
    _audit(
        actor,
        "voices.wp_changed",
        version,
        case_id=version.words_and_pictures.case_id,
        agency_id=version.agency_id,
        changes=changes,
    )
    return version


@transaction.atomic
def wp_version_revise(
    *,
    actor,
    version: WPVersion,
    expected_revision: int,
    sections: dict[str, str],
    change_note: str = "",
) -> WPVersion:
    """Make the next version from the newest one: it copies the previous version (with its
    pictures) and takes the revised words. The previous version stays as it was."""
    previous = _lock_latest(version)
    _check_revision(previous, expected_revision, "Words and Pictures")
    cleaned = _sections(sections)
    number = (
        WPVersion.objects.filter(words_and_pictures_id=previous.words_and_pictures_id).aggregate(
            n=Max("number")
        )["n"]
        + 1
    )
    new = WPVersion.objects.create(
        agency_id=previous.agency_id,
        words_and_pictures_id=previous.words_and_pictures_id,
        number=number,
        based_on=previous,
        created_by=actor,
        changed_by=actor,
        changed_at=timezone.now(),
        change_note=change_note.strip(),
        **cleaned,
    )
    WPPicture.objects.bulk_create(
        WPPicture(
            agency_id=picture.agency_id,
            version=new,
            section=picture.section,
            stored_name=picture.stored_name,
            content_type=picture.content_type,
            width=picture.width,
            height=picture.height,
            size_bytes=picture.size_bytes,
            alt_text=picture.alt_text,
            uploaded_by=picture.uploaded_by,
            carried_from=picture,
        )
        for picture in previous.pictures.filter(removed_at__isnull=True).order_by("id")
    )
    _audit(
        actor,
        "voices.wp_revised",
        new,
        case_id=previous.words_and_pictures.case_id,
        agency_id=previous.agency_id,
        changes={"based_on": previous.pk, "number": number, **field_changes(previous, cleaned)},
    )
    return new


@transaction.atomic
def wp_version_agree(
    *,
    actor,
    version: WPVersion,
    agreed_on: datetime.date,
    person: Person | None = None,
    name: str = "",
) -> WPAgreement:
    """Record that a parent agreed this version (the newest). From then on it is never changed
    in place: a change makes a new version. A second parent can agree the same version."""
    version = _lock_latest(version)
    wp = version.words_and_pictures
    if person is not None:
        if not wp.case.memberships.filter(person=person, person__kind=Person.Kind.ADULT).exists():
            raise RuleViolation("Only an adult in this family can be chosen.")
        name = name.strip() or person.display_name
    name = name.strip()
    if not name:
        raise RuleViolation("Say which parent agreed.")
    if agreed_on > timezone.localdate():
        raise RuleViolation("The date they agreed can't be in the future.")
    if agreed_on < timezone.localtime(version.created_at).date():
        raise RuleViolation("The date they agreed can't be before this version was written.")
    agreement = WPAgreement.objects.create(
        agency_id=version.agency_id,
        version=version,
        person=person,
        name=name,
        agreed_on=agreed_on,
        recorded_by=actor,
    )
    if not version.is_agreed:
        version.status = WPVersion.Status.AGREED
        version.save()
    _audit(
        actor,
        "voices.wp_agreed",
        version,
        case_id=wp.case_id,
        agency_id=version.agency_id,
        changes={"name": name, "person": getattr(person, "pk", None), "agreed_on": agreed_on},
    )
    return agreement


@transaction.atomic
def wp_version_share(
    *, actor, version: WPVersion, shared_on: datetime.date, present: str
) -> WPSharing:
    """Record that this version was shared with the child: when, and who was there."""
    version = WPVersion.objects.select_for_update().get(pk=version.pk)
    wp = version.words_and_pictures
    if not present.strip():
        raise RuleViolation("Say who was there when it was shared.")
    _check_day(wp.child, shared_on, "it was shared")
    if shared_on < timezone.localtime(version.created_at).date():
        raise RuleViolation("It can't have been shared before this version was written.")
    sharing = WPSharing.objects.create(
        agency_id=version.agency_id,
        version=version,
        shared_on=shared_on,
        present=present.strip(),
        recorded_by=actor,
    )
    _audit(
        actor,
        "voices.wp_shared",
        version,
        case_id=wp.case_id,
        agency_id=version.agency_id,
        changes={"shared_on": shared_on, "present": sharing.present},
    )
    return sharing


@transaction.atomic
def wp_picture_add(
    *, actor, version: WPVersion, section: str, picture: CleanPicture, alt_text: str
) -> WPPicture:
    version = _lock_latest(version)
    if version.is_agreed:
        raise RuleViolation(
            f"Version {version.number} has been agreed by a parent, so it can't be changed. "
            "Make a new version to add a picture."
        )
    if section not in WP_SECTIONS:
        raise RuleViolation("Words and Pictures has no such section.")
    if not alt_text.strip():
        raise RuleViolation("Say in a few words what the picture shows.")
    stored = WPPicture.objects.create(
        agency_id=version.agency_id,
        version=version,
        section=section,
        stored_name=store_picture(picture, agency_id=version.agency_id),
        content_type=picture.content_type,
        width=picture.width,
        height=picture.height,
        size_bytes=len(picture.content),
        alt_text=alt_text.strip(),
        uploaded_by=actor,
    )
    version.changed_by, version.changed_at = actor, timezone.now()
    version.save(update_fields=["changed_by", "changed_at"])
    _audit(
        actor,
        "voices.picture_added",
        stored,
        case_id=version.words_and_pictures.case_id,
        agency_id=version.agency_id,
        changes={"version": version.pk, "section": section, "alt_text": stored.alt_text},
    )
    return stored


@transaction.atomic
def wp_picture_remove(*, actor, picture: WPPicture) -> WPPicture:
    version = _lock_latest(picture.version)
    if version.is_agreed:
        raise RuleViolation(
            f"Version {version.number} has been agreed by a parent, so it can't be changed. "
            "Make a new version to take a picture out."
        )
    return _remove_picture(actor, picture, case_id=version.words_and_pictures.case_id)
