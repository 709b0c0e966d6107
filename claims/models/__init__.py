from claims.models.articles import Article
from claims.models.claims import Claim, ClaimSlugRedirect, Source
from claims.models.publishing import Status
from claims.models.quizzes import Choice, Question, Quiz

__all__ = [
    "Article",
    "Choice",
    "Claim",
    "ClaimSlugRedirect",
    "Question",
    "Quiz",
    "Source",
    "Status",
]
