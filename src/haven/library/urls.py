from django.urls import path

from . import views

urlpatterns = [
    path("", views.SearchPage.as_view(), name="library-search"),
    path("sources/<int:pk>/", views.SourcePage.as_view(), name="library-source"),
    path("sources/<int:pk>/cite.<str:fmt>", views.SourceExport.as_view(), name="library-source-export"),
    path("sources/<int:pk>/tags/", views.SourceTagsView.as_view(), name="library-source-tags"),
    path("export/", views.SelectionExport.as_view(), name="library-export"),
    path("countries/<str:code>/", views.CountryPage.as_view(), name="library-country"),
    path("pages/<int:pk>/", views.ImportedPage.as_view(), name="library-page"),
    path("claims/", views.ClaimsPage.as_view(), name="library-claims"),
    path("claims/<int:pk>/review/", views.ClaimReviewView.as_view(), name="library-claim-review"),
    path("merges/", views.MergesPage.as_view(), name="library-merges"),
    path("merges/<int:pk>/undo/", views.MergeUndoView.as_view(), name="library-merge-undo"),
    path("upload/", views.UploadView.as_view(), name="library-upload"),
]
