from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from search.api import views as api
from search.api.errors import not_found as api_not_found
from search.exports import downloads as exports
from search.exports import feeds, figure_downloads
from search.exports.table_downloads import figures_csv
from search.pages import browse, figures_tables, incidents, overview, provinces
from search.pages import search as views

app_name = "search"
urlpatterns = [
    path("", views.search, name="search"),
    path("export.<str:fmt>", exports.export, name="export"),
    path("articles/export.<str:fmt>", exports.export_list, name="export_list"),
    path("feeds/search.atom", feeds.SearchFeed(), name="feed"),
    path("browse/", browse.browse_index, name="browse"),
    # Before the tag pages, whose pattern would take "province" for a facet.
    path("browse/province/<str:code>/", provinces.province_page, name="province_page"),
    path("browse/<str:facet>/<str:value>/", browse.tag_page, name="tag_page"),
    path("overview/", overview.overview, name="overview"),
    path("incidents/<int:pk>/", incidents.incident, name="incident"),
    path("threads/<int:pk>/", incidents.thread, name="thread"),
    path("figures/", figures_tables.figures, name="figures"),
    path("figures/reports/", figures_tables.figure_reports, name="figure_reports"),
    # Before the tables' CSV, whose <table>.csv would take "export.csv" too.
    path("figures/export.<str:fmt>", figure_downloads.export_figures, name="figure_export"),
    path("figures/<str:table>.csv", figures_csv, name="figures_csv"),
    path("api/v1/", api.index, name="api_index"),
    path("api/v1/openapi.json", api.openapi_document, name="api_openapi"),
    path("api/v1/search", api.search, name="api_search"),
    path("api/v1/articles/<int:pk>", api.article, name="api_article"),
    path("api/v1/figures", api.figures, name="api_figures"),
    # Before the taxonomy lists, whose <facet> would take "incidents" for a list's name.
    path("api/v1/incidents", api.incidents, name="api_incidents"),
    path("api/v1/incidents/<int:pk>", api.incident, name="api_incident"),
    path("api/v1/<str:facet>", api.taxonomy_list, name="api_taxonomy"),
    # Anything else under /api/ is the API's JSON 404, with DEBUG on too (whose own 404 page
    # would be HTML).
    re_path(r"^api/", csrf_exempt(api_not_found), name="api_not_found"),
]
