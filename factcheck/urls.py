from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Factcheck editors"
admin.site.site_title = "Factcheck editors"
admin.site.index_title = "Fact-checks, articles and quizzes"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("claims.urls")),
]
