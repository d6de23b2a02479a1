from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("cases/<int:case_id>/maps/<int:map_id>/document.pdf", views.map_pdf, name="map_pdf"),
    path("cases/<int:case_id>/maps/<int:map_id>/document.docx", views.map_docx, name="map_docx"),
]
