from django.contrib import admin
from django.db.models import Count

from claims.models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "published_on", "claim_count"]
    search_fields = ["title", "publisher", "byline"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "body"]}),
        ("Publication", {"fields": ["publisher", "byline", "url", "published_on"]}),
    ]

    def get_queryset(self, request):
        # Aggregating drops Meta.ordering, and the autocomplete's pagination needs an order.
        return super().get_queryset(request).annotate(_claim_count=Count("claims")).order_by("-published_on", "-id")

    @admin.display(description="claims", ordering="_claim_count")
    def claim_count(self, obj: Article) -> int:
        return obj._claim_count
