from django.contrib.sitemaps.views import sitemap
from django.urls import path

from claims.feeds import ClaimFeed, CorrectionFeed
from claims.sitemaps import SITEMAPS
from claims.views import pages, quiz
from claims.views.sharing import claim_card, healthz, robots_txt

urlpatterns = [
    path("", pages.home, name="home"),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("healthz", healthz, name="healthz"),
    path("claims/", pages.claim_index, name="claim-index"),
    # Before claims/<slug>/: "feed" is a valid slug.
    path("claims/feed/", ClaimFeed(), name="claim-feed"),
    path("claims/<slug:slug>/card.png", claim_card, name="claim-card"),
    path("claims/<slug:slug>/", pages.claim_detail, name="claim-detail"),
    path("articles/<slug:slug>/", pages.article_detail, name="article-detail"),
    path("about/ratings/", pages.ratings, name="ratings"),
    path("corrections/", pages.corrections, name="corrections"),
    path("corrections/feed/", CorrectionFeed(), name="correction-feed"),
    path("quizzes/<slug:slug>/", quiz.quiz_detail, name="quiz-detail"),
    path("quizzes/<slug:slug>/start/", quiz.quiz_start, name="quiz-start"),
    path("quizzes/<slug:slug>/q/<int:number>/", quiz.quiz_question, name="quiz-question"),
    path("quizzes/<slug:slug>/results/<slug:token>/", quiz.quiz_result, name="quiz-result"),
    path("quizzes/<slug:slug>/results/<slug:token>/card.png", quiz.quiz_result_card, name="quiz-result-card"),
]
