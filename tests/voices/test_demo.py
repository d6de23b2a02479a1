import datetime
import random

import pytest

from demo.generator import generate_agency
from demo.voices_demo import add_voices_work
from voices.models import (
    VoiceKind,
    VoiceRecord,
    VoiceWords,
    WordsAndPictures,
    WPAgreement,
    WPSharing,
    WPVersion,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


def fingerprint(agency):
    records = list(
        VoiceRecord.objects.filter(agency=agency)
        .order_by("case__reference", "child__given_name", "kind", "done_on")
        .values_list("case__reference", "child__given_name", "kind", "done_on", "child_age")
    )
    words = sorted(VoiceWords.objects.filter(record__agency=agency).values_list("part", "words"))
    versions = list(
        WPVersion.objects.filter(agency=agency)
        .order_by("words_and_pictures__case__reference", "words_and_pictures__child__given_name")
        .values_list("number", "status", "what_we_are_doing", "change_note")
    )
    return records, words, versions


def _wipe(agency):
    WPSharing.objects.all().delete()
    WPAgreement.objects.all().delete()
    for number in (3, 2, 1):
        WPVersion.objects.filter(number=number).delete()
    WordsAndPictures.objects.all().delete()
    VoiceRecord.objects.all().delete()


def test_demo_voices_are_plausible_and_deterministic():
    agency = generate_agency(seed=7, families=12, today=TODAY).agency
    assert VoiceRecord.objects.filter(agency=agency).exists(), "the generator adds voices"
    _wipe(agency)
    add_voices_work(agency=agency, rng=random.Random(3), today=TODAY)
    first = fingerprint(agency)
    records = VoiceRecord.objects.filter(agency=agency)
    assert records.filter(kind=VoiceKind.THREE_HOUSES).exists()
    for record in records.select_related("child", "case"):
        assert 4 <= record.child_age <= 15 and record.done_on <= TODAY
        assert record.case.status == "open"
        assert record.case.maps.filter(status="finalised").exists()
        assert record.parts.count() == len(record.part_names())
        assert not record.pictures.exists()
    for wp in WordsAndPictures.objects.filter(agency=agency):
        numbers = list(wp.versions.order_by("number").values_list("number", flat=True))
        assert numbers in ([1, 2], [1, 2, 3])
        newest = wp.versions.get(number=numbers[-1])
        assert newest.based_on.number == numbers[-1] - 1
        if newest.is_agreed:
            assert newest.agreements.exists()
    assert WPAgreement.objects.exists() and WPSharing.objects.exists()
    _wipe(agency)
    add_voices_work(agency=agency, rng=random.Random(3), today=TODAY)
    assert fingerprint(agency) == first
