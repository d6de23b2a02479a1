from django import forms

from measures.selectors import GROUPING_LABELS


class DashboardForm(forms.Form):
    """The month to look at and how to group the figures (GET; works without JavaScript)."""

    month = forms.CharField(
        label="Month",
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}),
        help_text="Figures are as at the month's last day (today for this month). YYYY-MM.",
    )
    by = forms.ChoiceField(label="Show by", required=False)
    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, groupings: list[str], teams, **kwargs):
        """`teams`: those the viewer may narrow the figures to (none: no team field)."""
        super().__init__(*args, **kwargs)
        self.fields["by"].choices = [(g, GROUPING_LABELS[g]) for g in groupings]
        if len(groupings) == 1:
            del self.fields["by"]
        if teams:
            self.fields["team"].choices = [("", "All teams")] + [(t.pk, t.name) for t in teams]
        else:
            del self.fields["team"]

    def clean_month(self):
        month = (self.cleaned_data.get("month") or "").strip()
        if not month:
            return ""
        try:
            year, number = (int(part) for part in month.split("-"))
        except ValueError:
            raise forms.ValidationError("Give the month as YYYY-MM, for example 2026-03.") from None
        if not (1 <= number <= 12 and 1900 < year < 3000):
            raise forms.ValidationError("Give the month as YYYY-MM, for example 2026-03.")
        return f"{year:04d}-{number:02d}"
