"""The review workflow in the admin, shared by articles, claims and quizzes.

The admin is a thin caller of the editorial actions (claims/editorial/): saving
a change form calls the content's save action once, with the object and its
inline rows (a translation's form calls translation_save instead:
claims/admin/translations.py); the buttons on the change form (submit, approve,
send back, publish, publish at a later time (the schedule control beside Publish), cancel a schedule,
unpublish) and the bulk actions call the review actions. The forms run
the same rule functions first, so that problems show at their fields before
anything is saved; the actions check everything again, so a crafted POST gets
the same refusal as a click.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import unquote
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims import desk, editorial
from claims.editorial import rules as editorial_rules
from claims.editorial.actors import check_actor
from claims.editorial.base import Problem, Reviewable
from claims.models import Status
from claims.revisions import compare, revisions_of

if TYPE_CHECKING:
    # django-stubs' ModelAdmin and inline formsets are generic in their model (and form); Django's classes
    # cannot be subscripted at runtime, so the generic bases exist for the type checker only.
    class _ModelAdmin[M: Model](admin.ModelAdmin[M]):
        pass

    class _InlineFormSet[R: Model, P: Model, F: forms.ModelForm](BaseInlineFormSet[R, P, Any]):
        pass  # F, the inline's form, is ours only: InlineModelAdmin.formset takes any ModelForm

else:

    class _ModelAdmin[M]:
        """Nothing at runtime: the mixin is always mixed into admin.ModelAdmin."""

    class _InlineFormSet[R, P, F](BaseInlineFormSet):
        """Django's BaseInlineFormSet: rows of R, on a parent P, edited with forms F."""


def refusal_text(error: ValidationError | PermissionDenied) -> str:
    """A refusal as whole sentences, for a message: "Choose a verdict. Add at least one source."."""
    if isinstance(error, PermissionDenied):
        return str(error) or _("You do not have permission to do that.")
    return " ".join(error.messages)


class EditorialRefusal(Exception):
    """An action refused a save that the form had accepted (something changed in between)."""

    def __init__(self, error: ValidationError | PermissionDenied) -> None:
        super().__init__(refusal_text(error))


def show_problems(problems: list[Problem], form: forms.BaseForm, items: Sequence[forms.BaseForm] | None = None) -> None:
    """Put each problem at its field: on the item's form (a source, a question), else on the main form."""
    for problem in problems:
        target, field = form, problem.field
        if problem.item is not None and items is not None and problem.item < len(items):
            target = items[problem.item]
        if field not in target.fields:
            field = None
        target.add_error(field, problem.error())


def error_summary(form: forms.BaseForm, inline_admin_formsets) -> list[tuple[str, str]]:
    """Every error on the page as (text, link to its field), for the summary at the top of the form."""
    items: list[tuple[str, str]] = []
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS:
            continue  # shown whole in the summary, above the list
        label = form.fields[name].label if name in form.fields else name
        for message in errors:
            items.append((_("%(field)s: %(message)s") % {"field": label, "message": message}, f"#{form[name].auto_id}"))
    for inline in inline_admin_formsets:
        formset = inline.formset
        noun = capfirst(formset.model._meta.verbose_name)
        for number, row in enumerate(formset.forms, start=1):
            for name, errors in row.errors.items():
                where = f"#{formset.prefix}-{number - 1}"
                label = noun
                if name != NON_FIELD_ERRORS and name in row.fields:
                    where = f"#{row[name].auto_id}"
                    label = _("%(item)s %(number)s, %(field)s") % {
                        "item": noun,
                        "number": number,
                        "field": row.fields[name].label,
                    }
                elif name == NON_FIELD_ERRORS:
                    label = _("%(item)s %(number)s") % {"item": noun, "number": number}
                for message in errors:
                    items.append((_("%(field)s: %(message)s") % {"field": label, "message": message}, where))
        for error in formset.non_form_errors().as_data():
            if error.code != "invalid":  # "fix the problems marked on this page": the summary says so already
                items.append((" ".join(error.messages), f"#{formset.prefix}-group"))
    return items


class ParentFormLink(forms.ModelForm):
    """Lets the inline formset reach the main form: both share the instance the admin builds them with."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance._admin_form = self

    @property
    def submitting(self) -> bool:
        return "_submit" in self.data


class EditorialInlineFormSet[R: Model, P: Model, F: forms.ModelForm](_InlineFormSet[R, P, F]):
    """Validates the main form and its rows together through the editorial rules, before anything is saved."""

    def kept_forms(self) -> list[F]:
        return [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and not self._should_delete_form(form)  # type: ignore[attr-defined]  # Django's, not in the stubs
            and (form.instance.pk or form.has_changed())
        ]

    def untouched_rows(self) -> list[R]:
        """Existing rows that the POST left out altogether: kept as they are, never deleted by omission."""
        posted = {form.instance.pk for form in self.forms if form.instance.pk}
        posted |= {
            getattr(form.cleaned_data.get("id"), "pk", None)
            for form in self.forms
            if getattr(form, "cleaned_data", None)
        }
        return [row for row in self.get_queryset() if row.pk not in posted]

    def foreign_rows(self) -> list[F]:
        """Rows whose posted id is another object's item (a crafted POST): Django would treat them as new."""
        own = {row.pk for row in self.get_queryset()}
        return [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and form.cleaned_data.get("id") is not None
            and form.cleaned_data["id"].pk not in own
        ]

    def editorial_problems(self, parent: Any, kept: list[F]) -> list[Problem]:
        raise NotImplementedError

    def clean(self) -> None:
        super().clean()
        foreign = self.foreign_rows()
        for form in foreign:
            form.add_error(None, _("This row belongs to another item and cannot be moved here."))
        if foreign:
            raise ValidationError(_("Nothing was saved: a row on this page belongs to another item."), code="foreign")
        parent = getattr(self.instance, "_admin_form", None)
        if parent is None or not parent.is_valid() or any(self.errors):
            return
        kept = self.kept_forms()
        problems = self.editorial_problems(parent, kept)
        if problems:
            show_problems(problems, parent, kept)
            raise ValidationError(_("Nothing was saved: fix the problems marked on this page."), code="invalid")


def _note_what_was_saved(formset) -> None:
    """What formset.save() would have recorded, for the admin's change message (the action saved the rows)."""
    forms_ = [f for f in formset.forms if getattr(f, "cleaned_data", None)]
    deleted = [f for f in forms_ if formset._should_delete_form(f)]
    formset.deleted_objects = [f.instance for f in deleted if f.instance.pk]
    kept = [f for f in forms_ if f not in deleted and f.has_changed()]
    formset.new_objects = [f.instance for f in kept if f.initial.get("id") is None]
    formset.changed_objects = [(f.instance, f.changed_data) for f in kept if f.initial.get("id") is not None]


def parse_publish_at(value: str) -> datetime:
    """The schedule control's time (an <input type="datetime-local">: the site's time zone, to the minute)."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(
            {"publish_at": _("Choose the date and time to publish it at.")}, code="schedule_invalid"
        ) from None
    if timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment, timezone.get_current_timezone())


def shown_time(moment: datetime) -> str:
    """ "1 Dec 2026, 09:00 (UTC)": in the site's time zone, which it names."""
    # Translators: a date and time, then the time zone it is in, e.g. "1 Dec 2026, 09:00 (Europe/Madrid)".
    return _("%(time)s (%(zone)s)") % {
        "time": dateformat.format(timezone.localtime(moment), "j M Y, H:i"),
        "zone": timezone.get_current_timezone_name(),
    }


class ReviewNoteForm(ParentFormLink):
    """Adds the reviewer's note, used when a chief editor sends a draft back."""

    review_note = forms.CharField(
        label=gettext_lazy("Review note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("For the author: what to fix. Required when you send it back."),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what ModelForm.clean() returns
        if "_send_back" in self.data and not (cleaned.get("review_note") or "").strip():
            self.add_error("review_note", _("Write a note for the author saying what to fix."))
        if "_schedule" in self.data:
            # Checked before anything is saved; the action checks it again (and the rest) when it runs.
            try:
                editorial.check_schedule(parse_publish_at(str(self.data.get("publish_at", ""))))
            except ValidationError as error:
                self.add_error(None, error.messages)
        return cleaned


REVIEW_ACTIONS = ("submit_selected", "approve_selected", "publish_selected", "unpublish_selected")


class DeskFilter(admin.SimpleListFilter):
    """The editors' desk's sections as a list filter ("See all" on the desk links here): the same filter
    (claims/desk.py), for the person signed in."""

    title = gettext_lazy("desk")
    parameter_name = "desk"

    def lookups(self, request, model_admin):
        return [(key, desk.SECTION_TITLES[key]) for key in desk.sections_for(request.user)]

    def queryset(self, request, queryset):
        key = self.value()
        if key is None:
            return queryset
        if key not in desk.sections_for(request.user):
            return queryset.none()
        return desk.section_queryset(queryset, key, request.user)


def _display_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "—"


class ReviewAdminMixin[M: Reviewable](_ModelAdmin[M]):
    """Review buttons, bulk actions, the review queue columns and the revision history."""

    change_form_template = "admin/claims/reviewable_change_form.html"
    # Form fields that say something about the edit rather than change the content.
    NOTE_FIELDS = ("review_note", "correction_note", "minor_edit")
    actions = list(REVIEW_ACTIONS)

    def get_list_filter(self, request: HttpRequest):
        return [DeskFilter, *super().get_list_filter(request)]

    # -- permissions, as Django's admin asks for them (actions are hidden without them) --
    def _has(self, request: HttpRequest, codename: str) -> bool:
        return request.user.has_perm(f"claims.{codename}_{self.model._meta.model_name}")

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return self._has(request, "approve")

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return self._has(request, "publish")

    # -- saving: one editorial action per save --
    def save_model(self, request: HttpRequest, obj: M, form, change: bool) -> None:
        """Nothing yet: the object is saved with its inline rows by one action, in save_related."""

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        in_review = change and form.instance.status == Status.IN_REVIEW
        try:
            self.save_with_action(request, form, formsets)
        except (ValidationError, PermissionDenied) as error:
            # The form accepted it but the action refused (something changed in between): roll back, say why.
            raise EditorialRefusal(error) from error
        for formset in formsets:
            _note_what_was_saved(formset)
        edited = set(form.changed_data) - set(self.NOTE_FIELDS) or any(fs.has_changed() for fs in formsets)
        if in_review and edited:
            self.message_user(
                request,
                _("Edited while in review: approvals given before this edit no longer count."),
                messages.WARNING,
            )

    def save_with_action(self, request: HttpRequest, form, formsets) -> None:
        """Save the form through its one editorial action: the content's own, save_through_action, unless a
        mixin knows better (a translation's form saves through translation_save: claims/admin/translations.py)."""
        self.save_through_action(request, form, formsets)

    def save_through_action(self, request: HttpRequest, form, formsets) -> None:
        raise NotImplementedError

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        """The add form's values from the query string (?article=3), less the ids of no object: the
        autocomplete widget would look them up as they are and fail with a 500 (tests/fuzz/ found
        ?article=%E9 and ?article=99999999999999999999)."""
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            field = next((f for f in self.model._meta.concrete_fields if f.name == name and f.is_relation), None)
            formfield = field.formfield() if field is not None else None
            if formfield is None:
                continue
            try:
                formfield.clean(value)  # the form's own lookup: refuses junk and ids of nothing
            except ValidationError:
                del initial[name]
        return initial

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and "_saveasnew" in request.POST:
            # Django honours the button even where save_as is off: a copy would skip nothing, but it is a path
            # to an editable copy of published work that no screen offers.
            raise PermissionDenied(_("Saving a copy is not offered here: add a new item instead."))
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditorialRefusal as refusal:
            self.message_user(request, _("Nothing was saved. %(reason)s") % {"reason": refusal}, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_model(self, request: HttpRequest, obj: M) -> None:
        editorial.delete(obj=obj, by=check_actor(request.user))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[M]) -> None:
        for obj in queryset:
            try:
                editorial.delete(obj=obj, by=check_actor(request.user))
            except (ValidationError, PermissionDenied) as error:
                self.message_user(
                    request,
                    _("“%(object)s” was not deleted. %(reason)s") % {"object": obj, "reason": refusal_text(error)},
                    messages.WARNING,
                )

    def has_change_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        # What readers see changes only through someone who may publish: an Editor gets the
        # published version read-only (and a crafted POST gets 403), and asks a chief editor.
        if obj is not None and obj.status == Status.PUBLISHED and not self.has_publish_permission(request):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        # Published content is unpublished before it is deleted (the action refuses it too).
        if obj is not None and obj.status == Status.PUBLISHED:
            return False
        return super().has_delete_permission(request, obj)

    # -- the buttons on the change form --
    STEPS = {
        "submit": (editorial.submit_for_review, gettext_lazy("“%(object)s” is submitted for review."),
                   gettext_lazy("“%(object)s” was saved but not submitted for review. %(reason)s")),
        "approve": (editorial.approve, gettext_lazy("“%(object)s” is approved."),
                    gettext_lazy("“%(object)s” was not approved. %(reason)s")),
        "approve_publish": (editorial.approve_and_publish, gettext_lazy("“%(object)s” is approved and published."),
                            gettext_lazy("“%(object)s” was neither approved nor published. %(reason)s")),
        "send_back": (None, gettext_lazy("“%(object)s” is sent back to its author."),
                      gettext_lazy("“%(object)s” was not sent back. %(reason)s")),
        "publish": (editorial.publish, gettext_lazy("“%(object)s” is published."),
                    gettext_lazy("“%(object)s” was not published. %(reason)s")),
        "unpublish": (editorial.unpublish, gettext_lazy("“%(object)s” is unpublished."),
                      gettext_lazy("“%(object)s” was not unpublished. %(reason)s")),
        "schedule": (None, gettext_lazy("“%(object)s” is scheduled for %(time)s."),
                     gettext_lazy("“%(object)s” was not scheduled. %(reason)s")),
        "unschedule": (editorial.unschedule, gettext_lazy("“%(object)s” is no longer scheduled: it is back in review."),
                       gettext_lazy("The schedule of “%(object)s” was not cancelled. %(reason)s")),
    }  # fmt: skip
    BUTTONS = {"_submit": "submit", "_approve_publish": "approve_publish", "_approve": "approve",
               "_send_back": "send_back", "_publish": "publish",
               "_unpublish": "unpublish", "_schedule": "schedule", "_unschedule": "unschedule"}  # fmt: skip

    def _run(self, request: HttpRequest, obj: M, step: str, refusal_level: int = messages.ERROR) -> str | None:
        """Run a review step: its success message, or None once the refusal has been shown."""
        action, done, refused = self.STEPS[step]
        try:
            by = check_actor(request.user)  # as the action itself checks first
            if step == "send_back":
                editorial.send_back(obj=obj, by=by, note=request.POST.get("review_note", ""))
            elif step == "schedule":
                obj = editorial.publish(obj=obj, by=by, at=parse_publish_at(request.POST.get("publish_at", "")))
                if not editorial.is_scheduled(obj):  # a time already past: published now
                    return str(self.STEPS["publish"][1] % {"object": obj})
                assert obj.published_at is not None  # scheduled
                return str(done % {"object": obj, "time": shown_time(obj.published_at)})
            else:
                assert action is not None  # only send_back, above, has none
                action(obj=obj, by=by)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, refused % {"object": obj, "reason": refusal_text(error)}, refusal_level)
            return None
        return str(done % {"object": obj})

    def _after_save(self, request: HttpRequest, obj: M, response: HttpResponse) -> HttpResponse:
        for button, step in self.BUTTONS.items():
            if button not in request.POST:
                continue
            done = self._run(request, obj, step)
            if done:
                self.message_user(request, done, messages.SUCCESS)
            meta = obj._meta
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
            # Keep the changelist filters (e.g. the "In review" queue) that the change form was opened from.
            url = add_preserved_filters({"preserved_filters": self.get_preserved_filters(request), "opts": meta}, url)
            return HttpResponseRedirect(url)
        return response

    def response_change(self, request: HttpRequest, obj: M) -> HttpResponse:
        return self._after_save(request, obj, super().response_change(request, obj))

    def response_add(self, request: HttpRequest, obj: M, post_url_continue: str | None = None) -> HttpResponse:
        return self._after_save(request, obj, super().response_add(request, obj, post_url_continue))

    def review_buttons(self, request: HttpRequest, obj: M | None) -> list[tuple[str, str]]:
        """The buttons this user may use on `obj` now (the server checks again when one is pressed)."""
        status = obj.status if obj else Status.DRAFT
        approved = editorial.approvers(obj) if obj and status == Status.IN_REVIEW else []
        me = f"user:{request.user.pk}"
        buttons = []
        if status == Status.DRAFT:
            buttons.append(("_submit", _("Save and submit for review")))
        if obj and status == Status.IN_REVIEW and self.has_approve_permission(request):
            # Not for the author, nor for a chief editor whose approval is already counted (it would add nothing).
            if me not in editorial_rules.contributors(obj) and me not in approved:
                buttons.append(("_approve", _("Approve")))
                if self.has_publish_permission(request) and len(approved) + 1 >= editorial.required_approvals():
                    # This approval completes the review: the chief may publish with the same click.
                    buttons.append(("_approve_publish", _("Approve and publish")))
            buttons.append(("_send_back", _("Send back with the note")))
        if (
            obj
            and status == Status.IN_REVIEW
            and self.has_publish_permission(request)
            and len(approved) >= editorial.required_approvals()
        ):
            buttons.append(("_publish", _("Publish")))
        if obj and status == Status.PUBLISHED and self.has_publish_permission(request):
            if editorial.is_scheduled(obj):
                buttons += [("_publish", _("Publish now")), ("_unschedule", _("Cancel schedule"))]
            else:
                buttons.append(("_unpublish", _("Unpublish")))
        return buttons

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        can_save = self.has_add_permission(request) if add else self.has_change_permission(request, obj)
        context["review_buttons"] = self.review_buttons(request, obj) if can_save else []
        # Wherever "Publish" is offered, a time may be given instead (on a scheduled item: another time).
        context["schedule_control"] = any(name == "_publish" for name, _label in context["review_buttons"])
        context["schedule_zone"] = timezone.get_current_timezone_name()
        if obj is not None and editorial.is_scheduled(obj):
            assert obj.published_at is not None  # scheduled
            context["scheduled_for"] = shown_time(obj.published_at)
        if obj is not None:
            context["review_events"] = obj.review_events.select_related("by")[:10]
            context["approved_by"] = len(editorial.approvers(obj)) if obj.status == Status.IN_REVIEW else None
            context["required_approvals"] = editorial.required_approvals()
        if context.get("errors"):
            # In place of the admin's "Please correct the errors below.": a summary linking to each error
            # (on the pages that show it: templates/admin/claims/fitted_change_form.html).
            context["error_summary"] = error_summary(context["adminform"].form, context["inline_admin_formsets"])
        return super().render_change_form(request, context, add, change, form_url, obj)

    # -- bulk actions --
    def _bulk(self, request: HttpRequest, queryset: QuerySet[M], step: str) -> None:
        count = 0
        for obj in queryset:
            if self._run(request, obj, step, refusal_level=messages.WARNING):
                count += 1
        if count:
            self.message_user(
                request, self.BULK_DONE[step] % {"count": count, "total": len(queryset)}, messages.SUCCESS
            )

    # How many of the selected items each bulk action changed, e.g. "Published: 3 of 5."
    BULK_DONE = {
        "submit": gettext_lazy("Submitted for review: %(count)s of %(total)s."),
        "approve": gettext_lazy("Approved: %(count)s of %(total)s."),
        "publish": gettext_lazy("Published: %(count)s of %(total)s."),
        "unpublish": gettext_lazy("Unpublished: %(count)s of %(total)s."),
    }

    @admin.action(
        description=gettext_lazy("Submit selected %(verbose_name_plural)s for review"), permissions=["change"]
    )
    def submit_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._bulk(request, queryset, "submit")

    @admin.action(description=gettext_lazy("Approve selected %(verbose_name_plural)s"), permissions=["approve"])
    def approve_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._bulk(request, queryset, "approve")

    @admin.action(description=gettext_lazy("Publish selected %(verbose_name_plural)s"), permissions=["publish"])
    def publish_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._bulk(request, queryset, "publish")

    @admin.action(
        description=gettext_lazy("Unpublish selected %(verbose_name_plural)s (back to draft)"), permissions=["publish"]
    )
    def unpublish_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._bulk(request, queryset, "unpublish")

    # -- the review queue --
    @admin.display(description=gettext_lazy("written by"), ordering="author__username")
    def author_name(self, obj: M) -> str:
        return _display_name(obj.author)

    @admin.display(description=gettext_lazy("waiting since"), ordering="submitted_at")
    def waiting_since(self, obj: M) -> str:
        if obj.status != Status.IN_REVIEW or obj.submitted_at is None:
            return "—"
        local = timezone.localtime(obj.submitted_at)  # shown in the site's time zone, as the admin shows times
        # Django's date format, not strftime: the month's name follows the active language, not the server's locale.
        shown = dateformat.format(local, "d M Y, H:i")
        return format_html('<time datetime="{}">{}</time>', local.isoformat("T", "seconds"), shown)

    # -- revision history --
    def get_urls(self):
        meta = self.model._meta
        return [
            path(
                "<path:object_id>/revisions/",
                self.admin_site.admin_view(self.revisions_view),
                name=f"{meta.app_label}_{meta.model_name}_revisions",
            ),
            *super().get_urls(),
        ]

    def revisions_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))  # None for a missing or malformed id
        if obj is None:
            raise Http404("No such object.")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        revisions = list(revisions_of(obj).select_related("by"))
        by_id = {r.pk: r for r in revisions}
        comparison = None
        a: int | None
        b: int | None
        try:
            a, b = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
        except ValueError:
            a = b = None
        if a in by_id and b in by_id:
            older, newer = sorted([by_id[a], by_id[b]], key=lambda r: (r.at, r.pk))
            comparison = {"older": older, "newer": newer, "fields": compare(older, newer)}
        rows = [
            {"revision": r, "previous": revisions[i + 1] if i + 1 < len(revisions) else None}
            for i, r in enumerate(revisions)
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": _("Revisions of “%(object)s”") % {"object": obj},
            "rows": rows,
            "comparison": comparison,
        }
        return TemplateResponse(request, "admin/claims/revisions.html", context)
