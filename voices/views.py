"""Children's voices and Words and Pictures pages. Each view fetches the case through the
access-scoped selector (404 outside it), checks the child belongs to the case (404), checks the
recording permission for writes (403), calls one service, and answers: htmx with just the part
that changed, and without JavaScript with a redirect (post/redirect/get)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from agencies.models import Role, User
from core.audit import audit_view
from core.errors import ConflictError, RuleViolation
from documents.rendering import document_response
from people.models import Person
from people.selectors import case_get_visible, case_user_may
from practice.guidance import guidance_for, load_terms
from practice.labels import category_labels
from voices import selectors, services
from voices.documents import three_houses_document, words_and_pictures_document
from voices.forms import (
    AgreementForm,
    BringIntoMapForm,
    ShareWithChildForm,
    ShareWithParentsForm,
    VoicePictureForm,
    VoiceRecordEditForm,
    VoiceRecordForm,
    WordsAndPicturesEditForm,
    WordsAndPicturesForm,
    WPPictureForm,
)
from voices.models import VoiceKind, WPSection
from voices.storage import upload_storage

RECORD = "voices/voice_detail.html"


def _case_child(request, case_id, person_id, *, for_recording=False):
    case = case_get_visible(request.user, case_id=case_id)
    child = selectors.child_get(case, person_id=person_id)
    if for_recording and not request.user.has_perm("people.record_on_case", case):
        raise PermissionDenied("You can read this case but not record on it.")
    return case, child


def _staff(case):
    """Who can be named as having done the work: people who record on the case's team."""
    return User.objects.filter(
        agency_id=case.agency_id,
        is_active=True,
        role__in=[Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.CONFERENCE_CHAIR],
    ).order_by("first_name", "last_name")


def _adults(case):
    return Person.objects.filter(memberships__case=case, kind=Person.Kind.ADULT).order_by(
        "given_name"
    )


def _child_url(case, child, anchor=""):
    url = reverse("voices:child_detail", args=[case.pk, child.pk])
    return f"{url}#{anchor}" if anchor else url


def _record_url(record, anchor=""):
    url = reverse("voices:voice_detail", args=[record.case_id, record.child_id, record.pk])
    return f"{url}#{anchor}" if anchor else url


def _wp_url(wp, anchor="", version=None):
    url = reverse("voices:wp_detail", args=[wp.case_id, wp.child_id, wp.pk])
    if version is not None:
        url += f"?version={version.number}"
    return f"{url}#{anchor}" if anchor else url


def _conflicted(form, error, form_class, **kwargs):
    """Keep the person's text, move the revision on to what is now saved, and explain."""
    data = form.data.copy()
    data["revision"] = error.current.revision
    fresh = form_class(data, form.files, **kwargs)
    fresh.is_valid()
    fresh.add_error(None, error.message)
    fresh.conflict_with = error.current
    return fresh


# The child's page -----------------------------------------------------------------------------


def child_detail(request, case_id, person_id):
    case, child = _case_child(request, case_id, person_id)
    audit_view(request, verb="voices.child_viewed", target=child, case_id=case.pk)
    context = {
        "case": case,
        "child": child,
        "permissions": case_user_may(request.user, case),
        "kinds": list(VoiceKind),
        **selectors.child_page(case, child),
    }
    return render(request, "voices/child_detail.html", context)


# Three Houses, Fairy or Wizard, Safety House ----------------------------------------------------


@require_http_methods(["GET", "POST"])
def voice_add(request, case_id, person_id):
    case, child = _case_child(request, case_id, person_id, for_recording=True)
    kind = request.POST.get("kind") or request.GET.get("kind") or VoiceKind.THREE_HOUSES
    if kind not in VoiceKind.values:
        return HttpResponseBadRequest("Unknown kind of work.")
    staff = _staff(case)
    if request.method == "POST":
        form = VoiceRecordForm(request.POST, request.FILES, kind=kind, staff=staff)
        if form.is_valid():
            try:
                record = services.voice_record_add(
                    actor=request.user,
                    case=case,
                    child=child,
                    kind=kind,
                    done_on=form.cleaned_data["done_on"],
                    done_by=form.cleaned_data["done_by"],
                    words=form.words(),
                    pictures=form.pictures(),
                )
            except RuleViolation as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, f"{child.given_name}'s {record.get_kind_display()} is saved."
                )
                return redirect(_record_url(record))
    else:
        form = VoiceRecordForm(
            kind=kind,
            staff=staff,
            initial={"done_on": timezone.localdate(), "done_by": request.user.pk},
        )
    context = {"case": case, "child": child, "kind": VoiceKind(kind), "form": form}
    return render(request, "voices/voice_add.html", context, status=400 if form.errors else 200)


def _record_context(request, case, child, record, *, forms=None):
    forms = forms or {}
    draft = selectors.draft_map_for(case)
    may_record = request.user.has_perm("people.record_on_case", case)
    labels = category_labels(agency_id=case.agency_id, service=case.service)
    parts = selectors.record_parts(record)
    bring_forms = {}
    if may_record and draft is not None:
        for part in parts:
            bring_forms[part.part] = forms.get(f"bring-{part.part}") or BringIntoMapForm(
                labels=labels,
                auto_id=f"bring-{part.part}-%s",
                initial={"part": part.part, "category": part.map_category, "text": part.words},
            )
    for part in parts:
        part.bring_form = bring_forms.get(part.part)
    return {
        "case": case,
        "child": child,
        "record": record,
        "parts": parts,
        "whole_pictures": selectors.record_whole_pictures(record),
        "draft_map": draft,
        "labels": labels,
        "may_record": may_record,
        "focus": forms.get("focus"),
        "picture_form": forms.get("picture")
        or VoicePictureForm(kind=record.kind, auto_id="picture-%s"),
        "share_form": forms.get("share")
        or ShareWithParentsForm(auto_id="share-%s", initial={"shared_on": timezone.localdate()}),
    }


def voice_detail(request, case_id, person_id, record_id):
    case, child = _case_child(request, case_id, person_id)
    record = selectors.voice_record_get(case=case, child=child, record_id=record_id)
    audit_view(request, verb="voices.record_viewed", target=record, case_id=case.pk)
    return render(request, RECORD, _record_context(request, case, child, record))


def voice_words(request, case_id, person_id, record_id):
    """The child's words as shown on the record: where an inline edit's Cancel returns to."""
    case, child = _case_child(request, case_id, person_id)
    record = selectors.voice_record_get(case=case, child=child, record_id=record_id)
    if not request.htmx:
        return redirect(_record_url(record, "words"))
    return render(request, f"{RECORD}#words", _record_context(request, case, child, record))


@require_http_methods(["GET", "POST"])
def voice_edit(request, case_id, person_id, record_id):
    case, child = _case_child(request, case_id, person_id, for_recording=True)
    record = selectors.voice_record_get(case=case, child=child, record_id=record_id)
    kwargs = {"kind": record.kind, "staff": _staff(case), "with_picture": False}
    kwargs["auto_id"] = f"edit-{record.pk}-%s"
    if request.method == "POST":
        form = VoiceRecordEditForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                services.voice_record_update(
                    actor=request.user,
                    record=record,
                    expected_revision=form.cleaned_data["revision"],
                    done_on=form.cleaned_data["done_on"],
                    done_by=form.cleaned_data["done_by"],
                    words=form.words(),
                )
            except ConflictError as error:
                form = _conflicted(form, error, VoiceRecordEditForm, **kwargs)
                record = selectors.voice_record_get(case=case, child=child, record_id=record.pk)
                form.conflict_parts = selectors.record_parts(record)
            except RuleViolation as error:
                form.add_error(None, error.message)
            else:
                if not request.htmx:
                    messages.success(request, "Saved.")
                    return redirect(_record_url(record, "words"))
                record = selectors.voice_record_get(case=case, child=child, record_id=record.pk)
                context = _record_context(request, case, child, record, forms={"focus": "words"})
                return render(request, f"{RECORD}#words", context)
    else:
        initial = {
            "done_on": record.done_on,
            "done_by": record.done_by_id,
            "revision": record.revision,
            **{w.part: w.words for w in record.parts.all()},
        }
        form = VoiceRecordEditForm(initial=initial, **kwargs)
    context = {"case": case, "child": child, "record": record, "form": form}
    status = 400 if form.errors else 200
    if request.htmx:
        return render(request, "voices/voice_edit.html#edit-form", context, status=status)
    return render(request, "voices/voice_edit.html", context, status=status)


@require_POST
def voice_share(request, case_id, person_id, record_id):
    case, child = _case_child(request, case_id, person_id, for_recording=True)
    record = selectors.voice_record_get(case=case, child=child, record_id=record_id)
    form = ShareWithParentsForm(request.POST, auto_id="share-%s")
    if form.is_valid():
        try:
            services.voice_record_share_with_parents(
                actor=request.user, record=record, shared_on=form.cleaned_data["shared_on"]
            )
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Saved: these words were shared with the parents.")
            return redirect(_record_url(record, "sharing"))
    context = _record_context(request, case, child, record, forms={"share": form})
    return render(request, RECORD, context, status=400)


@require_POST
def voice_picture_add(request, case_id, person_id, record_id):
    case, child = _case_child(request, case_id, person_id, for_recording=True)
    record = selectors.voice_record_get(case=case, child=child, record_id=record_id)
    form = VoicePictureForm(request.POST, request.FILES, kind=record.kind, auto_id="picture-%s")
    if form.is_valid():
        try:
            services.voice_picture_add(
                actor=request.user,
                record=record,
                picture=form.cleaned_data["picture"],
                alt_text=form.cleaned_data["alt_text"],
                part=form.cleaned_data["part"],
            )
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The picture is added.")
            return redirect(_record_url(record, "pictures"))
    context = _record_context(request, case, child, record, forms={"picture": form})
    return render(request, RECORD, context, status=400)


@require_POST
def voice_picture_remove(request, case_id, person_id, record_id, voice_picture_id):
    case, child = _case_child(request, case_id, person_id, for_recording=True)
    record = selectors.voice_record_get(case=case, child=child, record_id=record_id)
    picture = selectors.voice_picture_get(record=record, picture_id=voice_picture_id)
    services.voice_picture_remove(actor=request.user, picture=picture)
    messages.success(request, "The picture is taken off this record.")
    return redirect(_record_url(record, "pictures"))


def _serve_picture(request, picture, *, case):
    """Stream a stored picture, only to someone who may open the case; audited each time."""
    storage = upload_storage()
    try:
        handle = storage.open(picture.stored_name, "rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404("No picture found.") from error
    audit_view(request, verb="voices.picture_viewed", target=picture, case_id=case.pk)
    response = FileResponse(handle, content_type=picture.content_type)
    response["Content-Disposition"] = f'inline; filename="picture-{picture.pk}.{picture.extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def voice_picture(request, case_id, person_id, record_id, voice_picture_id):
    case, child = _case_child(request, case_id, person_id)
    record = selectors.voice_record_get(case=case, child=child, record_id=record_id)
    picture = selectors.voice_picture_get(record=record, picture_id=voice_picture_id)
    return _serve_picture(request, picture, case=case)


@require_POST
def voice_bring(request, case_id, person_id, record_id):
    """Bring some of the child's words into the case's draft map."""
    case, child = _case_child(request, case_id, person_id, for_recording=True)
    record = selectors.voice_record_get(case=case, child=child, record_id=record_id)
    part = request.POST.get("part", "")
    if part not in record.part_names():
        return HttpResponseBadRequest("Unknown part.")
    labels = category_labels(agency_id=case.agency_id, service=case.service)
    form = BringIntoMapForm(request.POST, labels=labels, auto_id=f"bring-{part}-%s")
    forms = {"focus": part}
    draft = selectors.draft_map_for(case)
    if form.is_valid():
        if draft is None:
            form.add_error(
                None,
                "There is no draft map to add to. Start a new version of the map from the case "
                "page; the words have been kept here.",
            )
        else:
            try:
                link = services.voice_words_bring_into_map(
                    actor=request.user,
                    record=record,
                    part=part,
                    map_=draft,
                    category=form.cleaned_data["category"],
                    text=form.cleaned_data["text"],
                )
            except RuleViolation as error:
                form.add_error(None, error.message)
            else:
                record = selectors.voice_record_get(case=case, child=child, record_id=record.pk)
                if not request.htmx:
                    messages.success(
                        request,
                        f"Added to map {link.map.number} as {labels[link.category].lower()}.",
                    )
                    return redirect(_record_url(record, f"part-{part}"))
                context = _record_context(request, case, child, record, forms=forms)
                context["part"] = next(p for p in context["parts"] if p.part == part)
                context["added_to"] = link
                return render(request, f"{RECORD}#voice-part", context)
    forms[f"bring-{part}"] = form
    context = _record_context(request, case, child, record, forms=forms)
    if draft is None:  # show the form with its error even though there is no draft
        for view in context["parts"]:
            if view.part == part:
                view.bring_form = form
    if request.htmx:
        context["part"] = next(p for p in context["parts"] if p.part == part)
        return render(request, f"{RECORD}#voice-part", context)
    return render(request, RECORD, context, status=400)


# Words and Pictures ----------------------------------------------------------------------------


def _guidance(case, form) -> dict[str, list[str]]:
    """Non-blocking plain-language suggestions for each section's text, when available."""
    found, terms = {}, None
    for section in WPSection:
        text = form[section.value].value() or ""
        if text.strip():
            terms = terms if terms is not None else load_terms(case.agency_id)
            items = guidance_for(
                text, agency_id=case.agency_id, kind="words_and_pictures", terms=terms
            )
            if items:
                found[section.value] = [item.message for item in items]
    return found


def _wp_form_page(request, case, child, form, *, wp=None, version=None, mode="start"):
    context = {
        "case": case,
        "child": child,
        "form": form,
        "wp": wp,
        "version": version,
        "mode": mode,
        "guidance": _guidance(case, form),
    }
    return render(request, "voices/wp_form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def wp_add(request, case_id, person_id):
    case, child = _case_child(request, case_id, person_id, for_recording=True)
    if request.method == "POST":
        form = WordsAndPicturesForm(request.POST)
        if form.is_valid():
            try:
                version = services.wp_start(
                    actor=request.user,
                    case=case,
                    child=child,
                    sections=form.sections(),
                    change_note=form.cleaned_data["change_note"],
                )
            except RuleViolation as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Words and Pictures version 1 is saved as a draft.")
                return redirect(_wp_url(version.words_and_pictures))
    else:
        form = WordsAndPicturesForm()
    return _wp_form_page(request, case, child, form)


def _wp(request, case_id, person_id, wp_id, *, for_recording=False):
    case, child = _case_child(request, case_id, person_id, for_recording=for_recording)
    return case, child, selectors.wp_get(case=case, child=child, wp_id=wp_id)


def _wp_context(request, case, child, wp, *, shown_number=None, forms=None):
    forms = forms or {}
    versions = selectors.wp_versions(wp)
    latest = versions[0]
    shown = next((v for v in versions if v.number == shown_number), latest)
    may_record = request.user.has_perm("people.record_on_case", case)
    context = {
        "case": case,
        "child": child,
        "wp": wp,
        "versions": versions,
        "latest": latest,
        "version": shown,
        "sections": selectors.wp_sections(shown),
        "may_record": may_record,
        "agree_form": forms.get("agree")
        or AgreementForm(
            adults=_adults(case), auto_id="agree-%s", initial={"agreed_on": timezone.localdate()}
        ),
        "share_form": forms.get("share")
        or ShareWithChildForm(auto_id="share-%s", initial={"shared_on": timezone.localdate()}),
        "picture_form": forms.get("picture") or WPPictureForm(auto_id="picture-%s"),
        "guidance": {},
    }
    if may_record and shown is latest and not latest.is_agreed:
        context["guidance"] = _guidance(
            case, WordsAndPicturesForm(initial={s: getattr(latest, s) for s in WPSection.values})
        )
    return context


def _shown_number(request):
    try:
        return int(request.GET.get("version", ""))
    except ValueError:
        return None


def wp_detail(request, case_id, person_id, wp_id):
    case, child, wp = _wp(request, case_id, person_id, wp_id)
    context = _wp_context(request, case, child, wp, shown_number=_shown_number(request))
    audit_view(request, verb="voices.wp_viewed", target=context["version"], case_id=case.pk)
    return render(request, "voices/wp_detail.html", context)


def _wp_sections_initial(version):
    return {s: getattr(version, s) for s in WPSection.values} | {"revision": version.revision}


@require_http_methods(["GET", "POST"])
def wp_edit(request, case_id, person_id, wp_id):
    """Change the newest version in place while no parent has agreed it."""
    case, child, wp = _wp(request, case_id, person_id, wp_id, for_recording=True)
    latest = selectors.wp_latest(wp)
    if latest.is_agreed and request.method == "GET":
        messages.info(
            request,
            f"Version {latest.number} has been agreed, so it can't be changed. Make a new version.",
        )
        return redirect("voices:wp_revise", case.pk, child.pk, wp.pk)
    if request.method == "POST":
        form = WordsAndPicturesEditForm(request.POST)
        if form.is_valid():
            try:
                services.wp_version_update(
                    actor=request.user,
                    version=latest,
                    expected_revision=form.cleaned_data["revision"],
                    sections=form.sections(),
                    change_note=form.cleaned_data["change_note"],
                )
            except ConflictError as error:
                form = _conflicted(form, error, WordsAndPicturesEditForm)
                latest = error.current
            except RuleViolation as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"Version {latest.number} is saved.")
                return redirect(_wp_url(wp))
    else:
        form = WordsAndPicturesEditForm(
            initial=_wp_sections_initial(latest) | {"change_note": latest.change_note}
        )
    return _wp_form_page(request, case, child, form, wp=wp, version=latest, mode="edit")


@require_http_methods(["GET", "POST"])
def wp_revise(request, case_id, person_id, wp_id):
    """Make the next version: it starts as a copy of the newest one."""
    case, child, wp = _wp(request, case_id, person_id, wp_id, for_recording=True)
    latest = selectors.wp_latest(wp)
    if request.method == "POST":
        form = WordsAndPicturesEditForm(request.POST)
        if form.is_valid():
            try:
                version = services.wp_version_revise(
                    actor=request.user,
                    version=latest,
                    expected_revision=form.cleaned_data["revision"],
                    sections=form.sections(),
                    change_note=form.cleaned_data["change_note"],
                )
            except ConflictError as error:
                form = _conflicted(form, error, WordsAndPicturesEditForm)
                latest = error.current
            except RuleViolation as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"Version {version.number} is saved as a draft.")
                return redirect(_wp_url(wp))
    else:
        form = WordsAndPicturesEditForm(initial=_wp_sections_initial(latest))
    return _wp_form_page(request, case, child, form, wp=wp, version=latest, mode="revise")


def _version(request, case_id, person_id, wp_id, version_id, *, for_recording=True):
    case, child, wp = _wp(request, case_id, person_id, wp_id, for_recording=for_recording)
    return case, child, wp, selectors.wp_version_get(wp, version_id=version_id)


@require_POST
def wp_agree(request, case_id, person_id, wp_id, version_id):
    case, child, wp, version = _version(request, case_id, person_id, wp_id, version_id)
    form = AgreementForm(request.POST, adults=_adults(case), auto_id="agree-%s")
    if form.is_valid():
        try:
            agreement = services.wp_version_agree(
                actor=request.user,
                version=version,
                agreed_on=form.cleaned_data["agreed_on"],
                person=form.cleaned_data["person"],
                name=form.cleaned_data["name"],
            )
        except (ConflictError, RuleViolation) as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Saved: {agreement.name} agreed version {version.number}.")
            return redirect(_wp_url(wp, "agreement"))
    context = _wp_context(request, case, child, wp, forms={"agree": form})
    return render(request, "voices/wp_detail.html", context, status=400)


@require_POST
def wp_share(request, case_id, person_id, wp_id, version_id):
    case, child, wp, version = _version(request, case_id, person_id, wp_id, version_id)
    form = ShareWithChildForm(request.POST, auto_id="share-%s")
    if form.is_valid():
        try:
            services.wp_version_share(
                actor=request.user,
                version=version,
                shared_on=form.cleaned_data["shared_on"],
                present=form.cleaned_data["present"],
            )
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, f"Saved: version {version.number} was shared with {child.given_name}."
            )
            return redirect(_wp_url(wp, "sharing", version=version))
    context = _wp_context(
        request, case, child, wp, shown_number=version.number, forms={"share": form}
    )
    return render(request, "voices/wp_detail.html", context, status=400)


@require_POST
def wp_picture_add(request, case_id, person_id, wp_id, version_id):
    case, child, wp, version = _version(request, case_id, person_id, wp_id, version_id)
    form = WPPictureForm(request.POST, request.FILES, auto_id="picture-%s")
    if form.is_valid():
        try:
            services.wp_picture_add(
                actor=request.user,
                version=version,
                section=form.cleaned_data["section"],
                picture=form.cleaned_data["picture"],
                alt_text=form.cleaned_data["alt_text"],
            )
        except (ConflictError, RuleViolation) as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The picture is added.")
            return redirect(_wp_url(wp, f"section-{form.cleaned_data['section']}"))
    context = _wp_context(request, case, child, wp, forms={"picture": form})
    return render(request, "voices/wp_detail.html", context, status=400)


def wp_picture(request, case_id, person_id, wp_id, version_id, wp_picture_id):
    case, _child, _wp_, version = _version(
        request, case_id, person_id, wp_id, version_id, for_recording=False
    )
    picture = selectors.wp_picture_get(version=version, picture_id=wp_picture_id)
    return _serve_picture(request, picture, case=case)


@require_POST
def wp_picture_remove(request, case_id, person_id, wp_id, version_id, wp_picture_id):
    case, child, wp, version = _version(request, case_id, person_id, wp_id, version_id)
    picture = selectors.wp_picture_get(version=version, picture_id=wp_picture_id)
    try:
        services.wp_picture_remove(actor=request.user, picture=picture)
    except (ConflictError, RuleViolation) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The picture is taken out of this version.")
    return redirect(_wp_url(wp, f"section-{picture.section}"))


# Documents for the family ----------------------------------------------------------------------


def _document(request, *, case, document, fmt, filename_stem):
    return document_response(
        request, case=case, document=document, fmt=fmt, filename_stem=filename_stem
    )


def _wp_download(request, case_id, person_id, wp_id, fmt):
    case, child, wp = _wp(request, case_id, person_id, wp_id)
    versions = selectors.wp_versions(wp)
    number = _shown_number(request)
    version = next((v for v in versions if v.number == number), versions[0])
    return _document(
        request,
        case=case,
        document=words_and_pictures_document(version),
        fmt=fmt,
        filename_stem=f"words-and-pictures-{wp.pk}-version-{version.number}",
    )


def wp_pdf(request, case_id, person_id, wp_id):
    return _wp_download(request, case_id, person_id, wp_id, "pdf")


def wp_docx(request, case_id, person_id, wp_id):
    return _wp_download(request, case_id, person_id, wp_id, "docx")


def _three_houses_download(request, case_id, person_id, record_id, fmt):
    case, child = _case_child(request, case_id, person_id)
    record = selectors.voice_record_get(case=case, child=child, record_id=record_id)
    if record.kind != VoiceKind.THREE_HOUSES:
        raise Http404("No Three Houses found.")
    return _document(
        request,
        case=case,
        document=three_houses_document(record),
        fmt=fmt,
        filename_stem=f"three-houses-{record.done_on:%Y-%m-%d}",
    )


def three_houses_pdf(request, case_id, person_id, record_id):
    return _three_houses_download(request, case_id, person_id, record_id, "pdf")


def three_houses_docx(request, case_id, person_id, record_id):
    return _three_houses_download(request, case_id, person_id, record_id, "docx")
