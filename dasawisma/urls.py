from django.urls import path

from . import views

app_name = "dasawisma"

urlpatterns = [
    path("", views.kader_home, name="kader_home"),
]
