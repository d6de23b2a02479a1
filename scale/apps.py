from django.apps import AppConfig


class ScaleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "scale"
    verbose_name = "Scale: large synthetic agencies"
