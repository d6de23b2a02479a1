"""Writes to children's voices and Words and Pictures: versions, agreement, sharing, conflicts,
and bringing a child's words into the map."""

import datetime

import pytest
from django.utils import timezone

from core.errors import ConflictError, RuleViolation
from core.models import AuditEvent
from practice import services as practice_services
from practice.models import MapEntry
from tests import factories
from tests.practice.test_services import make_finalisable
from voices import selectors, services
from voices.models import BroughtIntoMap, VoiceRecord, WPVersion
from voices.uploads import clean_picture

pytestmark = pytest.mark.django_db

WORDS = {
    "worries": "When Dad shouts I hide under my bed.\nI don't like it when Mum cries.",
    "good_things": "Grandma Pat makes pancakes on Saturday.",
    "dreams": "I want everyone to be kind at home.",
}
SECTIONS = {
    "who_is_worried": "Sam the social worker and Leo's teacher, Miss Khan, are worried.",
    "worried_about": "Mum and Dad shouted at each other and Dad pushed Mum. Leo was scared.",
    "what_happened": "Leo went to stay with Grandma Pat for a few days.",
    "what_we_are_doing": "Mum and Dad are meeting Sam every week to make a plan.",
    "safety_plan": "",
}


def three_houses(worker, case, child, **extra):
    return services.voice_record_add(
        actor=worker,
        case=case,
        child=child,
        kind="three_houses",
        done_on=datetime.date(2026, 3, 3),
        words=WORDS,
        **extra,
    )


def test_three_houses_keeps_the_childs_words_age_and_worker(worker, case, child):
    record = three_houses(worker, case, child)
    assert record.child_age == 7  # born 1 April 2018, seen 3 March 2026
    assert record.done_by == worker and record.created_by == worker
    assert {w.part: w.words for w in record.parts.all()} == WORDS
    assert {w.agency_id for w in record.parts.all()} == {case.agency_id}
    assert record.source_label == "From Leo's Three Houses, 3 March"
    event = AuditEvent.objects.get(verb="voices.record_added")
    assert event.case_id == case.pk and event.changes["words"]["dreams"] == WORDS["dreams"]


def test_words_for_another_tool_or_none_at_all_are_refused(worker, case, child):
    with pytest.raises(RuleViolation):
        services.voice_record_add(
            actor=worker,
            case=case,
            child=child,
            kind="three_houses",
            done_on=datetime.date(2026, 3, 3),
            words={"inside": "Mum"},
        )
    with pytest.raises(RuleViolation, match="at least some"):
        services.voice_record_add(
            actor=worker,
            case=case,
            child=child,
            kind="safety_house",
            done_on=datetime.date(2026, 3, 3),
            words={"inside": "  "},
        )


def test_a_child_from_another_case_or_a_future_date_is_refused(worker, case, child):
    other = factories.PersonFactory(agency=case.agency, given_name="Mia")
    with pytest.raises(RuleViolation, match="child in this case"):
        three_houses(worker, case, other)
    with pytest.raises(RuleViolation, match="future"):
        services.voice_record_add(
            actor=worker,
            case=case,
            child=child,
            kind="fairy_wizard",
            done_on=timezone.localdate() + datetime.timedelta(days=1),
            words={"wand_dreams": "A puppy"},
        )


def test_stale_save_of_a_voice_record_is_refused(worker, manager, case, child):
    record = three_houses(worker, case, child)
    services.voice_record_update(
        actor=manager,
        record=record,
        expected_revision=1,
        done_on=record.done_on,
        words={**WORDS, "dreams": "A trip to the seaside."},
    )
    with pytest.raises(ConflictError) as error:
        services.voice_record_update(
            actor=worker,
            record=record,
            expected_revision=1,
            done_on=record.done_on,
            words={**WORDS, "dreams": "My own room."},
        )
    assert error.value.current.revision == 2
    assert record.parts.get(part="dreams").words == "A trip to the seaside."


def test_sharing_with_parents_is_recorded(worker, case, child):
    record = three_houses(worker, case, child)
    with pytest.raises(RuleViolation):
        services.voice_record_share_with_parents(
            actor=worker, record=record, shared_on=datetime.date(2026, 3, 1)
        )
    services.voice_record_share_with_parents(
        actor=worker, record=record, shared_on=datetime.date(2026, 3, 5)
    )
    record.refresh_from_db()
    assert record.shared_with_parents_on == datetime.date(2026, 3, 5)
    assert record.shared_recorded_by == worker


def test_bringing_words_into_the_draft_map_keeps_the_link(worker, case, child, draft_map):
    record = three_houses(worker, case, child)
    link = services.voice_words_bring_into_map(
        actor=worker,
        record=record,
        part="worries",
        map_=draft_map,
        category="harm",
        text="Leo says: “When Dad shouts I hide under my bed.”",
    )
    entry = draft_map.entries.get()
    assert link.map_entry == entry and entry.category == "harm"
    assert list(entry.children.all()) == [child]
    assert AuditEvent.objects.filter(verb="map.entry_added", case_id=case.pk).exists()
    assert AuditEvent.objects.filter(verb="voices.brought_into_map").exists()
    sources = selectors.map_entry_sources(draft_map)
    assert sources[entry.pk].record.source_label == "From Leo's Three Houses, 3 March"


def test_the_link_follows_the_entry_into_the_next_map_version(worker, case, child, draft_map):
    record = three_houses(worker, case, child)
    services.voice_words_bring_into_map(
        actor=worker, record=record, part="good_things", map_=draft_map,
        category="existing_strength", text="Grandma Pat makes pancakes.",
    )  # fmt: skip
    make_finalisable(draft_map, worker)
    practice_services.map_finalise(actor=worker, map_=draft_map, expected_revision=1)
    second = practice_services.map_start(
        actor=worker, case=case, purpose="mapping", held_on=datetime.date(2026, 4, 1)
    )
    copy = MapEntry.objects.get(map=second, text="Grandma Pat makes pancakes.")
    assert selectors.map_entry_sources(second)[copy.pk].record == record


def test_a_map_no_words_were_brought_into_takes_one_query(
    worker, case, child, draft_map, django_assert_num_queries
):
    practice_services.map_entry_add(
        actor=worker, map_=draft_map, category="harm", text="Dad shouts.", children=[child]
    )
    with django_assert_num_queries(1):
        assert selectors.map_entry_sources(draft_map) == {}


def test_a_finalised_map_refuses_the_words(worker, case, child, draft_map):
    record = three_houses(worker, case, child)
    make_finalisable(draft_map, worker)
    practice_services.map_finalise(actor=worker, map_=draft_map, expected_revision=1)
    with pytest.raises(RuleViolation, match="finalised"):
        services.voice_words_bring_into_map(
            actor=worker, record=record, part="worries", map_=draft_map,
            category="harm", text="Dad shouts.",
        )  # fmt: skip
    assert not BroughtIntoMap.objects.exists()


def test_another_familys_map_refuses_the_words(worker, case, child, draft_map):
    record = three_houses(worker, case, child)
    other_case = factories.CaseFactory(team=case.team)
    other_map = practice_services.map_start(
        actor=worker, case=other_case, purpose="mapping", held_on=other_case.opened_on
    )
    with pytest.raises(RuleViolation, match="own map"):
        services.voice_words_bring_into_map(
            actor=worker, record=record, part="worries", map_=other_map,
            category="harm", text="Dad shouts.",
        )  # fmt: skip


def test_pictures_are_added_with_a_description_and_can_be_removed(worker, case, child):
    picture = clean_picture(factories.upload(factories.png_bytes()))
    record = three_houses(worker, case, child, pictures=[(picture, "Leo's houses", "worries")])
    stored = record.pictures.get()
    assert stored.part == "worries" and stored.content_type == "image/png"
    with pytest.raises(RuleViolation, match="what the picture shows"):
        services.voice_picture_add(actor=worker, record=record, picture=picture, alt_text=" ")
    services.voice_picture_remove(actor=worker, picture=stored)
    stored.refresh_from_db()
    assert stored.removed_at is not None and stored.removed_by == worker
    assert (
        selectors.voice_record_get(case=case, child=child, record_id=record.pk).active_pictures
        == []
    )


# Words and Pictures --------------------------------------------------------------------------


def test_words_and_pictures_versions_copy_the_previous_one(worker, manager, case, child):
    first = services.wp_start(actor=worker, case=case, child=child, sections=SECTIONS)
    services.wp_picture_add(
        actor=worker,
        version=first,
        section="what_happened",
        picture=clean_picture(factories.upload(factories.png_bytes())),
        alt_text="Grandma Pat's house",
    )
    second = services.wp_version_revise(
        actor=manager,
        version=first,
        expected_revision=1,
        sections={**SECTIONS, "what_we_are_doing": "Mum and Dad go to a group on Tuesdays."},
        change_note="Mum asked us to say about the group.",
    )
    assert (second.number, second.based_on, second.changed_by) == (2, first, manager)
    first.refresh_from_db()
    assert first.what_we_are_doing == SECTIONS["what_we_are_doing"]  # unchanged
    copied = second.pictures.get()
    assert copied.stored_name == first.pictures.get().stored_name and copied.carried_from_id
    assert AuditEvent.objects.filter(verb="voices.wp_revised", target_id=second.pk).exists()


def test_only_the_newest_version_changes(worker, case, child):
    first = services.wp_start(actor=worker, case=case, child=child, sections=SECTIONS)
    services.wp_version_revise(actor=worker, version=first, expected_revision=1, sections=SECTIONS)
    with pytest.raises(ConflictError) as error:
        services.wp_version_update(
            actor=worker, version=first, expected_revision=1, sections=SECTIONS
        )
    assert error.value.current.number == 2
    with pytest.raises(ConflictError):  # a second revision from the same old version
        services.wp_version_revise(
            actor=worker, version=first, expected_revision=1, sections=SECTIONS
        )


def test_stale_save_of_a_draft_version_is_refused(worker, manager, case, child):
    version = services.wp_start(actor=worker, case=case, child=child, sections=SECTIONS)
    services.wp_version_update(
        actor=manager,
        version=version,
        expected_revision=1,
        sections={**SECTIONS, "who_is_worried": "Sam and the school are worried."},
    )
    with pytest.raises(ConflictError):
        services.wp_version_update(
            actor=worker, version=version, expected_revision=1, sections=SECTIONS
        )
    version.refresh_from_db()
    assert version.who_is_worried == "Sam and the school are worried."
    assert (version.revision, version.changed_by) == (2, manager)


def test_an_agreed_version_is_never_edited_in_place(worker, case, child, parent):
    version = services.wp_start(actor=worker, case=case, child=child, sections=SECTIONS)
    agreement = services.wp_version_agree(
        actor=worker, version=version, person=parent, agreed_on=timezone.localdate()
    )
    assert agreement.name == "Jade Testington" and agreement.agency_id == case.agency_id
    version.refresh_from_db()
    assert version.status == WPVersion.Status.AGREED
    with pytest.raises(RuleViolation, match="agreed by a parent"):
        services.wp_version_update(
            actor=worker, version=version, expected_revision=1, sections=SECTIONS
        )
    with pytest.raises(RuleViolation, match="agreed by a parent"):
        services.wp_picture_add(
            actor=worker,
            version=version,
            section="what_happened",
            picture=clean_picture(factories.upload(factories.png_bytes())),
            alt_text="A house",
        )
    # A second parent can still agree the same version, and a change makes a new version.
    services.wp_version_agree(
        actor=worker, version=version, name="Dean Testington", agreed_on=timezone.localdate()
    )
    assert version.agreements.count() == 2
    new = services.wp_version_revise(
        actor=worker, version=version, expected_revision=1, sections=SECTIONS
    )
    assert new.status == WPVersion.Status.DRAFT and new.number == 2


def test_agreement_needs_an_adult_of_the_family_or_a_name(worker, case, child):
    version = services.wp_start(actor=worker, case=case, child=child, sections=SECTIONS)
    with pytest.raises(RuleViolation, match="adult in this family"):
        services.wp_version_agree(
            actor=worker, version=version, person=child, agreed_on=timezone.localdate()
        )
    with pytest.raises(RuleViolation, match="which parent"):
        services.wp_version_agree(actor=worker, version=version, agreed_on=timezone.localdate())


def test_sharing_with_the_child_records_the_date_and_who_was_there(worker, case, child):
    version = services.wp_start(actor=worker, case=case, child=child, sections=SECTIONS)
    sharing = services.wp_version_share(
        actor=worker, version=version, shared_on=timezone.localdate(), present="Mum and Sam"
    )
    assert sharing.present == "Mum and Sam" and sharing.recorded_by == worker
    assert sharing.agency_id == case.agency_id
    with pytest.raises(RuleViolation, match="who was there"):
        services.wp_version_share(
            actor=worker, version=version, shared_on=timezone.localdate(), present=""
        )
    summary = selectors.wp_list(case, child)[0]
    assert summary.shared_on == timezone.localdate() and summary.agreed_on is None


def test_a_story_with_a_missing_part_is_refused(worker, case, child):
    with pytest.raises(RuleViolation, match="every part"):
        services.wp_start(
            actor=worker, case=case, child=child, sections={**SECTIONS, "what_happened": ""}
        )
    assert not VoiceRecord.objects.exists()
