import json

from django import forms

from core.forms import DateInput
from practice.models import (
    MapEntry,
    MeetingPurpose,
    ParticipantRole,
    PlainLanguageTerm,
    RaterRole,
    SafetyGoal,
)

DEFAULT_ZERO = "Everyone knows the children will be hurt again if nothing changes"
DEFAULT_TEN = "Everyone knows the children are safe enough for us to close the case"


class ChildrenField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, person):
        return person.display_name


class RevisionForm(forms.Form):
    """Carries the revision the person saw, so a stale save is caught rather than winning."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class MapDetailsForm(RevisionForm):
    purpose = forms.ChoiceField(
        label="What kind of meeting or mapping?", choices=MeetingPurpose.choices
    )
    held_on = forms.DateField(
        label="Date",
        widget=DateInput(),
        help_text="The day the mapping happened.",
    )


class MapStartForm(forms.Form):
    purpose = forms.ChoiceField(
        label="What kind of meeting or mapping?", choices=MeetingPurpose.choices
    )
    held_on = forms.DateField(
        label="Date",
        widget=DateInput(),
        help_text="The day the mapping happened.",
    )


class MapEntryForm(forms.Form):
    text = forms.CharField(
        label="What to write",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text="Use plain words the family would use.",
    )
    children = ChildrenField(queryset=None, required=False, label="Which children is this about?")

    def __init__(self, *args, children_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["children"].queryset = children_queryset


class MapEntryEditForm(RevisionForm, MapEntryForm):
    pass


class MapEntryAddForm(MapEntryForm):
    category = forms.ChoiceField(
        choices=MapEntry._meta.get_field("category").choices, widget=forms.HiddenInput
    )


class DangerStatementForm(forms.Form):
    who_is_worried = forms.CharField(
        label="Who is worried?",
        max_length=300,
        help_text="For example: Sam (social worker), the school and Grandma Pat.",
    )
    worried_about = forms.CharField(
        label="What are they worried about?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Describe what people do, not a label.",
    )
    impact_on_child = forms.CharField(
        label="What may happen to the children if nothing changes?",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    disputed_by = forms.CharField(
        label="Does anyone disagree? Who? (optional)", max_length=300, required=False
    )
    dispute = forms.CharField(
        label="What do they say instead? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    what_will_be_seen = forms.CharField(
        label="Safety goal: what will everyone see instead?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Say what people will be doing, not what they will stop doing.",
    )
    seen_by = forms.CharField(
        label="Who will see it?",
        max_length=300,
        help_text="For example: the safety network, the school and the social worker.",
    )
    sustain_for = forms.IntegerField(label="For how long?", min_value=1, max_value=104)
    sustain_unit = forms.ChoiceField(
        label="Weeks or months", choices=SafetyGoal.SustainUnit.choices
    )
    children = ChildrenField(queryset=None, required=False, label="Which children is this about?")

    STATEMENT_FIELDS = (
        "who_is_worried",
        "worried_about",
        "impact_on_child",
        "disputed_by",
        "dispute",
    )
    GOAL_FIELDS = ("what_will_be_seen", "seen_by", "sustain_for", "sustain_unit")

    # Fields checked live by the plain-language check, and what kind of text each holds.
    GUIDED_FIELDS = {
        "worried_about": "danger_statement",
        "impact_on_child": "impact",
        "dispute": "danger_statement",
        "what_will_be_seen": "safety_goal",
    }

    def __init__(self, *args, children_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["children"].queryset = children_queryset

    def with_guidance(self, url: str):
        """Ask htmx to fetch plain-language advice while the person types (never blocking)."""
        for name, kind in self.GUIDED_FIELDS.items():
            target = f"#{self[name].auto_id}-guidance"
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": url,
                    "hx-trigger": "keyup changed delay:600ms",
                    "hx-target": target,
                    "hx-swap": "innerHTML",
                    "hx-sync": "this:replace",
                    "hx-vals": json.dumps({"kind": kind, "field": name}),
                }
            )
        return self

    def clean(self):
        data = super().clean()
        if data.get("dispute") and not data.get("disputed_by"):
            self.add_error("disputed_by", "Say who disagrees.")
        return data

    def statement(self) -> dict:
        return {name: self.cleaned_data[name].strip() for name in self.STATEMENT_FIELDS}

    def goal(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.GOAL_FIELDS}
        data["what_will_be_seen"] = data["what_will_be_seen"].strip()
        data["seen_by"] = data["seen_by"].strip()
        return data


class DangerStatementEditForm(RevisionForm, DangerStatementForm):
    pass


class ScaleJudgementForm(forms.Form):
    danger_statement = forms.TypedChoiceField(
        label="What is being scaled?", coerce=int, empty_value=None, required=False
    )
    rater_name = forms.CharField(
        label="Whose judgement is it?",
        max_length=200,
        help_text="The name of the person giving the number.",
    )
    rater_role = forms.ChoiceField(label="Their role", choices=RaterRole.choices)
    score = forms.TypedChoiceField(
        label="Their number",
        coerce=int,
        choices=[(n, str(n)) for n in range(11)],
        widget=forms.RadioSelect,
    )
    zero_means = forms.CharField(label="0 means", max_length=300, initial=DEFAULT_ZERO)
    ten_means = forms.CharField(label="10 means", max_length=300, initial=DEFAULT_TEN)
    reason = forms.CharField(
        label="Why that number?",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="In their words: what makes it that number and not lower.",
    )

    def __init__(self, *args, danger_statements, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Overall safety")]
        choices += [
            (d.pk, f"Danger statement {i}: {d.worried_about[:70]}")
            for i, d in enumerate(danger_statements, start=1)
        ]
        self.fields["danger_statement"].choices = choices
        self._statements = {d.pk: d for d in danger_statements}

    def clean_danger_statement(self):
        value = self.cleaned_data["danger_statement"]
        if value is None:
            return None
        if value not in self._statements:
            raise forms.ValidationError("Choose a danger statement on this map.")
        return self._statements[value]


class ParticipantForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Someone in the family (optional)",
        empty_label="Someone else",
        help_text="Their name is filled in from the case.",
    )
    name = forms.CharField(label="Name", max_length=200, required=False)
    role = forms.ChoiceField(label="Role", choices=ParticipantRole.choices)
    organisation = forms.CharField(
        label="Organisation (optional)",
        max_length=200,
        required=False,
        help_text="For professionals, for example: Oakfield Primary School.",
    )

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = family
        self.fields["person"].label_from_instance = lambda person: person.display_name

    def clean(self):
        data = super().clean()
        if not data.get("name") and data.get("person"):
            data["name"] = data["person"].display_name
        if not data.get("name"):
            self.add_error("name", "Give the name of the person who took part.")
        return data


class PlainLanguageTermForm(forms.ModelForm):
    class Meta:
        model = PlainLanguageTerm
        fields = ["term", "suggestion"]
        labels = {"term": "Word or phrase to avoid", "suggestion": "What to say instead"}
        help_texts = {
            "term": "For example: DV, engagement, concerns.",
            "suggestion": 'Shown after "Instead of …,". For example: say what happened, '
            'e.g. "Dad hit Mum".',
        }

    def __init__(self, *args, agency_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency_id = agency_id

    def clean_term(self):
        term = " ".join(self.cleaned_data["term"].split())
        clash = PlainLanguageTerm.objects.filter(agency_id=self.agency_id, term__iexact=term)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("That word is already on the list.")
        return term
