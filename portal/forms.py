import datetime

from django import forms
from django.utils import timezone

from core.forms import DateInput
from portal.models import PortalInvitation, Scope

TEXTAREA = {"rows": 3}


class InviteForm(forms.Form):
    """The worker's invitation: who, what they may see, for how long, and how it reaches them."""

    who = forms.ChoiceField(label="Who are you inviting?")
    scopes = forms.MultipleChoiceField(
        label="What may they see?",
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Parents and young people: Words and Pictures, the plan and the map. "
        "Safety network members: only their part in the plan, and check-ins.",
    )
    young_person_judgement = forms.CharField(
        label="For a young person: why is it right for them to see these?",
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    delivery = forms.ChoiceField(
        label="How will they get the invitation?",
        choices=[("print", "Print a one-time code to give them"), ("email", "Email them a link")],
        widget=forms.RadioSelect,
        initial="print",
    )
    email = forms.EmailField(label="Email address (to send a link)", required=False)
    expires_on = forms.DateField(
        label="Access ends on",
        widget=DateInput(),
        help_text="It also ends at once if you withdraw it or the case closes.",
    )

    def __init__(self, *args, people, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {f"person-{p.pk}": p for p in people}
        self.members = {f"member-{m.pk}": m for m in members}
        adults = [(k, f"{p.display_name} (parent or carer)") for k, p in self.people.items()
                  if p.kind == "adult"]  # fmt: skip
        children = [(k, f"{p.display_name} (young person)") for k, p in self.people.items()
                    if p.kind == "child"]  # fmt: skip
        network = [(k, f"{m.name} ({m.relationship})") for k, m in self.members.items()]
        self.fields["who"].choices = [
            ("", "Choose a person"),
            ("Parents and carers", adults),
            ("Young people", children),
            ("Safety network", network),
        ]
        if not self.is_bound:
            self.initial.setdefault("expires_on", timezone.localdate() + datetime.timedelta(90))

    def invitee(self) -> dict:
        key = self.cleaned_data["who"]
        if key in self.members:
            return {
                "kind": PortalInvitation.Kind.NETWORK_MEMBER,
                "network_member": self.members[key],
            }
        person = self.people[key]
        kind = (
            PortalInvitation.Kind.YOUNG_PERSON
            if person.kind == "child"
            else PortalInvitation.Kind.PARENT
        )
        return {"kind": kind, "person": person}

    def clean(self):
        data = super().clean()
        if data.get("delivery") == "email" and not data.get("email"):
            self.add_error("email", "Give an email address, or choose to print a code.")
        return data


class WithdrawForm(forms.Form):
    invitation = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="Why? (optional)", required=False, max_length=300)


class AcknowledgeForm(forms.Form):
    alert = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label="What you are doing about it (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Your code",
        max_length=20,
        help_text="It has 8 letters and numbers, like ABCD-7KMP.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "inputmode": "text",
            }  # fmt: skip
        ),
    )


class LinkRequestForm(forms.Form):
    email = forms.EmailField(
        label="Your email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


YES_NO = [("yes", "Yes"), ("no", "No")]


class PortalCheckInForm(forms.Form):
    """A network member's check-in, in plain words."""

    checked_on = forms.DateField(label="What day did you check?", widget=DateInput())
    rules = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Which rules did you check? (you can leave this)",
    )
    what_they_saw = forms.CharField(
        label="What did you see?", widget=forms.Textarea(attrs=TEXTAREA)
    )
    plan_kept = forms.ChoiceField(
        label="Was the plan kept?", choices=YES_NO, widget=forms.RadioSelect
    )
    what_happened = forms.CharField(
        label="If not: what happened?", required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    what_they_did = forms.CharField(
        label="If not: what did you do?", required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    worries = forms.CharField(
        label="Is there anything that worries you? (you can leave this)",
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
    )

    def __init__(self, *args, rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rules"].queryset = rules
        self.fields["rules"].label_from_instance = lambda rule: rule.text[:120]
        if not self.is_bound:
            self.initial.setdefault("checked_on", timezone.localdate())

    def clean_checked_on(self):
        value = self.cleaned_data["checked_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("The day can't be after today.")
        return value

    def clean(self):
        data = super().clean()
        if data.get("plan_kept") == "no":
            if not data.get("what_happened", "").strip():
                self.add_error("what_happened", "Say what happened.")
            if not data.get("what_they_did", "").strip():
                self.add_error("what_they_did", "Say what you did, even if you did nothing yet.")
        return data
