import pytest
from django.urls import reverse

from safety import services
from safety.documents import safety_plan_document
from tests.documents.reading import docx_text, pdf_is_tagged, pdf_text
from tests.safety.conftest import RULE

pytestmark = pytest.mark.django_db


def test_the_family_document_uses_their_words_and_plain_headings(case, agreed_plan):
    document = safety_plan_document(agreed_plan)
    assert document.kind == "safety_plan"
    assert document.title == "Our safety plan"
    assert document.about == "For the Testington family"
    assert document.version == "Version 1, agreed 20 February 2026"
    assert document.agency_name == case.agency.name
    headings = [section.heading for section in document.sections]
    assert headings == [
        "Who is in our safety network",
        "Our rules",
        "Rule 1",
        "If a rule is broken",
        "Who to call if anyone is worried",
        "Who agreed this plan",
        "When we will look at the plan again",
    ]
    rule = document.sections[2]
    assert rule.paragraphs == [RULE["text"]]
    assert f"How we will know it is happening: {RULE['how_checked']}" in rule.items
    assert document.sections[0].table[1][0] == "Grandma Pat"
    assert "Grandma Pat (Mum's mum): 07700 900123" in document.sections[4].items
    assert "20 April 2026" in document.sections[-1].paragraphs[0]
    text = repr(document)
    assert "danger" not in text.lower() and "TC-" not in text


def test_a_draft_says_it_is_not_agreed(case, worker):
    plan = services.safety_plan_start(actor=worker, case=case)
    document = safety_plan_document(plan)
    assert document.version == "Version 1, draft: not agreed yet"
    assert "has not been agreed" in document.sections[-2].paragraphs[0]


def test_the_downloaded_plan_reads_the_same_as_pdf_and_word(client, worker, case, agreed_plan):
    client.force_login(worker)
    args = [case.pk, agreed_plan.pk]
    pdf = client.get(reverse("safety:plan_pdf", args=args))
    assert pdf["Content-Type"] == "application/pdf"
    word = client.get(reverse("safety:plan_docx", args=args))
    for text in [pdf_text(pdf.content), docx_text(word.content)]:
        for words in [
            "Our safety plan",
            case.agency.name,
            "Version 1, agreed 20 February 2026",
            "Who is in our safety network",
            "Grandma Pat",
            RULE["text"],
            f"How we will know it is happening: {RULE['how_checked']}",
            "If a rule is broken",
            "Who to call if anyone is worried",
            "When we will look at the plan again",
        ]:
            assert words in text, words
        assert case.reference not in text
    assert "Page 1 of" in pdf_text(pdf.content)
    assert pdf_is_tagged(pdf.content)
