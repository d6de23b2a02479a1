from django.apps import AppConfig


class CasefileConfig(AppConfig):
    """The pages that bring a case together: the caseload and the case file itself.

    It sits above every domain app and only reads through their selectors, so a later domain
    (voices, safety, process) joins the case page here without the lower apps knowing."""

    name = "casefile"
    verbose_name = "Case file"
