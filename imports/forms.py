from django import forms

from imports.models import ImportKind


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds", choices=ImportKind.choices, widget=forms.RadioSelect
    )
    source_system = forms.CharField(
        label="Legacy system",
        max_length=64,
        help_text="The system the file was extracted from, for example 'LCS'. Its IDs are kept "
        "under this name: use the same name for every file from that system.",
    )
    upload = forms.FileField(
        label="File",
        help_text="A CSV (UTF-8) or XLSX file with the columns of the template, one record a row.",
    )

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Upload a CSV or an XLSX file.")
        return upload
