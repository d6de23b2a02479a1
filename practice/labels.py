"""The words each service uses for the map's categories and columns.

The practice's own words are the default; an agency overrides any of them per service with a
CategoryLabel (through the admin), so "worry statement" in early help is configuration, not code.
"""

from practice.models import CategoryLabel, MapCategory

COLUMNS = [
    (
        "worried",
        "What are we worried about?",
        [MapCategory.HARM, MapCategory.DANGER_STATEMENT, MapCategory.COMPLICATING_FACTOR],
    ),
    (
        "working_well",
        "What's working well?",
        [MapCategory.EXISTING_STRENGTH, MapCategory.EXISTING_SAFETY],
    ),
    ("needs_to_happen", "What needs to happen?", [MapCategory.SAFETY_GOAL, MapCategory.NEXT_STEP]),
]

HINTS = {
    MapCategory.HARM: "What has happened to the children that we are worried about.",
    MapCategory.DANGER_STATEMENT: "Who is worried, about what, and what may happen to the "
    "children if nothing changes.",
    MapCategory.COMPLICATING_FACTOR: "What makes the worries harder to sort out.",
    MapCategory.EXISTING_STRENGTH: "What is good in the family and around the children.",
    MapCategory.EXISTING_SAFETY: "What people have already done to keep the children safe "
    "when the danger was there.",
    MapCategory.SAFETY_GOAL: "What everyone will see instead of the worry, and for how long.",
    MapCategory.NEXT_STEP: "The next small things that will happen, and who will do them.",
    MapCategory.GREY_AREA: "What we don't know yet or don't agree about.",
}


def category_labels(*, agency_id: int, service: str) -> dict[str, str]:
    labels = {category.value: category.label for category in MapCategory}
    overrides = CategoryLabel.objects.filter(agency_id=agency_id, service=service)
    labels.update({o.category: o.label for o in overrides})
    return labels
