"""Every editorial rule, in one place. The actions (review.py, claims.py, articles.py, quizzes.py) call these;
the admin's forms call the same functions to show the problems at the fields before anything is saved.

Each check returns a list of `Problem`s (a whole, translatable sentence with a code and the field it concerns)
or raises PermissionDenied with a sentence saying who may do it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import cast

from django.conf import settings
from django.db.models import Max
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from claims.editorial.actors import Actor, identity, require
from claims.editorial.base import Problem, Reviewable
from claims.editorial.quotes import find_quote
from claims.models import Article, Choice, Claim, ClaimSlugRedirect, Question, Quiz, Source, Status
from claims.models.articles import split_paragraphs

MIN_CHOICES = 2
MAX_CHOICES = 6
MAX_STEPS = 10_000  # a number guess's slider: more steps than pixels cannot be slid to
# A fact-check's words read at a glance. The statement is the headline on a phone and on the share card; the
# bottom line is the share description (claims/share_meta.py: DESCRIPTION_CHARS, so it is never cut off) and what
# readers take away. The same number in every language: the screen and the glance are the same size in Spanish.
STATEMENT_MAX = 280
RULING_MAX = 200

# "Published" below means published or scheduled (status PUBLISHED): what an item rests on may be scheduled, and
# timing_problems then checks that the item does not appear before it. Readers' code asks `is_published`
# (published and its time has come).

# Who may do what. The codename is checked for users and system actors alike (claims/roles.py gives them out).
# Published content changes only through someone who may publish it: a chief editor.


def require_may_edit(by: Actor, obj: Reviewable, *, creating: bool, status: str) -> None:
    name, plural = obj._meta.model_name, obj._meta.verbose_name_plural
    if creating:
        # Translators: %(things)s is the kind of item, in the plural: "articles", "claims" or "quizzes".
        require(by, f"add_{name}", _("You do not have permission to add %(things)s.") % {"things": plural})
        return
    # Translators: %(things)s is the kind of item, in the plural: "articles", "claims" or "quizzes".
    require(by, f"change_{name}", _("You do not have permission to change %(things)s.") % {"things": plural})
    if status == Status.PUBLISHED:
        require(
            by,
            f"publish_{name}",
            # Translators: %(thing)s is the kind of item: "article", "claim" or "quiz".
            _("Only a chief editor can change what readers see: ask one to edit this published %(thing)s.")
            % {"thing": obj._meta.verbose_name},
        )


def require_may(by: Actor, step: str, obj: Reviewable) -> None:
    """Review steps: submit (change_), approve and send back (approve_), publish and unpublish (publish_)."""
    name, plural = obj._meta.model_name, obj._meta.verbose_name_plural
    codename, message = {
        # Translators: %(things)s is the kind of item, in the plural: "articles", "claims" or "quizzes".
        "submit": (f"change_{name}", _("You do not have permission to submit %(things)s for review.")),
        "approve": (f"approve_{name}", _("Only a chief editor can approve %(things)s.")),
        "send_back": (f"approve_{name}", _("Only a chief editor can send %(things)s back to their author.")),
        "publish": (f"publish_{name}", _("Only a chief editor can publish %(things)s.")),
        "unpublish": (f"publish_{name}", _("Only a chief editor can unpublish %(things)s.")),
        "delete": (f"delete_{name}", _("Only a chief editor can delete %(things)s.")),
    }[step]
    require(by, codename, message % {"things": plural})


# -- review: who approved, and whether it still counts --


def required_approvals() -> int:
    return getattr(settings, "REQUIRED_APPROVALS", 1)


def approvals_count_from(obj: Reviewable):
    """Approvals given before this moment do not count: the last submission, or the last edit of a question."""
    moment = obj.submitted_at
    if isinstance(obj, Quiz) and obj.pk and moment:
        edited = obj.questions.aggregate(last=Max("modified_at"))["last"]
        if edited and edited > moment:
            moment = edited
    return moment


def approvers(obj: Reviewable) -> list[str]:
    """Who approved `obj` in a way that counts now, as actor identities, oldest first: never its author nor
    anyone who changed it since it was last published, so the approver is always a second pair of eyes."""
    if not obj.pk:
        return []
    events = obj.review_events.approvals_since(approvals_count_from(obj)).order_by("at", "id")
    writers = contributors(obj)
    found = []
    for by_id, system_actor in events.values_list("by_id", "system_actor"):
        who = f"system:{system_actor}" if system_actor else (f"user:{by_id}" if by_id else None)
        if who and who not in writers and who not in found:
            found.append(who)
    return found


def contributors(obj: Reviewable) -> set[str]:
    """The author, and everyone whose edits readers have not yet seen published (revisions since the last
    publication that changed more than the status)."""
    from claims.models import ReviewAction
    from claims.revisions import revisions_of

    writers: set[str | None] = {author_identity(obj)}
    last_published = (
        obj.review_events.filter(action=ReviewAction.PUBLISHED).order_by("-at").values_list("at", flat=True).first()
    )
    revisions = revisions_of(obj)
    if last_published is not None:
        revisions = revisions.filter(at__gt=last_published)
    for by_id, system_actor, changes in revisions.values_list("by_id", "system_actor", "changes"):
        if set(changes) - {"status"}:
            writers.add(f"system:{system_actor}" if system_actor else (f"user:{by_id}" if by_id else None))
    return {writer for writer in writers if writer}


def author_identity(obj: Reviewable) -> str | None:
    if obj.author_id:
        return f"user:{obj.author_id}"
    if obj.author_system:
        return f"system:{obj.author_system}"
    return None


def approval_problems(obj: Reviewable, by: Actor) -> list[Problem]:
    if identity(by) == author_identity(obj):
        return [
            Problem(
                None,
                # Translators: %(thing)s is the kind of item: "article", "claim" or "quiz".
                _("You wrote this %(thing)s, so another chief editor must approve it.")
                % {"thing": obj._meta.verbose_name},
                "own_work",
            )
        ]
    if identity(by) in contributors(obj):
        return [
            Problem(
                None,
                # Translators: %(thing)s is the kind of item: "article", "claim" or "quiz".
                _("You changed this %(thing)s since it was last published, so another chief editor must approve it.")
                % {"thing": obj._meta.verbose_name},
                "own_changes",
            )
        ]
    return []


def publication_problems(obj: Reviewable) -> list[Problem]:
    """Whether the approvals that count are enough to publish, and a translation's original is published."""
    problems = []
    if obj.translation_of_id is not None and obj.needs_update:
        problems.append(
            Problem(
                None,
                _("Its original was changed since it was translated: update the translation and save it first."),
                "translation_needs_update",
            )
        )
    if obj.translation_of_id is not None and cast(Reviewable, obj.translation_of).status != Status.PUBLISHED:
        problems.append(
            Problem(None, _("Its original is not published yet: it must be published first."), "original_unpublished")
        )
    have, need = len(approvers(obj)), required_approvals()
    if have < need:
        problems.append(
            Problem(
                None,
                # The English says "approval(s)" in both forms; a translation can use its own plural forms.
                ngettext(
                    "It needs %(need)s approval(s) from a chief editor other than its author, given after its last "
                    "edit, before it is published; it has %(have)s.",
                    "It needs %(need)s approval(s) from a chief editor other than its author, given after its last "
                    "edit, before it is published; it has %(have)s.",
                    need,
                )
                % {"need": need, "have": have},
                "needs_approval",
            )
        )
    return problems


def timing_problems(obj: Reviewable, visible_at: datetime) -> list[Problem]:
    """Nothing may appear before what it rests on: a fact-check or a quiz before its article, a quiz before its
    fact-checks, a translation before its original. Those may be scheduled (published, with a later time)."""
    rests_on: list[Article | Claim | Quiz] = []
    if obj.translation_of_id is not None:
        rests_on.append(cast(Reviewable, obj.translation_of))
    elif isinstance(obj, (Claim, Quiz)) and obj.article is not None:
        rests_on.append(obj.article)
    if isinstance(obj, Quiz) and obj.translation_of_id is None:
        rests_on += [question.claim for question in obj.questions.select_related("claim") if question.claim]
    problems = []
    for item in rests_on:
        if item.published_at is not None and item.published_at > visible_at:
            problems.append(
                Problem(
                    "publish_at",
                    # Translators: %(thing)s is the kind of item ("article", "claim", "quiz"), %(title)s its title.
                    _(
                        "The %(thing)s “%(title)s” it rests on is scheduled for %(time)s: publish this at that "
                        "time or later."
                    )
                    % {
                        "thing": item._meta.verbose_name,
                        "title": item,
                        "time": dateformat.format(timezone.localtime(item.published_at), "j M Y, H:i"),
                    },
                    "rests_on_scheduled",
                )
            )
    return problems


# -- content: what must be true of an article, a claim or a quiz before it is submitted and again at publish --


def readiness(obj: Reviewable, *, publishing: bool = True) -> list[Problem]:
    """Everything that stops `obj`, as stored, from being published (or, `publishing=False`, submitted)."""
    if obj.translation_of_id is not None:
        return translation_readiness(obj)
    if isinstance(obj, Claim):
        return claim_readiness(obj, list(obj.sources.all()), publishing=publishing)
    if isinstance(obj, Quiz):
        questions = [(q, [(c.text, c.is_correct) for c in q.choices.all()]) for q in quiz_questions(obj)]
        return quiz_readiness(obj, questions, publishing=publishing)
    return article_readiness(obj)


def dependency_not_ready(status: str, *, publishing: bool) -> bool:
    """Whether what an item rests on (a claim's or a quiz's article, a question's fact-check) holds it back.

    To be published, the item needs it published. To be submitted, it needs it submitted at least (in review or
    published): so an editor sends an article, its fact-checks and their quiz for review together, and a chief
    editor reviews them in one sitting and publishes them in that order.
    """
    return status != Status.PUBLISHED if publishing else status == Status.DRAFT


def _article_problem(article: Article, *, publishing: bool) -> Problem:
    if publishing:
        message = _("Its article “%(title)s” is not published yet: it must be published first.")
    else:
        message = _("Its article “%(title)s” is still a draft: submit it for review first.")
    return Problem("article", message % {"title": article.title}, "article_unpublished")


def quiz_questions(quiz: Quiz) -> list[Question]:
    return list(quiz.questions.select_related("claim").prefetch_related("choices").order_by("position", "id"))


def article_readiness(article: Article) -> list[Problem]:
    problems = []
    if not article.title.strip():
        problems.append(Problem("title", _("Give the article its headline."), "title_missing"))
    if not split_paragraphs(article.body):
        problems.append(Problem("body", _("Paste the article's text."), "body_missing"))
    return problems


def claim_readiness(claim: Claim, sources: Sequence[Source], *, publishing: bool = True) -> list[Problem]:
    problems = claim_length_problems(claim)  # again here: a claim saved before the limits is not submitted as it is
    if not claim.verdict:
        problems.append(Problem("verdict", _("Choose a verdict."), "verdict_missing"))
    if not claim.ruling.strip():
        problems.append(
            Problem("ruling", _("Write the bottom line: the verdict and why, in a sentence or two."), "ruling_missing")
        )
    if not sources:
        problems.append(Problem("sources", _("Add at least one source with its evidence quote."), "no_sources"))
    if claim.article is not None and dependency_not_ready(claim.article.status, publishing=publishing):
        problems.append(_article_problem(claim.article, publishing=publishing))
    problems += source_problems(claim, sources)
    return problems


def source_problems(claim: Claim, sources: Sequence[Source]) -> list[Problem]:
    """Quotes true to their source: the article word for word, or another source with its link."""
    problems = []
    paragraphs = claim.article.paragraphs if claim.article is not None else []
    for index, source in enumerate(sources):
        number = {"number": index + 1}
        if source.quotes_article:
            if not claim.article_id:
                problems.append(
                    Problem(
                        "quotes_article",
                        _(
                            "Source %(number)s is marked as quoted from the article, but this fact-check has no "
                            "article: choose its article, or untick “quoted from the article”."
                        )
                        % number,
                        "no_article",
                        "sources",
                        index,
                    )
                )
            elif find_quote(paragraphs, source.quote) is None:
                problems.append(
                    Problem(
                        "quote",
                        _(
                            "Source %(number)s's quote is not in the article word for word. Copy it again from the "
                            "article (only spacing and curly or straight quotation marks may differ), or untick "
                            "“quoted from the article” if it quotes another source."
                        )
                        % number,
                        "quote_not_in_article",
                        "sources",
                        index,
                    )
                )
        elif not source.url.strip() and not source.no_link_reason.strip():
            problems.append(
                Problem(
                    "url",
                    _("Source %(number)s quotes another source: give its link, or say why it has no public link.")
                    % number,
                    "link_required",
                    "sources",
                    index,
                )
            )
    return problems


def claim_length_problems(claim: Claim) -> list[Problem]:
    """The statement and the bottom line fit where readers see them (STATEMENT_MAX, RULING_MAX)."""
    problems = []
    limits = [
        ("statement", STATEMENT_MAX, _("Shorten the statement to %(max)s characters or fewer (it has %(count)s): it is "
                                       "the headline on a phone and on the share card."), "statement_too_long"),
        ("ruling", RULING_MAX, _("Shorten the bottom line to %(max)s characters or fewer (it has %(count)s): readers "
                                 "see it at a glance and in link previews, which cut it off beyond that."),
         "ruling_too_long"),
    ]  # fmt: skip
    for field, limit, message, code in limits:
        count = len(getattr(claim, field).strip())
        if count > limit:
            problems.append(Problem(field, message % {"max": limit, "count": count}, code))
    return problems


def claim_slug_problems(claim: Claim) -> list[Problem]:
    taken = ClaimSlugRedirect.objects.filter(old_slug=claim.slug).exclude(claim_id=claim.pk).exists()
    if taken:
        return [
            Problem(
                "slug",
                _("This address is an old permalink of another fact-check, and shared links still use it."),
                "slug_is_old_permalink",
            )
        ]
    return []


def claim_correction_problems(previous: Claim, claim: Claim, by: Actor, correction_note: str) -> list[Problem]:
    """A published verdict or bottom line changes only with a public correction, by a chief editor."""
    if previous.status != Status.PUBLISHED or (previous.verdict, previous.ruling) == (claim.verdict, claim.ruling):
        return []
    require(
        by,
        "record_correction",
        _("Only a chief editor can change the verdict or bottom line of a published fact-check."),
    )
    if not correction_note.strip():
        return [
            Problem(
                "correction_note",
                _(
                    "Explain the change for readers: a published verdict or bottom line changes only with a "
                    "correction note."
                ),
                "correction_note_required",
            )
        ]
    return []


def old_address_was_public(previous: Claim, old_slug: str) -> bool:
    """Readers may have shared /claims/<old_slug>/ only if the claim was published under it: now, or at some
    time its revisions record."""
    from claims.revisions import revisions_of

    claim = previous
    return (
        previous.status == Status.PUBLISHED
        or revisions_of(claim).filter(data__slug=old_slug, data__status=Status.PUBLISHED).exists()
        or ClaimSlugRedirect.objects.filter(old_slug=old_slug, claim=claim).exists()
    )


def choice_problems(choices: Iterable[tuple[str, bool]]) -> list[Problem]:
    """A question has 2 to 6 different choices, exactly one of them right."""
    filled = [(text.strip(), correct) for text, correct in choices if text.strip()]
    problems = []
    if len(filled) < MIN_CHOICES:
        problems.append(
            Problem(
                None,
                _("Give at least %(min)s choices (it has %(count)s).") % {"min": MIN_CHOICES, "count": len(filled)},
                "too_few_choices",
            )
        )
    if len(filled) > MAX_CHOICES:
        problems.append(
            Problem(
                None,
                _("Give at most %(max)s choices (it has %(count)s).") % {"max": MAX_CHOICES, "count": len(filled)},
                "too_many_choices",
            )
        )
    correct = sum(1 for _text, is_correct in filled if is_correct)
    if correct != 1:
        problems.append(
            Problem(
                None,
                _("Mark exactly one choice as the right answer (%(count)s marked).") % {"count": correct},
                "one_right_answer",
            )
        )
    texts = [text.casefold() for text, _correct in filled]
    if len(set(texts)) != len(texts):
        problems.append(Problem(None, _("Make every choice different."), "duplicate_choices"))
    return problems


def question_problems(question: Question, choices: Iterable[tuple[str, bool]]) -> list[Problem]:
    """What makes a question unanswerable: its choices, or for a number guess its figures."""
    if question.is_number:
        return number_problems(question, choices)
    return choice_problems(choices)


def number_problems(question: Question, choices: Iterable[tuple[str, bool]] = ()) -> list[Problem]:
    """A number guess has a range that holds its true value, a step that fits the range, and no choices."""
    low, high, step = question.number_min, question.number_max, question.number_step
    value, tolerance = question.true_value, question.tolerance
    missing = [
        name
        for name, figure in (
            ("number_min", low),
            ("number_max", high),
            ("number_step", step),
            ("true_value", value),
            ("tolerance", tolerance),
        )
        if figure is None
    ]
    if missing:
        return [
            Problem(
                None,
                _("A number guess needs its lowest and highest guess, its step, its true value and its tolerance."),
                "number_missing",
            )
        ]
    assert low is not None and high is not None and step is not None and value is not None and tolerance is not None
    problems = []
    if low >= high:
        problems.append(Problem(None, _("Make the highest guess greater than the lowest."), "number_range"))
    elif not low <= value <= high:
        problems.append(
            Problem(None, _("The true value must lie between the lowest and the highest guess."), "number_value")
        )
    if step <= 0 or (high > low and step > high - low):
        problems.append(Problem(None, _("The step must be more than 0 and no more than the range."), "number_step"))
    elif high > low and (high - low) / step > MAX_STEPS:
        problems.append(
            Problem(
                None,
                _("The slider would have more than %(max)s steps: make the step larger.") % {"max": MAX_STEPS},
                "number_steps",
            )
        )
    if tolerance < 0 or (high > low and tolerance >= high - low):
        problems.append(
            Problem(None, _("The tolerance must be 0 or more, and less than the range."), "number_tolerance")
        )
    if any(text.strip() for text, _correct in choices):
        problems.append(Problem(None, _("A number guess has no choices: leave them empty."), "number_choices"))
    return problems


def value_quote_problems(question: Question) -> list[Problem]:
    """A number guess's figure comes, word for word, from one of its backing fact-check's evidence quotes."""
    if not question.value_quote.strip():
        return [Problem(None, _("Give the source quote with the true value."), "value_quote_missing")]
    quotes = [source.quote for source in question.claim.sources.all()] if question.claim is not None else []
    if find_quote(quotes, question.value_quote) is None:
        return [
            Problem(
                None,
                _(
                    "The source quote must be copied word for word from one of the backing fact-check's evidence "
                    "quotes."
                ),
                "value_quote_unsourced",
            )
        ]
    return []


def quiz_readiness(
    quiz: Quiz, questions: Sequence[tuple[Question, list[tuple[str, bool]]]], *, publishing: bool = True
) -> list[Problem]:
    problems = []
    if not questions:
        problems.append(Problem("questions", _("Add at least one question."), "no_questions"))
    if quiz.article_id and dependency_not_ready(quiz.article.status, publishing=publishing):
        problems.append(_article_problem(quiz.article, publishing=publishing))
    for index, (question, choices) in enumerate(questions):
        answerable = question_problems(question, choices)
        if question.is_number and question.claim is not None:
            answerable += value_quote_problems(question)
        for problem in answerable:
            problems.append(
                Problem(
                    None,
                    # Translators: a question's number, then one of the choice problems, e.g. "Question 2: Make
                    # every choice different."
                    _("Question %(number)s: %(problem)s") % {"number": index + 1, "problem": problem.message},
                    problem.code,
                    "questions",
                    index,
                )
            )
        if question.claim is not None and dependency_not_ready(question.claim.status, publishing=publishing):
            if publishing:
                message = _(
                    "Question %(number)s is backed by the fact-check “%(claim)s”, which is not published: "
                    "publish it first, or choose another."
                )
            else:
                message = _(
                    "Question %(number)s is backed by the fact-check “%(claim)s”, which is still a draft: "
                    "submit it for review first, or choose another."
                )
            problems.append(
                Problem(
                    "claim",
                    message % {"number": index + 1, "claim": question.claim},
                    "backing_claim_unpublished",
                    "questions",
                    index,
                )
            )
    return problems


def questions_of_other_quizzes(quiz: Quiz, questions: Sequence[Question]) -> list[Problem]:
    """Questions are edited only as part of their own quiz: none may be moved in from another."""
    ids = [q.pk for q in questions if q.pk]
    if not ids:
        return []
    foreign = set(Question.objects.filter(pk__in=ids).exclude(quiz_id=quiz.pk).values_list("pk", flat=True))
    return [
        Problem(
            None,
            _("Question %(number)s belongs to another quiz and cannot be moved: questions change only with their quiz.")
            % {"number": index + 1},
            "question_of_another_quiz",
            "questions",
            index,
        )
        for index, question in enumerate(questions)
        if question.pk in foreign
    ]


def orphaned_quotes(article: Article, new_body: str) -> list[Source]:
    """Quotes of published fact-checks that the article holds now but would not hold with `new_body`."""
    old, new = article.paragraphs, split_paragraphs(new_body)
    sources = Source.objects.filter(
        claim__article=article, claim__status=Status.PUBLISHED, quotes_article=True
    ).select_related("claim")
    return [s for s in sources if find_quote(old, s.quote) is not None and find_quote(new, s.quote) is None]


def orphan_problems(orphans: Sequence[Source], correction_note: str) -> list[Problem]:
    if not orphans or correction_note.strip():
        return []
    claims = sorted({f"“{source.claim}”" for source in orphans})
    return [
        Problem(
            "body",
            _(
                # Translators: %(claims)s lists the fact-checks' statements in quotation marks, separated by "; ".
                "This edit removes text that published fact-checks quote as evidence: %(claims)s. Keep the quoted "
                "passages, or write a correction note that will be shown on each of those fact-checks."
            )
            % {"claims": "; ".join(claims)},
            "orphans_published_quotes",
        )
    ]


def deletion_problems(obj: Reviewable) -> list[Problem]:
    """Deleting never takes down what readers can see: unpublish first."""
    problems = []
    if type(obj).objects.filter(translation_of=obj).exists():
        problems.append(Problem(None, _("It has a translation: delete the translation first."), "has_translation"))
    if obj.status == Status.PUBLISHED:
        problems.append(Problem(None, _("It is published: unpublish it before deleting it."), "published_delete"))
    if isinstance(obj, Article) and (obj.claims.exists() or obj.quizzes.exists()):
        problems.append(
            Problem(
                None,
                _("Fact-checks or quizzes are drawn from this article: delete or move them first."),
                "article_in_use",
            )
        )
    return problems


def unpublish_problems(obj: Reviewable) -> list[Problem]:
    """Unpublishing never leaves readers a published page that rests on something they can no longer see."""
    if type(obj).objects.filter(translation_of=obj, status=Status.PUBLISHED).exists():
        return [
            Problem(None, _("Its translation is published: unpublish the translation first."), "translation_published")
        ]
    if isinstance(obj, Claim):
        quizzes = sorted(
            {f"“{q.quiz}”" for q in obj.questions.filter(quiz__status=Status.PUBLISHED).select_related("quiz")}
        )
        if quizzes:
            return [
                Problem(
                    None,
                    _(
                        # Translators: %(quizzes)s lists the quizzes' titles in quotation marks, separated by ", ".
                        "The published quiz %(quizzes)s rests on this fact-check: unpublish the quiz first, or change "
                        "its questions."
                    )
                    % {"quizzes": ", ".join(quizzes)},
                    "backs_published_quiz",
                )
            ]
    # A translated article: the fact-checks' quotes are in its original, which stays; they follow it back.
    if isinstance(obj, Article) and obj.translation_of_id is None:
        in_use = (
            obj.claims.filter(status=Status.PUBLISHED).exists() or obj.quizzes.filter(status=Status.PUBLISHED).exists()
        )
        if in_use:
            return [
                Problem(
                    None,
                    _("Published fact-checks or quizzes quote this article: unpublish them first."),
                    "article_in_use",
                )
            ]
    return []


def flagged_questions(claim: Claim) -> list[Question]:
    """Questions of published or in-review quizzes that a re-rating of `claim` puts in doubt."""
    return list(claim.questions.filter(quiz__status__in=[Status.PUBLISHED, Status.IN_REVIEW]).select_related("quiz"))


def choices_of(question: Question) -> list[tuple[str, bool]]:
    return [(c.text, c.is_correct) for c in Choice.objects.filter(question=question).order_by("position", "id")]


# -- translations (claims/editorial/translations.py) --

# The fields of each kind of translation that must not be left in the original's words.
_TRANSLATED_WORDS = {Article: ("title", "body"), Claim: ("statement", "ruling", "explanation"), Quiz: ("title",)}


def translation_readiness(
    translation: Reviewable,
    *,
    quotes: Mapping[int, str] | None = None,
    prompts: Mapping[int, tuple[str, str]] | None = None,
    choices: Mapping[int, str] | None = None,
) -> list[Problem]:
    """A translation is ready when each of its own words is written and none is left in the original's words.

    `quotes`, `prompts` and `choices` are texts about to be saved; what they leave out is read as stored."""
    original = translation.translation_of
    assert original is not None
    problems = []
    for name in _TRANSLATED_WORDS[type(translation)]:
        value = getattr(translation, name).strip()
        if not value and getattr(original, name).strip():
            problems.append(Problem(name, _("Write the translation of this field."), "translation_missing"))
        elif value and value == getattr(original, name).strip():
            problems.append(
                Problem(name, _("This is still the original's text: translate it."), "translation_untranslated")
            )
    if isinstance(translation, Quiz):
        problems += _question_translation_problems(translation, prompts or {}, choices or {})
    elif isinstance(translation, Claim):
        stored = dict(translation.quote_translations.values_list("source_id", "text"))
        stored.update(quotes or {})
        if any(not stored.get(source_id, "").strip() for source_id in _source_ids(original)):
            problems.append(
                Problem(
                    None,
                    _("Translate every evidence quote: readers see our translation beside the original words."),
                    "quote_translation_missing",
                )
            )
    return problems


def _source_ids(claim) -> set[int]:
    return set(claim.sources.values_list("pk", flat=True))


def _question_translation_problems(
    translation: Quiz, prompts: Mapping[int, tuple[str, str]], choices: Mapping[int, str]
) -> list[Problem]:
    original = translation.translation_of
    assert isinstance(original, Quiz)
    stored_prompts = {t.question_id: (t.prompt, t.explanation) for t in translation.question_translations.all()}
    stored_prompts.update(prompts)
    stored_choices = dict(translation.choice_translations.values_list("choice_id", "text"))
    stored_choices.update(choices)
    problems = []
    for index, question in enumerate(quiz_questions(original)):
        prompt, explanation = stored_prompts.get(question.pk, ("", ""))
        texts = [stored_choices.get(c.pk, "").strip() for c in question.choices.all()]
        if not prompt.strip() or not explanation.strip() or not all(texts):
            problems.append(
                Problem(
                    None,
                    _("Translate the question, its explanation and every choice."),
                    "question_translation_missing",
                    "questions",
                    index,
                )
            )
        elif prompt.strip() == question.prompt.strip():
            problems.append(
                Problem(
                    None,
                    _("The question is still in the original's words: translate it."),
                    "question_untranslated",
                    "questions",
                    index,
                )
            )
    return problems
