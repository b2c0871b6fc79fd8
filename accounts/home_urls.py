"""The site's front door, outside the accounts namespace (``{% url 'home' %}``)."""

from django.urls import path

from .views import home

urlpatterns = [path("", home, name="home")]
