"""Family documents built from the practice app's records: the map, in the family's words."""

from django.utils import timezone

from documents.structure import Column, FamilyDocument, Section
from practice.models import Map, MapCategory
from practice.selectors import map_content

NONE_WRITTEN = "Nothing written here yet."

# Words that can start a sentence but read better in small letters after "worried that".
_SMALL_STARTS = {
    "a", "an", "the", "when", "if", "there", "they", "he", "she", "it", "we", "you",
    "his", "her", "their", "our", "this", "that", "these", "those", "because", "after",
    "before", "while", "every", "some", "someone", "nobody", "no",
}  # fmt: skip


def _continuing(text: str) -> str:
    """Text that follows "… worried that", with a sentence-start capital lowered when it is
    an ordinary word (never a name), and no full stop of its own."""
    text = " ".join(text.split()).rstrip(" .")
    first, _, rest = text.partition(" ")
    if first.lower() in _SMALL_STARTS and first[:1].isupper() and first[1:].islower():
        text = f"{first.lower()} {rest}".strip()
    return text


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?", "”", '"')) else f"{text}."


def _worried_verb(who: str) -> str:
    many = " and " in who or "," in who or "&" in who
    return "are" if many else "is"


def danger_sentence(danger) -> str:
    who = " ".join(danger.who_is_worried.split())
    sentence = (
        f"{who} {_worried_verb(who)} worried that {_continuing(danger.worried_about)}. "
        f"If nothing changes, they are worried that {_continuing(danger.impact_on_child)}."
    )
    if danger.disputed_by:
        who_disagrees = " ".join(danger.disputed_by.split())
        if danger.dispute:
            sentence += f" {who_disagrees} does not agree and says: “{_sentence(danger.dispute)}”"
        else:
            sentence += f" {who_disagrees} does not agree."
    return sentence


def goal_sentence(goal) -> str:
    return (
        f"{_sentence(goal.what_will_be_seen)} "
        f"{' '.join(goal.seen_by.split())} will see this happening for at least "
        f"{goal.sustain_period}."
    )


def _plural(label: str) -> str:
    return label if label.endswith("s") else f"{label}s"


def _version(map_: Map) -> str:
    if map_.is_draft or map_.finalised_at is None:
        return "Draft"
    finalised = timezone.localdate(map_.finalised_at)
    return f"Map {map_.number}, finalised {finalised.day} {finalised:%B %Y}"


def _about(case) -> str:
    name = " ".join(case.name.split())
    return f"For the {name}" if name.lower().endswith("family") else f"For {name}"


def _rater(judgement) -> str:
    return f"{judgement.rater_name} ({judgement.get_rater_role_display().lower()})"


def _scales_section(content) -> Section:
    labels = content.labels
    rows = [["Who", "About", "Their number", "Why"]]
    meanings = []
    scaled = [("Overall safety", j) for j in content.overall_scales]
    for number, danger in enumerate(content.danger_statements, start=1):
        about = f"{labels['danger_statement']} {number}"
        scaled += [(about, j) for j in danger.judgements]
    for about, judgement in scaled:
        rows.append([_rater(judgement), about, f"{judgement.score} out of 10", judgement.reason])
        meaning = (judgement.zero_means, judgement.ten_means)
        if meaning not in meanings:
            meanings.append(meaning)
    paragraphs = [
        "Each person gave their own number from 0 to 10 and said why.",
        *(f"0 means: {_sentence(zero)} 10 means: {_sentence(ten)}" for zero, ten in meanings),
    ]
    if len(rows) == 1:
        return Section(
            heading="How safe are things? (0 to 10)",
            paragraphs=[*paragraphs, "No one has given a number yet."],
        )
    return Section(heading="How safe are things? (0 to 10)", paragraphs=paragraphs, table=rows)


def map_document(map_: Map) -> FamilyDocument:
    """The map as the family reads it: the three columns side by side, each category a
    section, danger statements and goals as sentences, then the scales, the grey areas and who
    took part."""
    content = map_content(map_)
    labels = content.labels
    statements = content.danger_statements
    columns = []
    for column in content.columns:
        sections = []
        for part in column["sections"]:
            category = part["category"]
            if category == MapCategory.DANGER_STATEMENT:
                items = [
                    f"{labels['danger_statement']} {n}: {danger_sentence(danger)}"
                    for n, danger in enumerate(statements, start=1)
                ]
                heading = _plural(labels[category])
            elif category == MapCategory.SAFETY_GOAL:
                items = [
                    f"{labels['safety_goal']} {n} (for {labels['danger_statement'].lower()} "
                    f"{n}): {goal_sentence(danger.safety_goal)}"
                    for n, danger in enumerate(statements, start=1)
                ]
                heading = _plural(labels[category])
            else:
                items = [entry.text for entry in part["entries"]]
                heading = labels[category]
            sections.append(
                Section(heading=heading, items=items, paragraphs=[] if items else [NONE_WRITTEN])
            )
        columns.append(Column(heading=column["heading"], sections=sections))

    grey = [entry.text for entry in content.grey_section["entries"]]
    participants = [
        ", ".join(
            part
            for part in (p.name, p.get_role_display().lower(), p.organisation)
            if part and part.strip()
        )
        for p in map_.participants.all()
    ]
    held = map_.held_on
    sections = [
        _scales_section(content),
        Section(
            heading=f"{_plural(labels[MapCategory.GREY_AREA])}: what we don't know yet or "
            "don't agree about",
            items=grey,
            paragraphs=[] if grey else [NONE_WRITTEN],
        ),
        Section(
            heading="Who took part",
            paragraphs=[
                f"{map_.get_purpose_display()}, on {held.day} {held:%B %Y}.",
                *([] if participants else ["No one has been written down yet."]),
            ],
            items=participants,
        ),
    ]
    return FamilyDocument(
        kind="map",
        title=f"Map {map_.number}: {' '.join(map_.case.name.split())}",
        agency_name=map_.agency.name if map_.agency_id else "",
        about=_about(map_.case),
        version=_version(map_),
        dated=timezone.localdate(map_.finalised_at) if map_.finalised_at else held,
        sections=sections,
        columns=columns,
    )
