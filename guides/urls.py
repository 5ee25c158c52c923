from django.urls import path

from guides import views

app_name = "guides"

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:platform_slug>/", views.platform_detail, name="platform"),
    path("<slug:platform_slug>/<slug:guide_slug>/", views.guide_detail, name="guide"),
]
