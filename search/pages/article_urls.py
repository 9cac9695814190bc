from django.urls import path

from search.pages import articles as views

app_name = "archive"
urlpatterns = [
    path("articles/", views.ArticleListView.as_view(), name="article_list"),
    path("articles/<int:pk>/", views.ArticleDetailView.as_view(), name="article_detail"),
    path("articles/<int:pk>/raw.txt", views.raw_text, name="article_raw"),
    path("articles/<int:pk>/captures/<int:capture_pk>", views.capture_file, name="capture"),
    path("articles/<int:pk>/cite.<str:fmt>", views.citation_file, name="article_citation"),
]
