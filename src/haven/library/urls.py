from django.urls import path

from . import views

urlpatterns = [
    path("", views.search_page, name="library-search"),
    path("sources/<int:pk>/", views.source_detail, name="library-source"),
    path("sources/<int:pk>/cite.<str:fmt>", views.source_export, name="library-source-export"),
    path("sources/<int:pk>/tags/", views.source_tags, name="library-source-tags"),
    path("export/", views.selection_export, name="library-export"),
    path("countries/<str:code>/", views.country_page, name="library-country"),
    path("pages/<int:pk>/", views.page_detail, name="library-page"),
    path("claims/", views.claims_page, name="library-claims"),
    path("claims/<int:pk>/review/", views.claim_review, name="library-claim-review"),
    path("merges/", views.merges_page, name="library-merges"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="library-merge-undo"),
    path("upload/", views.upload, name="library-upload"),
]
