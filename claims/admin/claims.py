from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from claims import editorial, search
from claims.admin.embeds import EmbedCodeAdminMixin
from claims.admin.pictures import PICTURE_FIELDSET, PictureFieldsForm, uploaded_picture
from claims.admin.review import REVIEW_ACTIONS, EditorialInlineFormSet, ReviewNoteForm, refusal_text
from claims.admin.translations import ClaimTranslationForm, TranslationAdminMixin
from claims.editorial import rules
from claims.editorial.actors import check_actor
from claims.editorial.claims import claim_problems
from claims.editorial.quotes import find_quote
from claims.htmx import vary_on_htmx, wants_partial
from claims.models import Article, Claim, ClaimSlugRedirect, Correction, Source, Status

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldOpts
    from django.contrib.auth.models import AnonymousUser, User
    from django_stubs_ext import StrOrPromise

# A pasted essay is not read whole (its first 40 words that are not stopwords are compared: claims/search/).
STATEMENT_SCAN = 2000


class SourceFormSet(EditorialInlineFormSet[Source, Claim, "SourceForm"]):
    """The claim and its sources checked together by the editorial rules, at the fields, before saving."""

    def editorial_problems(self, parent, kept) -> list:
        claim = self.instance
        previous = Claim.objects.filter(pk=claim.pk).first() if claim.pk else None
        sources = [*(form.instance for form in kept), *self.untouched_rows()]
        problems = claim_problems(
            claim=claim,
            sources=sources,
            by=parent.user,
            previous=previous,
            correction_note=parent.cleaned_data.get("correction_note", ""),
        )
        if parent.submitting:
            seen = {(problem.key, problem.code) for problem in problems}
            problems += [
                p for p in rules.claim_readiness(claim, sources, publishing=False) if (p.key, p.code) not in seen
            ]
        return problems


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = ["publisher", "title", "quote", "quotes_article", "url", "no_link_reason", "published_on", "position"]
        widgets = {"quote": forms.Textarea(attrs={"rows": 3})}

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what ModelForm.clean() returns
        if cleaned.get("quotes_article") is False and cleaned.get("url") and cleaned.get("no_link_reason"):
            self.add_error("no_link_reason", _("Give either the link or the reason there is none, not both."))
        return cleaned


class SourceInline(admin.StackedInline):
    model = Source
    form = SourceForm
    formset = SourceFormSet
    extra = 0
    min_num = 0
    fields = [
        ("publisher", "title"),
        "quote",
        "pick_passage",
        ("quotes_article", "found_in_article"),
        ("url", "no_link_reason"),
        ("published_on", "position"),
    ]
    readonly_fields = ["found_in_article", "pick_passage"]

    @admin.display(description=gettext_lazy("passage"))
    def pick_passage(self, source: Source) -> SafeString:
        """A link to the article's paragraphs, to copy a quote from (static/js/admin-passages.js opens them here,
        with htmx, and fills the quote with the words the editor selects)."""
        url = reverse("admin:claims_claim_passages")
        article_id = source.claim.article_id if source.pk else None
        return format_html(
            '<a href="{}" class="pick-passage" target="_blank" rel="noopener" data-hx-get="{}" '
            'data-hx-include="#id_article" data-hx-target="next .passages" data-hx-swap="innerHTML">{}</a>'
            '<div class="passages" aria-live="polite"></div>',
            f"{url}?{urlencode({'article': article_id})}" if article_id else url,
            url,
            _("Pick a passage from the article"),
        )

    def get_queryset(self, request: HttpRequest):
        # found_in_article reads each source's claim and article: one query for all rows, not two per row.
        return super().get_queryset(request).select_related("claim__article")

    @admin.display(description=gettext_lazy("in the article"))
    def found_in_article(self, source: Source) -> str:
        """Where the quote stands in the article, so the editor sees it before a reviewer does."""
        if not source.pk:
            return _("Checked when you save.")
        if not source.quotes_article:
            return _("Quotes another source: not checked against the article.")
        article = source.claim.article
        if article is None:
            return _("No article chosen: the quote cannot be checked.")
        number = find_quote(article.paragraphs, source.quote)
        if number is None:
            return _("Not found word for word in “%(title)s”.") % {"title": article.title}
        return _("Found in paragraph %(number)s of “%(title)s”.") % {"number": number, "title": article.title}

    def get_extra(self, request: HttpRequest, obj: Claim | None = None, **kwargs) -> int:
        return 2 if obj is None else 1


class SlugRedirectInline(admin.TabularInline):
    model = ClaimSlugRedirect
    extra = 0
    fields = ["old_slug", "created_at"]
    readonly_fields = ["old_slug", "created_at"]
    can_delete = False
    verbose_name = gettext_lazy("old permalink (redirects here)")
    verbose_name_plural = gettext_lazy("old permalinks (redirect here)")

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


LIMIT_HELP = {
    "statement": gettext_lazy(
        "The statement as it was made: quote or paraphrase it as the source does. At most %(max)s characters: it "
        "is the headline on a phone and on the share card."
    ),
    "ruling": gettext_lazy(
        "One or two sentences: the verdict and why, for readers in a hurry. At most %(max)s characters: readers "
        "take it in at a glance, and link previews and search results cut it off beyond that."
    ),
}
LIMITS = {"statement": rules.STATEMENT_MAX, "ruling": rules.RULING_MAX}


def set_up_limits(fields: dict[str, forms.Field]) -> None:
    """The length limits of the editorial rules, said in the help text and counted as the editor types
    (static/js/admin-counters.js reads the data attributes; the rule refuses a longer text on save)."""
    for name, limit in LIMITS.items():
        field = fields.get(name)
        if field is None:
            continue
        field.help_text = LIMIT_HELP[name] % {"max": limit}
        field.widget.attrs.update(
            {
                "rows": 3,  # room for the limit, on the first screen with the rest
                "data-max": str(limit),
                "data-counter": _("%(count)s of %(max)s characters"),
                "data-counter-over": _("%(count)s of %(max)s characters: %(over)s too many. Shorten it."),
            }
        )


def slug_help(claim: Claim | None) -> str:
    """What the slug is, with the permalink it makes now (the model's help text has no claim to show)."""
    if claim is None or not claim.slug:
        return _(
            "Made from the statement as you type it, and it follows the statement until the fact-check is first "
            "published. The permalink is /claims/ followed by it."
        )
    url = claim.get_absolute_url()
    if claim.published_at is None:
        return _(
            "The permalink will be %(url)s. It follows the statement until the fact-check is first published; "
            "after that it is kept, so shared links keep working."
        ) % {"url": url}
    return _("The permalink is %(url)s. Renaming it keeps the old address redirecting to the new one.") % {"url": url}


# Only on a published fact-check's page: the others have nothing to correct yet.
CORRECTION_FIELDSET: tuple[StrOrPromise, _FieldOpts] = (
    gettext_lazy("Changing a published fact-check"),
    {"fields": ["correction_note", "minor_edit"]},
)


class ClaimAdminForm(PictureFieldsForm, ReviewNoteForm):
    """The claim form, with what publishing adds: a correction note and the minor-edit tick."""

    correction_note = forms.CharField(
        label=gettext_lazy("Correction note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Shown to readers. Required to change the verdict or bottom line of a published fact-check."
        ),
    )
    minor_edit = forms.BooleanField(
        required=False,
        label=gettext_lazy("Minor edit"),
        help_text=gettext_lazy("A typo fix: readers are not shown a new “updated” date."),
    )
    user: User | AnonymousUser | None = None  # set per request by ClaimAdmin.get_form

    class Meta:
        model = Claim
        fields = "__all__"

    class Media:
        js = ["js/admin-counters.js", "js/admin-passages.js"]


def verdict_badge(claim: Claim) -> SafeString:
    return render_to_string("claims/includes/verdict_badge.html", {"rating": claim.rating, "link": False})


class CorrectionInline(admin.TabularInline):
    model = Correction
    extra = 0
    fields = ("created_at", "previous_verdict", "verdict", "note", "by")
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = gettext_lazy("corrections (public)")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Claim)
class ClaimAdmin(EmbedCodeAdminMixin[Claim], TranslationAdminMixin[Claim], admin.ModelAdmin):
    form = ClaimAdminForm
    change_form_template = "admin/claims/fitted_change_form.html"
    translation_form = ClaimTranslationForm
    list_display = [
        "short_statement",
        "language",
        "verdict_display",
        "status",
        "claimant",
        "author_name",
        "waiting_since",
        "article",
        "published_at",
    ]
    list_filter = ["status", "verdict", "language", "needs_update", "article"]
    list_select_related = ["article", "author"]
    search_fields = ["statement", "claimant"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["statement"]}
    autocomplete_fields = ["article", "picture"]
    readonly_fields = ["similar_fact_checks", "status", "published_at", "updated_at", "created_at", "modified_at"]
    inlines = [SourceInline, CorrectionInline, SlugRedirectInline]
    actions = [*REVIEW_ACTIONS, "make_quiz_questions"]

    class Media:
        css = {"all": ["css/admin.css"]}
        js = ["js/admin-autocomplete-names.js"]

    # Statement to bottom line first (the first screen at 1280 by 800 pixels), then the evidence: the article, the
    # sources (rendered here, between the fieldsets: templates/admin/claims/fitted_change_form.html) and the
    # explanation; then what is set once or read rarely.
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "statement",
                    ("claimant", "claimant_is_organization", "said_on"),
                    ("claimant_description", "said_where"),
                    "verdict",
                    "ruling",
                    # Below the bottom line, so that the statement to the bottom line fit the first screen; the
                    # panel still lists look-alikes as the statement is typed.
                    "similar_fact_checks",
                ]
            },
        ),
        (gettext_lazy("Evidence"), {"fields": ["article"]}),
        (gettext_lazy("Explanation"), {"fields": ["explanation"]}),
        (PICTURE_FIELDSET[0], {**PICTURE_FIELDSET[1], "classes": ["collapse"]}),
        (gettext_lazy("Permalink"), {"fields": ["slug"]}),
        (gettext_lazy("Review and publication"), {"fields": ["review_note", ("status", "published_at", "updated_at")]}),
        CORRECTION_FIELDSET,
        (gettext_lazy("Record"), {"fields": [("created_at", "modified_at")], "classes": ["collapse"]}),
    ]
    # How many of the fieldsets above come before the sources.
    FIELDSETS_BEFORE_SOURCES = 2

    def get_fieldsets(self, request: HttpRequest, obj: Claim | None = None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.status != Status.PUBLISHED:
            fieldsets = [fieldset for fieldset in fieldsets if fieldset is not CORRECTION_FIELDSET]
        return fieldsets

    def get_inlines(self, request: HttpRequest, obj: Claim | None):
        # A new fact-check has no corrections nor old permalinks yet: only its sources.
        inlines = super().get_inlines(request, obj)
        return [SourceInline] if obj is None else inlines

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # A subclass gets fields of its own (ModelFormMetaclass makes them again): the widget is set up on it.
        form = cast(type[forms.ModelForm], type(form.__name__, (form,), {"user": request.user}))
        set_up_limits(form.base_fields)
        if "slug" in form.base_fields:
            form.base_fields["slug"].help_text = slug_help(obj)
        if "statement" in form.base_fields and (obj is None or not obj.is_translation):
            # As the editor types, the panel below the statement lists look-alikes (htmx; without JavaScript the
            # panel shows those of the saved statement).
            url = reverse("admin:claims_claim_similar")
            if obj is not None:
                url += "?" + urlencode({"exclude": obj.pk})
            form.base_fields["statement"].widget.attrs.update(
                {
                    "data-hx-get": url,
                    "data-hx-trigger": "input changed delay:400ms",
                    "data-hx-target": "#similar-fact-checks",
                    "data-hx-sync": "this:replace",
                }
            )
        return form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        original = obj is None or not obj.is_translation
        context["load_htmx"] = original  # the similar fact-checks panel
        if original:
            context["fieldsets_before_sources"] = self.FIELDSETS_BEFORE_SOURCES
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def get_urls(self):
        similar = path("similar/", self.admin_site.admin_view(self.similar_view), name="claims_claim_similar")
        passages = path("passages/", self.admin_site.admin_view(self.passages_view), name="claims_claim_passages")
        return [similar, passages, *super().get_urls()]

    def passages_view(self, request: HttpRequest) -> HttpResponse:
        """The paragraphs of an article that contain every word searched for: to pick a quote from, verbatim (in
        a panel under a source, with htmx; without JavaScript, a page to copy from)."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        article_id, words = request.GET.get("article", ""), request.GET.get("q", "")[:STATEMENT_SCAN].split()
        article = None
        if article_id.isascii() and article_id.isdigit() and len(article_id) <= 18:
            article = Article.objects.filter(pk=int(article_id), translation_of=None).first()
        paragraphs = list(enumerate(article.paragraphs, start=1)) if article else []
        wanted = [word.casefold() for word in words]
        found = [(n, text) for n, text in paragraphs if all(word in text.casefold() for word in wanted)]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Pick a passage"),
            "article": article,
            "paragraphs": found,
            "query": " ".join(words),
            "url": reverse("admin:claims_claim_passages"),
            # For static/js/admin-passages.js, which fills in the number.
            "filled": _("The evidence quote now holds the words you selected in paragraph %(number)s."),
        }
        template = "admin/claims/claim/passages.html"
        if wants_partial(request):
            template += "#passages"
        return vary_on_htmx(TemplateResponse(request, template, context))

    def _similar_panel(self, statement: str, exclude: int | None) -> SafeString:
        claims = search.similar_claims(statement, exclude=exclude) if statement.strip() else []
        context = {"claims": claims, "statement": statement.strip()}
        return render_to_string("admin/claims/claim/similar_claims.html", context)

    def similar_view(self, request: HttpRequest) -> HttpResponse:
        """The look-alikes of the statement being written (the panel's contents, for htmx)."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        statement = request.GET.get("statement", "")[:STATEMENT_SCAN]
        exclude = request.GET.get("exclude", "")
        if exclude and not (exclude.isascii() and exclude.isdigit() and len(exclude) <= 18):
            return HttpResponseBadRequest(_("“exclude” must be the number of a claim."))
        return HttpResponse(self._similar_panel(statement, int(exclude) if exclude else None))

    @admin.display(description=gettext_lazy("similar fact-checks"))
    def similar_fact_checks(self, obj: Claim | None) -> SafeString:
        panel = self._similar_panel(obj.statement, obj.pk) if obj is not None else self._similar_panel("", None)
        return format_html('<div id="similar-fact-checks" class="similar-claims" aria-live="polite">{}</div>', panel)

    def save_through_action(self, request: HttpRequest, form, formsets) -> None:
        sources = next(fs for fs in formsets if isinstance(fs, SourceFormSet))
        by = check_actor(request.user)
        with uploaded_picture(form, by):
            editorial.claim_save(
                claim=form.instance,
                sources=[*(f.instance for f in sources.kept_forms()), *sources.untouched_rows()],
                by=by,
                correction_note=form.cleaned_data.get("correction_note", ""),
                minor_edit=bool(form.cleaned_data.get("minor_edit")),
            )

    def review_buttons(self, request, obj: Claim | None) -> list[tuple[str, str]]:
        buttons = super().review_buttons(request, obj)
        # Quiz questions are made from originals: a translated quiz gives the original's questions its own words.
        if obj is not None and not obj.is_translation and request.user.has_perm("claims.change_quiz"):
            buttons.append(("_make_question", _("Make a quiz question from it")))
        return buttons

    def response_change(self, request, obj: Claim):
        if "_make_question" in request.POST:
            return self._make_questions(request, Claim.objects.filter(pk=obj.pk))
        return super().response_change(request, obj)

    @admin.action(description=gettext_lazy("Make quiz questions from selected claims"), permissions=["change"])
    def make_quiz_questions(self, request, queryset: QuerySet):
        return self._make_questions(request, queryset)

    def _make_questions(self, request, queryset: QuerySet):
        made = []
        for claim in queryset.select_related("article"):
            try:
                made.append(editorial.question_from_claim(claim=claim, by=check_actor(request.user)))
            except (ValidationError, PermissionDenied) as error:
                self.message_user(
                    request,
                    _("No question was made from “%(claim)s”. %(reason)s")
                    % {"claim": claim, "reason": refusal_text(error)},
                    messages.WARNING,
                )
        if not made:
            return None
        quiz = made[-1].quiz
        self.message_user(
            request,
            ngettext(
                "Made %(count)s draft question in “%(quiz)s”: polish the wording and the wrong choices, then submit "
                "the quiz for review.",
                "Made %(count)s draft questions in “%(quiz)s”: polish the wording and the wrong choices, then submit "
                "the quiz for review.",
                len(made),
            )
            % {"count": len(made), "quiz": quiz},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:claims_quiz_change", args=[quiz.pk]))

    @admin.display(description=gettext_lazy("statement"), ordering="statement")
    def short_statement(self, obj: Claim) -> str:
        return str(obj)

    @admin.display(description=gettext_lazy("verdict"), ordering="verdict")
    def verdict_display(self, obj: Claim) -> SafeString:
        return verdict_badge(obj)

    @admin.display(description=gettext_lazy("verdict (the original's)"))
    def shared_verdict(self, obj: Claim) -> SafeString:
        """On a translation's page: the verdict is its original's, changed only there (with a correction)."""
        return format_html(
            '{}<div class="help">{}</div>',
            verdict_badge(obj),
            _("A translation shares its original's verdict: a correction of the original changes it here too."),
        )
