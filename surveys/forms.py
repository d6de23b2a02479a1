import datetime

from django import forms
from django.utils import timezone

from core.forms import DateInput
from surveys import selectors
from surveys.models import Survey, SurveyQuestion

TEXTAREA = {"rows": 3}


class SurveyForm(forms.Form):
    """A survey's settings. The kind is chosen only when it is made."""

    kind = forms.ChoiceField(
        label="Who is it for?",
        choices=Survey.Kind.choices,
        widget=forms.RadioSelect,
        help_text="A staff survey goes to every member of staff when it opens. A family survey "
        "is sent to parents and young people from their cases.",
    )
    title = forms.CharField(label="Title", max_length=200)
    introduction = forms.CharField(
        label="Introduction",
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="Leave empty for the standard introduction. Say why you ask and who will see "
        "the answers.",
    )
    anonymous = forms.TypedChoiceField(
        label="Is it anonymous?",
        choices=[
            ("yes", "Yes: no answer is kept with the name of who gave it"),
            ("no", "No: answers are kept with who gave them"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="yes",
        help_text="This is a promise to the people you ask, so it cannot change once the survey "
        "opens.",
    )
    opens_on = forms.DateField(label="Opens on", widget=DateInput())
    closes_on = forms.DateField(label="Closes on", widget=DateInput())
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["kind"]
        if not self.is_bound and not editing:
            today = timezone.localdate()
            self.initial.setdefault("opens_on", today)
            self.initial.setdefault("closes_on", today + datetime.timedelta(days=28))

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "The survey must close on or after the day it opens.")
        return data


class RepeatForm(forms.Form):
    opens_on = forms.DateField(label="The next round opens on", widget=DateInput())
    closes_on = forms.DateField(label="and closes on", widget=DateInput())


class QuestionForm(forms.Form):
    text = forms.CharField(label="Question", max_length=300)
    kind = forms.ChoiceField(
        label="How is it answered?", choices=SurveyQuestion.Kind.choices, widget=forms.RadioSelect
    )
    column = forms.ChoiceField(
        label="For answers in their own words: which column do they go in?",
        choices=[("", "Not in their own words")] + SurveyQuestion.Column.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="The results show these answers in the three columns of the map.",
    )
    hint = forms.CharField(label="Hint (optional)", max_length=300, required=False)
    group = forms.CharField(
        label="Heading it sits under (optional)", max_length=100, required=False
    )
    low_label = forms.CharField(
        label="For a 0 to 10 scale: what 0 means", max_length=80, required=False
    )
    high_label = forms.CharField(label="and what 10 means", max_length=80, required=False)
    required = forms.BooleanField(label="People must answer it", required=False)
    order = forms.IntegerField(
        label="Position", min_value=0, required=False, help_text="Lower numbers come first."
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("kind") == SurveyQuestion.Kind.TEXT and not data.get("column"):
            self.add_error("column", "Choose the column these answers go in.")
        return data


class AnswerForm(forms.Form):
    """One field per question: radio buttons for a scale or agree/disagree, a text box for
    their own words. Works without JavaScript, on a phone."""

    def __init__(self, *args, survey, questions, labels, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            name = f"q{question.pk}"
            hint = question.hint
            if question.kind == SurveyQuestion.Kind.SCALE and question.low_label:
                scale = f"0 means {question.low_label.lower()}. 10 means "
                scale += f"{question.high_label.lower()}."
                hint = f"{hint} {scale}".strip()
            if question.is_text:
                self.fields[name] = forms.CharField(
                    label=question.text,
                    required=question.required,
                    max_length=5000,
                    widget=forms.Textarea(attrs=TEXTAREA),
                    help_text=hint,
                )
            else:
                self.fields[name] = forms.TypedChoiceField(
                    label=question.text,
                    required=question.required,
                    choices=labels[question.pk],
                    coerce=int,
                    widget=forms.RadioSelect,
                    help_text=hint,
                )
            self.fields[name].question = question
            if question.required:
                self.fields[name].error_messages["required"] = "Choose an answer."
            if question.kind == SurveyQuestion.Kind.SCALE:
                self.fields[name].inline = True

    def sections(self) -> list[dict]:
        """The fields under their headings, in order."""
        sections: list[dict] = []
        for name in self.fields:
            bound = self[name]
            heading = bound.field.question.group
            if not sections or sections[-1]["heading"] != heading:
                sections.append({"heading": heading, "fields": []})
            sections[-1]["fields"].append(bound)
        return sections

    def answers(self) -> dict:
        return {
            int(name[1:]): value
            for name, value in self.cleaned_data.items()
            if value not in (None, "")
        }


def answer_form(survey: Survey, data=None) -> AnswerForm:
    """The survey's questions as a form, with each answer's words for this kind of survey."""
    questions = selectors.questions(survey)
    labels = {q.pk: selectors.answer_labels(survey, q) for q in questions if not q.is_text}
    return AnswerForm(data, survey=survey, questions=questions, labels=labels, auto_id="answer-%s")


class FamilyInviteForm(forms.Form):
    survey = forms.ModelChoiceField(
        label="Which survey?", queryset=Survey.objects.none(), empty_label=None
    )
    person = forms.ChoiceField(label="Who are you asking?", widget=forms.RadioSelect)
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        help_text="If you give one, we email them the link too. You can also print it or copy "
        "it into a text message.",
    )

    def __init__(self, *args, surveys, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survey"].queryset = Survey.objects.filter(pk__in=[s.pk for s in surveys])
        if len(surveys) == 1:
            self.fields["survey"].widget = forms.HiddenInput()
            self.initial.setdefault("survey", surveys[0].pk)
        self.people = {str(p.pk): p for p in people}
        self.fields["person"].choices = [
            (str(p.pk), f"{p.display_name} ({'young person' if p.kind == 'child' else 'adult'})")
            for p in people
        ]

    def clean_person(self):
        return self.people[self.cleaned_data["person"]]
