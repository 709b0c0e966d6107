from claims.admin import articles, claims, pages, pictures, quizzes, tips  # noqa: F401  (registers the ModelAdmins)
