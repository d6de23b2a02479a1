"""The plain-language check: advice on words families read, which never stops anything saving.

It looks for four things:

- jargon and professional labels from the agency's list (`PlainLanguageTerm`, kept by practice
  leads; the built-in defaults until an agency has a list of its own),
- how hard the text is to read (a Flesch–Kincaid grade from a simple syllable count),
- over-long sentences,
- and, for danger statements and safety goals, a missing part: the impact on the children, a
  goal with no time it must last for, or a goal written as something that will stop.

The agency's terms are loaded once (`load_terms`) and passed to each call, so checking a whole
map costs one query, not one per statement."""

import functools
import re
from dataclasses import dataclass

from django.conf import settings

from practice.plain_language_defaults import DEFAULT_TERMS

# Reading: the Flesch–Kincaid grade is a US school grade; the UK reading age is about five more.
DEFAULT_MAX_GRADE = 8
CHILD_MAX_GRADE = 5  # Words and Pictures are read to, and by, children
DEFAULT_MAX_SENTENCE_WORDS = 25
MIN_WORDS_FOR_GRADE = 12  # shorter texts give a grade too noisy to mention


class Kind:
    JARGON = "jargon"
    READING = "reading"
    LONG_SENTENCE = "long_sentence"
    MISSING_IMPACT = "missing_impact"
    GOAL_ABSENCE = "goal_absence"
    GOAL_SUSTAIN = "goal_sustain"


# What the text is, as callers name it; Words and Pictures is held to a child's reading level.
TEXT_KINDS = {
    "danger_statement",
    "impact",
    "safety_goal",
    "safety_plan_rule",
    "words_and_pictures",
    "entry",
}


@dataclass(frozen=True)
class Advice:
    message: str
    kind: str
    field: str = ""  # the form field it is about, when known


@dataclass(frozen=True)
class Term:
    term: str
    suggestion: str


# The agency's word list ------------------------------------------------------------------------


def default_terms() -> list[Term]:
    return [Term(term, suggestion) for term, suggestion in DEFAULT_TERMS]


def load_terms(agency_id: int | None) -> list[Term]:
    """The agency's active terms, in one query; the defaults when it has no list yet."""
    from practice.models import PlainLanguageTerm

    if agency_id is None:
        return default_terms()
    rows = list(
        PlainLanguageTerm.objects.filter(agency_id=agency_id).values_list(
            "term", "suggestion", "active"
        )
    )
    if not rows:
        return default_terms()
    return [Term(term, suggestion) for term, suggestion, active in rows if active]


@functools.lru_cache(maxsize=2048)
def _term_pattern(term: str) -> re.Pattern:
    """Abbreviations and codes (DV, LAC, s47) match as whole words; ordinary words match their
    other forms too (engage: engaged, engagement; concerns: concern, concerning)."""
    words = [re.escape(word) for word in re.split(r"[\s\-]+", term.strip()) if word]
    if not words:
        return re.compile(r"(?!x)x")
    exact = len(term) <= 3 or any(c.isupper() or c.isdigit() for c in term)
    if not exact:
        last = words[-1]
        if last.endswith("s") and not last.endswith("ss") and len(last) > 4:
            last = last[:-1]
        words[-1] = last + r"\w*"
    return re.compile(r"(?<![\w])" + r"[\s\-]+".join(words) + r"(?![\w])", re.IGNORECASE)


def jargon_advice(text: str, terms: list[Term], *, field: str = "") -> list[Advice]:
    advice, seen = [], set()
    for term in terms:
        match = _term_pattern(term.term).search(text)
        if match and term.term.lower() not in seen:
            seen.add(term.term.lower())
            advice.append(
                Advice(
                    message=f'Instead of "{match.group(0)}", {term.suggestion.strip()}',
                    kind=Kind.JARGON,
                    field=field,
                )
            )
    return advice


# Reading level ---------------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+|\n+")
_VOWELS = re.compile(r"[aeiouy]+")


def count_syllables(word: str) -> int:
    """A simple English syllable count: groups of vowels, less a silent final e."""
    word = word.lower().strip("'’")
    if not word:
        return 0
    if word.isdigit():
        return max(1, len(word) // 2)
    word = re.sub(r"['’]s$", "", word)
    if len(word) <= 3:
        return 1
    groups = len(_VOWELS.findall(word))
    if groups > 1 and word.endswith("e") and not word.endswith(("le", "ee", "ye")):
        groups -= 1  # make, hope, house
    elif groups > 1 and word.endswith("ed") and not word.endswith(("ted", "ded")):
        groups -= 1  # jumped, shouted keeps two
    elif (
        groups > 1
        and word.endswith("es")
        and not word.endswith(("ses", "xes", "zes", "ches", "shes", "ces", "ges"))
    ):
        groups -= 1  # makes, homes; houses keeps two
    return max(1, groups)


def sentences_of(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if _WORD.search(s or "")]


def words_of(text: str) -> list[str]:
    return _WORD.findall(text)


def reading_grade(text: str) -> float | None:
    """The Flesch–Kincaid grade level, or None for text with no words."""
    words = words_of(text)
    sentences = sentences_of(text) or [text]
    if not words:
        return None
    syllables = sum(count_syllables(word) for word in words)
    return 0.39 * len(words) / len(sentences) + 11.8 * syllables / len(words) - 15.59


def reading_ease(text: str) -> float | None:
    """The Flesch reading ease (higher is easier; 60–70 is plain English)."""
    words = words_of(text)
    sentences = sentences_of(text) or [text]
    if not words:
        return None
    syllables = sum(count_syllables(word) for word in words)
    return 206.835 - 1.015 * len(words) / len(sentences) - 84.6 * syllables / len(words)


def _max_grade(kind: str) -> float:
    if kind == "words_and_pictures":
        return getattr(settings, "THREEFOLD_GUIDANCE_CHILD_MAX_GRADE", CHILD_MAX_GRADE)
    return getattr(settings, "THREEFOLD_GUIDANCE_MAX_GRADE", DEFAULT_MAX_GRADE)


def _max_sentence_words() -> int:
    return getattr(settings, "THREEFOLD_GUIDANCE_MAX_SENTENCE_WORDS", DEFAULT_MAX_SENTENCE_WORDS)


def reading_advice(
    text: str, *, kind: str = "", field: str = "", max_sentence_words: int | None = None
) -> list[Advice]:
    advice = []
    limit = max_sentence_words or _max_sentence_words()
    for sentence in sentences_of(text):
        count = len(words_of(sentence))
        if count > limit:
            start = " ".join(sentence.split()[:6])
            advice.append(
                Advice(
                    message=f"The sentence starting “{start}…” has {count} words. "
                    f"Try splitting it: sentences of up to {limit} words are easier to follow.",
                    kind=Kind.LONG_SENTENCE,
                    field=field,
                )
            )
    if len(words_of(text)) >= MIN_WORDS_FOR_GRADE:
        grade = reading_grade(text)
        if grade is not None and grade > _max_grade(kind):
            age = round(grade) + 5
            how_hard = "reading age 18 or over" if age >= 18 else f"about reading age {age}"
            advice.append(
                Advice(
                    message=f"This is hard to read ({how_hard}). "
                    "Try shorter sentences and everyday words.",
                    kind=Kind.READING,
                    field=field,
                )
            )
    return advice


# Safety goals and danger statements ------------------------------------------------------------

_ABSENCE = re.compile(
    r"(?<![\w])(will\s+not|won['’]?t|no\s+longer|stop\w*|never)(?![\w])", re.IGNORECASE
)
_CHILD_WORDS = re.compile(
    r"(?<![\w])(child\w*|kids?|bab(?:y|ies)|son|sons|daughters?|boys?|girls?|"
    r"brothers?|sisters?|siblings?|toddlers?|teenagers?|young\s+people|young\s+person|"
    r"he|she|they|him|her|them|his|their|hers)(?![\w])",
    re.IGNORECASE,
)


def goal_absence_advice(text: str, *, field: str = "what_will_be_seen") -> list[Advice]:
    match = _ABSENCE.search(text)
    if not match:
        return []
    return [
        Advice(
            message=f'The goal says "{match.group(0)}". Say what people will be doing instead, '
            "what everyone will see, e.g. “Mum and Dad talk calmly when they disagree”.",
            kind=Kind.GOAL_ABSENCE,
            field=field,
        )
    ]


def guidance_for(
    text: str, *, agency_id: int | None, kind: str, terms: list[Term] | None = None
) -> list[Advice]:
    """Advice on one piece of text. `kind` says what it is (one of TEXT_KINDS); pass `terms`
    from `load_terms` when checking many texts for one agency."""
    text = text or ""
    if not text.strip():
        return []
    if terms is None:
        terms = load_terms(agency_id)
    advice = jargon_advice(text, terms)
    advice += reading_advice(text, kind=kind)
    if kind == "safety_goal":
        advice += goal_absence_advice(text)
    return advice


def _text(fields: dict, name: str) -> str:
    value = fields.get(name)
    return "" if value is None else str(value)


def danger_statement_guidance(
    statement_fields: dict, *, agency_id: int | None, terms: list[Term] | None = None
) -> list[Advice]:
    """Advice on a danger statement: its words, and whether it says what may happen to the
    children. `statement_fields` may carry `child_names` to recognise the children by name."""
    if terms is None:
        terms = load_terms(agency_id)
    advice = []
    for name in ("who_is_worried", "worried_about", "impact_on_child", "dispute"):
        text = _text(statement_fields, name)
        if text.strip():
            for item in jargon_advice(text, terms, field=name) + reading_advice(
                text, kind="danger_statement", field=name
            ):
                if item.message not in {a.message for a in advice}:
                    advice.append(item)
    impact = _text(statement_fields, "impact_on_child").strip()
    names = [n for n in statement_fields.get("child_names", []) if n]
    mentions_child = bool(_CHILD_WORDS.search(impact)) or any(
        re.search(rf"(?<![\w]){re.escape(n)}(?![\w])", impact, re.IGNORECASE) for n in names
    )
    if not impact:
        advice.append(
            Advice(
                message="Say what may happen to the children if nothing changes, "
                "e.g. “Leo could be hurt or feel scared at home”.",
                kind=Kind.MISSING_IMPACT,
                field="impact_on_child",
            )
        )
    elif not mentions_child:
        advice.append(
            Advice(
                message="The statement does not say what it would mean for the children. "
                "Name the child and what may happen to them, e.g. “Leo could be hurt”.",
                kind=Kind.MISSING_IMPACT,
                field="impact_on_child",
            )
        )
    return advice


def safety_goal_guidance(
    goal_fields: dict, *, agency_id: int | None, terms: list[Term] | None = None
) -> list[Advice]:
    """Advice on a safety goal: its words, whether it says what people will do (not what
    they will stop), and whether it says how long it must last."""
    if terms is None:
        terms = load_terms(agency_id)
    seen = _text(goal_fields, "what_will_be_seen")
    advice = []
    if seen.strip():
        advice += jargon_advice(seen, terms, field="what_will_be_seen")
        advice += reading_advice(seen, kind="safety_goal", field="what_will_be_seen")
        advice += goal_absence_advice(seen)
    try:
        sustain_for = int(goal_fields.get("sustain_for") or 0)
    except (TypeError, ValueError):
        sustain_for = 0
    if sustain_for < 1 or not goal_fields.get("sustain_unit"):
        advice.append(
            Advice(
                message="Say how long everyone needs to see this happening, "
                "e.g. “for at least 3 months”.",
                kind=Kind.GOAL_SUSTAIN,
                field="sustain_for",
            )
        )
    return advice


def statement_and_goal_guidance(
    danger, *, terms: list[Term], child_names: list[str] = ()
) -> list[Advice]:
    """Advice for a saved danger statement and its goal, as the map board shows it."""
    statement = {
        name: getattr(danger, name)
        for name in ("who_is_worried", "worried_about", "impact_on_child", "dispute")
    }
    statement["child_names"] = list(child_names)
    advice = danger_statement_guidance(statement, agency_id=danger.agency_id, terms=terms)
    goal = getattr(danger, "safety_goal", None)
    if goal is not None:
        advice += safety_goal_guidance(
            {
                "what_will_be_seen": goal.what_will_be_seen,
                "sustain_for": goal.sustain_for,
                "sustain_unit": goal.sustain_unit,
            },
            agency_id=danger.agency_id,
            terms=terms,
        )
    return advice
