import re

from django import forms

from evaluation.indicators import INDICATOR_CHOICES
from evaluation.models import EvaluationDesign, LocalAuthority

YEAR_HELP = "Reporting year, ending 31 March: 2015 means April 2014 to March 2015."


class CompareForm(forms.Form):
    """Which authority and indicator to compare (a GET form: the page works without script)."""

    authority = forms.ChoiceField(label="Local authority")
    indicator = forms.ChoiceField(label="Indicator", choices=INDICATOR_CHOICES)
    model = forms.ChoiceField(label="Statistical neighbours", required=False)

    def __init__(self, *args, authorities=(), models=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].choices = [(a.code, a.name) for a in authorities]
        self.fields["model"].choices = [(m, f"DfE {m} model") for m in models] or [
            ("2021", "DfE 2021 model")
        ]


class DesignForm(forms.Form):
    name = forms.CharField(label="Name of the design", max_length=200)
    description = forms.CharField(
        label="What it evaluates (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    implementation = forms.CharField(
        label="Implementing authorities and the year each started",
        help_text="One a line: the authority's name or DfE code, a comma, then its first year "
        "of implementation. For example: Brent, 2015. " + YEAR_HELP,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    comparison = forms.ChoiceField(
        label="Compare with",
        choices=EvaluationDesign.Comparison.choices,
        initial=EvaluationDesign.Comparison.NEIGHBOURS,
        widget=forms.RadioSelect,
    )
    first_year = forms.IntegerField(
        label="First year", min_value=2000, max_value=2100, help_text=YEAR_HELP
    )
    last_year = forms.IntegerField(label="Last year", min_value=2000, max_value=2100)
    indicators = forms.MultipleChoiceField(
        label="Indicators",
        choices=INDICATOR_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_implementation(self):
        authorities = LocalAuthority.objects.filter(level=LocalAuthority.Level.LOCAL_AUTHORITY)
        by_code = {a.code: a for a in authorities}
        by_name = {a.name.lower(): a for a in authorities}
        found, problems = [], []
        for number, line in enumerate(self.cleaned_data["implementation"].splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            match = re.match(r"^(.+?)\s*,\s*(\d{4})$", line)
            if not match:
                problems.append(f"Line {number}: write the authority, a comma, then a year.")
                continue
            who, year = match.group(1).strip(), int(match.group(2))
            authority = by_code.get(who) or by_name.get(who.lower())
            if authority is None:
                problems.append(f"Line {number}: no local authority is called “{who}”.")
                continue
            found.append({"code": authority.code, "start": year})
        if problems:
            raise forms.ValidationError(problems)
        if not found:
            raise forms.ValidationError("Name at least one implementing authority.")
        codes = [item["code"] for item in found]
        if len(set(codes)) != len(codes):
            raise forms.ValidationError("Each authority may be named once.")
        return found

    def clean(self):
        data = super().clean()
        first, last = data.get("first_year"), data.get("last_year")
        if first and last and last <= first:
            self.add_error("last_year", "The last year must come after the first.")
        for item in data.get("implementation") or []:
            if first and last and not first < item["start"] <= last:
                self.add_error(
                    "implementation",
                    f"Each start year must come after the first year ({first}) and by the last.",
                )
                break
        return data
