from claims.admin import articles, claims, pages, quizzes  # noqa: F401  (registers the ModelAdmins)
