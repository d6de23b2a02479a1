from django.apps import AppConfig


class TimescalesConfig(AppConfig):
    name = "timescales"
    verbose_name = "Statutory timescales and worklists"
