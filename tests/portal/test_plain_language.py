"""The family pages' own words read at a level a 9-year-old could follow (reading age 9, about
a US grade 4 on the Flesch–Kincaid scale that practice/guidance.py uses)."""

import re
from pathlib import Path

import pytest

from portal import forms, services
from practice.guidance import reading_grade, sentences_of, words_of

TEMPLATES = Path(__file__).resolve().parents[2] / "portal" / "templates" / "portal"
FAMILY_TEMPLATES = sorted(TEMPLATES.glob("family_*.html")) + [TEMPLATES / "base_family.html"]
MAX_GRADE = 4.0
MAX_SENTENCE_WORDS = 16


def fixed_text(template: str) -> str:
    """The words a template always shows, without tags, variables or template logic. Each
    block element ends a sentence, as a heading or button does when read aloud."""
    text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", " ", template, flags=re.S)
    text = re.sub(r"{%.*?%}", " ", text, flags=re.S)
    text = re.sub(r"{{.*?}}", " ", text, flags=re.S)
    text = re.sub(r"<(title|style|script)[^>]*>.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"</(h1|h2|h3|p|li|dt|dd|button|a|label|th|td)>", ". ", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"(\.\s*)+", ". ", text).strip()


def family_messages() -> list[str]:
    """Words from the code that a family member can see: form labels, hints and errors."""
    texts = [services.SIGN_IN_REFUSED, services.SIGN_IN_LOCKED]
    for form_class in (forms.CodeForm, forms.LinkRequestForm):
        for field in form_class.base_fields.values():
            texts += [str(field.label), str(field.help_text)]
    check_in = forms.PortalCheckInForm.base_fields
    texts += [str(f.label) for f in check_in.values()]
    return [t for t in texts if t]


@pytest.mark.parametrize("path", FAMILY_TEMPLATES, ids=lambda p: p.name)
def test_each_family_page_reads_at_age_nine(path):
    text = fixed_text(path.read_text())
    grade = reading_grade(text)
    assert grade is not None and grade <= MAX_GRADE, f"{path.name}: grade {grade:.1f}\n{text}"
    for sentence in sentences_of(text):
        assert len(words_of(sentence)) <= MAX_SENTENCE_WORDS, f"{path.name}: {sentence}"


def test_the_words_in_forms_and_messages_read_at_age_nine():
    text = ". ".join(t.rstrip(".") for t in family_messages())
    grade = reading_grade(text)
    assert grade <= MAX_GRADE, f"grade {grade:.1f}\n{text}"
