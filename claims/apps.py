from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What readers see on public pages; readers' own rows (quiz attempts and answers) are not in it.
CONTENT_MODELS = [
    "Article",
    "Claim",
    "Source",
    "ClaimSlugRedirect",
    "Correction",
    "Quiz",
    "Question",
    "Choice",
    # A translation's own words for its original's quotes, questions and choices.
    "QuoteTranslation",
    "QuestionTranslation",
    "ChoiceTranslation",
    # The organisation's own pages (ownership and funding).
    "Page",
    # Pictures, with the alt text and credit readers see (made by editorial.picture_create only).
    "Picture",
]


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Fact-checks")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_migrate, post_save

        # Connects the counter of failed sign-ins per address (its middleware answers from it).
        import factcheck.login_limits  # noqa: F401
        from claims.roles import ensure_groups

        # After the permissions exist (auth's own post_migrate handler runs first: it is installed earlier).
        post_migrate.connect(ensure_groups, sender=self, dispatch_uid="claims-ensure-groups")

        from claims.caching import bump_content_version

        # Any change to content invalidates every cached public page (claims/caching.py).
        for name in CONTENT_MODELS:
            model = self.get_model(name)
            post_save.connect(bump_content_version, sender=model, dispatch_uid=f"bump-{name}-save")
            post_delete.connect(bump_content_version, sender=model, dispatch_uid=f"bump-{name}-delete")

        from claims.search.index import claim_deleted, claim_saved

        # The search index follows every save of a claim in the same transaction (claims/search/index.py).
        claim = self.get_model("Claim")
        post_save.connect(claim_saved, sender=claim, dispatch_uid="search-claim-save")
        post_delete.connect(claim_deleted, sender=claim, dispatch_uid="search-claim-delete")
