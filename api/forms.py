from django import forms

from api.models import Scope
from api.services import DEFAULT_TOKEN_DAYS


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user} ({user.get_role_display()})"


class ApiClientForm(forms.Form):
    name = forms.CharField(
        label="Name of the system",
        max_length=100,
        help_text="For example, the agency's case management system or its data warehouse.",
    )
    acting_user = StaffChoiceField(
        label="Acts as",
        queryset=None,
        help_text="The system sees and changes exactly what this person could on their pages. "
        "Choose someone whose access fits what the system needs, and no more.",
    )
    scopes = forms.MultipleChoiceField(
        label="What it may do",
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["acting_user"].queryset = staff


class TokenIssueForm(forms.Form):
    client = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    days = forms.TypedChoiceField(
        label="Lasts for",
        coerce=int,
        initial=DEFAULT_TOKEN_DAYS,
        choices=[(30, "30 days"), (90, "90 days"), (180, "180 days"), (365, "A year")],
    )
