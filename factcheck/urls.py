from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Factcheck editors"
admin.site.site_title = "Factcheck editors"
admin.site.index_title = "Fact-checks, articles and quizzes"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("claims.urls")),
]

# Error pages that never read the request body and never raise (factcheck/errors.py).
handler400 = "factcheck.errors.bad_request"
handler403 = "factcheck.errors.permission_denied"
handler404 = "factcheck.errors.page_not_found"
handler500 = "factcheck.errors.server_error"
