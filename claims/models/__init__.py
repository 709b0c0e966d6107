from claims.models.articles import Article
from claims.models.attempts import Answer, Attempt, QuestionTally, ScoreTally
from claims.models.claims import Claim, ClaimSlugRedirect, Source
from claims.models.editorial import Correction, ReviewAction, ReviewEvent, Revision
from claims.models.publishing import Status
from claims.models.quizzes import Choice, Question, Quiz

__all__ = [
    "Answer",
    "Article",
    "Attempt",
    "Choice",
    "Claim",
    "ClaimSlugRedirect",
    "Correction",
    "Question",
    "QuestionTally",
    "Quiz",
    "ReviewAction",
    "ReviewEvent",
    "Revision",
    "ScoreTally",
    "Source",
    "Status",
]
