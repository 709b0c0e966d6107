from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from claims.admin.notifications import notification_settings
from claims.sitemaps import SITEMAPS
from claims.views.languages import switch_language
from claims.views.sharing import healthz, robots_txt
from claims.views.syndication import claimreview_feed, oembed

admin.site.site_header = _("Factcheck editors")
admin.site.site_title = _("Factcheck editors")
admin.site.index_title = _("Fact-checks, articles and quizzes")

urlpatterns = [
    # Before the admin's own: "Your notifications", the signed-in editor's email settings.
    path("admin/notifications/", admin.site.admin_view(notification_settings), name="editor-notifications"),
    path("admin/", admin.site.urls),
    path("robots.txt", robots_txt, name="robots-txt"),
    # For other sites: oEmbed answers for our links, whatever their language (claims/oembed.py).
    path("oembed", oembed, name="oembed"),
    # The ClaimReview DataFeed, both languages in one; before the API's include, which would claim api/….
    path("api/claimreview.json", claimreview_feed, name="claimreview-feed"),
    # One sitemap for both languages, each page with its alternates (claims/sitemaps.py).
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("healthz", healthz, name="healthz"),
    path("language/<str:code>/", switch_language, name="switch-language"),
    # The read-only JSON API, its OpenAPI schema and docs (claims/api/); the language is a parameter, not a prefix.
    path("api/", include("claims.api.urls")),
    # English unprefixed, Spanish under /es/ (factcheck/languages.py picks the language).
    *i18n_patterns(path("", include("claims.urls")), prefix_default_language=False),
    # Uploaded pictures, from the dev server with DEBUG on; nothing with DEBUG off or pictures in a bucket
    # (static() adds no route then): nginx serves MEDIA_ROOT in production (deploy/nginx.conf.template).
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]

# Error pages that never read the request body and never raise (factcheck/errors.py).
handler400 = "factcheck.errors.bad_request"
handler403 = "factcheck.errors.permission_denied"
handler404 = "factcheck.errors.page_not_found"
handler500 = "factcheck.errors.server_error"
