"""Creates (or repairs) the local editor account that `make run` prints.

Development only: it refuses to run when DEBUG is off, so a production
deployment never gets an account with a password kept in a file.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "editor"


class Command(BaseCommand):
    help = "Ensure the local development editor account exists and print its login."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("The local editor account is for development only (DEBUG is off).")
        password_file = settings.LOCAL_DIR / "editor-password"
        if password_file.exists():
            password = password_file.read_text().strip()
        else:
            settings.LOCAL_DIR.mkdir(exist_ok=True)
            password = secrets.token_urlsafe(12)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
        user, _ = get_user_model().objects.get_or_create(username=USERNAME)
        user.is_staff = True
        user.is_superuser = True
        user.is_active = True
        if not user.check_password(password):
            user.set_password(password)
        user.save()
        self.stdout.write(
            f"Editor login for /admin/: username {USERNAME!r}, password {password!r} (kept in {password_file})"
        )
