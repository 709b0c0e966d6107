"""Add an editor or a chief editor, or change an existing user's role.

    python manage.py add_editor maria --email maria@example.org --name "Maria Garcia"
    python manage.py add_editor lee --chief

A new account gets a one-time password, printed once: the editor signs in at
/admin/ and changes it under "Change password".
"""

import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from claims.roles import CHIEF_EDITOR, EDITOR, grant_role


class Command(BaseCommand):
    help = "Create an editor (or, with --chief, a chief editor), or change an existing user's role."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--name", default="", help="Full name, as credited on fact-checks.")
        parser.add_argument("--chief", action="store_true", help="Chief editor: may approve, publish and correct.")
        parser.add_argument("--reset-password", action="store_true", help="Issue a new one-time password.")

    def handle(self, *args, username: str, email: str, name: str, chief: bool, reset_password: bool, **options):
        if email:
            try:
                validate_email(email)
            except ValidationError as error:
                raise CommandError(f"Invalid email address: {email}") from error
        User = get_user_model()
        user, created = User.objects.get_or_create(username=username, defaults={"email": email})
        if name:
            first, _, last = name.partition(" ")
            user.first_name, user.last_name = first, last
        if email:
            user.email = email
        password = None
        if created or reset_password:
            password = secrets.token_urlsafe(12)
            user.set_password(password)
        user.save()
        grant_role(user, chief=chief)
        role = CHIEF_EDITOR if chief else EDITOR
        self.stdout.write(f"{'Created' if created else 'Updated'} {username!r} as {role}.")
        if password:
            self.stdout.write(f"One-time password: {password}  (sign in at /admin/ and change it)")
