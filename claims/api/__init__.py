"""The public, read-only JSON API under /api/ (django-ninja): fact-checks, articles, quizzes and corrections.

- `app.py`: the endpoints (parse → read → return), and the errors as JSON;
- `schemas.py`: what they take and answer, from which the OpenAPI 3.1 document at /api/schema/ is built;
- `reads.py`: the reads of published content, a constant number of queries per answer;
- `pagination.py`: cursor pagination over (moment, id);
- `http.py`: what every answer under /api/ gets: CORS, the per-client rate limit, JSON errors, ETags,
  Cache-Control and the shared cache;
- `docs.py`: the browsable documentation at /api/docs/, from our own static files;
- `urls.py`: the routes, read-only (GET and HEAD).
"""
