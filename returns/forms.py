from django import forms

from returns.spec import SPECS


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
