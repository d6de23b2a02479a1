from django import forms
from django.utils import timezone

from core.forms import DateInput
from implementation.models import Course, ImplementationAction, RoundNote

TEXTAREA = {"rows": 3}


class RevisionForm(forms.Form):
    """Carries the revision the person saw, so a stale save is caught rather than winning."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.get_full_name() or user.username} ({user.get_role_display()})"


class SettingsForm(RevisionForm):
    local_authority_code = forms.ChoiceField(
        label="Your local authority in the published statistics",
        required=False,
        help_text="Its published outcome indicators are shown beside your implementation.",
    )
    introduction_within_days = forms.IntegerField(
        label="Days new staff have to complete the introductory course",
        min_value=1,
        max_value=730,
    )

    def __init__(self, *args, authorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_authority_code"].choices = [("", "Not chosen")] + [
            (a.code, f"{a.name} ({a.code})") for a in authorities
        ]


class DomainForm(forms.Form):
    name = forms.CharField(label="Domain", max_length=120)
    description = forms.CharField(
        label="What a 10 looks like in this domain", widget=forms.Textarea(attrs=TEXTAREA)
    )


class CourseForm(forms.Form):
    name = forms.CharField(label="Course name", max_length=200)
    level = forms.ChoiceField(label="Level", choices=Course.Level.choices)
    days = forms.IntegerField(label="Length in days", min_value=1, max_value=60)


def _not_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError("The date can't be in the future.")
    return value


class TrainingRecordForm(forms.Form):
    course = forms.ModelChoiceField(queryset=None, label="Course")
    completed_on = forms.DateField(label="Completed on", widget=DateInput())
    expires_on = forms.DateField(
        label="Accreditation expires on (optional)", widget=DateInput(), required=False
    )

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses

    def clean_completed_on(self):
        return _not_future(self.cleaned_data["completed_on"])

    def clean(self):
        data = super().clean()
        done, expires = data.get("completed_on"), data.get("expires_on")
        if done and expires and expires <= done:
            self.add_error("expires_on", "The accreditation must expire after completion.")
        return data


class PracticeLeadRoleForm(forms.Form):
    started_on = forms.DateField(label="Practice lead from", widget=DateInput())
    ended_on = forms.DateField(label="Until (optional)", widget=DateInput(), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("started_on"), data.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", "The role cannot end before it starts.")
        return data


class RoundForm(forms.Form):
    title = forms.CharField(
        label="Name of the round", max_length=120, help_text="For example: 2026 Q3."
    )
    period_start = forms.DateField(label="Period starts", widget=DateInput())
    period_end = forms.DateField(label="Period ends", widget=DateInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The period must end on or after the day it starts.")
        return data


class RatingsForm(forms.Form):
    """A score, evidence and reasons for each domain, with the revision the rater saw."""

    def __init__(self, *args, domains, mine, **kwargs):
        super().__init__(*args, **kwargs)
        self.domains = list(domains)
        for domain in self.domains:
            rating = mine.get(domain.pk)
            self.fields[f"score_{domain.pk}"] = forms.IntegerField(
                label=f"Rating for {domain.name}, from 0 (barely begun) to 10 (fully implemented)",
                min_value=0,
                max_value=10,
                initial=getattr(rating, "score", None),
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
            self.fields[f"evidence_{domain.pk}"] = forms.CharField(
                label="Evidence: what have you seen?",
                required=False,
                widget=forms.Textarea(attrs=TEXTAREA),
                initial=getattr(rating, "evidence", ""),
            )
            self.fields[f"reasons_{domain.pk}"] = forms.CharField(
                label="Reasons: why this number and not one lower?",
                required=False,
                widget=forms.Textarea(attrs=TEXTAREA),
                initial=getattr(rating, "reasons", ""),
            )
            self.fields[f"revision_{domain.pk}"] = forms.IntegerField(
                widget=forms.HiddenInput,
                required=False,
                initial=getattr(rating, "revision", None),
            )

    def groups(self):
        return [
            {
                "domain": domain,
                "fields": [
                    self[f"{name}_{domain.pk}"] for name in ("score", "evidence", "reasons")
                ],
                "revision": self[f"revision_{domain.pk}"],
            }
            for domain in self.domains
        ]

    def scores(self) -> dict:
        data = self.cleaned_data
        return {
            domain.pk: (
                data[f"score_{domain.pk}"],
                data[f"evidence_{domain.pk}"],
                data[f"reasons_{domain.pk}"],
                data[f"revision_{domain.pk}"],
            )
            for domain in self.domains
        }


class NoteForm(forms.Form):
    kind = forms.ChoiceField(label="Which column?", choices=RoundNote.Kind.choices)
    text = forms.CharField(label="What you want to say", widget=forms.Textarea(attrs=TEXTAREA))
    domain = forms.ModelChoiceField(
        queryset=None, required=False, label="Domain it is about (optional)", empty_label="None"
    )

    def __init__(self, *args, domains, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = domains


class ActionForm(forms.Form):
    action = forms.CharField(label="Action", widget=forms.Textarea(attrs=TEXTAREA))
    owner = PersonField(queryset=None, label="Owner")
    due_on = forms.DateField(label="Due by", widget=DateInput())
    domain = forms.ModelChoiceField(
        queryset=None, required=False, label="Domain it addresses (optional)", empty_label="None"
    )

    def __init__(self, *args, people, domains, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        self.fields["domain"].queryset = domains


class ActionEditForm(ActionForm, RevisionForm):
    status = forms.ChoiceField(label="Progress", choices=ImplementationAction.Status.choices)
    reviewed_in = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Reviewed against the ratings of round (optional)",
        empty_label="Not reviewed",
    )
    review_note = forms.CharField(
        label="What the review found",
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
    )

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewed_in"].queryset = rounds

    def clean(self):
        data = super().clean()
        if data.get("reviewed_in") and not (data.get("review_note") or "").strip():
            self.add_error("review_note", "Say what the review found.")
        return data

    def values(self) -> dict:
        names = ["action", "owner", "due_on", "domain", "status", "reviewed_in", "review_note"]
        return {name: self.cleaned_data[name] for name in names}
