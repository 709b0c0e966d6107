"""The reader pages, in every language: factcheck/urls.py puts them under i18n_patterns (Spanish under /es/)."""

from django.urls import path

from claims.feeds import ClaimFeed, CorrectionFeed
from claims.views import embeds, pages, quiz, tips
from claims.views.sharing import article_card, claim_card, quiz_card, site_card

urlpatterns = [
    path("", pages.home, name="home"),
    path("card.png", site_card, name="site-card"),
    path("claims/", pages.claim_index, name="claim-index"),
    # Before claims/<slug>/: "feed" is a valid slug.
    path("claims/feed/", ClaimFeed(), name="claim-feed"),
    path("claims/<slug:slug>/card.png", claim_card, name="claim-card"),
    path("claims/<slug:slug>/", pages.claim_detail, name="claim-detail"),
    path("articles/<slug:slug>/", pages.article_detail, name="article-detail"),
    path("articles/<slug:slug>/card.png", article_card, name="article-card"),
    path("about/ratings/", pages.ratings, name="ratings"),
    path("about/funding/", pages.funding, name="funding"),
    path("corrections/", pages.corrections, name="corrections"),
    # Readers' tips: "Has this been checked?" then "Send it to us" (claims/views/tips.py), and what we keep.
    path("tips/", tips.tips, name="tips"),
    path("tips/thanks/", tips.thanks, name="tips-thanks"),
    path("privacy/", tips.privacy, name="privacy"),
    path("corrections/feed/", CorrectionFeed(), name="correction-feed"),
    path("quizzes/<slug:slug>/", quiz.quiz_detail, name="quiz-detail"),
    path("quizzes/<slug:slug>/card.png", quiz_card, name="quiz-card"),
    path("quizzes/<slug:slug>/start/", quiz.quiz_start, name="quiz-start"),
    path("quizzes/<slug:slug>/q/<int:number>/", quiz.quiz_question, name="quiz-question"),
    path("quizzes/<slug:slug>/results/<slug:token>/", quiz.quiz_result, name="quiz-result"),
    path("quizzes/<slug:slug>/results/<slug:token>/card.png", quiz.quiz_result_card, name="quiz-result-card"),
    # The only pages other sites may frame (claims/views/embeds.py): a fact-check's card, and the quiz.
    path("embed/claims/<slug:slug>/", embeds.claim_detail, name="embed-claim-detail"),
    path("embed/quizzes/<slug:slug>/", embeds.quiz_detail, name="embed-quiz-detail"),
    path("embed/quizzes/<slug:slug>/start/", embeds.quiz_start, name="embed-quiz-start"),
    path("embed/quizzes/<slug:slug>/q/<int:number>/", embeds.quiz_question, name="embed-quiz-question"),
    path("embed/quizzes/<slug:slug>/results/<slug:token>/", embeds.quiz_result, name="embed-quiz-result"),
]
