from django.urls import path

from returns import views

app_name = "returns"

urlpatterns = [
    path("returns/cin-census/", views.cin_census, name="cin_census"),
    path("returns/cin-census/download/", views.cin_census_download, name="cin_census_download"),
    path("returns/ssda903/", views.ssda903, name="ssda903"),
    path("returns/ssda903/download/", views.ssda903_download, name="ssda903_download"),
    path("returns/annex-a/", views.annex_a, name="annex_a"),
    path("returns/annex-a/download/", views.annex_a_download, name="annex_a_download"),
]
