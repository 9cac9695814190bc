from django.urls import path
from django.views.generic import RedirectView

from archive import views

app_name = "archive"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="archive:article_list"), name="home"),
    path("articles/", views.ArticleListView.as_view(), name="article_list"),
    path("articles/<int:pk>/", views.ArticleDetailView.as_view(), name="article_detail"),
]
