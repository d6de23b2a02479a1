from django import forms
from django.utils import timezone

from core.forms import DateInput
from practice.forms import ChildrenField, RevisionForm
from practice.models import DangerStatement
from safety.models import NetworkMember, SafetyPlanReview

TEXTAREA = {"rows": 3}


def _not_future(value, message="The date can't be in the future."):
    if value and value > timezone.localdate():
        raise forms.ValidationError(message)
    return value


class MembersField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, member):
        return f"{member.name} ({member.relationship})"


class StatementsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, statement):
        return f"From map {statement.map.number}: {statement.worried_about[:110]}"


class NetworkMemberForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    kind = forms.ChoiceField(
        label="Who are they to the family?", choices=NetworkMember.Kind.choices
    )
    relationship = forms.CharField(
        label="How they know the children or family",
        max_length=200,
        help_text="For example: Mum's sister, Leo's football coach, the health visitor.",
    )
    person = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Are they someone already recorded in this case? (optional)",
        empty_label="No",
    )
    children = ChildrenField(queryset=None, required=False, label="Which children are they around?")
    informed = forms.BooleanField(label="They have been told about the worries", required=False)
    informed_on = forms.DateField(label="When were they told?", widget=DateInput(), required=False)
    informed_by = forms.CharField(
        label="Who told them?",
        max_length=200,
        required=False,
        help_text="For example: Mum, with Sam (social worker).",
    )
    seen_words_and_pictures = forms.BooleanField(
        label="They have seen the Words and Pictures explanation", required=False
    )
    words_and_pictures_seen_on = forms.DateField(
        label="When did they see it?", widget=DateInput(), required=False
    )
    plan_roles = forms.CharField(
        label="What do they do in the safety plan? (optional)",
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="For example: picks Leo up from school on Mondays and Wednesdays.",
    )
    phone = forms.CharField(label="Phone (optional)", max_length=40, required=False)
    email = forms.EmailField(label="Email (optional)", required=False)
    address = forms.CharField(
        label="Address (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    CONTACT_FIELDS = ("phone", "email", "address")
    SERVICE_FIELDS = (
        "name",
        "kind",
        "relationship",
        "person",
        "informed",
        "informed_on",
        "informed_by",
        "seen_words_and_pictures",
        "words_and_pictures_seen_on",
        "plan_roles",
        "phone",
        "email",
        "address",
    )

    def __init__(self, *args, family, children_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = family
        self.fields["person"].label_from_instance = lambda person: person.display_name
        self.fields["children"].queryset = children_queryset

    def clean_informed_on(self):
        return _not_future(self.cleaned_data["informed_on"])

    def clean_words_and_pictures_seen_on(self):
        return _not_future(self.cleaned_data["words_and_pictures_seen_on"])

    def clean(self):
        data = super().clean()
        if not data.get("informed") and (data.get("informed_on") or data.get("informed_by")):
            self.add_error("informed", "Tick this if they have been told, or leave the date empty.")
        if not data.get("seen_words_and_pictures") and data.get("words_and_pictures_seen_on"):
            self.add_error(
                "seen_words_and_pictures",
                "Tick this if they have seen it, or leave the date empty.",
            )
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.SERVICE_FIELDS}


class NetworkMemberAddForm(NetworkMemberForm):
    joined_on = forms.DateField(
        label="When did they join the network?",
        widget=DateInput(),
        required=False,
        help_text="Leave empty for today.",
    )

    def clean_joined_on(self):
        return _not_future(self.cleaned_data["joined_on"])


class NetworkMemberEditForm(RevisionForm, NetworkMemberForm):
    pass


class NetworkStatusForm(RevisionForm):
    status = forms.ChoiceField(label="Status now", choices=NetworkMember.Status.choices)
    changed_on = forms.DateField(label="From when?", widget=DateInput())
    reason = forms.CharField(
        label="Why? (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_changed_on(self):
        return _not_future(self.cleaned_data["changed_on"])


class SafetyPlanDetailsForm(RevisionForm):
    if_broken = forms.CharField(
        label="What will everyone do if a rule is broken?",
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="In the family's words: who notices, who they tell, what happens next.",
    )
    who_to_call = forms.CharField(
        label="Who to call if anyone is worried",
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="Names and phone numbers, including out of hours.",
    )
    next_review_on = forms.DateField(
        label="When will the plan be looked at again? (optional)",
        widget=DateInput(),
        required=False,
    )


class SafetyPlanRuleForm(forms.Form):
    text = forms.CharField(
        label="The rule, in the family's own words",
        widget=forms.Textarea(attrs=TEXTAREA),
        max_length=4000,
        help_text="For example: Dad does not drink when he is looking after the children.",
    )
    who = forms.CharField(label="Who does it?", max_length=300)
    when = forms.CharField(
        label="When?", max_length=300, help_text="For example: every weekday at 3pm."
    )
    how_checked = forms.CharField(
        label="How will everyone know it is happening?",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    danger_statements = StatementsField(
        queryset=None, required=False, label="Which worries does this rule answer?"
    )
    members = MembersField(
        queryset=None, required=False, label="Who in the network is part of this rule? (optional)"
    )

    def __init__(self, *args, statements, members, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [s.pk for s in statements]
        self.fields["danger_statements"].queryset = (
            DangerStatement.objects.filter(pk__in=ids)
            .select_related("map")
            .order_by("-map__number", "id")
        )
        self.fields["members"].queryset = members

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("text", "who", "when", "how_checked")}


class SafetyPlanRuleEditForm(RevisionForm, SafetyPlanRuleForm):
    pass


class SafetyPlanAgreeForm(RevisionForm):
    agreed_on = forms.DateField(label="When was it agreed?", widget=DateInput())
    agreed_with = forms.CharField(
        label="Who agreed it? Names and roles",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: Jade (Mum), Grandma Pat, Sam (social worker).",
    )
    members = MembersField(
        queryset=None, required=False, label="Network members who agreed it (optional)"
    )
    next_review_on = forms.DateField(label="When will it be reviewed?", widget=DateInput())

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members

    def clean_agreed_on(self):
        return _not_future(self.cleaned_data["agreed_on"])

    def clean(self):
        data = super().clean()
        if not data.get("agreed_with", "").strip() and not data.get("members"):
            self.add_error("agreed_with", "Say who agreed the plan.")
        agreed, review = data.get("agreed_on"), data.get("next_review_on")
        if agreed and review and review <= agreed:
            self.add_error("next_review_on", "The review date must be after the day it was agreed.")
        return data


class SafetyPlanReviewForm(forms.Form):
    reviewed_on = forms.DateField(label="When was the review?", widget=DateInput())
    outcome = forms.ChoiceField(
        label="How is the plan working?",
        choices=SafetyPlanReview.Outcome.choices,
        widget=forms.RadioSelect,
    )
    who_took_part = forms.CharField(label="Who took part? (optional)", required=False)
    notes = forms.CharField(
        label="What was said (optional)", required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    next_review_on = forms.DateField(
        label="Next review (optional)", widget=DateInput(), required=False
    )

    def clean_reviewed_on(self):
        return _not_future(self.cleaned_data["reviewed_on"])

    def clean(self):
        data = super().clean()
        this, after = data.get("reviewed_on"), data.get("next_review_on")
        if this and after and after <= this:
            self.add_error("next_review_on", "The next review must be after this one.")
        return data


class CheckInForm(forms.Form):
    member = forms.ModelChoiceField(queryset=None, label="Who checked in?")
    checked_on = forms.DateField(label="When?", widget=DateInput())
    what_they_saw = forms.CharField(
        label="What did they see?",
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="In their words: what was happening at home.",
    )
    rules = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Which rules were they checking? (optional)",
    )
    breach = forms.BooleanField(label="A rule was broken", required=False)
    breach_details = forms.CharField(
        label="What happened? (if a rule was broken)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    action_taken = forms.CharField(
        label="What was done about it? (if a rule was broken)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, members, rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda m: f"{m.name} ({m.relationship})"
        self.fields["rules"].queryset = rules
        self.fields["rules"].label_from_instance = lambda rule: rule.text[:100]

    def clean_checked_on(self):
        return _not_future(self.cleaned_data["checked_on"])

    def clean(self):
        data = super().clean()
        if data.get("breach"):
            if not data.get("breach_details", "").strip():
                self.add_error("breach_details", "Say what happened when the rule was broken.")
            if not data.get("action_taken", "").strip():
                self.add_error("action_taken", "Say what was done about it.")
        return data


class TrajectoryStageForm(forms.Form):
    name = forms.CharField(
        label="Stage", max_length=200, help_text="For example: Child protection plan ends."
    )
    milestone = forms.CharField(
        label="What will show this stage is reached?", widget=forms.Textarea(attrs={"rows": 2})
    )
    target_on = forms.DateField(label="Target date", widget=DateInput())
    achieved_on = forms.DateField(
        label="Date reached (when it happens)", widget=DateInput(), required=False
    )

    def clean_achieved_on(self):
        return _not_future(self.cleaned_data["achieved_on"])

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("name", "milestone", "target_on")} | {
            "achieved_on": self.cleaned_data["achieved_on"]
        }


class TrajectoryStageEditForm(RevisionForm, TrajectoryStageForm):
    pass
