"""The automatic check run before an appreciative inquiry is shared: does the library text
name anyone in the case (its people and safety network), the workers involved, or the case's
reference? A match blocks sharing until the text is changed.

Names match as whole words in their written form (Leo, LEO), not lower case, so a surname such
as Young does not block "young person". The check is a safety net, not a substitute for the
practice lead's or team manager's own reading, which sharing also requires.
"""

import re

from people.models import Person
from safety.models import NetworkMember

# Words that describe a relationship rather than name someone ("Grandma Pat" names Pat).
RELATIONSHIP_WORDS = {
    "aunt",
    "auntie",
    "aunty",
    "brother",
    "cousin",
    "dad",
    "daddy",
    "father",
    "friend",
    "gran",
    "grandad",
    "grandma",
    "grandpa",
    "granny",
    "mother",
    "mum",
    "mummy",
    "nan",
    "nana",
    "neighbour",
    "sister",
    "step",
    "uncle",
}
MIN_LENGTH = 2


def names_to_avoid(*, case, workers) -> set[str]:
    names: set[str] = set()
    if case is not None:
        names.add(case.reference)
        people = Person.objects.filter(memberships__case=case).values_list(
            "given_name", "family_name", "known_as"
        )
        for row in people:
            names.update(value for value in row if value)
        for member in NetworkMember.objects.filter(case=case).values_list("name", flat=True):
            names.update(_name_words(member))
    for worker in workers:
        names.update(value for value in (worker.first_name, worker.last_name) if value)
    return {name.strip() for name in names if len(name.strip()) >= MIN_LENGTH}


def _name_words(full_name: str) -> list[str]:
    return [
        word
        for word in re.split(r"[\s,()]+", full_name)
        if word and word[0].isupper() and word.lower() not in RELATIONSHIP_WORDS
    ]


def names_found(text: str, names: set[str]) -> list[str]:
    """The names that appear in the text, sorted, each once."""
    found = set()
    for name in names:
        for form in {name, name.upper()}:
            if re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text):
                found.add(name)
    return sorted(found)
