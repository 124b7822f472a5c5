"""``manage.py open311_key_create <username> <name> [--posyandu ID]``: a new Open311 api_key, printed once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from simpul.core.errors import DomainError
from simpul.open311.services import api_client_create


class Command(BaseCommand):
    help = ("Make an Open311 api_key that records citizens' reports as this kader or desa account. "
            "The key is printed once; only its hash is kept.")

    def add_arguments(self, parser):
        parser.add_argument("username", help="the Simpul account the client acts as")
        parser.add_argument("name", help="the client's name, e.g. 'Aplikasi Lapor Desa Miji'")
        parser.add_argument("--posyandu", type=int, default=None,
                            help="id of the posyandu whose area the reports belong to (needed for a desa account)")

    def handle(self, *args, username, name, posyandu, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        try:
            raw, client = api_client_create(user=user, name=name, posyandu_id=posyandu)
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stderr.write(f"Open311 client {client.pk} {client.name!r} acts as {user.username}; "
                          "store this key now, it is not shown again:")
        self.stdout.write(raw)
