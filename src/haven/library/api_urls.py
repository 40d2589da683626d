from django.urls import path

from . import api

urlpatterns = [
    path("search/", api.search_view, name="api-library-search"),
    path("sources/", api.source_list, name="api-library-sources"),
    path("sources/<int:pk>/", api.source_detail, name="api-library-source"),
    path("sources/<int:pk>/citation/", api.citation, name="api-library-citation"),
    path("claims/", api.claim_list, name="api-library-claims"),
    path("claims/<int:pk>/review/", api.claim_review, name="api-library-claim-review"),
    path("merges/", api.merge_list, name="api-library-merges"),
    path("merges/<int:pk>/undo/", api.merge_undo, name="api-library-merge-undo"),
    path("imports/", api.import_view, name="api-library-imports"),
]
