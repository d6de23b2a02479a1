"""What a person search asks for: the words of a name, a date of birth and identifiers, read
from one box the way people type them ("amy smith 12/03/2015", "A123456789012", "943 476 5919",
"NB-000123")."""

import datetime
import re
from dataclasses import dataclass, field

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_DAY_FIRST = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_WORDS = re.compile(r"\b(\d{1,2})\s+([a-z]+)\s+(\d{4})\b")
# An NHS number is often written 3-3-4 with spaces; read it as one identifier.
_NHS_SPACED = re.compile(r"\b(\d{3})\s+(\d{3})\s+(\d{4})\b")


@dataclass
class SearchTerms:
    words: list[str] = field(default_factory=list)
    born_on: datetime.date | None = None
    identifiers: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.born_on or self.identifiers)


@dataclass
class PersonSearch:
    terms: SearchTerms
    people: list
    more: bool


def _date(year: str, month: str | int, day: str) -> datetime.date | None:
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_person_search(query: str) -> SearchTerms:
    terms = SearchTerms()
    text = " ".join(query.lower().split())[:200]
    text = _NHS_SPACED.sub(r"\1\2\3", text)
    found = None
    for pattern, order in ((_ISO, "ymd"), (_DAY_FIRST, "dmy"), (_WORDS, "dmy")):
        match = pattern.search(text)
        if not match:
            continue
        parts = dict(zip(order, match.groups(), strict=True))
        month = MONTHS.get(parts["m"], parts["m"]) if pattern is _WORDS else parts["m"]
        if pattern is _WORDS and parts["m"] not in MONTHS:
            continue
        found = _date(parts["y"], month, parts["d"])
        if found is None:
            terms.problems.append(f"“{match.group(0)}” is not a real date.")
        text = text[: match.start()] + " " + text[match.end() :]
        break
    terms.born_on = found
    for token in re.split(r"[\s,]+", text):
        token = token.strip(".,;:()")
        if not token:
            continue
        if any(character.isdigit() for character in token):
            terms.identifiers.append(token)
        else:
            terms.words.append(token)
    return terms
