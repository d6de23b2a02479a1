from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker; it needs ISO dates whatever the display locale."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
