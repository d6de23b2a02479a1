from django import forms
from django.utils import timezone

from core.forms import DateInput
from learning.models import PracticeTheme, SupervisionSession
from practice.forms import RevisionForm

TEXTAREA = {"rows": 4}


def _not_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError("The date can't be in the future.")
    return value


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user} ({user.get_role_display()})"


class StaffMultipleField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, user):
        team = f", {user.team}" if user.team_id else ""
        return f"{user} ({user.get_role_display()}{team})"


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, case):
        return f"{case.name} ({case.reference})"


class SessionForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of session?",
        choices=SupervisionSession.Kind.choices,
        widget=forms.RadioSelect,
    )
    held_on = forms.DateField(label="Date held", widget=DateInput())
    case = CaseChoiceField(
        queryset=None,
        required=False,
        label="The case presented",
        empty_label="No case (individual supervision)",
        help_text="Group supervision and case consultation start from one case.",
    )
    presenter = StaffChoiceField(
        queryset=None,
        required=False,
        label="The presenting worker",
        empty_label="Nobody in particular",
        help_text="In individual supervision, the person supervised.",
    )
    attendees = StaffMultipleField(
        queryset=None, label="Who was supervised?", help_text="Everyone in the group but you."
    )
    focus = forms.CharField(
        label="What the worker wants from the session (optional)",
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
    )

    def __init__(self, *args, staff, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases
        self.fields["presenter"].queryset = staff
        self.fields["attendees"].queryset = staff

    def clean_held_on(self):
        return _not_future(self.cleaned_data["held_on"])

    def clean(self):
        data = super().clean()
        group = data.get("kind") and data["kind"] != SupervisionSession.Kind.INDIVIDUAL
        if group and not data.get("case"):
            self.add_error("case", "Choose the case the worker presented.")
        return data


class SessionEditForm(RevisionForm):
    held_on = forms.DateField(label="Date held", widget=DateInput())
    presenter = StaffChoiceField(
        queryset=None, required=False, label="The presenting worker", empty_label="Nobody"
    )
    attendees = StaffMultipleField(queryset=None, label="Who was supervised?")
    focus = forms.CharField(
        label="What the worker wanted from the session",
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    questions = forms.CharField(
        label="Questions the group asked",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One a line. Questions that opened up the worker's thinking about the case.",
    )
    reflections = forms.CharField(
        label="Reflections and learning",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What the worker and the group took from the session; how the process went.",
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = staff
        self.fields["attendees"].queryset = staff

    def clean_held_on(self):
        return _not_future(self.cleaned_data["held_on"])


class ActionForm(forms.Form):
    text = forms.CharField(label="What will be done", widget=forms.Textarea(attrs={"rows": 2}))
    owner = StaffChoiceField(queryset=None, label="Who will do it", empty_label=None)
    due_on = forms.DateField(label="By when", widget=DateInput())

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people


class ActionEditForm(RevisionForm, ActionForm):
    done_on = forms.DateField(
        label="Done on (leave empty while it is still to do)", widget=DateInput(), required=False
    )

    def clean_done_on(self):
        return _not_future(self.cleaned_data["done_on"])


class ActionDoneForm(RevisionForm):
    pass


class InquiryForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="A short name for the practice, with no names: it is shown in the library.",
    )
    theme = forms.ChoiceField(label="What practice is it about?", choices=PracticeTheme.choices)
    held_on = forms.DateField(label="Date of the inquiry", widget=DateInput())
    workers = StaffMultipleField(queryset=None, label="Whose work is looked at?")
    case = CaseChoiceField(
        queryset=None,
        required=False,
        label="The case (optional, never shared)",
        empty_label="No case",
        help_text="Kept private: the library shows only the anonymised account.",
    )
    practice_examined = forms.CharField(
        label="The piece of good practice", widget=forms.Textarea(attrs=TEXTAREA)
    )
    what_made_it_work = forms.CharField(
        label="What made it work", widget=forms.Textarea(attrs=TEXTAREA)
    )
    what_others_can_take = forms.CharField(
        label="What others can take from it", widget=forms.Textarea(attrs=TEXTAREA)
    )
    shared_text = forms.CharField(
        label="The anonymised account for the library (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=(
            "Write it for colleagues who do not know the family: no names, places, schools or "
            "dates that could identify anyone. A practice lead or team manager confirms it "
            "before it is shared."
        ),
    )

    def __init__(self, *args, staff, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workers"].queryset = staff
        self.fields["case"].queryset = cases

    def clean_held_on(self):
        return _not_future(self.cleaned_data["held_on"])


class InquiryEditForm(RevisionForm, InquiryForm):
    pass


class InquiryShareForm(RevisionForm):
    confirmed_anonymised = forms.BooleanField(
        label="I have read the title and account and they do not identify the family, the "
        "workers or anyone else",
        required=False,
    )


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label="Search the library", required=False, max_length=200)
    theme = forms.ChoiceField(
        label="Practice",
        required=False,
        choices=[("", "All practice"), *PracticeTheme.choices],
    )
