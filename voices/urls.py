from django.urls import path

from voices import views

app_name = "voices"

CHILD = "cases/<int:case_id>/children/<int:person_id>/"
RECORD = CHILD + "voices/<int:record_id>/"
WP = CHILD + "words-and-pictures/<int:wp_id>/"
VERSION = WP + "versions/<int:version_id>/"

urlpatterns = [
    path(CHILD, views.child_detail, name="child_detail"),
    # Three Houses, Fairy or Wizard, Safety House
    path(CHILD + "voices/new/", views.voice_add, name="voice_add"),
    path(RECORD, views.voice_detail, name="voice_detail"),
    path(RECORD + "words/", views.voice_words, name="voice_words"),
    path(RECORD + "edit/", views.voice_edit, name="voice_edit"),
    path(RECORD + "shared/", views.voice_share, name="voice_share"),
    path(RECORD + "bring-into-map/", views.voice_bring, name="voice_bring"),
    path(RECORD + "pictures/", views.voice_picture_add, name="voice_picture_add"),
    path(RECORD + "pictures/<int:voice_picture_id>/", views.voice_picture, name="voice_picture"),
    path(
        RECORD + "pictures/<int:voice_picture_id>/remove/",
        views.voice_picture_remove,
        name="voice_picture_remove",
    ),
    path(
        CHILD + "three-houses/<int:record_id>/document.pdf",
        views.three_houses_pdf,
        name="three_houses_pdf",
    ),
    path(
        CHILD + "three-houses/<int:record_id>/document.docx",
        views.three_houses_docx,
        name="three_houses_docx",
    ),
    # Words and Pictures
    path(CHILD + "words-and-pictures/new/", views.wp_add, name="wp_add"),
    path(WP, views.wp_detail, name="wp_detail"),
    path(WP + "edit/", views.wp_edit, name="wp_edit"),
    path(WP + "new-version/", views.wp_revise, name="wp_revise"),
    path(WP + "document.pdf", views.wp_pdf, name="wp_pdf"),
    path(WP + "document.docx", views.wp_docx, name="wp_docx"),
    path(VERSION + "agree/", views.wp_agree, name="wp_agree"),
    path(VERSION + "shared/", views.wp_share, name="wp_share"),
    path(VERSION + "pictures/", views.wp_picture_add, name="wp_picture_add"),
    path(VERSION + "pictures/<int:wp_picture_id>/", views.wp_picture, name="wp_picture"),
    path(
        VERSION + "pictures/<int:wp_picture_id>/remove/",
        views.wp_picture_remove,
        name="wp_picture_remove",
    ),
]
