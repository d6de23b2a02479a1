"""A year of learning in practice for the synthetic agency.

- Group supervision in every team each month, led by the team manager (sometimes the practice
  lead), with a worker presenting a case, the group's questions, reflections and actions. Where
  the case's maps allow a new version on that day, the group's map is one of the case's maps
  (purpose "Supervision or case consultation"): carried forward from the map before, with the
  group's new entries; finalised after the session, or left as a draft if it was in the last
  few weeks.
- Case consultations now and then, and individual supervision for every social worker about
  monthly, with a few missed months and two workers whose supervision has lapsed lately, so
  the managers' gaps page has something to show.
- Ten appreciative inquiries, eight of them shared, anonymised, in the library.

Deterministic for an agency and `today`: it draws from its own random generator, never the
generator's, so the rest of the demo stays the same. Rows are bulk inserted like the rest of
the seed data: no audit trail and no record history.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.utils import timezone

from agencies.models import Agency, Role, User
from learning import anonymity
from learning.models import AppreciativeInquiry, SupervisionAction, SupervisionSession
from people.models import Case
from practice.models import (
    DangerStatement,
    Map,
    MapCategory,
    MapEntry,
    MeetingPurpose,
    RaterRole,
    SafetyGoal,
    ScaleJudgement,
)

MONTHS = 12
RECENT_DAYS = 42  # a group map from the last six weeks may still be a draft

FOCUS = [
    "I am stuck on whether things are safe enough to close.",
    "Dad disagrees with every worry; I want help writing a danger statement he can hear.",
    "The network is small and I am not sure who else could be asked.",
    "School and health see this family very differently from us.",
    "I want to check the safety goal says what we would actually see.",
    "The children have said different things to different people.",
]
QUESTIONS = [
    "What would the children say is the most worrying thing?",
    "Who else in the family knows what has happened?",
    "What is the best thing Mum has done for the children in the last month?",
    "If Dad were here, what number would he give?",
    "What would need to be seen for you to move one point up the scale?",
    "What is the worst thing we are worried could happen, and how likely is it?",
    "Which of these worries is the family already acting on?",
    "What has the network seen with their own eyes, rather than been told?",
    "Whose words are these: ours or the family's?",
    "What would closing this case look like from the children's point of view?",
    "Where is the safety already, even on the bad days?",
    "What are we assuming that we have not checked?",
]
REFLECTIONS = [
    "Separating harm from complicating factors showed how little of the worry is about what "
    "has actually happened. The group's scaling was higher than the worker's.",
    "The danger statement was rewritten in plain words; the worker will take it to the "
    "parents before the core group.",
    "The group agreed there is existing safety the map did not show: grandparents on the "
    "school run every day.",
    "Moving quickly to judgement helped. The worker said she now knows what to ask at the "
    "next visit rather than gathering more information.",
    "The safety goal was too vague. Rewriting it as what people will see, for how long, made "
    "the next steps obvious.",
    "We noticed we have not heard from the older child in months; Three Houses before the review.",
]
GROUP_ACTIONS = [
    "Share the rewritten danger statement with the parents and ask what they would change.",
    "Ask the grandparents to the next network meeting.",
    "Do Three Houses with the older child before the review.",
    "Check with school what they have seen, not what they have been told.",
    "Bring the family's scaling to the next core group.",
    "Draft a Words and Pictures explanation with Mum.",
    "Agree with the network who checks the bedtime routine and how they tell us.",
    "Write the safety goal with the family in their words.",
]
INDIVIDUAL_ACTIONS = [
    "Book a place on the danger statements workshop.",
    "Observe a colleague's family network meeting.",
    "Bring one case to the next group supervision.",
    "Review the case's trajectory with the family before closure.",
    "Try the scaling question with the child at the next visit.",
]
GROUP_ENTRIES = [
    (MapCategory.NEXT_STEP, "Worker to ask the parents where they would put themselves on the "
     "scale, and what would move them one point up."),
    (MapCategory.GREY_AREA, "Nobody has asked the children's grandmother what she has seen at "
     "weekends."),
    (MapCategory.EXISTING_SAFETY, "The network has already kept to the plan for six weekends "
     "running without being asked."),
    (MapCategory.COMPLICATING_FACTOR, "The family's housing is not secure, which makes every "
     "change feel temporary to them."),
    (MapCategory.NEXT_STEP, "Invite the school's family support worker to the next network "
     "meeting."),
]  # fmt: skip

# Title, theme, what was looked at, what made it work, what others can take, and the
# anonymised account for the library. Written for this demo; no real family or worker.
INQUIRIES = [
    (
        "Writing the danger statement with a father who disagreed",
        "danger_statements",
        "The worker wrote the danger statement with the father at his kitchen table.",
        "Using his own words for what he was worried about, and keeping the statement about "
        "behaviour, not about him.",
        "Write it with the parent, in their words, and read it back until they say it is fair.",
        "A father disagreed with every worry in the first conference and walked out of the "
        "second. The worker asked to meet him at home and brought a blank sheet rather than "
        "the statement we had written. She asked him what he thought we were worried about, "
        "wrote down his words, and only then added ours. The statement they agreed talked "
        "about shouting and doors being slammed at night, and what the children do when it "
        "happens (hide upstairs, stop eating), not about 'anger issues'. He signed it. At the "
        "next review he scaled himself a 4 and said why, and the network could see the same "
        "thing. What made it work: the worker's patience, her refusal to use labels, and "
        "writing the behaviour, not a judgement about the person.",
    ),
    (
        "A grandmother's network grew from one to seven",
        "network",
        "Building a safety network with a grandmother who said there was nobody else.",
        "Asking about every person in the children's week, one day at a time.",
        "Walk through the children's week hour by hour and ask who is there.",
        "A grandmother caring for three children told us there was nobody else who could "
        "help. Instead of accepting that, the worker walked through an ordinary week with her, "
        "day by day: who takes them to school, who is at the football on Saturday, who they "
        "visit after church. By the end there were eleven names on the page. Seven agreed to "
        "be part of the network once they understood the worries through a Words and Pictures "
        "explanation. Two of them now do the Friday tea-time check. Others can take from this "
        "the simple question 'who else was there?' asked about each part of the week.",
    ),
    (
        "Three Houses with a child who would not talk",
        "three_houses",
        "Three Houses with a nine-year-old who had refused to speak to any professional.",
        "Letting the child draw first and talk later, in his own time and place.",
        "Give children control over where, when and how they tell you.",
        "A nine-year-old boy had refused to speak to three different workers. The worker "
        "stopped asking questions. She brought paper and pens to the park he chose, drew her "
        "own three houses first (her house of worries was about her car failing its MOT) and "
        "left the pens on the bench. On the third visit he drew his house of dreams: everyone "
        "eating at the same table. His house of worries showed a locked bathroom door. That "
        "single drawing changed the danger statement and the safety plan. What others can "
        "take: go at the child's pace, share something of your own first, and let the drawing "
        "do the talking.",
    ),
    (
        "Words and Pictures that the children asked to keep",
        "words_and_pictures",
        "A Words and Pictures explanation written with the parents for their two children.",
        "The parents chose the words and drew the pictures themselves.",
        "The explanation belongs to the family: let them write it.",
        "Two parents were frightened that telling their children why social workers were "
        "involved would damage them. The worker offered to draft the Words and Pictures, but "
        "then asked the parents to change every sentence until it sounded like them. Mum drew "
        "the pictures. The story told the children what had happened the night the police "
        "came, who was worried, and what the grown-ups were doing now to keep them safe. The "
        "children asked to keep it in their bedroom. The parents said afterwards that writing "
        "it was the first time they had talked about that night together. The learning: "
        "the family's words carry further than ours.",
    ),
    (
        "Scaling with a teenager by text message",
        "scaling",
        "Using the scaling question with a fifteen-year-old who would only reply to texts.",
        "Meeting the young person where she was, and asking the same question every week.",
        "The scaling question works anywhere if the zero and ten are clear to the young person.",
        "A fifteen-year-old would not come to meetings but replied to texts. The worker agreed "
        "with her what zero and ten meant ('zero: I can't stay at home; ten: home feels like "
        "home') and then sent the same question every Sunday evening. Over eight weeks the "
        "numbers went from 2 to 6, and each week the worker asked 'what made it a 6 and not a "
        "5?' The answers (Mum came to parents' evening, nobody shouted at tea) went straight "
        "into the map as existing safety. Others can take: agree the meaning of the scale with "
        "the young person first; then a single number each week tells you a great deal.",
    ),
    (
        "A safety plan the family wrote on the fridge",
        "safety_planning",
        "A safety plan with rules the family wrote themselves and kept on the fridge.",
        "Rules written as what people will do, with who checks and what happens if it breaks.",
        "Ask the family to say the rules back in their own words before anything is written.",
        "After a year of professionals writing plans that nobody read, the worker asked the "
        "family and network to write the rules themselves. Each rule said who would do what, "
        "when, and how the network would know: 'If Dad has been drinking he sleeps at his "
        "brother's, and texts Nan when he gets there.' The family wrote it on a big sheet on "
        "the fridge. When a rule was broken in the second month, the network knew before we "
        "did and acted. What made it work: the plan was theirs, in their words, and every rule "
        "had someone who checked it.",
    ),
    (
        "Mapping with both parents in separate rooms",
        "mapping",
        "A mapping meeting held with separated parents who could not be in the same room.",
        "Two maps on one afternoon, then a single map the parents could both accept.",
        "When people cannot sit together, map separately and bring the maps together.",
        "Separated parents could not be in the same room without an argument. The worker and "
        "the team manager held two mapping conversations in neighbouring rooms on the same "
        "afternoon, using the same three columns, and then put the two maps side by side. Both "
        "parents had named the same best thing about the other (how they are at bedtime) and "
        "the same worry (the children carrying messages between them). The combined map was "
        "read to both parents separately and neither asked for changes. Others can take: "
        "common ground often exists; the process just has to make room for it.",
    ),
    (
        "Closing a case with the network in charge",
        "safety_planning",
        "Handing over the safety plan to the network before closing the case.",
        "A trajectory agreed at the start, so that closing was a step everyone expected.",
        "Set out the trajectory to closure from the first meeting.",
        "From the first network meeting the worker set out a trajectory: what would need to "
        "be seen, for how long, before we stepped back. Each review marked progress on the "
        "same timeline. By the last meeting the network was chairing itself: the mother's "
        "friend ran the agenda and the worker only listened. When the case closed, nobody was "
        "surprised and the plan kept going. Six months later there has been no new referral. "
        "The learning: say from the start what closure will look like, and hand the work to "
        "the network step by step.",
    ),
    (
        "Asking the school what they had seen",
        "partnership",
        "Changing a school's worry from 'concerns' into things staff had seen.",
        "Asking professionals for observations, not opinions, before writing the map.",
        "Ask 'what did you see?' before 'what do you think?'",
        "A school's referral said it had 'ongoing concerns about neglect'. The worker rang "
        "the class teacher and asked only what she had seen: the child arriving without a "
        "coat three times in November, eating two breakfasts at breakfast club, falling "
        "asleep after lunch. The same questions to the parents brought out that the boiler "
        "had broken and the family was sleeping in one room. The map changed from a vague "
        "worry about neglect to a practical problem with a plan. Others can take: "
        "professionals' observations make a better map than their conclusions.",
    ),
    (
        "A group supervision that moved us to action",
        "mapping",
        "A group supervision that went from information to judgement in forty minutes.",
        "A facilitator who kept the group to the process and away from more information.",
        "Keep the group on the map: harm, danger, safety, scale, next steps.",
        "A worker brought a case she had been gathering information on for three months. The "
        "facilitator kept the group to the process: ten minutes on what had happened, ten on "
        "what was working, then danger statements, then everyone scaled. Scores ranged from "
        "2 to 7, and talking about why brought out existing safety the worker had not "
        "counted. The group agreed three next steps with names and dates. The worker said "
        "she left knowing exactly what to do on Monday. What others can take: humility about "
        "what we know, and the discipline to move to judgement and action.",
    ),
]
SHARED = 8  # the first eight are in the library; the ninth waits to be checked


def add_learning(*, agency: Agency, rng: random.Random, today: datetime.date) -> None:
    if SupervisionSession.objects.filter(agency=agency).exists():
        return
    _Learning(agency, random.Random("learning"), today).write()


def _moment(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


class _Learning:
    def __init__(self, agency, rng, today):
        self.agency, self.rng, self.today = agency, rng, today
        staff = list(User.objects.filter(agency=agency, is_active=True).order_by("pk"))
        self.managers = {u.team_id: u for u in staff if u.role == Role.TEAM_MANAGER}
        self.workers = defaultdict(list)
        for user in staff:
            if user.role == Role.SOCIAL_WORKER and user.team_id:
                self.workers[user.team_id].append(user)
        self.lead = next((u for u in staff if u.role == Role.PRACTICE_LEAD), None)
        self.cases = defaultdict(list)
        for case in Case.objects.filter(agency=agency, deleted_at__isnull=True).order_by("pk"):
            self.cases[case.team_id].append(case)
        self.latest = {}
        for map_ in Map.objects.filter(agency=agency).order_by("case_id", "number"):
            self.latest[map_.case_id] = map_
        self.sessions, self.attendees, self.actions = [], [], []

    def write(self) -> None:
        # The last worker in each of the first two teams has had no supervision of any kind
        # since a day six to ten weeks ago.
        self.lapsed_since = {}
        for team_id in sorted(self.managers)[:2]:
            if self.workers[team_id]:
                days = self.rng.randint(40, 75)
                self.lapsed_since[self.workers[team_id][-1].pk] = self.today - datetime.timedelta(
                    days=days
                )
        for team_id in sorted(self.managers):
            if self.workers[team_id] and self.cases[team_id]:
                self._group_sessions(team_id)
                self._individual_sessions(team_id)
        self._save_sessions()
        self._inquiries()

    # Sessions -----------------------------------------------------------------------------

    def _group_sessions(self, team_id: int) -> None:
        rng, manager = self.rng, self.managers[team_id]
        for back in range(MONTHS - 1, -1, -1):
            day = self.today - datetime.timedelta(days=30 * back + rng.randint(0, 20))
            workers = [w for w in self.workers[team_id] if self._supervised_on(w, day)]
            if not workers:
                continue
            # The team's newest worker-presenter is its first worker in the latest month, so
            # the demo's social worker has open actions in their worklist.
            presenter = workers[0] if back == 0 else rng.choice(workers)
            facilitator = self.lead if self.lead and rng.random() < 0.25 else manager
            group = [presenter] + rng.sample(
                [w for w in workers if w != presenter], k=min(len(workers) - 1, rng.randint(2, 4))
            )
            if facilitator != manager:
                group.append(manager)
            case = self._case_for(team_id, presenter, day)
            if case is None:
                continue
            session = self._session(
                SupervisionSession.Kind.GROUP, day, facilitator, presenter, group, case
            )
            session.map = self._group_map(case, day, presenter)
            for text in rng.sample(GROUP_ACTIONS, k=rng.randint(1, 3)):
                self._action(session, text, presenter, day)
            if rng.random() < 0.35:
                consulted = rng.choice(workers)
                when = min(day + datetime.timedelta(days=rng.randint(3, 12)), self.today)
                other = self._case_for(team_id, consulted, when)
                if other is not None and self._supervised_on(consulted, when):
                    consultation = self._session(
                        SupervisionSession.Kind.CONSULTATION,
                        when,
                        manager,
                        consulted,
                        [consulted],
                        other,
                    )
                    self._action(consultation, rng.choice(GROUP_ACTIONS), consulted, when)

    def _individual_sessions(self, team_id: int) -> None:
        rng, manager = self.rng, self.managers[team_id]
        for worker in self.workers[team_id]:
            day = self.today - datetime.timedelta(days=365 - rng.randint(0, 20))
            while day <= self.today and self._supervised_on(worker, day):
                if rng.random() > 0.1:
                    session = self._session(
                        SupervisionSession.Kind.INDIVIDUAL, day, manager, worker, [worker], None
                    )
                    if rng.random() < 0.5:
                        self._action(session, rng.choice(INDIVIDUAL_ACTIONS), worker, day)
                day += datetime.timedelta(days=rng.randint(21, 35))

    def _supervised_on(self, worker, day) -> bool:
        return day < self.lapsed_since.get(worker.pk, self.today + datetime.timedelta(days=1))

    def _case_for(self, team_id, worker, day):
        """A case open on that day; where possible one whose maps allow the group's map."""
        open_then = [
            c
            for c in self.cases[team_id]
            if c.opened_on <= day and (c.closed_on is None or c.closed_on >= day)
        ]
        mappable = [c for c in open_then if self._may_map(c, day)]
        pool = mappable or open_then
        return self.rng.choice(pool) if pool else None

    def _may_map(self, case, day) -> bool:
        latest = self.latest.get(case.pk)
        if latest is None or latest.held_on >= day or latest.is_draft:
            return False
        return case.closed_on is not None or (self.today - day).days <= RECENT_DAYS

    def _session(self, kind, day, facilitator, presenter, group, case):
        rng = self.rng
        state = SupervisionSession.State
        completed = state.COMPLETED if (self.today - day).days > 7 else state.OPEN
        session = SupervisionSession(
            agency=self.agency,
            kind=kind,
            held_on=day,
            facilitator=facilitator,
            presenter=presenter,
            case=case,
            focus=rng.choice(FOCUS) if case else "",
            questions="\n".join(rng.sample(QUESTIONS, k=rng.randint(3, 5))) if case else "",
            reflections=rng.choice(REFLECTIONS) if case else "",
            state=SupervisionSession.State.COMPLETED
            if completed
            else SupervisionSession.State.OPEN,
            created_by=facilitator,
        )
        self.sessions.append(session)
        self.attendees.append([person for person in group if person != facilitator])
        return session

    def _action(self, session, text, owner, day) -> None:
        due = day + datetime.timedelta(days=self.rng.randint(7, 28))
        done = None
        if due < self.today and self.rng.random() < 0.85:
            done = min(due - datetime.timedelta(days=self.rng.randint(0, 5)), self.today)
            done = max(done, day)
        self.actions.append(
            SupervisionAction(
                agency=self.agency,
                session=session,
                case=session.case,
                text=text,
                owner=owner,
                due_on=due,
                done_on=done,
                created_by=session.facilitator,
            )
        )

    def _save_sessions(self) -> None:
        SupervisionSession.objects.bulk_create(self.sessions)
        through = SupervisionSession.attendees.through
        through.objects.bulk_create(
            through(supervisionsession_id=session.pk, user_id=person.pk)
            for session, people in zip(self.sessions, self.attendees, strict=True)
            for person in people
        )
        for action in self.actions:
            action.session_id = action.session.pk
        SupervisionAction.objects.bulk_create(self.actions)

    # The group's map ----------------------------------------------------------------------

    def _group_map(self, case, day, presenter) -> Map | None:
        """A new version of the case's map, made by the group: the previous version's content
        carried forward, with the group's own entries; scaled and finalised unless recent."""
        if not self._may_map(case, day):
            return None
        rng, previous = self.rng, self.latest[case.pk]
        draft = (self.today - day).days <= RECENT_DAYS and case.closed_on is None
        map_ = Map.objects.bulk_create(
            [
                Map(
                    agency=self.agency,
                    case=case,
                    number=previous.number + 1,
                    based_on=previous,
                    status=Map.Status.DRAFT if draft else Map.Status.FINALISED,
                    service=case.service,
                    purpose=MeetingPurpose.SUPERVISION,
                    held_on=day,
                    created_by=presenter,
                    finalised_at=None if draft else _moment(day, 16),
                    finalised_by=None if draft else presenter,
                )
            ]
        )[0]
        self._carry_forward(previous, map_)
        new = [
            MapEntry(agency=self.agency, map=map_, category=category, text=text)
            for category, text in rng.sample(GROUP_ENTRIES, k=2)
        ]
        MapEntry.objects.bulk_create(new)
        if not draft:
            self._scale(previous, map_, presenter)
        self.latest[case.pk] = map_
        return map_

    def _carry_forward(self, source: Map, target: Map) -> None:
        entries = list(source.entries.prefetch_related("children"))
        copies = MapEntry.objects.bulk_create(
            MapEntry(
                agency=self.agency, map=target, category=e.category, text=e.text, carried_from=e
            )
            for e in entries
        )
        MapEntry.children.through.objects.bulk_create(
            MapEntry.children.through(mapentry_id=copy.pk, person_id=child.pk)
            for entry, copy in zip(entries, copies, strict=True)
            for child in entry.children.all()
        )
        statements = list(
            source.danger_statements.select_related("safety_goal").prefetch_related("children")
        )
        copies = DangerStatement.objects.bulk_create(
            DangerStatement(
                agency=self.agency,
                map=target,
                who_is_worried=s.who_is_worried,
                worried_about=s.worried_about,
                impact_on_child=s.impact_on_child,
                disputed_by=s.disputed_by,
                dispute=s.dispute,
                carried_from=s,
            )
            for s in statements
        )
        DangerStatement.children.through.objects.bulk_create(
            DangerStatement.children.through(dangerstatement_id=copy.pk, person_id=child.pk)
            for statement, copy in zip(statements, copies, strict=True)
            for child in statement.children.all()
        )
        SafetyGoal.objects.bulk_create(
            SafetyGoal(
                agency=self.agency,
                danger_statement=copy,
                what_will_be_seen=s.safety_goal.what_will_be_seen,
                seen_by=s.safety_goal.seen_by,
                sustain_for=s.safety_goal.sustain_for,
                sustain_unit=s.safety_goal.sustain_unit,
            )
            for s, copy in zip(statements, copies, strict=True)
        )

    def _scale(self, previous: Map, map_: Map, presenter) -> None:
        """The presenting worker scales again after the group; the parent's view is the one
        the worker brought to the session, named as such."""
        overall = {
            j.rater_role: j for j in previous.scale_judgements.filter(danger_statement__isnull=True)
        }
        rows = []
        worker = overall.get(RaterRole.WORKER)
        if worker is not None:
            rows.append(
                ScaleJudgement(
                    agency=self.agency,
                    map=map_,
                    rater_name=str(presenter),
                    rater_role=RaterRole.WORKER,
                    score=min(10, worker.score + self.rng.choice([0, 1, 1, 2])),
                    zero_means=worker.zero_means,
                    ten_means=worker.ten_means,
                    reason="After group supervision: the group helped me see the existing "
                    "safety I had not counted.",
                )
            )
        parent = overall.get(RaterRole.PARENT)
        if parent is not None:
            rows.append(
                ScaleJudgement(
                    agency=self.agency,
                    map=map_,
                    rater_name=parent.rater_name,
                    rater_role=RaterRole.PARENT,
                    score=parent.score,
                    zero_means=parent.zero_means,
                    ten_means=parent.ten_means,
                    reason="As the parent scaled it with the worker before the session.",
                )
            )
        ScaleJudgement.objects.bulk_create(rows)

    # Appreciative inquiry -----------------------------------------------------------------

    def _inquiries(self) -> None:
        rng = self.rng
        teams = [t for t in sorted(self.managers) if self.workers[t]]
        if not teams or self.lead is None:
            return
        for index, (title, theme, examined, worked, take, text) in enumerate(INQUIRIES):
            team_id = teams[index % len(teams)]
            worker = rng.choice(self.workers[team_id])
            held_on = self.today - datetime.timedelta(days=rng.randint(14, 340))
            case = self._inquiry_case(team_id, held_on, text, title, worker)
            shared = index < SHARED
            confirmer = self.lead if index % 2 == 0 else self.managers[team_id]
            inquiry = AppreciativeInquiry.objects.create(
                agency=self.agency,
                title=title,
                theme=theme,
                held_on=held_on,
                facilitator=self.lead,
                case=case,
                practice_examined=examined,
                what_made_it_work=worked,
                what_others_can_take=take,
                shared_text=text if index <= SHARED else "",
                state=AppreciativeInquiry.State.SHARED
                if shared
                else AppreciativeInquiry.State.PRIVATE,
                shared_at=_moment(min(held_on + datetime.timedelta(days=9), self.today), 11)
                if shared
                else None,
                shared_by=confirmer if shared else None,
                created_by=self.lead,
            )
            inquiry.workers.set([worker])

    def _inquiry_case(self, team_id, day, text, title, worker):
        """One of the worker's team's cases open that day, provided the account names no one
        in it (it never should: the check is the same one sharing runs)."""
        for case in self.rng.sample(self.cases[team_id], k=len(self.cases[team_id])):
            if case.opened_on <= day and (case.closed_on is None or case.closed_on >= day):
                names = anonymity.names_to_avoid(case=case, workers=[worker])
                if not anonymity.names_found(f"{title}\n{text}", names):
                    return case
        return None
