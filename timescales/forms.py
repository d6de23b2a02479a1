from django import forms

from timescales.models import TimescaleRules
from timescales.services import RULE_FIELDS


class OverdueReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why is it overdue?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: the family cancelled twice; the conference is booked for 3 June.",
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why it is overdue.")
        return reason


class TimescaleRulesForm(forms.ModelForm):
    """Every period is a whole number of at least 1; the service checks the same."""

    class Meta:
        model = TimescaleRules
        fields = RULE_FIELDS
        help_texts = {
            "referral_decision_days": "England: 1 working day.",
            "assessment_days": "England: 45 working days.",
            "initial_conference_days": "England: 15 working days.",
            "first_core_group_days": "England: 10 working days.",
            "first_review_months": "England: within 3 months.",
            "later_review_months": "England: at most every 6 months.",
            "cp_visit_days": "The agency's own standard; Threefold starts with 10 working days.",
            "cin_review_every": "The agency's own standard; Threefold starts with every 3 months.",
        }
        widgets = {"cin_review_unit": forms.RadioSelect, "calendar_region": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in RULE_FIELDS:
            field = self.fields[name]
            if isinstance(field, forms.IntegerField):
                self.fields[name] = forms.IntegerField(
                    label=field.label,
                    help_text=field.help_text,
                    min_value=1,
                    max_value=400,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                )
