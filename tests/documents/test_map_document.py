"""The map as a family document, and its downloads."""

import io

import pytest
from django.urls import reverse
from docx import Document

from agencies.models import Role
from core.audit import VERB_LABELS
from core.models import AuditEvent
from documents.builders import danger_sentence, map_document
from practice import services
from practice.models import CategoryLabel
from tests import factories
from tests.documents.reading import pdf_is_tagged, pdf_text
from tests.practice.test_services import GOAL, STATEMENT, make_finalisable

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_map(draft_map, worker, child):
    services.map_entry_add(actor=worker, map_=draft_map, category="harm", text="Leo had a bruise.")
    services.map_entry_add(
        actor=worker, map_=draft_map, category="existing_strength", text="Grandma Pat visits."
    )
    services.map_entry_add(
        actor=worker, map_=draft_map, category="grey_area", text="Who else lives there?"
    )
    make_finalisable(draft_map, worker)
    danger = draft_map.danger_statements.get()
    services.scale_judgement_add(
        actor=worker,
        map_=draft_map,
        danger_statement=danger,
        rater_name="Mum",
        rater_role="parent",
        score=6,
        zero_means="Leo will be hurt",
        ten_means="Leo is safe",
        reason="Dad goes to his group now.",
    )
    return draft_map


def test_map_document_has_the_three_columns_and_every_part(full_map):
    document = map_document(full_map)
    assert document.kind == "map"
    assert document.version == "Draft"
    assert document.about == f"For the {full_map.case.name}"
    assert [c.heading for c in document.columns] == [
        "What are we worried about?",
        "What's working well?",
        "What needs to happen?",
    ]
    worried = {s.heading: s for s in document.columns[0].sections}
    assert worried["Harm"].items == ["Leo had a bruise."]
    (statement,) = worried["Danger statements"].items
    assert statement.startswith("Danger statement 1: Sam (social worker) and the school are")
    assert "worried that Dad shouts and has pushed Mum" in statement
    assert "If nothing changes, they are worried that Leo could be hurt" in statement
    goals = {s.heading: s for s in document.columns[2].sections}["Safety goals"]
    assert "Dad is sober when he looks after Leo" in goals.items[0]
    assert "for at least 6 months" in goals.items[0]
    sections = {s.heading: s for s in document.sections}
    scales = sections["How safe are things? (0 to 10)"]
    assert scales.table[0] == ["Who", "About", "Their number", "Why"]
    rows = scales.table[1:]
    assert rows[-1][:3] == ["Mum (parent or carer)", "Danger statement 1", "6 out of 10"]
    assert rows[-1][3] == "Dad goes to his group now."
    assert any(h.startswith("Grey areas") for h in sections)
    assert "Who took part" in sections


def test_finalised_map_version_and_agency_labels(full_map, worker):
    CategoryLabel.objects.create(
        agency=full_map.agency,
        service=full_map.service,
        category="danger_statement",
        label="Worry statement",
    )
    services.map_finalise(actor=worker, map_=full_map, expected_revision=full_map.revision)
    full_map.refresh_from_db()
    document = map_document(full_map)
    assert document.version.startswith(f"Map {full_map.number}, finalised ")
    headings = [s.heading for s in document.columns[0].sections]
    assert "Worry statements" in headings


def test_danger_sentence_with_a_dispute():
    danger = factories.DangerStatementFactory.build(
        who_is_worried="The school",
        worried_about="When Dad drinks he shouts.",
        impact_on_child="Leo will be scared.",
        disputed_by="Dad",
        dispute="I only drink at weekends",
    )
    sentence = danger_sentence(danger)
    assert sentence.startswith("The school is worried that when Dad drinks he shouts.")
    assert sentence.endswith("Dad does not agree and says: “I only drink at weekends.”")


def test_pdf_download(client, worker, case, full_map):
    client.force_login(worker)
    url = reverse("documents:map_pdf", args=[case.pk, full_map.pk])
    response = client.get(url, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    assert disposition.endswith(f'-map-{full_map.number}.pdf"')
    assert disposition.isascii()
    text = pdf_text(response.content)
    for words in [
        f"Map {full_map.number}: {case.name}",
        case.agency.name,
        "What are we worried about?",
        "What's working well?",
        "What needs to happen?",
        "Leo had a bruise.",
        "Grandma Pat visits.",
        "How safe are things? (0 to 10)",
        "6 out of 10",
        "Who took part",
        "Page 1 of",
    ]:
        assert words in text, words
    assert case.reference not in text, "no internal codes"
    assert pdf_is_tagged(response.content)
    event = AuditEvent.objects.filter(verb="document.generated").get()
    assert event.case_id == case.pk and event.actor == worker
    assert event.ip_address == "10.0.0.7"
    assert event.changes == {
        "kind": "map",
        "format": "pdf",
        "title": f"Map {full_map.number}: {case.name}",
    }
    assert VERB_LABELS["document.generated"] == "Downloaded a family document"


def test_docx_download(client, worker, case, full_map):
    client.force_login(worker)
    response = client.get(reverse("documents:map_docx", args=[case.pk, full_map.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    word = Document(io.BytesIO(response.content))
    text = [p.text for p in word.paragraphs]
    assert "What are we worried about?" in text
    assert "How safe are things? (0 to 10)" in text
    assert AuditEvent.objects.get(verb="document.generated").changes["format"] == "docx"


@pytest.mark.parametrize("role", [Role.PRACTICE_LEAD, Role.SENIOR_LEADER, Role.PERFORMANCE_ANALYST])
def test_read_only_roles_can_download(client, case, full_map, role):
    client.force_login(factories.UserFactory(team=None, agency=case.agency, role=role))
    response = client.get(reverse("documents:map_pdf", args=[case.pk, full_map.pk]))
    assert response.status_code == 200


def test_administrator_and_other_agency_get_404(client, case, full_map):
    urls = [
        reverse("documents:map_pdf", args=[case.pk, full_map.pk]),
        reverse("documents:map_docx", args=[case.pk, full_map.pk]),
    ]
    outsiders = [
        factories.UserFactory(team=None, agency=case.agency, role=Role.ADMINISTRATOR),
        factories.UserFactory(role=Role.SENIOR_LEADER),  # another agency
    ]
    for user in outsiders:
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404
            assert client.post(url).status_code == 404
    assert not AuditEvent.objects.filter(verb="document.generated").exists()


def test_a_map_of_another_case_is_404(client, worker, case, full_map):
    other = factories.MapFactory()
    client.force_login(worker)
    assert client.get(reverse("documents:map_pdf", args=[case.pk, other.pk])).status_code == 404


def test_post_is_not_allowed(client, worker, case, full_map):
    client.force_login(worker)
    response = client.post(reverse("documents:map_pdf", args=[case.pk, full_map.pk]))
    assert response.status_code == 405


def test_script_in_the_map_is_text_in_the_document(worker, draft_map):
    payload = "<script>alert(1)</script>"
    services.map_entry_add(actor=worker, map_=draft_map, category="harm", text=payload)
    services.danger_statement_add(
        actor=worker,
        map_=draft_map,
        statement={**STATEMENT, "worried_about": payload},
        goal=GOAL,
    )
    from documents.rendering import render_html, render_pdf

    document = map_document(draft_map)
    html = render_html(document)
    assert payload not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert render_pdf(document).startswith(b"%PDF")
