from django.urls import path

from claims.views import pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("claims/", pages.claim_index, name="claim-index"),
    path("claims/<slug:slug>/", pages.claim_detail, name="claim-detail"),
    path("articles/<slug:slug>/", pages.article_detail, name="article-detail"),
    path("quizzes/<slug:slug>/", pages.quiz_detail, name="quiz-detail"),
]
