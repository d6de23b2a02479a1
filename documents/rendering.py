"""Turn a FamilyDocument into a PDF (WeasyPrint) or a Word document (python-docx), and answer a
download with it.

Both renderers read the same prepared document: pictures are read once from file storage,
checked with Pillow and carried as bytes, so a missing or unreadable picture is left out and
its alt text printed in its place. WeasyPrint may fetch nothing but the data: URIs built here,
so no text in a document can make it read a file or call out to the network."""

import base64
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify

from core.audit import audit_record
from documents.structure import FamilyDocument, Picture, Section

PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {"pdf": PDF_TYPE, "docx": DOCX_TYPE}
TEMPLATE = "documents/family_document.html"
LANGUAGE = "en-GB"

# Pictures bigger than this are refused rather than decoded (Pillow's own bomb check is the
# second line of defence).
MAX_PICTURE_BYTES = 20 * 1024 * 1024
MAX_PICTURE_PIXELS = 40_000_000

# Characters XML 1.0 cannot carry (python-docx and lxml refuse them; a PDF would print boxes).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(value) -> str:
    """Text as the family will read it: a string, without control characters."""
    return _NOT_XML.sub("", "" if value is None else str(value))


# Preparing a document -----------------------------------------------------------------------


@dataclass
class PreparedPicture:
    alt_text: str
    caption: str
    data: bytes | None = None  # None when the file is missing or not a picture
    mime: str = ""
    width_px: int = 0
    height_px: int = 0

    @property
    def data_uri(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


@dataclass
class PreparedSection:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    pictures: list[PreparedPicture] = field(default_factory=list)
    table_head: list[str] = field(default_factory=list)
    table_rows: list[list[str]] = field(default_factory=list)

    @property
    def column_widths(self) -> list[int]:
        """Percentages for the table's columns, by how much each holds: a column of numbers
        stays narrow and a column of reasons gets the room."""
        if not self.table_head:
            return []
        weights, floors = [], []
        for index, heading in enumerate(self.table_head):
            cells = [heading] + [row[index] for row in self.table_rows]
            average = sum(min(len(cell), 200) for cell in cells) / len(cells)
            longest_word = max((len(word) for cell in cells for word in cell.split()), default=1)
            weights.append(max(average, 4))
            # Wide enough for the column's longest ordinary word, so words do not break.
            floors.append(min(max(longest_word * 2 + 4, 10), 30))
        total = sum(weights)
        shares = [
            max(100 * weight / total, floor) for weight, floor in zip(weights, floors, strict=True)
        ]
        scale = 100 / sum(shares)
        return [int(share * scale) for share in shares]


@dataclass
class PreparedColumn:
    heading: str
    sections: list[PreparedSection] = field(default_factory=list)


def picture_roots() -> list[Path]:
    """The folders an absolute picture path may point into: the upload folder (children's
    drawings and photos) and the default file storage's folder."""
    roots = [Path(settings.THREEFOLD_UPLOAD_ROOT)]
    location = getattr(default_storage, "location", None)
    # With no MEDIA_ROOT the storage's folder is the working directory: never a picture root.
    if location and (settings.MEDIA_ROOT or Path(location).resolve() != Path.cwd().resolve()):
        roots.append(Path(location))
    return [root.resolve() for root in roots]


def _read_picture_bytes(path: str) -> bytes:
    """A picture's bytes: `path` is a name in the default file storage, or an absolute path
    inside one of `picture_roots()`; anything else is refused (raises)."""
    if Path(path).is_absolute():
        resolved = Path(path).resolve()
        if not any(resolved.is_relative_to(root) for root in picture_roots()):
            raise PermissionError("Pictures are read only from the upload folders.")
        with resolved.open("rb") as handle:
            return handle.read(MAX_PICTURE_BYTES + 1)
    with default_storage.open(path, "rb") as handle:
        return handle.read(MAX_PICTURE_BYTES + 1)


def _read_picture(picture: Picture) -> PreparedPicture:
    prepared = PreparedPicture(
        alt_text=clean_text(picture.alt_text) or "A picture",
        caption=clean_text(picture.caption),
    )
    try:
        from PIL import Image

        raw = _read_picture_bytes(picture.path)
        if len(raw) > MAX_PICTURE_BYTES:
            return prepared
        with Image.open(io.BytesIO(raw)) as image:
            if image.width * image.height > MAX_PICTURE_PIXELS:
                return prepared
            image.load()
            width, height = image.size
            if image.format in ("PNG", "JPEG"):
                data, mime = raw, f"image/{image.format.lower()}"
            else:  # GIF, BMP, WebP, TIFF…: converted once so both renderers can place it
                buffer = io.BytesIO()
                converted = image.convert("RGBA" if "A" in image.getbands() else "RGB")
                converted.save(buffer, format="PNG")
                data, mime = buffer.getvalue(), "image/png"
    except Exception:  # missing, unreadable, outside storage or not a picture: show the alt text
        return prepared
    prepared.data, prepared.mime = data, mime
    prepared.width_px, prepared.height_px = width, height
    return prepared


def _prepare_section(section: Section) -> PreparedSection:
    table = [[clean_text(cell) for cell in row] for row in section.table if row]
    width = max((len(row) for row in table), default=0)
    table = [row + [""] * (width - len(row)) for row in table]
    return PreparedSection(
        heading=clean_text(section.heading),
        paragraphs=[clean_text(p) for p in section.paragraphs if clean_text(p).strip()],
        items=[clean_text(i) for i in section.items if clean_text(i).strip()],
        pictures=[_read_picture(picture) for picture in section.pictures],
        table_head=table[0] if table else [],
        table_rows=table[1:],
    )


@dataclass
class PreparedDocument:
    kind: str
    title: str
    agency_name: str
    about: str
    version: str
    dated: object
    large_text: bool
    sections: list[PreparedSection]
    columns: list[PreparedColumn]

    @property
    def dated_text(self) -> str:
        return f"{self.dated.day} {self.dated:%B %Y}"

    @property
    def meta_line(self) -> str:
        """Agency, version and date, without saying the date twice."""
        parts = [self.agency_name, self.version]
        if self.dated_text not in self.version:
            parts.append(self.dated_text)
        return " · ".join(part for part in parts if part)


def prepare(document: FamilyDocument) -> PreparedDocument:
    return PreparedDocument(
        kind=clean_text(document.kind),
        title=clean_text(document.title) or "Document",
        agency_name=clean_text(document.agency_name),
        about=clean_text(document.about),
        version=clean_text(document.version),
        dated=document.dated,
        large_text=bool(document.large_text),
        sections=[_prepare_section(s) for s in document.sections],
        columns=[
            PreparedColumn(
                heading=clean_text(c.heading), sections=[_prepare_section(s) for s in c.sections]
            )
            for c in document.columns
        ],
    )


# PDF ----------------------------------------------------------------------------------------


def render_html(document: FamilyDocument | PreparedDocument) -> str:
    """The HTML WeasyPrint lays out (autoescaped, with its print stylesheet inline)."""
    if isinstance(document, FamilyDocument):
        document = prepare(document)
    return render_to_string(TEMPLATE, {"document": document, "language": LANGUAGE})


def _url_fetcher():
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, timeout=5)


def _catalog_in_plain_sight(_document, pdf) -> None:
    """Keep the document catalog (which names the structure tree, the language and the
    "marked" flag) out of the compressed object stream, so checkers that read the file
    without decompressing it, and our tests, see that the PDF is tagged."""
    import pydyf

    class PlainDictionary(pydyf.Dictionary):
        compressible = False

    pdf.catalog.__class__ = PlainDictionary


def render_pdf(document: FamilyDocument) -> bytes:
    """A tagged (PDF/UA-1) A4 PDF with page numbers, in British English."""
    from weasyprint import HTML

    html = HTML(string=render_html(document), base_url=None, url_fetcher=_url_fetcher())
    return html.write_pdf(pdf_variant="pdf/ua-1", finisher=_catalog_in_plain_sight)


# DOCX ---------------------------------------------------------------------------------------


def _add_field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when the document is shown or printed."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def fld_char(kind):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
        return run

    fld_char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    fld_char("separate")
    paragraph.add_run("1")
    fld_char("end")


def _set_language(docx_document) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = docx_document.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), LANGUAGE)
    rpr.append(lang)


def _docx_section(docx_document, section: PreparedSection, *, level: int, width) -> None:
    from docx.shared import Emu

    docx_document.add_heading(section.heading, level=level)
    for text in section.paragraphs:
        paragraph = docx_document.add_paragraph()
        for index, line in enumerate(text.split("\n")):
            if index:
                paragraph.add_run().add_break()
            paragraph.add_run(line)
    for item in section.items:
        paragraph = docx_document.add_paragraph(style="List Bullet")
        for index, line in enumerate(item.split("\n")):
            if index:
                paragraph.add_run().add_break()
            paragraph.add_run(line)
    if section.table_head:
        table = docx_document.add_table(rows=1, cols=len(section.table_head))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, section.table_head, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
        _repeat_header(table.rows[0])
        for row in section.table_rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = text
    for picture in section.pictures:
        if picture.data is None:
            docx_document.add_paragraph(f"[Picture: {picture.alt_text}]")
        else:
            native = Emu(int(picture.width_px * 914400 / 96))
            shape = docx_document.add_picture(
                io.BytesIO(picture.data), width=min(native, width) if native else width
            )
            _set_alt_text(shape, picture.alt_text)
        if picture.caption:
            docx_document.add_paragraph(picture.caption, style="Caption")


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _set_alt_text(shape, alt_text: str) -> None:
    """Word reads a picture's description (descr) aloud."""
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", alt_text)
    doc_pr.set("title", alt_text[:250])


def render_docx(document: FamilyDocument) -> bytes:
    """A Word document with real headings, lists, tables and a footer with page numbers."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    prepared = prepare(document) if isinstance(document, FamilyDocument) else document
    docx_document = Document()
    section = docx_document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.2))
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.2)
    width = section.page_width - section.left_margin - section.right_margin

    base = 16 if prepared.large_text else 12
    normal = docx_document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(base)
    for name in ("List Bullet", "Caption"):
        docx_document.styles[name].font.size = Pt(base)
    for level, bigger in ((1, 8), (2, 5), (3, 3)):
        style = docx_document.styles[f"Heading {level}"]
        style.font.name = "Arial"
        style.font.size = Pt(base + bigger)
    docx_document.styles["Title"].font.name = "Arial"
    docx_document.styles["Title"].font.size = Pt(base + 14)
    _set_language(docx_document)

    properties = docx_document.core_properties
    properties.title = prepared.title
    properties.author = prepared.agency_name
    properties.subject = prepared.about
    properties.language = LANGUAGE
    properties.comments = prepared.version

    docx_document.add_heading(prepared.title, level=0)
    if prepared.about:
        docx_document.add_paragraph(prepared.about)
    docx_document.add_paragraph(prepared.meta_line)

    for column in prepared.columns:
        docx_document.add_heading(column.heading, level=1)
        for column_section in column.sections:
            _docx_section(docx_document, column_section, level=2, width=width)
    for document_section in prepared.sections:
        _docx_section(docx_document, document_section, level=1, width=width)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(" · ".join(p for p in (prepared.agency_name, prepared.version) if p))
    footer.add_run(" · Page ")
    _add_field(footer, "PAGE")
    footer.add_run(" of ")
    _add_field(footer, "NUMPAGES")
    for run in footer.runs:
        run.font.size = Pt(max(base - 2, 10))

    buffer = io.BytesIO()
    docx_document.save(buffer)
    return buffer.getvalue()


# The download -------------------------------------------------------------------------------


def safe_filename(stem: str, fmt: str) -> str:
    """An ASCII file name that needs no quoting: letters, digits and hyphens."""
    return f"{slugify(clean_text(stem))[:80].strip('-') or 'document'}.{fmt}"


def document_response(request, *, case, document: FamilyDocument, fmt: str, filename_stem: str):
    """Render the document as `fmt` ("pdf" or "docx"), write the download to the audit log,
    and answer with the file. Any other format is a 404."""
    if fmt not in CONTENT_TYPES:
        raise Http404("No such document format.")
    content = render_pdf(document) if fmt == "pdf" else render_docx(document)
    audit_record(
        actor=request.user,
        verb="document.generated",
        target=case,
        case_id=case.pk,
        changes={"kind": document.kind, "format": fmt, "title": document.title},
        ip_address=request.META.get("REMOTE_ADDR"),
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename_stem, fmt)}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
