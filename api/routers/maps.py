"""Maps: read them, and write them only through practice.services, which keep their rules
(drafts only, danger statements with their goals, optimistic revisions) and audit each change."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status

from api import selectors
from api.models import Scope
from api.pagination import paginate
from api.routers.common import audit_read, case_for, children_of, person_of, read, write
from api.schemas import (
    DangerStatementIn,
    DangerStatementOut,
    EntryIn,
    EntryOut,
    EntryUpdateIn,
    Id,
    ListParams,
    MapDetailOut,
    MapFinaliseIn,
    MapOut,
    MapPage,
    MapStartIn,
    ParticipantIn,
    ParticipantOut,
    Revision,
    ScaleJudgementIn,
    ScaleJudgementOut,
)
from core.errors import RuleViolation
from practice import services
from practice.models import DangerStatement, Map
from practice.selectors import map_content, map_get

router = Router(tags=["maps"])
MAP = "/cases/{case_id}/maps/{map_id}"


class RemoveParams(Schema):
    expected_revision: Revision


def _map(request, case_id: int, map_id: int, *, recording: bool = False) -> Map:
    case = case_for(request, case_id, recording=recording)
    return map_get(case=case, map_id=map_id)


def _detail(map_: Map) -> Map:
    """The map with its content laid out for MapDetailOut, in a fixed number of queries."""
    content = map_content(map_)
    map_.labels = {str(k): str(v) for k, v in content.labels.items()}
    map_.participants_list = list(map_.participants.order_by("id"))
    map_.entries_list = sorted(
        (e for entries in content.entries_by_category.values() for e in entries),
        key=lambda e: e.pk,
    )
    map_.statements_list = content.danger_statements
    map_.scales_list = content.overall_scales + [
        judgement for statement in content.danger_statements for judgement in statement.judgements
    ]
    return map_


class MapDetail(MapDetailOut):
    @staticmethod
    def resolve_participants(obj):
        return obj.participants_list

    @staticmethod
    def resolve_entries(obj):
        return obj.entries_list

    @staticmethod
    def resolve_danger_statements(obj):
        return obj.statements_list

    @staticmethod
    def resolve_scale_judgements(obj):
        return obj.scales_list


@router.get("/cases/{case_id}/maps", **read(Scope.MAPS_READ, "List a case's maps", MapPage))
def map_list(request, case_id: Id, params: Query[ListParams]):
    """Newest version first. With `updated_since`: the maps changed since then."""
    case = case_for(request, case_id)
    maps = selectors.api_map_list(case, updated_since=params.updated_since)
    result = paginate(maps, params)
    audit_read(
        request,
        "api.maps_listed",
        count=len(result["results"]),
        case_id=case.pk,
        target=case,
        ids=[m.pk for m in result["results"]],
    )
    return result


@router.get(MAP, **read(Scope.MAPS_READ, "Read a map with everything on it", MapDetail))
def map_detail(request, case_id: Id, map_id: Id):
    map_ = _detail(_map(request, case_id, map_id))
    count = len(map_.entries_list) + len(map_.statements_list) + len(map_.scales_list)
    audit_read(request, "api.map_read", count=count, target=map_, case_id=map_.case_id)
    return map_


@router.post(
    "/cases/{case_id}/maps",
    **write(Scope.MAPS_WRITE, "Start a draft map", MapOut, status=201),
)
def map_start(request, case_id: Id, data: MapStartIn):
    """Starts a new draft. If the case has a finalised map, its entries, danger statements and
    goals are carried forward (scales are not: each mapping is scaled afresh)."""
    case = case_for(request, case_id, recording=True)
    map_ = services.map_start(
        actor=request.user, case=case, purpose=data.purpose.value, held_on=data.held_on
    )
    return Status(201, map_get(case=case, map_id=map_.pk))


@router.post(f"{MAP}/finalise", **write(Scope.MAPS_WRITE, "Finalise a draft map", MapOut))
def map_finalise(request, case_id: Id, map_id: Id, data: MapFinaliseIn):
    """Needs a danger statement with its goal, a scale judgement and the participants; 422
    says what is missing. A stale `expected_revision` is a 409."""
    map_ = _map(request, case_id, map_id, recording=True)
    services.map_finalise(actor=request.user, map_=map_, expected_revision=data.expected_revision)
    return map_get(case=map_.case, map_id=map_.pk)


@router.post(
    f"{MAP}/participants",
    **write(Scope.MAPS_WRITE, "Add who took part", ParticipantOut, status=201),
)
def participant_add(request, case_id: Id, map_id: Id, data: ParticipantIn):
    map_ = _map(request, case_id, map_id, recording=True)
    participant = services.map_participant_add(
        actor=request.user,
        map_=map_,
        name=data.name,
        role=data.role.value,
        organisation=data.organisation,
        person=person_of(map_.case, data.person_id),
    )
    return Status(201, participant)


@router.post(
    f"{MAP}/entries", **write(Scope.MAPS_WRITE, "Add an entry to a draft map", EntryOut, status=201)
)
def entry_add(request, case_id: Id, map_id: Id, data: EntryIn):
    map_ = _map(request, case_id, map_id, recording=True)
    entry = services.map_entry_add(
        actor=request.user,
        map_=map_,
        category=data.category.value,
        text=data.text,
        children=children_of(map_.case, data.children),
    )
    return Status(201, entry)


@router.put(f"{MAP}/entries/{{entry_id}}", **write(Scope.MAPS_WRITE, "Change an entry", EntryOut))
def entry_update(request, case_id: Id, map_id: Id, entry_id: Id, data: EntryUpdateIn):
    """Send the `revision` you read as `expected_revision`: if someone changed the entry since,
    the answer is 409 and nothing is saved."""
    map_ = _map(request, case_id, map_id, recording=True)
    entry = get_object_or_404(map_.entries, pk=entry_id)
    return services.map_entry_update(
        actor=request.user,
        entry=entry,
        expected_revision=data.expected_revision,
        text=data.text,
        children=children_of(map_.case, data.children),
    )


@router.delete(
    f"{MAP}/entries/{{entry_id}}",
    **write(Scope.MAPS_WRITE, "Remove an entry from a draft map", None, status=204),
)
def entry_remove(request, case_id: Id, map_id: Id, entry_id: Id, params: Query[RemoveParams]):
    map_ = _map(request, case_id, map_id, recording=True)
    entry = get_object_or_404(map_.entries, pk=entry_id)
    services.map_entry_remove(
        actor=request.user, entry=entry, expected_revision=params.expected_revision
    )
    return Status(204, None)


@router.post(
    f"{MAP}/danger-statements",
    **write(
        Scope.MAPS_WRITE,
        "Add a danger statement with its safety goal",
        DangerStatementOut,
        status=201,
    ),
)
def danger_statement_add(request, case_id: Id, map_id: Id, data: DangerStatementIn):
    map_ = _map(request, case_id, map_id, recording=True)
    goal = data.goal.model_dump()
    goal["sustain_unit"] = data.goal.sustain_unit.value
    danger = services.danger_statement_add(
        actor=request.user,
        map_=map_,
        statement=data.statement.model_dump(),
        goal=goal,
        children=children_of(map_.case, data.children),
    )
    return Status(201, DangerStatement.objects.select_related("safety_goal").get(pk=danger.pk))


@router.post(
    f"{MAP}/scale-judgements",
    **write(Scope.MAPS_WRITE, "Add a scale judgement", ScaleJudgementOut, status=201),
)
def scale_judgement_add(request, case_id: Id, map_id: Id, data: ScaleJudgementIn):
    """Overall (leave out `danger_statement_id`) or for one danger statement on this map."""
    map_ = _map(request, case_id, map_id, recording=True)
    statement = None
    if data.danger_statement_id is not None:
        statement = map_.danger_statements.filter(pk=data.danger_statement_id).first()
        if statement is None:
            raise RuleViolation("That danger statement is not on this map.")
    judgement = services.scale_judgement_add(
        actor=request.user,
        map_=map_,
        danger_statement=statement,
        rater_name=data.rater_name,
        rater_role=data.rater_role.value,
        score=data.score,
        zero_means=data.zero_means,
        ten_means=data.ten_means,
        reason=data.reason,
    )
    return Status(201, judgement)
