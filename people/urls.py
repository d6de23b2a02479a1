from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("cases/<int:case_id>/allocate/", views.case_allocate, name="case_allocate"),
]
