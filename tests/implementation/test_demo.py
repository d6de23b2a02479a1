import datetime

import pytest

from demo.generator import generate_agency
from implementation import figures, selectors
from implementation.models import AssessmentRound, ImplementationAction, Rating, TrainingRecord

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 2)


def test_the_demo_agency_has_an_improving_implementation():
    agency = generate_agency(seed=3, families=6, today=TODAY).agency
    rounds = list(AssessmentRound.objects.filter(agency=agency).order_by("period_end"))
    assert len(rounds) == 6
    assert [r.status for r in rounds] == ["closed"] * 5 + ["open"]
    closed = selectors.closed_round_figures(agency.pk)
    means = [r["overall"]["mean"] for r in closed]
    assert means[-1] > means[0] + 1
    assert all(r["raters"] == 2 for r in closed)  # the senior leader and the practice lead
    # In the open round only one rater has submitted; the other's numbers are not there yet.
    assert Rating.objects.filter(round=rounds[-1]).values("rater").distinct().count() == 1
    assert ImplementationAction.objects.filter(agency=agency).count() == 5
    assert TrainingRecord.objects.filter(agency=agency).exists()
    coverage = selectors.coverage(agency.pk, days=[TODAY - datetime.timedelta(days=365), TODAY])
    before, now = (c["groups"]["all"]["introduction_percent"] for c in coverage)
    assert now > before
    measure = figures.implementation_measure(agency.pk, last=TODAY, quarters=4)
    assert [row["rating"] is not None for row in measure] == [True, True, True, False]


def test_the_demo_gives_managers_gaps_to_see():
    agency = generate_agency(seed=3, families=6, today=TODAY).agency
    from agencies.models import User

    leader = User.objects.get(agency=agency, username="leader.priya")
    gaps = selectors.gaps(leader, today=TODAY)
    assert gaps["overdue"] and gaps["due"]
    assert "sw.farid" in {row["worker"].username for row in gaps["due"]}
