"""The questions a new survey starts with. Written for Threefold; an agency can change, add or
remove questions before a survey opens. The family questions follow the four things issue 5
asks families about (understood why services were involved, felt listened to, knew what needed
to happen, things got better), in words a nine-year-old can read."""

SCALE, AGREE, TEXT = "scale", "agree", "text"
WORRIES, WORKING_WELL, NEEDS_TO_HAPPEN = "worries", "working_well", "needs_to_happen"

CONFIDENCE = "How confident you feel using the tools"
CONDITIONS = "Your working conditions"
CLIMATE = "How it feels to work here"
IN_YOUR_WORDS = "In your own words"

STAFF_QUESTIONS = [
    # Confidence with the Signs of Safety tools, each on a 0-10 scale.
    {
        "key": "confidence-mapping",
        "group": CONFIDENCE,
        "text": "Mapping with a family: what we are worried about, what's working well and "
        "what needs to happen",
    },
    {
        "key": "confidence-scaling",
        "group": CONFIDENCE,
        "text": "Asking everyone for their own safety scale and using what they say",
    },
    {
        "key": "confidence-three-houses",
        "group": CONFIDENCE,
        "text": "Using the Three Houses (or Fairy or Wizard) with children",
    },
    {
        "key": "confidence-words-and-pictures",
        "group": CONFIDENCE,
        "text": "Writing a Words and Pictures explanation with the parents",
    },
    {
        "key": "confidence-safety-planning",
        "group": CONFIDENCE,
        "text": "Building a safety plan with the family and their safety network",
    },
    # Working conditions.
    {
        "key": "caseload-manageable",
        "group": CONDITIONS,
        "kind": AGREE,
        "text": "My caseload lets me spend the time with families that the work needs",
    },
    {
        "key": "supervision-helps",
        "group": CONDITIONS,
        "kind": AGREE,
        "text": "My supervision helps me think about the children and families I work with",
    },
    {
        "key": "supervision-regular",
        "group": CONDITIONS,
        "kind": AGREE,
        "text": "I get supervision as often as I should",
    },
    # Safety climate: whether people can speak up about practice and learn from mistakes.
    {
        "key": "raise-worry-without-blame",
        "group": CLIMATE,
        "kind": AGREE,
        "text": "I can raise a worry about practice without being blamed",
    },
    {
        "key": "mistakes-learning",
        "group": CLIMATE,
        "kind": AGREE,
        "text": "When something goes wrong, we look at what we can learn, not who to blame",
    },
    {
        "key": "ask-for-help",
        "group": CLIMATE,
        "kind": AGREE,
        "text": "I can ask for help with a difficult case and get it quickly",
    },
    {
        "key": "manager-listens",
        "group": CLIMATE,
        "kind": AGREE,
        "text": "My manager listens when I disagree with a decision",
    },
    # The three columns, in their own words.
    {
        "key": "staff-worries",
        "group": IN_YOUR_WORDS,
        "kind": TEXT,
        "column": WORRIES,
        "text": "What worries you about your work or how we work here?",
    },
    {
        "key": "staff-working-well",
        "group": IN_YOUR_WORDS,
        "kind": TEXT,
        "column": WORKING_WELL,
        "text": "What is working well?",
    },
    {
        "key": "staff-needs-to-happen",
        "group": IN_YOUR_WORDS,
        "kind": TEXT,
        "column": NEEDS_TO_HAPPEN,
        "text": "What needs to happen to make things better?",
    },
]

FAMILY_QUESTIONS = [
    {
        "key": "understood-why",
        "kind": AGREE,
        "text": "I know why the social worker came to see our family",
    },
    {
        "key": "felt-listened-to",
        "kind": AGREE,
        "text": "I felt listened to",
    },
    {
        "key": "knew-what-needed-to-happen",
        "kind": AGREE,
        "text": "I knew what needed to happen",
    },
    {
        "key": "things-got-better",
        "kind": SCALE,
        "text": "How much better are things now?",
        "low_label": "Not better at all",
        "high_label": "A lot better",
    },
    {
        "key": "family-worries",
        "kind": TEXT,
        "column": WORRIES,
        "text": "Is anything still worrying you?",
    },
    {
        "key": "family-working-well",
        "kind": TEXT,
        "column": WORKING_WELL,
        "text": "What has been good?",
    },
    {
        "key": "family-needs-to-happen",
        "kind": TEXT,
        "column": NEEDS_TO_HAPPEN,
        "text": "What should we do better?",
    },
]

STAFF_INTRODUCTION = (
    "This survey asks how confident you feel with the Signs of Safety tools, about your "
    "caseload and supervision, and whether you can speak up about practice. It takes about "
    "five minutes."
)
FAMILY_INTRODUCTION = (
    "We want to know how it has been for you working with us. "
    "There are no right or wrong answers. It takes about three minutes."
)

AGREE_LABELS = {
    "staff": {
        1: "Strongly disagree",
        2: "Disagree",
        3: "Neither agree nor disagree",
        4: "Agree",
        5: "Strongly agree",
    },
    "family": {1: "No, not at all", 2: "Not really", 3: "Not sure", 4: "Mostly", 5: "Yes, a lot"},
}
SCALE_LOW, SCALE_HIGH = "Not at all confident", "Very confident"


def questions_for(kind: str) -> list[dict]:
    """The starting questions, each filled in with its defaults."""
    source = STAFF_QUESTIONS if kind == "staff" else FAMILY_QUESTIONS
    questions = []
    for order, item in enumerate(source, start=1):
        kind_ = item.get("kind", SCALE)
        questions.append(
            {
                "key": item["key"],
                "text": item["text"],
                "group": item.get("group", ""),
                "kind": kind_,
                "column": item.get("column", ""),
                "low_label": item.get("low_label", SCALE_LOW if kind_ == SCALE else ""),
                "high_label": item.get("high_label", SCALE_HIGH if kind_ == SCALE else ""),
                "order": order * 10,
                # Families may skip any question; staff answer every scale.
                "required": kind == "staff" and kind_ != TEXT,
            }
        )
    return questions
