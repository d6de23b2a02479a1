from django import forms

from core.forms import DateInput


class AllocationForm(forms.Form):
    worker = forms.ModelChoiceField(queryset=None, label="Allocate to")
    started_on = forms.DateField(label="From", widget=DateInput())
    reason = forms.CharField(
        label="Reason (optional)",
        max_length=300,
        required=False,
        help_text="For example: caseload balancing, or the worker is leaving the team.",
    )

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers


class RestrictionForm(forms.Form):
    reason = forms.CharField(
        label="Why must this case be restricted?",
        max_length=300,
        help_text="For example: a relative of a member of staff is involved.",
    )


class AccessGrantForm(forms.Form):
    user = forms.ModelChoiceField(queryset=None, label="Add someone to the access list")

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff


class BreakGlassForm(forms.Form):
    reference = forms.CharField(label="Case reference", max_length=32)
    reason = forms.CharField(
        label="Why do you need to open this case now?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Your manager will see this, with the time you opened the case.",
    )


class DeletionForm(forms.Form):
    reason = forms.CharField(
        label="Why is this case being deleted?",
        max_length=300,
        help_text="For example: recorded in error, or a duplicate of another case.",
    )
