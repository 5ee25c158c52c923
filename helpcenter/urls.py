from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from guides.api import api
from guides.views import syndication
from helpcenter import views

handler400 = "helpcenter.views.bad_request"
handler404 = "helpcenter.views.page_not_found"
handler500 = "helpcenter.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("sitemap.xml", syndication.sitemap, name="sitemap"),
    path("robots.txt", syndication.robots, name="robots"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(path("", include("guides.urls")))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
