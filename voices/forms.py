from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.forms import DateInput
from practice.models import PLAIN_CATEGORIES
from voices import uploads
from voices.models import PART_QUESTIONS, PARTS, VoiceKind, VoicePart, WPSection


class RevisionForm(forms.Form):
    """Carries the revision the person saw, so a stale save is caught rather than winning."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def _not_in_future(day):
    if day and day > timezone.localdate():
        raise ValidationError("The date can't be in the future.")
    return day


class PictureInput(forms.FileInput):
    def __init__(self, attrs=None):
        super().__init__(attrs={"accept": "image/png,image/jpeg", **(attrs or {})})


class PictureFields(forms.Form):
    """A drawing or photo with its short description. The file is checked by opening it, not by
    its name: only real PNG and JPEG pictures within the limits get through."""

    picture_required = True

    picture = forms.FileField(
        label="Drawing or photo",
        widget=PictureInput,
        help_text="A PNG or JPEG picture, up to 8 MB. It is kept private to this family's record.",
    )
    alt_text = forms.CharField(
        label="Short description of the picture",
        max_length=300,
        required=False,
        help_text="Say in a few words what it shows, for people who can't see it. "
        "For example: Leo's drawing of his house with Mum and Grandma inside.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["picture"].required = self.picture_required

    def clean_picture(self):
        upload = self.cleaned_data.get("picture")
        if not upload:
            return None
        return uploads.clean_picture(upload)

    def clean(self):
        data = super().clean()
        if data.get("picture") and not (data.get("alt_text") or "").strip():
            self.add_error("alt_text", "Say in a few words what the picture shows.")
        return data


class VoicePictureForm(PictureFields):
    part = forms.ChoiceField(label="Which part does it show?", required=False)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].choices = [("", "The whole piece of work")] + [
            (p.value, p.label) for p in PARTS[VoiceKind(kind)]
        ]


class VoiceRecordForm(PictureFields):
    """The child's own words for each part of the tool, with an optional drawing or photo."""

    picture_required = False

    done_on = forms.DateField(
        label="Date of the work", widget=DateInput(), validators=[_not_in_future]
    )
    done_by = forms.ModelChoiceField(
        queryset=None, label="Who did the work with the child?", empty_label=None
    )

    def __init__(self, *args, kind: str, staff, with_picture=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = VoiceKind(kind)
        self.fields["done_by"].queryset = staff
        self.fields["done_by"].label_from_instance = lambda user: user.get_full_name()
        for part in PARTS[self.kind]:
            self.fields[part.value] = forms.CharField(
                label=part.label,
                help_text=f"{PART_QUESTIONS[part]} Write the child's own words.",
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        if not with_picture:
            del self.fields["picture"], self.fields["alt_text"]
        else:
            self.fields["picture"].label = "Drawing or photo (optional)"
            self.fields["picture_part"] = forms.ChoiceField(
                label="Which part does the picture show?",
                required=False,
                choices=[("", "The whole piece of work")]
                + [(p.value, p.label) for p in PARTS[self.kind]],
            )
        # Keep the fields in reading order: date, who, the child's words, then the picture.
        order = ["revision", "done_on", "done_by", *[p.value for p in PARTS[self.kind]]]
        self.order_fields(order)

    def words(self) -> dict[str, str]:
        return {part.value: self.cleaned_data.get(part.value, "") for part in PARTS[self.kind]}

    def word_fields(self):
        return [self[part.value] for part in PARTS[self.kind]]

    def pictures(self) -> list:
        picture = self.cleaned_data.get("picture")
        if not picture:
            return []
        return [(picture, self.cleaned_data["alt_text"], self.cleaned_data.get("picture_part", ""))]

    def clean(self):
        data = super().clean()
        if not any((data.get(p.value) or "").strip() for p in PARTS[self.kind]):
            first = PARTS[self.kind][0].value
            self.add_error(first, "Write down at least some of the child's words.")
        return data


class VoiceRecordEditForm(RevisionForm, VoiceRecordForm):
    pass


class ShareWithParentsForm(forms.Form):
    shared_on = forms.DateField(
        label="When were these words shared with the parents?",
        widget=DateInput(),
        validators=[_not_in_future],
    )


class BringIntoMapForm(forms.Form):
    part = forms.ChoiceField(widget=forms.HiddenInput, choices=VoicePart.choices)
    category = forms.ChoiceField(label="Where on the map do these words belong?")
    text = forms.CharField(
        label="What to add to the map",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text="Keep the child's own words. You can choose just the part that matters.",
    )

    def __init__(self, *args, labels: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(c.value, labels[c.value]) for c in PLAIN_CATEGORIES]


class WordsAndPicturesForm(forms.Form):
    who_is_worried = forms.CharField(
        label=WPSection.WHO_IS_WORRIED.label,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Name the people who are worried, in words the child knows.",
    )
    worried_about = forms.CharField(
        label=WPSection.WORRIED_ABOUT.label,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Say what happened in simple words a child can understand. No jargon.",
    )
    what_happened = forms.CharField(
        label=WPSection.WHAT_HAPPENED.label,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the grown-ups did next, and where the child is living now.",
    )
    what_we_are_doing = forms.CharField(
        label=WPSection.WHAT_WE_ARE_DOING.label,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What everyone is doing so the child is safe and things get better.",
    )
    safety_plan = forms.CharField(
        label="The safety plan (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The rules everyone has agreed, so the child knows who to tell and what "
        "will happen.",
    )
    change_note = forms.CharField(
        label="What changed and why (optional)",
        required=False,
        max_length=300,
        help_text="For example: Mum asked us to say she loves Leo very much.",
    )

    def sections(self) -> dict[str, str]:
        return {s.value: self.cleaned_data[s.value] for s in WPSection}


class WordsAndPicturesEditForm(RevisionForm, WordsAndPicturesForm):
    pass


class WPPictureForm(PictureFields):
    section = forms.ChoiceField(
        label="Which part of the story does it go with?", choices=WPSection.choices
    )


class AgreementForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Which parent or carer agreed?",
        empty_label="Someone else",
    )
    name = forms.CharField(
        label="Their name, if not listed",
        max_length=200,
        required=False,
    )
    agreed_on = forms.DateField(
        label="Date they agreed", widget=DateInput(), validators=[_not_in_future]
    )

    def __init__(self, *args, adults, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = adults
        self.fields["person"].label_from_instance = lambda person: person.display_name

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("name") or "").strip():
            self.add_error("name", "Choose the parent who agreed, or write their name.")
        return data


class ShareWithChildForm(forms.Form):
    shared_on = forms.DateField(
        label="When was it shared with the child?",
        widget=DateInput(),
        validators=[_not_in_future],
    )
    present = forms.CharField(
        label="Who was there?",
        max_length=300,
        help_text="For example: Mum, Grandma Pat and Sam (social worker).",
    )
