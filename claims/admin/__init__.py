from claims.admin import articles, claims, quizzes  # noqa: F401  (registers the ModelAdmins)
