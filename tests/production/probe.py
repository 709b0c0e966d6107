#!/usr/bin/env python
"""Run in a subprocess with production settings: sets up a database, then prints the
headers and cookies of the main pages as JSON. Used by test_production.py."""

import json
import sys

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

call_command("migrate", verbosity=0)
call_command("collectstatic", verbosity=0, interactive=False)
call_command("load_demo", verbosity=0)

from claims.models import Article, Claim, Quiz  # noqa: E402
from claims.translated import url_in_own_language  # noqa: E402

claim = Claim.objects.published().filter(translation_of=None).first()
quiz = Quiz.objects.published().filter(translation_of=None).first()
spanish = [url_in_own_language(version) for version in (claim.translations.get(), quiz.translations.get())]
pages = ["/", "/claims/", claim.get_absolute_url(), Article.objects.first().get_absolute_url(), quiz.get_absolute_url()]
pages += ["/es/", "/es/claims/", *spanish]
client = Client(HTTP_HOST="factcheck.example.org")
out = {"pages": {}, "plain_http": None}
for url in pages:
    response = client.get(url, secure=True)
    out["pages"][url] = {
        "status": response.status_code,
        "headers": dict(response.headers),
        "cookies": {
            name: {"secure": bool(m["secure"]), "httponly": bool(m["httponly"]), "samesite": m["samesite"]}
            for name, m in response.cookies.items()
        },
    }
# Starting a quiz sets the session cookie; its flags matter most.
client.post(f"{quiz.get_absolute_url()}start/", secure=True)
out["session_cookies"] = {
    name: {"secure": bool(m["secure"]), "httponly": bool(m["httponly"]), "samesite": m["samesite"]}
    for name, m in client.cookies.items()
}
out["plain_http"] = {"status": client.get("/", secure=False).status_code, "location": client.get("/").get("Location")}
# The tests hash passwords with MD5 for speed (tests/conftest.py); the deployment's settings must not.
from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import get_hasher, make_password  # noqa: E402

hasher = get_hasher()
out["password_hashing"] = {
    "configured": list(settings.PASSWORD_HASHERS),
    "default": hasher.algorithm,
    "iterations": getattr(hasher, "iterations", None),
    "new_hash_algorithm": make_password("a new password").split("$", 1)[0],
}
json.dump(out, sys.stdout)
