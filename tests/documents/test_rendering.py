"""PDF and Word rendering of family documents, read back without extra tools."""

import contextlib
import io
import re
import zlib

import pytest
from django.test import override_settings
from docx import Document
from PIL import Image

from documents import rendering
from documents.structure import Picture, Section
from tests import factories

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def layout_text(document) -> list[str]:
    """The text WeasyPrint laid out on each page (what ends up in the PDF)."""
    from weasyprint import HTML

    rendered = HTML(
        string=rendering.render_html(document), url_fetcher=rendering._url_fetcher()
    ).render()

    def walk(box, out):
        if hasattr(box, "text") and isinstance(box.text, str):
            out.append(box.text)
        for child in getattr(box, "children", []) or []:
            walk(child, out)
        return out

    return [" ".join(walk(page._page_box, [])) for page in rendered.pages]


def docx_text(content: bytes):
    document = Document(io.BytesIO(content))
    body = [p.text for p in document.paragraphs]
    for table in document.tables:
        body += [cell.text for row in table.rows for cell in row.cells]
    return document, body


def test_pdf_is_a_tagged_a4_pdf():
    pdf = rendering.render_pdf(factories.family_document())
    assert pdf.startswith(b"%PDF")
    assert b"/StructTreeRoot" in pdf
    assert b"/MarkInfo" in pdf
    assert b"/Lang (en-GB)" in pdf or b"/Lang(en-GB)" in pdf
    from weasyprint import HTML

    page = HTML(string=rendering.render_html(factories.family_document())).render().pages[0]
    # A4 portrait, 210 x 297 mm, in CSS pixels.
    assert (round(page.width * 25.4 / 96), round(page.height * 25.4 / 96)) == (210, 297)


def test_pdf_title_metadata():
    pdf = rendering.render_pdf(factories.family_document(title="Leo's plan"))
    streams = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        with contextlib.suppress(zlib.error):
            streams.append(zlib.decompress(match.group(1)))
    assert any(b"Leo" in s and b"plan" in s and b"<dc:title>" in s for s in streams)


def test_pdf_holds_every_heading_and_the_page_footer():
    pages = layout_text(factories.family_document())
    assert len(pages) >= 1
    text = " ".join(pages)
    for expected in [
        "Our safety plan",
        "For the Okafor family",
        "Who is in the safety network",
        "These people help keep Leo safe.",
        "Grandma Pat",
        "Visits every morning",
        "Leo's drawing",
        "Version 3, agreed 12 March 2026",
        "Northmoor Borough Council",
    ]:
        assert expected in text, expected
    assert f"Page 1 of {len(pages)}" in pages[0]


def test_missing_picture_shows_its_alt_text():
    text = " ".join(layout_text(factories.family_document()))
    assert "Picture: Leo's house with a sun" in text
    _, body = docx_text(rendering.render_docx(factories.family_document()))
    assert "[Picture: Leo's house with a sun]" in body


@pytest.fixture
def picture_storage(tmp_path, settings):
    image = Image.new("RGB", (1600, 400), "red")
    image.save(tmp_path / "drawing.gif", format="GIF")
    (tmp_path / "not-a-picture.png").write_bytes(b"<svg onload=alert(1)>")
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    Image.new("RGB", (200, 100), "blue").save(uploads / "photo.jpg", format="JPEG")
    settings.THREEFOLD_UPLOAD_ROOT = uploads
    (tmp_path.parent / "secret.png").write_bytes((uploads / "photo.jpg").read_bytes())
    with override_settings(
        STORAGES={
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(tmp_path)},
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        yield tmp_path


def test_pictures_are_embedded_with_alt_text_and_fit_the_page(picture_storage):
    document = factories.family_document(
        sections=[
            Section(
                heading="Drawings",
                pictures=[
                    Picture(path="drawing.gif", alt_text="A red house", caption="Mia's house"),
                    Picture(path="not-a-picture.png", alt_text="A broken file"),
                    Picture(path="../../etc/passwd", alt_text="Outside storage"),
                    Picture(path=str(picture_storage / "uploads" / "photo.jpg"), alt_text="Photo"),
                    Picture(path=str(picture_storage.parent / "secret.png"), alt_text="Secret"),
                    Picture(path="/etc/passwd", alt_text="Password file"),
                ],
            )
        ]
    )
    prepared = rendering.prepare(document)
    good, broken, outside, photo, secret, passwd = prepared.sections[0].pictures
    assert photo.data and photo.mime == "image/jpeg"  # an absolute path in the upload folder
    assert secret.data is None and passwd.data is None
    assert good.data and good.mime == "image/png"  # GIF converted once for both renderers
    assert broken.data is None and outside.data is None
    html = rendering.render_html(prepared)
    assert 'alt="A red house"' in html
    assert "Picture: A broken file" in html and "Picture: Outside storage" in html
    assert rendering.render_pdf(document).startswith(b"%PDF")

    word, body = docx_text(rendering.render_docx(document))
    assert "Mia's house" in body
    assert "[Picture: A broken file]" in body
    shapes = word.inline_shapes
    assert len(shapes) == 2
    section = word.sections[0]
    assert shapes[0].width <= section.page_width - section.left_margin - section.right_margin
    assert 'descr="A red house"' in shapes[0]._inline.xml


def test_text_is_escaped():
    document = factories.family_document(
        title=SCRIPT,
        agency_name=SCRIPT,
        sections=[Section(heading=SCRIPT, paragraphs=[SCRIPT], items=[SCRIPT], table=[[SCRIPT]])],
    )
    html = rendering.render_html(document)
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
    text = " ".join(layout_text(document))
    assert '<script>alert("x")</script>' in text  # shown as text, never run
    _, body = docx_text(rendering.render_docx(document))
    assert SCRIPT in body


def test_control_characters_do_not_break_either_format():
    document = factories.family_document(
        sections=[Section(heading="Odd\x00 text\x0b", items=["a\x1fb"])]
    )
    assert rendering.render_pdf(document).startswith(b"%PDF")
    _, body = docx_text(rendering.render_docx(document))
    assert "Odd text" in body and "ab" in body


def test_very_long_text_wraps_inside_the_page():
    word = "x" * 400
    document = factories.family_document(
        sections=[Section(heading="Long", paragraphs=[word, "very " * 600], table=[["A"], [word]])]
    )
    pages = layout_text(document)
    assert len(pages) >= 2
    from weasyprint import HTML

    rendered = HTML(string=rendering.render_html(document)).render()
    for page in rendered.pages:
        right_edge = page.width - page._page_box.margin_right

        def check(box, edge):
            if getattr(box, "text", None):
                assert box.position_x + box.width <= edge + 1
            for child in getattr(box, "children", []) or []:
                check(child, edge)

        check(page._page_box, right_edge)


def test_columns_print_side_by_side_on_a_landscape_page():
    from weasyprint import HTML

    document = factories.family_document(columns=factories.map_columns(), sections=[])
    rendered = HTML(string=rendering.render_html(document)).render()
    page = rendered.pages[0]
    assert page.width > page.height  # the map board is landscape
    positions = {}

    def find(box):
        text = getattr(box, "text", None)
        if text in ("Harm", "Existing strength", "Next step"):
            positions[text] = (box.position_x, box.position_y)
        for child in getattr(box, "children", []) or []:
            find(child)

    find(page._page_box)
    xs = [positions[name][0] for name in ("Harm", "Existing strength", "Next step")]
    ys = {round(positions[name][1]) for name in positions}
    assert xs == sorted(xs) and len(set(xs)) == 3
    assert len(ys) == 1


def test_large_text_is_larger():
    small = rendering.render_html(factories.family_document())
    large = rendering.render_html(factories.family_document(large_text=True))
    assert '<html lang="en-GB" class="large">' in large
    assert 'class="large"' not in small
    word, _ = docx_text(rendering.render_docx(factories.family_document(large_text=True)))
    assert word.styles["Normal"].font.size.pt == 16
    word, _ = docx_text(rendering.render_docx(factories.family_document()))
    assert word.styles["Normal"].font.size.pt == 12


def test_docx_has_title_headings_lists_table_and_footer_fields():
    word, body = docx_text(
        rendering.render_docx(factories.family_document(columns=factories.map_columns()))
    )
    assert word.core_properties.title == "Our safety plan"
    assert word.core_properties.author == "Northmoor Borough Council"
    headings = {p.text: p.style.name for p in word.paragraphs}
    assert headings["Our safety plan"] == "Title"
    assert headings["What are we worried about?"] == "Heading 1"
    assert headings["Harm"] == "Heading 2"
    assert headings["Who is in the safety network"] == "Heading 1"
    assert headings["Grandma Pat"] == "List Bullet"
    assert "These people help keep Leo safe." in body
    assert "Visits every morning" in body
    footer = word.sections[0].footer
    xml = footer._element.xml
    assert "PAGE" in xml and "NUMPAGES" in xml and 'w:fldCharType="begin"' in xml
    assert "Northmoor Borough Council" in footer.paragraphs[0].text
    assert "Version 3, agreed 12 March 2026" in footer.paragraphs[0].text


def test_safe_filename():
    assert rendering.safe_filename("Okafor family map 2", "pdf") == "okafor-family-map-2.pdf"
    assert rendering.safe_filename('"; rm -rf /\r\nX-Evil: 1', "docx") == "rm-rf-x-evil-1.docx"
    assert rendering.safe_filename("Zoë Brontë ☃", "pdf") == "zoe-bronte.pdf"
    assert rendering.safe_filename("☃☃", "pdf") == "document.pdf"
