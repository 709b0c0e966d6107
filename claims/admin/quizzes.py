from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.db.models import Count, Exists, F, OuterRef
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims import editorial, quiz_services
from claims.admin.embeds import EmbedCodeAdminMixin
from claims.admin.forms import QuestionForm, QuestionFormBase, question_fieldsets
from claims.admin.question_order import apply_move
from claims.admin.review import EditorialInlineFormSet, ReviewNoteForm
from claims.admin.translations import QuizTranslationForm, TranslationAdminMixin
from claims.editorial import rules
from claims.editorial.actors import check_actor
from claims.editorial.quizzes import QuestionDraft, quiz_problems
from claims.models import Question, Quiz

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _QuestionCount(TypedDict):
    _question_count: int


class QuestionFormSet(EditorialInlineFormSet[Question, Quiz, QuestionFormBase]):
    """The quiz and its questions checked together by the editorial rules, at the fields, before saving."""

    def drafts(self, kept: list[QuestionFormBase] | None = None) -> list[QuestionDraft]:
        posted = [QuestionDraft(form.instance, form.posted_choices()) for form in (kept or self.kept_forms())]
        untouched = [QuestionDraft(q, rules.choices_of(q)) for q in self.untouched_rows()]
        return posted + untouched

    def editorial_problems(self, parent, kept) -> list:
        quiz = self.instance
        previous = Quiz.objects.filter(pk=quiz.pk).first() if quiz.pk else None
        drafts = self.drafts(kept)
        problems = quiz_problems(quiz=quiz, questions=drafts, by=parent.user, previous=previous)
        if parent.submitting:
            problems += rules.quiz_readiness(quiz, [(d.question, d.choices) for d in drafts], publishing=False)
        return problems


class ReRatedFilter(admin.SimpleListFilter):
    """Quizzes with a question whose fact-check was re-rated after the question was written: a chief's to-do."""

    title = gettext_lazy("fact-check re-rated")
    parameter_name = "rerated"

    def lookups(self, request, model_admin):
        return [("yes", _("Needs a look"))]

    def queryset(self, request, queryset):
        if self.value() != "yes":
            return queryset
        rerated = Question.objects.filter(quiz=OuterRef("pk"), claim__isnull=False).exclude(
            claim_verdict=F("claim__verdict")
        )
        return queryset.filter(Exists(rerated))


class QuestionInline(admin.StackedInline):
    model = Question
    form = QuestionForm
    formset = QuestionFormSet
    template = "admin/claims/quiz/question_inline.html"
    extra = 0
    autocomplete_fields = ["claim", "picture"]
    fieldsets = question_fieldsets()

    def get_formset(self, request: HttpRequest, obj=None, **kwargs):
        # The position is no field to fill in (templates/admin/claims/quiz/question_inline.html renders it hidden,
        # set by the question's place on the page), so it is in the form but in none of the fieldsets.
        kwargs.setdefault("fields", [*flatten_fieldsets(self.get_fieldsets(request, obj)), "position"])
        return super().get_formset(request, obj, **kwargs)

    def get_queryset(self, request: HttpRequest):
        # Each question's one-line summary names its fact-check and checks its warnings; its form fills its choices.
        return super().get_queryset(request).select_related("claim").prefetch_related("choices")

    def get_extra(self, request: HttpRequest, obj: Quiz | None = None, **kwargs) -> int:
        return 3 if obj is None else 1


@admin.register(Quiz)
class QuizAdmin(EmbedCodeAdminMixin[Quiz], TranslationAdminMixin[Quiz], admin.ModelAdmin):
    form = ReviewNoteForm
    translation_form = QuizTranslationForm
    list_display = [
        "title",
        "language",
        "article",
        "status",
        "question_count",
        "author_name",
        "waiting_since",
        "published_at",
    ]
    list_filter = ["status", ReRatedFilter, "language", "needs_update", "article"]
    list_select_related = ["article", "author"]
    search_fields = ["title", "intro"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["article"]
    readonly_fields = ["status", "published_at", "created_at", "modified_at"]
    change_form_template = "admin/claims/quiz/change_form.html"
    inlines = [QuestionInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "article", "intro"]}),
        (gettext_lazy("Review and publication"), {"fields": ["review_note", ("status", "published_at")]}),
        (gettext_lazy("Record"), {"fields": [("created_at", "modified_at")], "classes": ["collapse"]}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "intro":  # one or two sentences: three lines, so the questions come up the page
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3, "cols": 80})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def reader_statistics(self, quiz: Quiz | None) -> SafeString | None:
        """What readers did, below the questions, while readers have the quiz (a draft has nothing to show).
        Counted from the attempt and answer rows, not the readers' cached counters: editors see the truth."""
        if quiz is None or not quiz.is_published:
            return None
        return render_to_string("quizzes/admin_stats.html", {"stats": quiz_services.editor_stats(quiz)})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["reader_statistics"] = self.reader_statistics(obj)
        if obj is None or not obj.is_translation:
            # The questions right after the title and intro, where editors work (templates/admin/claims/
            # fitted_change_form.html); review, record and embed code below them.
            context["fieldsets_before_sources"] = 1
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def get_deleted_objects(self, objs, request):
        # A quiz's questions (read-only on their own admin) go with it: deleting them needs no permission of
        # its own. editorial.delete still decides whether the quiz may go.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed -= {str(Question._meta.verbose_name)}
        return deleted, counts, perms_needed, protected

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def save_through_action(self, request: HttpRequest, form, formsets) -> None:
        questions = next(fs for fs in formsets if isinstance(fs, QuestionFormSet))
        editorial.quiz_save(quiz=form.instance, questions=questions.drafts(), by=check_actor(request.user))

    def get_queryset(self, request: HttpRequest):
        # A translation has no questions of its own: it counts its original's, which its readers answer.
        question_count = Count("questions", distinct=True) + Count("translation_of__questions", distinct=True)
        return super().get_queryset(request).annotate(_question_count=question_count).order_by("-published_at", "-id")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        move = None
        if request.method == "POST":
            posted, move = apply_move(request.POST)
            if move is not None:
                # Without a script a Move button posts the form: save it with the question moved, and stay.
                posted = posted.copy()
                posted["_continue"] = "1"
                request.POST = posted
        response = super().changeform_view(request, object_id, form_url, extra_context)
        moved = (
            move is not None
            and response.status_code == 302
            and move.question_id.isdigit()
            and Question.objects.filter(pk=int(move.question_id), position=move.position).exists()
        )
        if moved:
            assert move is not None
            # Translators: after "Move up" or "Move down" on a quiz's question, e.g. "Question moved: it is number 2
            # now."
            message = _("Question moved: it is number %(position)s now.") % {"position": move.position}
            self.message_user(request, message, messages.SUCCESS)
        return response

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            quiz = self.get_object(request, object_id)
            if quiz is not None:
                questions = quiz.questions.select_related("claim").order_by("position", "id")
                for number, question in enumerate(questions, start=1):
                    for warning in question.warnings:
                        # Translators: a question's number and what to look at, e.g. "Question 2: it has no
                        # backing fact-check."
                        message = _("Question %(number)s: %(warning)s.") % {"number": number, "warning": warning}
                        self.message_user(request, message, messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=gettext_lazy("questions"), ordering="_question_count")
    def question_count(self, obj: WithAnnotations[Quiz, _QuestionCount]) -> int:
        return obj._question_count


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """Questions on their own, to search across quizzes. Read-only: a question is edited only on its quiz's
    page, with its quiz's review (claims/editorial/quizzes.py), so it can never be moved or changed alone."""

    fields = ("quiz_link", "position", "prompt", "explanation", "claim", "picture", "choice_list")
    readonly_fields = fields
    list_display = ["__str__", "quiz", "claim"]
    list_filter = ["quiz"]
    list_select_related = ["quiz", "claim"]
    search_fields = ["prompt", "explanation"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Question | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Question | None = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("quiz"))
    def quiz_link(self, obj: Question) -> SafeString:
        url = reverse("admin:claims_quiz_change", args=[obj.quiz_id])
        return format_html('<a href="{}">{}</a> ({})', url, obj.quiz, _("edit the question there"))

    @admin.display(description=gettext_lazy("choices"))
    def choice_list(self, obj: Question) -> str:
        return " · ".join(f"{'✓ ' if c.is_correct else ''}{c.text}" for c in obj.choices.all())
