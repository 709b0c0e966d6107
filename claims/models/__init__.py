from claims.models.articles import Article
from claims.models.attempts import Answer, Attempt, OptionTally, QuestionTally, ScoreTally
from claims.models.claims import Claim, ClaimSlugRedirect, Source
from claims.models.desk import EditorPreferences
from claims.models.editorial import Correction, ReviewAction, ReviewEvent, Revision
from claims.models.pages import Page, PageKind
from claims.models.pictures import Picture
from claims.models.publishing import Status
from claims.models.quizzes import Choice, Question, QuestionKind, Quiz
from claims.models.search import SearchWord
from claims.models.tips import DeclineReason, OutboxEmail, Tip, TipGroup, TipStatus
from claims.models.translations import ChoiceTranslation, QuestionTranslation, QuoteTranslation

__all__ = [
    "Answer",
    "Article",
    "Attempt",
    "Choice",
    "ChoiceTranslation",
    "Claim",
    "ClaimSlugRedirect",
    "Correction",
    "DeclineReason",
    "EditorPreferences",
    "OptionTally",
    "OutboxEmail",
    "Page",
    "PageKind",
    "Picture",
    "Question",
    "QuestionKind",
    "QuestionTally",
    "QuestionTranslation",
    "Quiz",
    "QuoteTranslation",
    "ReviewAction",
    "ReviewEvent",
    "Revision",
    "ScoreTally",
    "SearchWord",
    "Source",
    "Status",
    "Tip",
    "TipGroup",
    "TipStatus",
]
