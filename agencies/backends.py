from django.contrib.auth.backends import ModelBackend

from agencies.models import User


class StaffBackend(ModelBackend):
    """Django's password backend, reading the signed-in person with their agency and team:
    every page's header names the agency, so this saves a query on every request."""

    def get_user(self, user_id):
        user = User._default_manager.select_related("agency", "team").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
