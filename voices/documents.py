"""Family documents built from children's voices: Words and Pictures and Three Houses, in large
text for children. `documents.rendering` turns them into PDF or DOCX."""

from documents.structure import FamilyDocument, Picture, Section
from voices import selectors
from voices.models import VoiceKind, VoiceRecord, WPVersion
from voices.storage import upload_storage


def _picture(stored, caption: str = "") -> Picture:
    return Picture(
        path=upload_storage().path(stored.stored_name), alt_text=stored.alt_text, caption=caption
    )


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _first_name(person) -> str:
    return person.known_as or person.given_name


def words_and_pictures_document(version: WPVersion) -> FamilyDocument:
    """One version of a child's Words and Pictures: its sections in order, with their pictures."""
    wp = version.words_and_pictures
    child, case = wp.child, wp.case
    agreements = list(version.agreements.order_by("agreed_on", "id"))
    if agreements:
        names = " and ".join(a.name for a in agreements)
        last = agreements[-1].agreed_on
        status = f"agreed by {names} on {last.day} {last:%B %Y}"
    else:
        status = "draft, not agreed yet"
    sections = [
        Section(
            heading=view.heading,
            paragraphs=_paragraphs(view.text),
            pictures=[_picture(p) for p in view.pictures],
        )
        for view in selectors.wp_sections(version)
    ]
    return FamilyDocument(
        kind="words_and_pictures",
        title=f"Words and Pictures for {_first_name(child)}",
        agency_name=case.agency.name,
        about=f"For {child.display_name}",
        version=f"Version {version.number}, {status}",
        dated=version.changed_at.date(),
        sections=sections,
        large_text=True,
    )


def three_houses_document(record: VoiceRecord) -> FamilyDocument:
    """A child's Three Houses in their own words, with their drawings."""
    if record.kind != VoiceKind.THREE_HOUSES:
        raise ValueError("Only a Three Houses record makes a Three Houses document.")
    child = record.child
    name = _first_name(child)
    views = selectors.record_parts(record)
    sections = [
        Section(
            heading=f"{name}'s {view.label.lower()}",
            paragraphs=_paragraphs(view.words) or ["Nothing written here."],
            pictures=[_picture(p) for p in view.pictures],
        )
        for view in views
    ]
    whole = [p for p in record.pictures.filter(removed_at__isnull=True, part="").order_by("id")]
    if whole:
        sections.append(
            Section(heading=f"{name}'s drawings", pictures=[_picture(p) for p in whole])
        )
    age = f", age {record.child_age}" if record.child_age is not None else ""
    return FamilyDocument(
        kind="three_houses",
        title=f"{name}'s Three Houses",
        agency_name=record.case.agency.name,
        about=f"{child.display_name}{age}",
        version=f"Done with {record.done_by.get_full_name()} on "
        f"{record.done_on.day} {record.done_on:%B %Y}",
        dated=record.done_on,
        sections=sections,
        large_text=True,
    )


__all__ = ["three_houses_document", "words_and_pictures_document"]
