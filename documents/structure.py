"""What a family-facing document says, independent of whether it becomes a PDF or a DOCX.

Each app that owns a document builds a FamilyDocument from its records (for example
`safety.documents.safety_plan_document(plan)`); `documents.rendering` turns it into a file."""

import datetime
from dataclasses import dataclass, field


@dataclass
class Picture:
    """A drawing or photo, read from storage by the renderer.

    `path` is a name in the default file storage, or an absolute path inside the upload folder
    (THREEFOLD_UPLOAD_ROOT) or the media folder. A picture that is missing, outside those
    folders or not a picture is left out and its alt text printed instead."""

    path: str
    alt_text: str
    caption: str = ""


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    # A small table: the first row holds the column headings.
    table: list[list[str]] = field(default_factory=list)


@dataclass
class Column:
    """One of the map's three columns; a document with columns prints them side by side."""

    heading: str
    sections: list[Section] = field(default_factory=list)


@dataclass
class FamilyDocument:
    kind: str  # "map", "words_and_pictures", "safety_plan" or "three_houses"
    title: str
    agency_name: str
    about: str  # who it is for or about, e.g. "For the Okafor family"
    version: str  # e.g. "Version 3, agreed 12 March 2026"
    dated: datetime.date
    sections: list[Section] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    large_text: bool = False  # for children: Words and Pictures, Three Houses
