"""Recording what the SSDA903 return needs about a looked-after child, once, in the process:
episode details, reviews, missing episodes and yearly outcomes, by service and by page."""

import datetime

import pytest
from django.urls import reverse

from core.errors import RuleViolation
from core.models import AuditEvent
from process import services
from process.models import LookedAfterEpisode, LookedAfterOutcomes, MissingEpisode, Referral

pytestmark = pytest.mark.django_db
D = datetime.date


def start(worker, case, child, day, **values):
    values = {"legal_status": "C1", "placement": "U4", **values}
    return services.looked_after_start(
        actor=worker, case=case, child=child, started_on=day, **values
    )


def test_the_reason_for_a_new_episode_and_category_are_worked_out(worker, case, child):
    Referral.objects.create(
        agency=case.agency,
        case=case,
        recorded_by=worker,
        child=child,
        received_on=D(2025, 4, 2),
        source="2A",
        primary_need="N4",
    )
    first = start(worker, case, child, D(2025, 4, 3), placement_postcode="tw1 2nn")
    assert (first.reason_new_episode, first.category_of_need) == ("S", "N4")
    assert first.placement_postcode == "TW1 2NN"
    services.looked_after_end(
        actor=worker,
        episode=first,
        expected_revision=1,
        ended_on=D(2025, 8, 1),
        reason_ceased="X1",
    )
    second = start(
        worker, case, child, D(2025, 8, 1), legal_status="C2", placement_postcode="TW1 2NN"
    )
    assert (second.reason_new_episode, second.category_of_need) == ("L", "N4")
    event = AuditEvent.objects.filter(verb="process.looked_after_started").latest("pk")
    assert event.changes["reason_new_episode"] == "L"


def test_a_period_of_care_starts_with_reason_s(worker, case, child):
    with pytest.raises(RuleViolation, match="starts with reason S"):
        start(worker, case, child, D(2025, 4, 3), reason_new_episode="P")
    assert not LookedAfterEpisode.objects.exists()


def test_a_placement_change_reason_only_when_the_child_stays_looked_after(worker, case, child):
    episode = start(worker, case, child, D(2025, 4, 3))
    with pytest.raises(RuleViolation, match="only for an episode that ends with X1"):
        services.looked_after_end(
            actor=worker,
            episode=episode,
            expected_revision=1,
            ended_on=D(2025, 5, 1),
            reason_ceased="E13",
            reason_placement_change="CARPL",
        )
    services.looked_after_end(
        actor=worker,
        episode=episode,
        expected_revision=1,
        ended_on=D(2025, 5, 1),
        reason_ceased="X1",
        reason_placement_change="CARPL",
    )
    episode.refresh_from_db()
    assert episode.reason_placement_change == "CARPL"


def test_reviews_follow_the_episode_and_pn0_is_for_under_fours(worker, case, child):
    child.date_of_birth = D(2015, 1, 1)
    child.save()
    with pytest.raises(RuleViolation, match="no looked-after episode"):
        services.looked_after_review_record(
            actor=worker, case=case, child=child, held_on=D(2025, 5, 1), participation="PN1"
        )
    start(worker, case, child, D(2025, 4, 3))
    with pytest.raises(RuleViolation, match="PN0 is for a child under 4"):
        services.looked_after_review_record(
            actor=worker, case=case, child=child, held_on=D(2025, 5, 1), participation="PN0"
        )
    review = services.looked_after_review_record(
        actor=worker, case=case, child=child, held_on=D(2025, 5, 1), participation="PN1"
    )
    assert AuditEvent.objects.filter(
        verb="process.looked_after_review_recorded", target_id=str(review.pk)
    ).exists()


def test_missing_episodes_do_not_overlap(worker, case, child):
    start(worker, case, child, D(2025, 4, 3))
    missing = services.missing_episode_record(
        actor=worker, case=case, child=child, kind="M", started_on=D(2025, 6, 1)
    )
    with pytest.raises(RuleViolation, match="already recorded as missing"):
        services.missing_episode_record(
            actor=worker, case=case, child=child, kind="A", started_on=D(2025, 6, 2)
        )
    services.missing_episode_end(
        actor=worker, missing=missing, expected_revision=1, ended_on=D(2025, 6, 3)
    )
    assert MissingEpisode.objects.get().ended_on == D(2025, 6, 3)


def test_outcomes_once_a_year_and_consistent(worker, case, child):
    start(worker, case, child, D(2024, 3, 3))
    answers = {
        "immunisations": True,
        "teeth_check": True,
        "health_assessment": True,
        "substance_misuse": False,
    }
    with pytest.raises(RuleViolation, match="not both"):
        services.looked_after_outcomes_record(
            actor=worker, case=case, child=child, year=2025, sdq_score=3, sdq_reason="SDQ2",
            **answers,
        )  # fmt: skip
    with pytest.raises(RuleViolation, match="only recorded for a substance misuse problem"):
        services.looked_after_outcomes_record(
            actor=worker, case=case, child=child, year=2025, intervention_offered=True,
            **answers,
        )  # fmt: skip
    services.looked_after_outcomes_record(
        actor=worker, case=case, child=child, year=2025, sdq_score=3, **answers
    )
    with pytest.raises(RuleViolation, match="already recorded"):
        services.looked_after_outcomes_record(
            actor=worker, case=case, child=child, year=2025, **answers
        )
    assert LookedAfterOutcomes.objects.get().sdq_score == 3


def test_adopters_must_agree(worker, case, child):
    start(worker, case, child, D(2024, 3, 3))
    with pytest.raises(RuleViolation, match="don't agree"):
        services.adoption_record(
            actor=worker, case=case, child=child, best_interests_on=D(2024, 6, 1),
            matched_on=D(2025, 1, 1), by_foster_carers=False, adopters=2, adopters_sex="F1",
            adopters_legal_status="L3",
        )  # fmt: skip


# Pages ----------------------------------------------------------------------------------------


def test_a_worker_records_an_episode_with_its_return_details(client, worker, case, child):
    client.force_login(worker)
    url = reverse("process:looked_after_start", args=[case.pk])
    assert b"Placement provider" in client.get(url).content
    response = client.post(
        url,
        {
            "child": child.pk,
            "started_on": "2025-04-03",
            "legal_status": "C1",
            "placement": "K2",
            "placement_provider": "PR4",
            "reason_new_episode": "",
            "category_of_need": "N2",
            "home_postcode": "TW2 7HQ",
            "placement_postcode": "TW7 5RN",
            "urn": "SC999101",
            "previous_permanence": "Z1",
        },
    )
    assert response.status_code == 302
    episode = LookedAfterEpisode.objects.get()
    assert (episode.placement_provider, episode.urn, episode.reason_new_episode) == (
        "PR4",
        "SC999101",
        "S",
    )
    assert episode.previous_permanence == "Z1"


def test_a_worker_records_a_review_a_missing_episode_and_outcomes(client, worker, case, child):
    child.date_of_birth = D(2015, 1, 1)
    child.save()
    start(worker, case, child, D(2024, 3, 3))
    client.force_login(worker)
    review = client.post(
        reverse("process:looked_after_review_add", args=[case.pk]),
        {"child": child.pk, "held_on": "2025-05-01", "participation": "PN3"},
    )
    missing = client.post(
        reverse("process:missing_add", args=[case.pk]),
        {"child": child.pk, "kind": "A", "started_on": "2025-06-01", "ended_on": "2025-06-02"},
    )
    outcomes = client.post(
        reverse("process:outcomes_add", args=[case.pk]),
        {
            "child": child.pk,
            "year": "2025",
            "sdq_score": "14",
            "convicted": "no",
            "health_check": "",
            "immunisations": "yes",
            "teeth_check": "yes",
            "health_assessment": "no",
            "substance_misuse": "no",
        },
    )
    assert [review.status_code, missing.status_code, outcomes.status_code] == [302, 302, 302]
    saved = LookedAfterOutcomes.objects.get()
    assert (saved.convicted, saved.health_check, saved.health_assessment) == (False, None, False)
    assert MissingEpisode.objects.get().kind == "A"


def test_the_process_page_offers_the_review_and_the_end_for_an_open_episode(
    client, worker, case, child
):
    start(worker, case, child, D(2025, 4, 3))
    client.force_login(worker)
    page = client.get(reverse("process:case_process", args=[case.pk])).content.decode()
    assert reverse("process:looked_after_review_add", args=[case.pk]) in page
    episode = LookedAfterEpisode.objects.get()
    assert reverse("process:looked_after_end", args=[case.pk, episode.pk]) in page
