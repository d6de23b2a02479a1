"""The words the plain-language check flags until an agency's practice lead edits the list.

Kept apart from the models so the data migration can copy them as they were when it ran."""

DEFAULT_TERMS = [
    ("DV", 'say what happened, e.g. "Dad hit Mum"'),
    ("domestic violence", 'say what happened, e.g. "Dad hit Mum and pushed her over"'),
    ("domestic abuse", 'say what happened, e.g. "Dad shouts at Mum and calls her names"'),
    ("neglect", 'say what the children went without, e.g. "Leo often has no breakfast"'),
    ("engage", 'say what the person did, e.g. "Mum came to two of the four meetings"'),
    ("concerns", 'say who is worried and about what, e.g. "The school is worried that…"'),
    ("risk", 'say what might happen, e.g. "Leo could be hurt"'),
    ("non-compliant", 'say what was asked and what happened, e.g. "Dad did not go to the group"'),
    ("substance misuse", 'say what happens, e.g. "Mum drinks until she falls asleep"'),
    ("LAC", 'say "children in care" or "living with foster carers"'),
    ("CP", 'say "child protection" and what it means for the family'),
    ("s47", 'say "a child protection enquiry" and what it involves'),
    ("disguised compliance", "say what people said they would do, and what was seen"),
    ("safeguarding", "say what people are doing to keep the children safe"),
]
