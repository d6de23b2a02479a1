from django.apps import AppConfig


class VoicesConfig(AppConfig):
    name = "voices"
    verbose_name = "Children's voices and Words and Pictures"
