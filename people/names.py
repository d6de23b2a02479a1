"""A sound-alike key for names, so a search for "Smyth" finds "Smith" and "Katherine" finds
"Catherine".

The key is a Soundex-style code: the name in lower case without vowels, h, w, spaces and
hyphens, its consonants folded into the groups of letters that sound alike (the groups of
Soundex as published by the US National Archives, each written as one letter of the group),
and doubled groups made single. Unlike Soundex it keeps no first letter (so C and K spellings
meet) and no fixed length.

The database computes the key itself, in a generated column, from a chain of REPLACE calls
that both SQLite and PostgreSQL understand. Every way a person is written (a form, the API, a
bulk import, the demo) therefore gets the key, and `name_key` below applies the same chain in
Python to what a user types, so both sides always agree. SQLite's parser refuses a chain much
longer than 28 calls, so the rare letters Q and X are left as they are.
"""

from django.db.models import Value
from django.db.models.functions import Lower, Replace

_SILENT = ("a", "e", "i", "o", "u", "y", "h", "w", " ", "-")
_SOUNDS_LIKE = {"b": "fpv", "k": "cgjsz", "d": "t", "m": "n"}
_GROUPS = ("b", "k", "d", "l", "m", "r")


def _steps() -> list[tuple[str, str]]:
    steps = [(letter, "") for letter in _SILENT]
    steps += [(letter, group) for group, letters in _SOUNDS_LIKE.items() for letter in letters]
    steps += [(group * 2, group) for group in _GROUPS]
    return steps


STEPS = _steps()


def name_key(name: str) -> str:
    """The key of a name as typed, exactly as the database computes it for stored names."""
    key = name.lower()
    for old, new in STEPS:
        key = key.replace(old, new)
    return key


def name_key_expression(field: str):
    """The same key as a database expression, for a generated column."""
    expression = Lower(field)
    for old, new in STEPS:
        expression = Replace(expression, Value(old), Value(new))
    return expression
