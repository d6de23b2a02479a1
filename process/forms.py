"""Forms for the statutory process: they parse what was typed; the services decide what is
allowed."""

from django import forms

from core.forms import DateInput
from people.selectors import case_children
from practice.forms import RevisionForm
from process.codes import (
    AbuseCategory,
    AssessmentFactor,
    CategoryOfNeed,
    ClosureReason,
    LegalStatus,
    MissingKind,
    PlacementChangeReason,
    PlacementProvider,
    PlacementType,
    PreviousPermanence,
    PrimaryNeed,
    ReasonEpisodeCeased,
    ReasonNewEpisode,
    ReferralSource,
    ReviewParticipation,
    SdqReason,
)
from process.models import (
    Assessment,
    ChildInNeedPlan,
    ChildProtectionPlan,
    Conference,
    Referral,
    Section47Enquiry,
)

TEXTAREA = {"rows": 3}
YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(label, help_text=""):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        widget=forms.RadioSelect,
        coerce=lambda value: value == "yes",
        help_text=help_text,
    )


def _date(label, help_text=""):
    return forms.DateField(label=label, widget=DateInput(), help_text=help_text)


def _text(label, required=False, help_text=""):
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs=TEXTAREA), help_text=help_text
    )


class ChildField(forms.ModelChoiceField):
    widget = forms.RadioSelect

    def label_from_instance(self, person):
        return person.display_name


class CaseForm(forms.Form):
    """A form that knows its case (for the children to choose from) and, for updates, its
    record."""

    def __init__(self, *args, case, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case, self.record = case, record
        if "child" in self.fields:
            self.fields["child"].queryset = case_children(case)
            self.fields["child"].empty_label = None


class ContactForm(CaseForm):
    contact_on = _date("Date of contact")
    source = forms.ChoiceField(label="Who got in touch?", choices=ReferralSource.choices)
    child = ChildField(queryset=None, required=False, label="Which child is it about? (optional)")
    summary = _text("What they said")


class ReferralForm(CaseForm):
    child = ChildField(queryset=None, label="Which child is referred?")
    received_on = _date("Date the referral was received")
    source = forms.ChoiceField(label="Referral source", choices=ReferralSource.choices)
    primary_need = forms.ChoiceField(label="Primary need", choices=PrimaryNeed.choices)
    summary = _text("What the referral says")


class ReferralDecisionForm(CaseForm, RevisionForm):
    decision = forms.ChoiceField(
        label="What was decided?", choices=Referral.Decision.choices, widget=forms.RadioSelect
    )
    decided_on = _date("Date of the decision", "Within one working day of the referral.")


class AssessmentStartForm(CaseForm):
    child = ChildField(queryset=None, label="Which child is assessed?")
    started_on = _date("Date the assessment started")


class FactorsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class AssessmentCompleteForm(CaseForm, RevisionForm):
    completed_on = _date("Date the assessment was completed")
    factors = FactorsField(
        label="Factors identified at the assessment",
        choices=AssessmentFactor.choices,
        help_text="Choose every factor, or 'No factors identified'.",
    )
    outcome = forms.ChoiceField(
        label="Outcome", choices=Assessment.Outcome.choices, widget=forms.RadioSelect
    )
    summary = _text("Summary of the assessment")
    note = _text("Note for your manager (optional)")


class StrategyDiscussionForm(CaseForm):
    child = ChildField(queryset=None, label="Which child is it about?")
    held_on = _date("Date of the strategy discussion")
    participants = _text(
        "Who took part", required=True, help_text="For example: police, health visitor, school."
    )
    decisions = _text("What was decided", required=True)
    starts_s47 = _yes_no("Did it decide to start a section 47 enquiry?")


class Section47StartForm(CaseForm):
    child = ChildField(queryset=None, label="Which child?")
    started_on = _date("Date the section 47 enquiry started")


class Section47CompleteForm(CaseForm, RevisionForm):
    completed_on = _date("Date the enquiry concluded")
    outcome = forms.ChoiceField(
        label="Outcome", choices=Section47Enquiry.Outcome.choices, widget=forms.RadioSelect
    )


class ConferenceStartForm(CaseForm):
    child = ChildField(queryset=None, label="Which child is the conference about?")
    kind = forms.ChoiceField(
        label="Which conference?", choices=Conference.Kind.choices, widget=forms.RadioSelect
    )
    held_on = _date("Date of the conference")


class ConferenceDecisionForm(CaseForm, RevisionForm):
    plan_decided = _yes_no(
        "Is the child to be (or stay) subject to a child protection plan?",
    )
    category = forms.ChoiceField(
        label="Category of abuse",
        choices=AbuseCategory.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="Needed when there is a plan.",
    )
    decision = _text("The conference's decision and recommendations")


class ConferenceChoiceField(forms.ModelChoiceField):
    widget = forms.RadioSelect

    def label_from_instance(self, conference):
        return (
            f"{conference.child.display_name}: conference of {conference.held_on:%-d %B %Y} "
            f"({conference.get_category_display()})"
        )


class CPPlanStartForm(CaseForm):
    conference = ConferenceChoiceField(queryset=None, label="The conference that decided it")
    started_on = _date("Start date", "The plan starts on the day of the conference.")
    category = forms.ChoiceField(
        label="Category of abuse", choices=AbuseCategory.choices, widget=forms.RadioSelect
    )
    note = _text("Note for your manager (optional)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conference"].queryset = (
            Conference.objects.filter(
                case=self.case, kind=Conference.Kind.INITIAL, plan_decided=True
            )
            .exclude(plans_started__isnull=False)
            .select_related("child")
        )
        self.fields["conference"].empty_label = None


class PlanChoiceField(forms.ModelChoiceField):
    widget = forms.RadioSelect

    def label_from_instance(self, plan):
        return f"{plan.child.display_name}: plan from {plan.started_on:%-d %B %Y}"


class CoreGroupForm(CaseForm):
    plan = PlanChoiceField(queryset=None, label="Which child's plan?")
    held_on = _date("Date of the core group meeting")
    notes = _text("What the core group agreed")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = ChildProtectionPlan.objects.filter(
            case=self.case, ended_on__isnull=True
        ).select_related("child")
        self.fields["plan"].empty_label = None


class CPPlanEndForm(CaseForm, RevisionForm):
    ended_on = _date("Date the plan ended")
    end_reason = forms.ChoiceField(
        label="Why did it end?",
        choices=ChildProtectionPlan.EndReason.choices,
        widget=forms.RadioSelect,
    )


class CINPlanStartForm(CaseForm):
    child = ChildField(queryset=None, label="Which child?")
    started_on = _date("Start date")
    note = _text("Note for your manager (optional)")


class CINPlanEndForm(CaseForm, RevisionForm):
    ended_on = _date("Date the plan ended")
    end_reason = forms.ChoiceField(
        label="Why did it end?", choices=ChildInNeedPlan.EndReason.choices, widget=forms.RadioSelect
    )


class CINReviewForm(CaseForm):
    held_on = _date("Date of the review")
    notes = _text("What the review decided")


def _optional_choice(label, choices, blank, help_text=""):
    return forms.ChoiceField(
        label=label, choices=[("", blank), *choices], required=False, help_text=help_text
    )


def _optional_yes_no(label, help_text=""):
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "Does not apply"), ("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        help_text=help_text,
    )


class LookedAfterStartForm(CaseForm):
    child = ChildField(queryset=None, label="Which child?")
    started_on = _date("Date the episode started")
    legal_status = forms.ChoiceField(label="Legal status", choices=LegalStatus.choices)
    placement = forms.ChoiceField(label="Placement type", choices=PlacementType.choices)
    placement_provider = forms.ChoiceField(
        label="Placement provider", choices=PlacementProvider.choices
    )
    reason_new_episode = _optional_choice(
        "Reason for the new episode",
        ReasonNewEpisode.choices,
        "Work it out from the last episode",
        "S when the child starts to be looked after; L, P, T, B or U when an episode ended "
        "with X1 today.",
    )
    category_of_need = _optional_choice(
        "Category of need", CategoryOfNeed.choices, "The same as the referral's primary need"
    )
    home_postcode = forms.CharField(
        label="Postcode of the child's home", max_length=8, required=False
    )
    placement_postcode = forms.CharField(
        label="Postcode of the placement",
        max_length=8,
        required=False,
        help_text="Needed unless the child is on short breaks (V3, V4).",
    )
    urn = forms.CharField(
        label="Ofsted unique reference number (URN) of the placement",
        max_length=8,
        required=False,
        help_text="For placements with a provider registered with Ofsted.",
    )
    previous_permanence = _optional_choice(
        "Previous permanence option",
        PreviousPermanence.choices,
        "Not asked: the child stays looked after",
        "Asked when the child starts to be looked after.",
    )
    previous_permanence_la = forms.CharField(
        label="Local authority that arranged it (three-digit code)", max_length=3, required=False
    )
    previous_permanence_on = forms.DateField(
        label="Date of the order", widget=DateInput(), required=False
    )


class LookedAfterEndForm(CaseForm, RevisionForm):
    ended_on = _date("Date the episode ended")
    reason_ceased = forms.ChoiceField(label="Reason it ended", choices=ReasonEpisodeCeased.choices)
    reason_placement_change = _optional_choice(
        "Reason the placement changed",
        PlacementChangeReason.choices,
        "The placement did not change",
        "Only when the child stays looked after (X1) in another placement.",
    )


class LookedAfterReviewForm(CaseForm):
    child = ChildField(queryset=None, label="Which child was the review about?")
    held_on = _date("Date of the review")
    participation = forms.ChoiceField(
        label="How did the child take part?",
        choices=ReviewParticipation.choices,
        widget=forms.RadioSelect,
    )


class MissingEpisodeForm(CaseForm):
    child = ChildField(queryset=None, label="Which child?")
    kind = forms.ChoiceField(
        label="Were they", choices=MissingKind.choices, widget=forms.RadioSelect
    )
    started_on = _date("Date they went missing or away")
    ended_on = forms.DateField(
        label="Date they came back (leave blank if they have not)",
        widget=DateInput(),
        required=False,
    )


class LookedAfterOutcomesForm(CaseForm):
    child = ChildField(queryset=None, label="Which child?")
    year = forms.IntegerField(
        label="Year ending 31 March",
        min_value=2000,
        max_value=2100,
        help_text="For children looked after for 12 months at 31 March of that year.",
    )
    sdq_score = forms.IntegerField(
        label="Strengths and difficulties questionnaire (SDQ) score",
        min_value=0,
        max_value=40,
        required=False,
        help_text="For children aged 4 to 16.",
    )
    sdq_reason = _optional_choice("Reason there is no SDQ score", SdqReason.choices, "There is one")
    convicted = _optional_yes_no("Convicted during the year?", "For children aged 10 or over.")
    health_check = _optional_yes_no(
        "Health promotion (development) checks up to date?", "For children under 5."
    )
    immunisations = _yes_no("Immunisations up to date?")
    teeth_check = _yes_no("Teeth checked by a dentist in the year?")
    health_assessment = _yes_no("Annual health assessment up to date?")
    substance_misuse = _yes_no("Substance misuse problem identified in the year?")
    intervention_received = _optional_yes_no("Did they receive an intervention for it?")
    intervention_offered = _optional_yes_no(
        "Was an intervention offered but refused?", "Only when none was received."
    )


class VisitForm(CaseForm):
    child = ChildField(queryset=None, label="Which child was visited?")
    visited_on = _date("Date of the visit")
    seen_alone = _yes_no("Was the child seen alone?")
    notes = _text("Notes (optional)")


class ClosureForm(CaseForm):
    closed_on = _date("Date of closure")
    reason = forms.ChoiceField(
        label="Reason for closure", choices=ClosureReason.choices, widget=forms.RadioSelect
    )
    summary = _text("Closing summary")
    note = _text("Note for your manager (optional)")


class ApprovalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve"), ("return", "Return with comments")],
        widget=forms.RadioSelect,
    )
    comments = _text("Comments", help_text="Needed when you return it: say what needs to change.")


class ResubmitForm(forms.Form):
    note = _text("What you changed (optional)")
