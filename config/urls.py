from django.contrib import admin
from django.urls import include, path

from config.health import health

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", health, name="health"),
    path("", include("search.urls")),
    path("", include("search.pages.article_urls")),
]

# Unknown addresses under /api/ answer in JSON like the rest of the API.
handler404 = "search.api.errors.not_found"
# A database outage met outside a view still answers 503, not 500 (config/middleware.py).
handler500 = "config.middleware.server_error"
