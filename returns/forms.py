from django import forms
from django.utils import timezone

from returns.spec import LAC_SPECS, SPECS


class CensusYearForm(forms.Form):
    year = forms.TypedChoiceField(
        label="Census year",
        coerce=int,
        help_text="1 April to 31 March; the census date is 31 March.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [
            (year, f"{spec.label} (census date 31 March {year})")
            for year, spec in sorted(SPECS.items(), reverse=True)
        ]


class LacYearForm(forms.Form):
    year = forms.TypedChoiceField(
        label="Collection year",
        coerce=int,
        help_text="1 April to 31 March.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [
            (year, f"{spec.label} (1 April {year - 1} to 31 March {year})")
            for year, spec in sorted(LAC_SPECS.items(), reverse=True)
        ]


class AnnexAPeriodForm(forms.Form):
    reference_date = forms.DateField(
        label="Reference date",
        help_text="Usually the day Ofsted's notification arrives. For example, 31/3/2026.",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
    )
    months = forms.TypedChoiceField(
        label="Months before it",
        coerce=int,
        choices=[(6, "6 months (the usual period)"), (12, "12 months")],
        initial=6,
    )

    def clean_reference_date(self):
        day = self.cleaned_data["reference_date"]
        if day > timezone.localdate():
            raise forms.ValidationError("The reference date cannot be in the future.")
        return day
