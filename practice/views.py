"""Map pages. Each view fetches the case through the access-scoped selector (404 outside it),
checks the recording permission for writes, calls one service, and answers htmx with just the
part of the page that changed — or, without JavaScript, with a redirect back to the map."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import retarget

from agencies.models import Role
from core.audit import audit_view
from core.errors import ConflictError, RuleViolation
from people.selectors import (
    case_children,
    case_family,
    case_get_visible,
    case_people,
    case_user_may,
)
from practice import guidance, selectors, services
from practice.forms import (
    DangerStatementEditForm,
    DangerStatementForm,
    MapDetailsForm,
    MapEntryAddForm,
    MapEntryEditForm,
    MapStartForm,
    ParticipantForm,
    PlainLanguageTermForm,
    ScaleJudgementForm,
)
from practice.labels import HINTS, category_labels
from practice.models import (
    PLAIN_CATEGORIES,
    DangerStatement,
    MapEntry,
    MapParticipant,
    PlainLanguageTerm,
    ScaleJudgement,
)

BOARD = "practice/_map_board.html"


def _case(request, case_id):
    return case_get_visible(request.user, case_id=case_id)


def _case_and_map(request, case_id, map_id, *, for_recording=False):
    case = _case(request, case_id)
    map_ = selectors.map_get(case=case, map_id=map_id)
    if for_recording and not request.user.has_perm("people.record_on_case", case):
        raise PermissionDenied("You can read this case but not record on it.")
    return case, map_


def _labels(map_):
    return category_labels(agency_id=map_.agency_id, service=map_.service)


def _map_url(map_, anchor=""):
    url = reverse("practice:map_detail", args=[map_.case_id, map_.pk])
    return f"{url}#{anchor}" if anchor else url


def _board_context(request, case, map_, *, forms=None):
    """Everything the editable board needs. `forms` carries a form with errors back to its place,
    and `focus` names the section whose add form should take the keyboard focus again."""
    forms = forms or {}
    content = selectors.map_content(map_)
    children = case_children(case)
    add_forms = {
        category.value: forms.get(category.value)
        or MapEntryAddForm(
            initial={"category": category.value},
            children_queryset=children,
            auto_id=f"add-{category.value}-%s",
        )
        for category in PLAIN_CATEGORIES
    }
    focus = forms.get("focus")
    editable = map_.is_draft and request.user.has_perm("people.record_on_case", case)
    guidance_url = reverse("practice:guidance", args=[case.pk, map_.pk])
    danger_form = forms.get("danger") or DangerStatementForm(
        children_queryset=children, auto_id="add-danger-%s"
    )
    if editable:
        danger_form.with_guidance(guidance_url)
    return {
        "case": case,
        "map": map_,
        "content": content,
        "labels": content.labels,
        "hints": {c.value: h for c, h in HINTS.items()},
        "section": content.section(focus) if focus in add_forms else None,
        "add_forms": add_forms,
        "focus": focus,
        "editable": editable,
        "danger_form": danger_form,
        "guidance": _statement_guidance(map_, content, children) if editable else {},
        "scale_form": forms.get("scale")
        or ScaleJudgementForm(
            danger_statements=content.danger_statements,
            auto_id="add-scale-%s",
            initial={"rater_name": request.user.get_full_name()},
        ),
        "participant_form": forms.get("participant")
        or ParticipantForm(auto_id="add-participant-%s", family=case_family(case)),
        "finalise_problems": services.map_finalise_problems(map_) if map_.is_draft else [],
        "details_form": forms.get("details")
        or MapDetailsForm(
            initial={"purpose": map_.purpose, "held_on": map_.held_on, "revision": map_.revision}
        ),
    }


def _statement_guidance(map_, content, children) -> dict:
    """Plain-language advice for each danger statement and its goal, keyed by the statement:
    the agency's word list is read once for the whole map."""
    terms = guidance.load_terms(map_.agency_id)
    names = [child.given_name for child in children]
    return {
        danger.pk: guidance.statement_and_goal_guidance(danger, terms=terms, child_names=names)
        for danger in content.danger_statements
    }


def map_detail(request, case_id, map_id):
    case, map_ = _case_and_map(request, case_id, map_id)
    audit_view(request, verb="map.viewed", target=map_, case_id=case.pk)
    context = _board_context(request, case, map_)
    context["versions"] = selectors.map_list(case)
    context["permissions"] = case_user_may(request.user, case)
    return render(request, "practice/map_detail.html", context)


def _respond_section(request, case, map_, partial, *, anchor, forms=None, status=200):
    if request.htmx:
        return render(
            request,
            f"{BOARD}#{partial}",
            _board_context(request, case, map_, forms=forms),
            status=status,
        )
    if any(key != "focus" for key in forms or {}):
        context = _board_context(request, case, map_, forms=forms)
        context["versions"] = selectors.map_list(case)
        context["permissions"] = case_user_may(request.user, case)
        return render(request, "practice/map_detail.html", context, status=status)
    return redirect(_map_url(map_, anchor))


def _add_and_respond(request, case, map_, form, save, *, partial, anchor, section):
    """Save a valid add form through its service, then answer with the changed section; an
    invalid form, or a map finalised meanwhile, goes back to its place with the text kept."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            return _respond_section(
                request, case, map_, partial, anchor=anchor, forms={"focus": section}
            )
    return _respond_section(
        request, case, map_, partial, anchor=anchor, forms={section: form, "focus": section}
    )


@require_POST
def map_start(request, case_id):
    case = _case(request, case_id)
    if not request.user.has_perm("people.record_on_case", case):
        raise PermissionDenied
    form = MapStartForm(request.POST)
    if form.is_valid():
        try:
            map_ = services.map_start(actor=request.user, case=case, **form.cleaned_data)
        except RuleViolation as error:
            messages.error(request, error.message)
            return redirect("casefile:case_detail", case_id=case.pk)
        return redirect(_map_url(map_))
    messages.error(request, "Choose the kind of meeting and give a valid date to start a map.")
    return redirect("casefile:case_detail", case_id=case.pk)


@require_POST
def map_details_update(request, case_id, map_id):
    case, map_ = _case_and_map(request, case_id, map_id, for_recording=True)
    form = MapDetailsForm(request.POST)
    if form.is_valid():
        try:
            services.map_update_details(
                actor=request.user,
                map_=map_,
                expected_revision=form.cleaned_data["revision"],
                purpose=form.cleaned_data["purpose"],
                held_on=form.cleaned_data["held_on"],
            )
            messages.success(request, "Map details saved.")
            return redirect(_map_url(map_))
        except (ConflictError, RuleViolation) as error:
            form.add_error(None, error.message)
    map_.refresh_from_db()
    return _respond_section(
        request, case, map_, "details", anchor="details", forms={"details": form}
    )


# Plain entries ---------------------------------------------------------------------------


@require_POST
def entry_add(request, case_id, map_id):
    case, map_ = _case_and_map(request, case_id, map_id, for_recording=True)
    category = request.POST.get("category", "")
    if category not in {c.value for c in PLAIN_CATEGORIES}:
        return HttpResponse("Unknown map category.", status=400)
    form = MapEntryAddForm(
        request.POST, children_queryset=case_children(case), auto_id=f"add-{category}-%s"
    )
    return _add_and_respond(
        request,
        case,
        map_,
        form,
        lambda data: services.map_entry_add(
            actor=request.user,
            map_=map_,
            category=data["category"],
            text=data["text"],
            children=data["children"],
        ),
        partial="plain-response",
        anchor=f"section-{category}",
        section=category,
    )


def _entry(map_, entry_id):
    return get_object_or_404(MapEntry.objects.prefetch_related("children"), map=map_, pk=entry_id)


def entry_detail(request, case_id, map_id, entry_id):
    """One entry as shown on the board: where an inline edit's Cancel returns to."""
    case, map_ = _case_and_map(request, case_id, map_id)
    entry = _entry(map_, entry_id)
    if not request.htmx:
        return redirect(_map_url(map_, f"entry-{entry.pk}"))
    context = _board_context(request, case, map_)
    context["entry"] = entry
    return render(request, f"{BOARD}#entry", context)


@require_http_methods(["GET", "POST"])
def entry_edit(request, case_id, map_id, entry_id):
    case, map_ = _case_and_map(request, case_id, map_id, for_recording=True)
    entry = _entry(map_, entry_id)
    children = case_children(case)
    auto_id = f"entry-{entry.pk}-%s"
    if request.method == "POST":
        form = MapEntryEditForm(request.POST, children_queryset=children, auto_id=auto_id)
        if form.is_valid():
            try:
                entry = services.map_entry_update(
                    actor=request.user,
                    entry=entry,
                    expected_revision=form.cleaned_data["revision"],
                    text=form.cleaned_data["text"],
                    children=form.cleaned_data["children"],
                )
            except ConflictError as error:
                form = _conflicted(
                    form, error, MapEntryEditForm, children_queryset=children, auto_id=auto_id
                )
                entry = error.current
            except RuleViolation as error:
                form.add_error(None, error.message)
            else:
                if not request.htmx:
                    return redirect(_map_url(map_, f"entry-{entry.pk}"))
                context = _board_context(request, case, map_)
                context.update(entry=entry, focus_entry=True)
                return render(request, f"{BOARD}#entry", context)
    else:
        form = MapEntryEditForm(
            initial={
                "text": entry.text,
                "children": list(entry.children.all()),
                "revision": entry.revision,
            },
            children_queryset=children,
            auto_id=auto_id,
        )
    context = {"case": case, "map": map_, "entry": entry, "form": form, "labels": _labels(map_)}
    if request.htmx:
        return render(request, "practice/entry_edit.html#entry-form", context)
    return render(request, "practice/entry_edit.html", context)


def _conflicted(form, error, form_class, **kwargs):
    """Keep the person's text, move the revision on to what is now saved, and explain."""
    data = form.data.copy()
    data["revision"] = error.current.revision
    fresh = form_class(data, **kwargs)
    fresh.is_valid()
    fresh.add_error(None, error.message)
    fresh.conflict_with = error.current
    return fresh


@require_POST
def entry_remove(request, case_id, map_id, entry_id):
    case, map_ = _case_and_map(request, case_id, map_id, for_recording=True)
    entry = _entry(map_, entry_id)
    category = entry.category
    try:
        revision = int(request.POST.get("revision", "0"))
        services.map_entry_remove(actor=request.user, entry=entry, expected_revision=revision)
    except (ConflictError, RuleViolation, ValueError) as error:
        messages.error(request, getattr(error, "message", "That entry could not be removed."))
    return _respond_section(
        request,
        case,
        map_,
        "plain-response",
        anchor=f"section-{category}",
        forms={"focus": category},
    )


# Danger statements with their safety goals -------------------------------------------------


@require_POST
def danger_add(request, case_id, map_id):
    case, map_ = _case_and_map(request, case_id, map_id, for_recording=True)
    form = DangerStatementForm(
        request.POST, children_queryset=case_children(case), auto_id="add-danger-%s"
    )
    return _add_and_respond(
        request,
        case,
        map_,
        form,
        lambda data: services.danger_statement_add(
            actor=request.user,
            map_=map_,
            statement=form.statement(),
            goal=form.goal(),
            children=data["children"],
        ),
        partial="danger-response",
        anchor="section-danger_statement",
        section="danger",
    )


def _danger(map_, danger_id):
    return get_object_or_404(
        DangerStatement.objects.select_related("safety_goal").prefetch_related("children"),
        map=map_,
        pk=danger_id,
    )


@require_http_methods(["GET", "POST"])
def danger_edit(request, case_id, map_id, danger_id):
    case, map_ = _case_and_map(request, case_id, map_id, for_recording=True)
    danger = _danger(map_, danger_id)
    children = case_children(case)
    auto_id = f"danger-{danger.pk}-%s"
    if request.method == "POST":
        form = DangerStatementEditForm(request.POST, children_queryset=children, auto_id=auto_id)
        if form.is_valid():
            try:
                services.danger_statement_update(
                    actor=request.user,
                    danger=danger,
                    expected_revision=form.cleaned_data["revision"],
                    statement=form.statement(),
                    goal=form.goal(),
                    children=form.cleaned_data["children"],
                )
            except ConflictError as error:
                form = _conflicted(
                    form,
                    error,
                    DangerStatementEditForm,
                    children_queryset=children,
                    auto_id=auto_id,
                )
                danger = _danger(map_, danger_id)
            except RuleViolation as error:
                form.add_error(None, error.message)
            else:
                return _respond_section(
                    request, case, map_, "danger-response", anchor=f"danger-{danger.pk}"
                )
    else:
        goal = danger.safety_goal
        initial = {name: getattr(danger, name) for name in DangerStatementForm.STATEMENT_FIELDS}
        initial |= {name: getattr(goal, name) for name in DangerStatementForm.GOAL_FIELDS}
        initial |= {"children": list(danger.children.all()), "revision": danger.revision}
        form = DangerStatementEditForm(initial=initial, children_queryset=children, auto_id=auto_id)
    form.with_guidance(reverse("practice:guidance", args=[case.pk, map_.pk]))
    context = {"case": case, "map": map_, "danger": danger, "form": form, "labels": _labels(map_)}
    if request.htmx:
        response = render(request, "practice/danger_edit.html#danger-form", context)
        return retarget(response, f"#danger-{danger.pk}")
    return render(request, "practice/danger_edit.html", context)


@require_POST
def danger_remove(request, case_id, map_id, danger_id):
    case, map_ = _case_and_map(request, case_id, map_id, for_recording=True)
    danger = _danger(map_, danger_id)
    try:
        revision = int(request.POST.get("revision", "0"))
        services.danger_statement_remove(
            actor=request.user, danger=danger, expected_revision=revision
        )
    except (ConflictError, RuleViolation, ValueError) as error:
        messages.error(request, getattr(error, "message", "That statement could not be removed."))
    return _respond_section(
        request, case, map_, "danger-response", anchor="section-danger_statement"
    )


# Scales and participants -----------------------------------------------------------------


@require_POST
def scale_add(request, case_id, map_id):
    case, map_ = _case_and_map(request, case_id, map_id, for_recording=True)
    statements = list(map_.danger_statements.order_by("id"))
    form = ScaleJudgementForm(request.POST, danger_statements=statements, auto_id="add-scale-%s")
    return _add_and_respond(
        request,
        case,
        map_,
        form,
        lambda data: services.scale_judgement_add(actor=request.user, map_=map_, **data),
        partial="scales-response",
        anchor="scales",
        section="scale",
    )


@require_POST
def scale_remove(request, case_id, map_id, judgement_id):
    case, map_ = _case_and_map(request, case_id, map_id, for_recording=True)
    judgement = get_object_or_404(ScaleJudgement, map=map_, pk=judgement_id)
    try:
        services.scale_judgement_remove(actor=request.user, judgement=judgement)
    except RuleViolation as error:
        messages.error(request, error.message)
    return _respond_section(request, case, map_, "scales-response", anchor="scales")


@require_POST
def participant_add(request, case_id, map_id):
    case, map_ = _case_and_map(request, case_id, map_id, for_recording=True)
    form = ParticipantForm(request.POST, auto_id="add-participant-%s", family=case_family(case))
    return _add_and_respond(
        request,
        case,
        map_,
        form,
        lambda data: services.map_participant_add(actor=request.user, map_=map_, **data),
        partial="participants-response",
        anchor="participants",
        section="participant",
    )


@require_POST
def participant_remove(request, case_id, map_id, participant_id):
    case, map_ = _case_and_map(request, case_id, map_id, for_recording=True)
    participant = get_object_or_404(MapParticipant, map=map_, pk=participant_id)
    try:
        services.map_participant_remove(actor=request.user, participant=participant)
    except RuleViolation as error:
        messages.error(request, error.message)
    return _respond_section(request, case, map_, "participants-response", anchor="participants")


# Finalising, sign-off, print and comparison -----------------------------------------------


@require_POST
def map_finalise(request, case_id, map_id):
    case, map_ = _case_and_map(request, case_id, map_id, for_recording=True)
    try:
        revision = int(request.POST.get("revision", "0"))
        services.map_finalise(actor=request.user, map_=map_, expected_revision=revision)
    except (ConflictError, RuleViolation) as error:
        messages.error(request, error.message)
        return redirect(_map_url(map_, "finalise"))
    except ValueError:
        messages.error(request, "The page was out of date. Please try again.")
        return redirect(_map_url(map_, "finalise"))
    messages.success(request, f"Map {map_.number} is finalised and is now the case's current map.")
    return redirect("casefile:case_detail", case_id=case.pk)


@require_POST
def map_sign_off(request, case_id, map_id):
    case, map_ = _case_and_map(request, case_id, map_id)
    if not request.user.has_perm("people.manage_case", case):
        raise PermissionDenied("Only the team's manager signs off maps.")
    try:
        services.map_sign_off(actor=request.user, map_=map_)
        messages.success(request, f"You signed off map {map_.number}.")
    except RuleViolation as error:
        messages.error(request, error.message)
    return redirect(_map_url(map_))


def map_history(request, case_id, map_id):
    case, map_ = _case_and_map(request, case_id, map_id)
    audit_view(request, verb="map.history_viewed", target=map_, case_id=case.pk)
    context = {"case": case, "map": map_, "changes": selectors.map_change_history(map_)}
    return render(request, "practice/map_history.html", context)


def map_print(request, case_id, map_id):
    case, map_ = _case_and_map(request, case_id, map_id)
    audit_view(request, verb="map.printed", target=map_, case_id=case.pk)
    context = {
        "case": case,
        "map": map_,
        "content": selectors.map_content(map_),
        **case_people(case),
    }
    return render(request, "practice/map_print.html", context)


def map_compare(request, case_id):
    case = _case(request, case_id)
    versions = list(selectors.map_list(case))
    if len(versions) < 2:
        messages.info(request, "There is only one version of this map so far.")
        return redirect("casefile:case_detail", case_id=case.pk)
    by_id = {str(m.pk): m for m in versions}
    older = by_id.get(request.GET.get("older", ""), versions[1])
    newer = by_id.get(request.GET.get("newer", ""), versions[0])
    if older.number > newer.number:
        older, newer = newer, older
    audit_view(request, verb="map.compared", target=newer, case_id=case.pk)
    context = {"case": case, "versions": versions, **selectors.map_compare(older, newer)}
    return render(request, "practice/map_compare.html", context)


# The plain-language check ------------------------------------------------------------------

GUIDANCE_TEXT_LIMIT = 4000


def guidance_check(request, case_id, map_id):
    """Advice on the text being typed, as an htmx partial. It reads no records, but is only
    for people who may record on the case; it never stops anything being saved."""
    case, map_ = _case_and_map(request, case_id, map_id, for_recording=True)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    kind = request.GET.get("kind", "")
    if kind not in guidance.TEXT_KINDS:
        kind = "entry"
    field = request.GET.get("field", "")
    text = request.GET.get("text")
    if text is None and field in DangerStatementForm.GUIDED_FIELDS:
        text = request.GET.get(field, "")
    text = (text or "")[:GUIDANCE_TEXT_LIMIT]
    terms = guidance.load_terms(map_.agency_id)
    advice = guidance.guidance_for(text, agency_id=map_.agency_id, kind=kind, terms=terms)
    if kind == "impact" and text.strip():
        names = [child.given_name for child in case_children(case)]
        advice += [
            item
            for item in guidance.danger_statement_guidance(
                {"impact_on_child": text, "child_names": names},
                agency_id=map_.agency_id,
                terms=terms,
            )
            if item.kind == guidance.Kind.MISSING_IMPACT
        ]
    return render(request, "practice/_guidance.html", {"advice": advice, "live": True})


def _practice_lead_agency(request) -> int:
    user = request.user
    if user.role != Role.PRACTICE_LEAD or not user.agency_id:
        raise PermissionDenied("Only practice leads keep the plain-language word list.")
    return user.agency_id


@require_http_methods(["GET", "POST"])
def plain_language_terms(request):
    """Practice leads list, add, change, deactivate and bring back the words the
    plain-language check flags for their agency. One page, so every action is one URL."""
    agency_id = _practice_lead_agency(request)
    services.plain_language_terms_seed(agency_id=agency_id)
    terms = PlainLanguageTerm.objects.filter(agency_id=agency_id)
    add_form = PlainLanguageTermForm(agency_id=agency_id, auto_id="add-term-%s")
    editing, edit_form = None, None
    if request.method == "POST":
        action = request.POST.get("action", "add")
        if action == "add":
            add_form = PlainLanguageTermForm(
                request.POST, agency_id=agency_id, auto_id="add-term-%s"
            )
            if add_form.is_valid():
                record = services.plain_language_term_add(
                    actor=request.user, agency_id=agency_id, **add_form.cleaned_data
                )
                messages.success(request, f"Added “{record.term}” to the list.")
                return redirect("practice:plain_language_terms")
        else:
            term = get_object_or_404(terms, pk=request.POST.get("term_id") or 0)
            if action == "edit":
                edit_form = PlainLanguageTermForm(
                    request.POST, instance=term, agency_id=agency_id, auto_id="edit-term-%s"
                )
                # The form's instance takes the posted values while validating: keep the
                # saved record apart so the change is recorded from what was there.
                saved = PlainLanguageTerm.objects.get(pk=term.pk)
                if edit_form.is_valid():
                    services.plain_language_term_update(
                        actor=request.user,
                        term=saved,
                        new_term=edit_form.cleaned_data["term"],
                        suggestion=edit_form.cleaned_data["suggestion"],
                    )
                    messages.success(request, f"Saved “{saved.term}”.")
                    return redirect("practice:plain_language_terms")
                editing = saved
            elif action in ("deactivate", "reactivate"):
                services.plain_language_term_set_active(
                    actor=request.user, term=term, active=action == "reactivate"
                )
                done = "no longer checked" if action == "deactivate" else "checked again"
                messages.success(request, f"“{term.term}” is {done}.")
                return redirect("practice:plain_language_terms")
            else:
                return HttpResponse("Unknown action.", status=400)
    elif request.GET.get("edit"):
        try:
            editing = terms.filter(pk=int(request.GET["edit"])).first()
        except ValueError:
            editing = None
        if editing is not None:
            edit_form = PlainLanguageTermForm(
                instance=editing, agency_id=agency_id, auto_id="edit-term-%s"
            )
    status = 400 if request.method == "POST" else 200
    context = {
        "terms": list(terms),
        "add_form": add_form,
        "editing": editing,
        "edit_form": edit_form,
    }
    return render(request, "practice/plain_language_terms.html", context, status=status)
