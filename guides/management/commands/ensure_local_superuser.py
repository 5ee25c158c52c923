"""Give a fresh local install an admin account, once, and print its generated password."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

USERNAME = "admin"


class Command(BaseCommand):
    help = "In debug mode, create the superuser 'admin' with a random password if no superuser exists."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            self.stdout.write("Debug is off: no local superuser is created (use `manage.py createsuperuser`).")
            return
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write(
                "Admin: http://127.0.0.1:8000/admin/ (a superuser exists; "
                f"`manage.py changepassword {USERNAME}` sets a new password)."
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(USERNAME, f"{USERNAME}@localhost", password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created a local superuser for http://127.0.0.1:8000/admin/\n"
                f"  username: {USERNAME}\n  password: {password}\n"
                "It is shown only this once."
            )
        )
