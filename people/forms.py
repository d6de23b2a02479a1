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
