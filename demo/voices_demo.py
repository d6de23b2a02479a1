"""Children's voices and Words and Pictures for the synthetic demo agency.

For open cases with a finalised map: Three Houses for children aged 4 to 15 in their own plain
words, some Fairy or Wizard and Safety House records, and a Words and Pictures for most of those
children, in two or three versions, the newest agreed by a parent for most and shared with the
child for some. No pictures (the demo holds no uploads). Deterministic given `rng` and `today`;
rows are written in bulk (synthetic seed data has no audit trail)."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from agencies.models import Agency
from people.models import Allocation, Case, CaseMember, Person, Relationship
from practice.models import Map
from voices.models import (
    VoiceKind,
    VoiceRecord,
    VoiceWords,
    WordsAndPictures,
    WPAgreement,
    WPSharing,
    WPVersion,
)

YOUNGER = {  # aged 4 to 8
    "worries": [
        "When {grown_up} shouts I go under my bed.",
        "I don't like it when {mum} cries.",
        "Sometimes there is no food for breakfast.",
        "I get scared at night when the door bangs.",
        "{grown_up} was mean to {mum}.",
    ],
    "good_things": [
        "{nan} makes pancakes.",
        "I like playing with my {pet}.",
        "My teacher gives me stickers.",
        "{mum} reads me a story at bedtime.",
        "I am good at drawing.",
    ],
    "dreams": [
        "I want everyone to be kind at home.",
        "I want to go to the park with {mum}.",
        "I want {grown_up} to stop shouting.",
        "I want a puppy.",
        "I want to stay at my school.",
    ],
}
OLDER = {  # aged 9 to 15
    "worries": [
        "When {grown_up} drinks he gets angry and I have to look after my little brother.",
        "I worry about {mum} when I'm at school.",
        "Sometimes I don't want to go home.",
        "People at school found out and I felt embarrassed.",
        "I hear them arguing when I'm trying to sleep.",
    ],
    "good_things": [
        "Football on Saturdays with my mates.",
        "{nan} always listens to me.",
        "{mum} is trying really hard.",
        "My form tutor is nice and I can talk to her.",
        "I'm doing well in maths.",
    ],
    "dreams": [
        "For home to be calm so I can have friends round.",
        "For {mum} to be happy again.",
        "To stop worrying all the time.",
        "To go on holiday all together, with no arguing.",
        "To get into the football team.",
    ],
}
WAND = {
    "wand_worries": [
        "I'd make the shouting go away.",
        "No more being scared at night.",
        "I'd take away the drink.",
    ],
    "wand_good_things": [
        "I'd keep {nan} and the pancakes.",
        "I'd keep my {pet}.",
        "I'd keep my school and my friends.",
    ],
    "wand_dreams": [
        "A big house with a garden for everyone.",
        "{mum} and me on the beach.",
        "Everyone being happy at the same time.",
    ],
}
SAFETY_HOUSE = {
    "inside": ["{mum}, me and my {pet}.", "{mum}, {nan} and my brother.", "{mum} and me."],
    "outer_circle": ["{nan} and my teacher.", "My auntie and my best friend's mum.", "{nan}."],
    "roof_rules": [
        "No shouting. Grown-ups talk calmly.",
        "Nobody drinks when they look after us.",
        "I can always phone {nan} if I'm scared.",
    ],
    "outside_fence": [
        "{grown_up} when he has been drinking.",
        "People who shout.",
        "{grown_up}, until he stops being angry.",
    ],
    "path_home": [
        "{grown_up} goes to his group and stops drinking.",
        "Everyone keeps the rules for a long time.",
        "{mum} and {grown_up} stop arguing.",
    ],
}
PETS = ["cat", "dog", "hamster", "rabbit", "goldfish"]
NANS = ["Nan", "Grandma", "Gran", "Nanny"]

WP_TEXT = {
    "who_is_worried": "{worker} the social worker and {child}'s teachers are worried. "
    "{mum} is worried too.",
    "worried_about": [
        "Sometimes {grown_up} drinks too much and shouts. Once he pushed {mum}. "
        "{child} saw it and was scared.",
        "There were times when there wasn't enough food and {child} missed school. "
        "{mum} was feeling very sad and found it hard to look after {child}.",
        "The grown-ups at home argued a lot and it got very loud. {child} heard it and hid.",
    ],
    "what_happened": [
        "{child} went to stay with {nan} for a few days while the grown-ups talked.",
        "{worker} came to meet {child} at school and at home, to listen to everyone.",
        "The school told {worker}, and {worker} came to see the family.",
    ],
    "what_we_are_doing": [
        "{mum} and {grown_up} meet {worker} every week to make a plan so home is calm and safe.",
        "{nan} visits every day and {mum} is getting help to feel better.",
        "Everyone made a plan so {child} always has food, gets to school and feels safe.",
    ],
    "safety_plan": [
        "If the grown-ups argue, {child} can go to their room and phone {nan}. "
        "{grown_up} does not drink when he looks after {child}.",
        "{nan} checks in every evening. If {child} is worried, {child} can tell their teacher.",
    ],
}
REVISIONS = [
    ("what_we_are_doing", " {grown_up} goes to a group on Tuesdays.", "{grown_up} asked us to "
     "say he goes to a group."),
    ("what_happened", " {child} is back home now.", "Updated after {child} went home."),
    ("who_is_worried", " Everyone wants {child} to be safe and happy.", "{mum} asked us to say "
     "everyone loves {child}."),
]  # fmt: skip


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    if end <= start:
        return end
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


@transaction.atomic
def add_voices_work(*, agency: Agency, rng: random.Random, today: datetime.date) -> None:
    """Add voice records and Words and Pictures to the agency's open cases with a finalised map
    and no children's voices yet."""
    cases = list(
        Case.objects.filter(
            agency=agency,
            status=Case.Status.OPEN,
            deleted_at__isnull=True,
            maps__status=Map.Status.FINALISED,
        )
        .exclude(voice_records__isnull=False)
        .distinct()
        .order_by("pk")
    )
    if not cases:
        return
    case_ids = [case.pk for case in cases]
    members = defaultdict(list)
    for member in (
        CaseMember.objects.filter(case_id__in=case_ids).select_related("person").order_by("pk")
    ):
        members[member.case_id].append(member.person)
    workers = {
        a.case_id: a.worker
        for a in Allocation.objects.filter(case_id__in=case_ids, ended_on__isnull=True)
        .select_related("worker")
        .order_by("pk")
    }
    parents = defaultdict(dict)  # child id -> {kind: parent}
    for rel in Relationship.objects.filter(
        agency=agency,
        kind__in=[
            Relationship.Kind.MOTHER,
            Relationship.Kind.FATHER,
            Relationship.Kind.STEP_PARENT,
            Relationship.Kind.PARENTS_PARTNER,
        ],
    ).select_related("person"):
        parents[rel.relative_id].setdefault(rel.kind, rel.person)

    records: list[VoiceRecord] = []
    words: list[tuple[VoiceRecord, dict[str, str]]] = []
    stories: list[tuple[WordsAndPictures, list[dict]]] = []
    for case in cases:
        worker = workers.get(case.pk)
        if worker is None:
            continue
        first_map = (
            case.maps.filter(status=Map.Status.FINALISED).order_by("number").values("held_on")[0]
        )
        for child in members[case.pk]:
            if child.kind != Person.Kind.CHILD or child.date_of_birth is None:
                continue
            done_on = _between(rng, case.opened_on, min(today, first_map["held_on"]))
            age = child.age_on(done_on)
            if age is None or not 4 <= age <= 15:
                continue
            family = parents[child.pk]
            mum = family.get(Relationship.Kind.MOTHER)
            grown_up = (
                family.get(Relationship.Kind.FATHER)
                or family.get(Relationship.Kind.STEP_PARENT)
                or family.get(Relationship.Kind.PARENTS_PARTNER)
            )
            fill = {
                "child": child.known_as or child.given_name,
                "mum": "Mum" if mum else "my carer",
                "grown_up": "Dad" if grown_up else "the man who visits",
                "nan": rng.choice(NANS),
                "pet": rng.choice(PETS),
                "worker": worker.first_name,
            }
            pool = YOUNGER if age <= 8 else OLDER
            kinds = [(VoiceKind.THREE_HOUSES, done_on)]
            if rng.random() < 0.35:
                kinds.append((VoiceKind.FAIRY_WIZARD, _between(rng, done_on, today)))
            if rng.random() < 0.3:
                kinds.append((VoiceKind.SAFETY_HOUSE, _between(rng, done_on, today)))
            for kind, day in kinds:
                if not 4 <= child.age_on(day) <= 15:
                    continue
                source = pool if kind == VoiceKind.THREE_HOUSES else None
                source = source or (WAND if kind == VoiceKind.FAIRY_WIZARD else SAFETY_HOUSE)
                chosen = {
                    part: "\n".join(
                        line.format(**fill)
                        for line in rng.sample(options, k=rng.randint(1, min(2, len(options))))
                    )
                    for part, options in source.items()
                }
                shared = _between(rng, day, today) if rng.random() < 0.6 else None
                record = VoiceRecord(
                    agency=agency,
                    case=case,
                    child=child,
                    kind=kind,
                    done_on=day,
                    child_age=child.age_on(day),
                    done_by=worker,
                    created_by=worker,
                    shared_with_parents_on=shared,
                    shared_recorded_by=worker if shared else None,
                )
                records.append(record)
                words.append((record, chosen))
            if rng.random() < 0.75:
                stories.append(_story(rng, agency, case, child, worker, mum, fill, done_on, today))

    VoiceRecord.objects.bulk_create(records, batch_size=500)
    VoiceWords.objects.bulk_create(
        [
            VoiceWords(agency_id=record.agency_id, record=record, part=part, words=text)
            for record, chosen in words
            for part, text in chosen.items()
        ],
        batch_size=1000,
    )
    WordsAndPictures.objects.bulk_create([wp for wp, _ in stories], batch_size=500)
    versions, agreements, sharings = [], [], []
    for wp, plan in stories:
        for step in plan:
            step["version"].words_and_pictures = wp
            versions.append(step["version"])
    # Versions point at the one before: write them number by number.
    for number in (1, 2, 3):
        WPVersion.objects.bulk_create([v for v in versions if v.number == number], batch_size=500)
    for _wp, plan in stories:
        for step in plan:
            version = step["version"]
            if step.get("agreed"):
                agreements.append(
                    WPAgreement(agency_id=version.agency_id, version=version, **step["agreed"])
                )
            if step.get("shared"):
                sharings.append(
                    WPSharing(agency_id=version.agency_id, version=version, **step["shared"])
                )
    WPAgreement.objects.bulk_create(agreements, batch_size=500)
    WPSharing.objects.bulk_create(sharings, batch_size=500)


def _story(rng, agency, case, child, worker, mum, fill, start, today):
    """A Words and Pictures in two or three versions; the newest agreed for most families."""
    wp = WordsAndPictures(agency=agency, case=case, child=child, created_by=worker)
    sections = {
        "who_is_worried": WP_TEXT["who_is_worried"].format(**fill),
        **{
            name: rng.choice(WP_TEXT[name]).format(**fill)
            for name in ("worried_about", "what_happened", "what_we_are_doing")
        },
        "safety_plan": rng.choice(WP_TEXT["safety_plan"]).format(**fill)
        if rng.random() < 0.5
        else "",
    }
    count = rng.choice([2, 2, 3])
    day = _between(rng, start, today)
    plan, previous = [], None
    changes = rng.sample(REVISIONS, k=count - 1)
    for number in range(1, count + 1):
        note = ""
        if number > 1:
            name, extra, note = changes[number - 2]
            sections = {**sections, name: sections[name] + extra.format(**fill)}
            note = note.format(**fill)
            day = min(today, day + datetime.timedelta(days=rng.randint(5, 21)))
        version = WPVersion(
            agency=agency,
            number=number,
            based_on=previous,
            status=WPVersion.Status.DRAFT,
            change_note=note,
            created_by=worker,
            changed_by=worker,
            changed_at=_at(day, rng.randint(9, 17)),
            **sections,
        )
        step = {"version": version}
        newest = number == count
        parent_name = mum.display_name if mum else "Their carer"
        if newest and rng.random() < 0.8:
            version.status = WPVersion.Status.AGREED
            step["agreed"] = {
                "person": mum,
                "name": parent_name,
                "agreed_on": day,
                "recorded_by": worker,
            }
            if rng.random() < 0.55:
                step["shared"] = {
                    "shared_on": min(today, day + datetime.timedelta(days=rng.randint(0, 10))),
                    "present": f"{'Mum' if mum else 'Their carer'}, {fill['child']} and "
                    f"{worker.first_name} (social worker)",
                    "recorded_by": worker,
                }
        elif not newest and rng.random() < 0.3:
            version.status = WPVersion.Status.AGREED
            step["agreed"] = {
                "person": mum,
                "name": parent_name,
                "agreed_on": day,
                "recorded_by": worker,
            }
        plan.append(step)
        previous = version
    return wp, plan
