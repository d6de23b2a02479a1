"""What a new agency starts with; each agency changes them on the settings page.

Domains follow the themes of the national evaluations of Signs of Safety in England: results
"depended on leadership and how far organisational systems were aligned with the practice"
(Munro, Turnell and Murphy, *You Can't Grow Roses in Concrete*, parts 1 and 2), and a fully
implemented agency has "policies, procedures and forms aligned with Signs of Safety practice"
and supervision aligned with it (see /work/shared/reference/signs-of-safety.md, 3.2 and 4.5).
Course names follow the usual licensed programme: a two-day introduction, five-day advanced
training, practice lead training and train-the-trainer."""

DEFAULT_DOMAINS = [
    (
        "Leadership",
        "Senior and middle leaders know the practice, lead it consistently and treat staff as "
        "staff should treat families.",
    ),
    (
        "Alignment of policies, procedures and forms",
        "Policies, procedures, forms, IT and quality assurance follow the practice instead of "
        "working against it, and are streamlined.",
    ),
    (
        "Learning organisation",
        "Group supervision, appreciative inquiry and case learning happen regularly and change "
        "what we do.",
    ),
    (
        "Practice depth",
        "Maps, danger statements, safety goals, children's voices and safety plans are done "
        "well, not just done.",
    ),
    (
        "Partnership with other agencies",
        "Police, health, schools and others understand the practice and take part in mapping, "
        "networks and plans.",
    ),
]

DEFAULT_COURSES = [
    ("Two-day introduction", "introduction", 2),
    ("Five-day advanced training", "advanced", 5),
    ("Practice lead training", "practice_lead", 3),
    ("Train the trainer", "trainer", 5),
]
