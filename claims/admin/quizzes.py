from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from claims import quiz_services
from claims.admin.forms import QuestionForm, question_fieldsets
from claims.admin.review import ReviewAdminMixin, ReviewNoteForm
from claims.models import Question, Quiz, Status
from claims.revisions import record_revision


class QuestionFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if self.instance.status != "published":
            return
        kept = sum(
            1
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form) and (form.instance.pk or form.has_changed())
        )
        if kept == 0:
            raise ValidationError("A published quiz must keep at least one question.")


class QuestionInline(admin.StackedInline):
    model = Question
    form = QuestionForm
    formset = QuestionFormSet
    extra = 0
    autocomplete_fields = ["claim"]
    fieldsets = question_fieldsets()

    def get_extra(self, request: HttpRequest, obj: Quiz | None = None, **kwargs) -> int:
        return 3 if obj is None else 1


@admin.register(Quiz)
class QuizAdmin(ReviewAdminMixin, admin.ModelAdmin):
    form = ReviewNoteForm
    list_display = ["title", "article", "status", "question_count", "author_name", "waiting_since", "published_at"]
    list_filter = ["status", "article"]
    list_select_related = ["article", "author"]
    search_fields = ["title", "intro"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["article"]
    readonly_fields = ["status", "published_at", "created_at", "modified_at", "reader_statistics"]
    save_on_top = True
    inlines = [QuestionInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "article", "intro"]}),
        ("Review and publication", {"fields": ["review_note", ("status", "published_at")]}),
        ("Record", {"fields": [("created_at", "modified_at")], "classes": ["collapse"]}),
        ("Readers", {"fields": ["reader_statistics"]}),
    ]

    @admin.display(description="reader statistics")
    def reader_statistics(self, obj: Quiz) -> SafeString | str:
        # Counted from the attempt and answer rows, not the readers' cached counters: editors see the truth.
        if obj.pk is None:
            return "Readers' attempts will be counted here once the quiz is published."
        return render_to_string("quizzes/admin_stats.html", {"stats": quiz_services.editor_stats(obj)})

    def get_queryset(self, request: HttpRequest):
        return (
            super().get_queryset(request).annotate(_question_count=Count("questions")).order_by("-published_at", "-id")
        )

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            quiz = self.get_object(request, object_id)
            if quiz is not None:
                questions = quiz.questions.select_related("claim").order_by("position", "id")
                for number, question in enumerate(questions, start=1):
                    for warning in question.warnings:
                        self.message_user(request, f"Question {number}: {warning}.", messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="questions", ordering="_question_count")
    def question_count(self, obj: Quiz) -> int:
        return obj._question_count


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """Questions on their own, for search across quizzes; editing is the same form as on the quiz page."""

    form = QuestionForm
    fieldsets = [(None, {"fields": ["quiz"]}), *question_fieldsets()]
    list_display = ["__str__", "quiz", "claim"]
    list_filter = ["quiz"]
    list_select_related = ["quiz", "claim"]
    search_fields = ["prompt", "explanation"]
    autocomplete_fields = ["quiz", "claim"]

    # Questions are added and removed on their quiz's page, where the quiz's review applies.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Question | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Question | None = None) -> bool:
        # A published quiz's questions change only through someone who may publish it.
        if obj is not None and obj.quiz.status == Status.PUBLISHED and not request.user.has_perm("claims.publish_quiz"):
            return False
        return super().has_change_permission(request, obj)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        record_revision(form.instance.quiz, by=request.user, comment=f"Question edited: {form.instance}")
