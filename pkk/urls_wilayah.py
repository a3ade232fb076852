from django.urls import path

from . import views_wilayah

app_name = "wilayah"

urlpatterns = [
    path("cari/", views_wilayah.unit_search, name="unit_search"),
]
