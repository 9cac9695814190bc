from django.urls import path

from search import api, exports, feeds, insights, views

app_name = "search"
urlpatterns = [
    path("", views.search, name="search"),
    path("export.<str:fmt>", exports.export, name="export"),
    path("articles/export.<str:fmt>", exports.export_list, name="export_list"),
    path("feeds/search.atom", feeds.SearchFeed(), name="feed"),
    path("browse/", insights.browse_index, name="browse"),
    path("browse/<str:facet>/<str:value>/", insights.tag_page, name="tag_page"),
    path("overview/", insights.overview, name="overview"),
    path("api/v1/", api.index, name="api_index"),
    path("api/v1/openapi.json", api.openapi_document, name="api_openapi"),
    path("api/v1/search", api.search, name="api_search"),
    path("api/v1/articles/<int:pk>", api.article, name="api_article"),
    path("api/v1/<str:facet>", api.taxonomy_list, name="api_taxonomy"),
]
