import datetime

import pytest

from agencies.models import Role
from tests import factories

DAY = datetime.date(2026, 3, 16)


@pytest.fixture
def lead(team):
    return factories.UserFactory(team=None, agency=team.agency, role=Role.PRACTICE_LEAD)


@pytest.fixture
def senior(team):
    return factories.UserFactory(team=None, agency=team.agency, role=Role.SENIOR_LEADER)


@pytest.fixture
def rubric(team):
    """A rubric in use: one question on the four grades, one from 0 to 10."""
    rubric = factories.AuditRubricFactory(agency=team.agency, name="Signs of Safety audit")
    factories.AuditQuestionFactory(
        rubric=rubric, order=1, area="Map and analysis", text="Are the dangers clear?"
    )
    factories.AuditQuestionFactory(
        rubric=rubric, order=2, area="Child's voice", text="Is the child heard?", scale="ten"
    )
    return rubric


def fill(audit, *, actor, scores=(3, 7), grade=3, next_steps="Update the safety plan."):
    """Score every answer and give the grade, as the auditor."""
    from audits import services

    answers = list(audit.answers.order_by("question__order"))
    return services.audit_save(
        actor=actor,
        audit=audit,
        expected_revision=audit.revision,
        answers={
            a.pk: {"score": s, "evidence": "Seen in the map."}
            for a, s in zip(answers, scores, strict=True)
        },
        summary={"grade": grade, "next_steps": next_steps, "worker_present": True},
    )
