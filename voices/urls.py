app_name = "voices"

urlpatterns = []
