from django.urls import path

from frontend.views import pages

app_name = "frontend"

urlpatterns = [
    path("", pages.HomeView.as_view(), name="home"),
]
