from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("imports/", views.home, name="home"),
    path("imports/templates/", views.layouts, name="layouts"),
    path("imports/templates/<str:kind>.<str:fmt>", views.template_download, name="template"),
    path("imports/<int:run_id>/", views.run_detail, name="run_detail"),
    path("imports/<int:run_id>/import/", views.run_confirm, name="run_confirm"),
]
