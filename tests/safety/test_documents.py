import pytest

from safety import services
from safety.documents import safety_plan_document
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
