from django.urls import path

from returns import views

app_name = "returns"

urlpatterns = [
    path("returns/cin-census/", views.cin_census, name="cin_census"),
    path("returns/cin-census/download/", views.cin_census_download, name="cin_census_download"),
]
