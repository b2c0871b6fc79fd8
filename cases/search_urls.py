"""/search/?q=: one search over cases and people (URL name ``search``, no namespace: the
header's search box, templates/includes/search_box.html, submits to it)."""

from django.urls import path

from .views.search import search

urlpatterns = [path("", search, name="search")]
