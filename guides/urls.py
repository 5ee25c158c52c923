from django.urls import path

from guides.views import confirmations, feedback, pages, progress, search, syndication

app_name = "guides"

guide = "<slug:platform_slug>/<slug:guide_slug>/"
step = guide + "steps/<int:step_id>/"

urlpatterns = [
    path("", pages.home, name="home"),
    path("search/", search.search_page, name="search"),  # before platforms: "search" is no platform's slug
    path("feed.atom", syndication.feed, name="feed"),
    path("<slug:platform_slug>/", pages.platform_detail, name="platform"),
    path(guide, pages.guide_detail, name="guide"),
    path(guide + "start-over/", progress.start_over, name="start-over"),
    path(guide + "vote/", feedback.vote, name="vote"),
    path(guide + "confirm/", confirmations.confirm, name="confirm"),
    path(step + "done/", progress.mark_step, name="step-done"),
    path(step + "report/", feedback.report_step, name="step-report"),
]
