import datetime

from django import forms

from audits.models import Grade, Scale
from audits.services import exclude_months, sample_size

TEXTAREA = {"rows": 3}


class MonthField(forms.CharField):
    """A month as YYYY-MM, cleaned to its first day."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "month"}))
        kwargs.setdefault("help_text", "YYYY-MM, for example 2026-03.")
        super().__init__(**kwargs)

    def to_python(self, value):
        value = (super().to_python(value) or "").strip()
        if not value:
            return None
        try:
            year, month = (int(part) for part in value.split("-"))
            return datetime.date(year, month, 1)
        except ValueError:
            raise forms.ValidationError("Give the month as YYYY-MM, for example 2026-03.") from None


class MonthForm(forms.Form):
    month = MonthField(label="Month", required=False)


class ResultsForm(forms.Form):
    month = MonthField(label="Up to the month", required=False)
    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "All teams")] + [(t.pk, t.name) for t in teams]


class SampleDrawForm(forms.Form):
    team = forms.TypedChoiceField(label="Team", coerce=int)
    month = MonthField(label="Month")
    size = forms.IntegerField(
        label="How many cases to draw", min_value=1, max_value=50, initial=sample_size
    )
    exclude_months = forms.IntegerField(
        label="Leave out cases audited in the last … months",
        min_value=0,
        max_value=24,
        initial=exclude_months,
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [(t.pk, t.name) for t in teams]


class RubricForm(forms.Form):
    name = forms.CharField(label="Name of the rubric", max_length=200)


class QuestionForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    area = forms.CharField(
        label="Area of practice",
        max_length=100,
        help_text="For example: Map and analysis, Child's voice, Safety planning, Network.",
    )
    text = forms.CharField(label="Question", max_length=500, widget=forms.Textarea(attrs=TEXTAREA))
    guidance = forms.CharField(
        label="Guidance for auditors (optional)",
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="What to look for at each grade.",
    )
    scale = forms.ChoiceField(
        label="Scale", choices=Scale.choices, widget=forms.RadioSelect, initial=Scale.GRADES
    )
    order = forms.IntegerField(label="Position in the rubric", min_value=1, required=False)


class RevisionOnlyForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)


class AuditForm(forms.Form):
    """The whole audit on one page (no JavaScript needed): a score, evidence and the worker's
    comment for each question, then the learning agreed together. Only the fields this person
    may write are fields; the rest is shown as text."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, audit, answers, is_auditor, is_worker, **kwargs):
        super().__init__(*args, **kwargs)
        self.answers = answers
        self.is_auditor, self.is_worker = is_auditor, is_worker
        writing = audit.is_open
        self.auditor_writes = is_auditor and writing
        for answer in answers:
            q = answer.question
            if self.auditor_writes:
                self.fields[f"score_{answer.pk}"] = forms.TypedChoiceField(
                    label="Score",
                    choices=q.choices(),
                    coerce=int,
                    required=False,
                    empty_value=None,
                    widget=forms.RadioSelect,
                    initial=answer.score,
                )
                self.fields[f"evidence_{answer.pk}"] = forms.CharField(
                    label="Evidence from the record",
                    required=False,
                    widget=forms.Textarea(attrs=TEXTAREA),
                    initial=answer.evidence,
                )
            if is_worker:
                self.fields[f"comment_{answer.pk}"] = forms.CharField(
                    label="Worker's comment",
                    required=False,
                    widget=forms.Textarea(attrs=TEXTAREA),
                    initial=answer.worker_comment,
                )
        if writing and (is_auditor or is_worker):
            for name, label, hint in [
                ("working_well", "What's working well", "In the practice on this case."),
                ("worries", "What we're worried about", "In the practice on this case."),
                ("next_steps", "What needs to happen", "The actions agreed, and by whom."),
            ]:
                self.fields[name] = forms.CharField(
                    label=label,
                    help_text=hint,
                    required=False,
                    widget=forms.Textarea(attrs=TEXTAREA),
                    initial=getattr(audit, name),
                )
        if self.auditor_writes:
            self.fields["grade"] = forms.TypedChoiceField(
                label="Overall grade",
                choices=[(g.value, g.label) for g in reversed(Grade)],
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
                initial=audit.grade,
            )
            self.fields["worker_present"] = forms.BooleanField(
                label="The worker took part in the audit",
                required=False,
                initial=audit.worker_present,
            )
        if is_worker:
            self.fields["worker_reflections"] = forms.CharField(
                label="Your reflections",
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                initial=audit.worker_reflections,
            )

    def rows(self) -> list[dict]:
        """Each answer with its bound fields, for the template."""
        return [
            {
                "answer": a,
                "score": self[f"score_{a.pk}"] if f"score_{a.pk}" in self.fields else None,
                "evidence": self[f"evidence_{a.pk}"] if f"evidence_{a.pk}" in self.fields else None,
                "comment": self[f"comment_{a.pk}"] if f"comment_{a.pk}" in self.fields else None,
            }
            for a in self.answers
        ]

    def summary_fields(self):
        names = ["working_well", "worries", "next_steps", "grade", "worker_present"]
        return [self[name] for name in names if name in self.fields]

    def answer_values(self) -> dict:
        values = {}
        for answer in self.answers:
            mine = {}
            for key, field in [
                ("score", "score"),
                ("evidence", "evidence"),
                ("worker_comment", "comment"),
            ]:
                name = f"{field}_{answer.pk}"
                if name in self.fields:
                    mine[key] = self.cleaned_data[name]
            values[answer.pk] = mine
        return values

    def summary_values(self) -> dict:
        names = ["working_well", "worries", "next_steps", "grade", "worker_present"]
        names.append("worker_reflections")
        return {n: self.cleaned_data[n] for n in names if n in self.fields}


class ModerationForm(forms.Form):
    grade = forms.TypedChoiceField(
        label="Moderated grade",
        choices=[(g.value, g.label) for g in reversed(Grade)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason (needed if you change the grade)",
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
    )

    def __init__(self, *args, audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.audit = audit
        self.fields["grade"].initial = audit.grade

    def clean(self):
        data = super().clean()
        grade = data.get("grade")
        if grade is not None and grade != self.audit.grade and not data.get("reason", "").strip():
            self.add_error("reason", "Say why you changed the grade.")
        return data
