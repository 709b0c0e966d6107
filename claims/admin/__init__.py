from claims.admin import articles, claims, pages, quizzes, tips  # noqa: F401  (registers the ModelAdmins)
