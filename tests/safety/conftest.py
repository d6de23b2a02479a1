import datetime

import pytest

from practice import services as practice_services
from safety import services
from tests.practice.test_services import make_finalisable

TODAY = datetime.date(2026, 3, 2)

RULE = {
    "text": "Dad does not drink when he is looking after Leo.",
    "who": "Dad",
    "when": "Every day",
    "how_checked": "Grandma Pat pops in after school and texts Sam on Fridays.",
}


@pytest.fixture
def finalised_map(draft_map, worker):
    make_finalisable(draft_map, worker)
    return practice_services.map_finalise(
        actor=worker, map_=draft_map, expected_revision=draft_map.revision
    )


@pytest.fixture
def danger(finalised_map):
    return finalised_map.danger_statements.get()


@pytest.fixture
def grandma(case, worker):
    return services.network_member_add(
        actor=worker,
        case=case,
        name="Grandma Pat",
        kind="family",
        relationship="Mum's mum",
        informed=True,
        informed_on=datetime.date(2026, 2, 1),
        informed_by="Jade (Mum), with Sam",
        plan_roles="Picks Leo up from school on Mondays.",
        phone="07700 900123",
        joined_on=datetime.date(2026, 1, 20),
    )


@pytest.fixture
def draft_plan(case, worker):
    return services.safety_plan_start(actor=worker, case=case)


@pytest.fixture
def agreed_plan(draft_plan, worker, danger, grandma):
    services.safety_plan_rule_add(
        actor=worker, plan=draft_plan, danger_statements=[danger], members=[grandma], **RULE
    )
    services.safety_plan_update_details(
        actor=worker,
        plan=draft_plan,
        expected_revision=draft_plan.revision,
        if_broken="Grandma Pat rings Sam straight away and the children go to hers.",
        who_to_call="Sam: 01632 960000. Out of hours: 01632 960999.",
        next_review_on=None,
    )
    draft_plan.refresh_from_db()
    return services.safety_plan_agree(
        actor=worker,
        plan=draft_plan,
        expected_revision=draft_plan.revision,
        agreed_on=datetime.date(2026, 2, 20),
        agreed_with="Jade (Mum), Dad, Sam (social worker)",
        next_review_on=datetime.date(2026, 4, 20),
        members=[grandma],
    )
