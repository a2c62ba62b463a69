"""`manage.py load_seed_content`: load the portal's seed content from the data file.

Idempotent, and never overwrites what an editor has changed since the last load: see
`ump_portal.seed.loader` for the rules. Everything runs in one transaction, so an
error leaves the database as it was. The console output is for the person running
the command and stays in English.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from cities.demo_users import DemoUsersRefused, create_demo_users, describe
from ump_portal.seed import CONTENT_FILE
from ump_portal.seed.loader import SeedError, load_seed, read_content

OUTCOMES = (
    ("created", "created"),
    ("updated", "updated"),
    ("unchanged", "unchanged"),
    ("kept", "kept because edited"),
    ("deleted", "not recreated (deleted)"),
    ("skipped", "skipped"),
)


class Command(BaseCommand):
    help = (
        "Load the seed content (declarations, cities, mayors, signatories, the Team, its "
        "meetings, organisations and initiatives). Safe to run again: fields changed in "
        "the admin since the last load are kept, and deleted objects are not recreated."
    )

    def add_arguments(self, parser):
        # Each further option (e.g. demo users) adds its argument here and its own step
        # in handle(), inside the same transaction.
        parser.add_argument(
            "--file",
            type=Path,
            default=CONTENT_FILE,
            help="TOML data file to load (default: the seed content kept in the repository).",
        )
        parser.add_argument(
            "--demo-users",
            action="store_true",
            help=(
                "Also create an editor and a city staff user for Gdańsk with new random "
                "passwords, printed once. Local use only: refused with DEBUG off."
            ),
        )

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        if options["demo_users"] and not settings.DEBUG:
            raise CommandError("--demo-users is for local use only: it is refused with DEBUG off.")
        # Polish is the default language: modeltranslation fills each translated
        # field's base column from the active language when an object is saved.
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            self.load_content(options["file"])
            if options["demo_users"]:
                self.create_demo_users()

    def create_demo_users(self):
        try:
            accounts = create_demo_users()
        except DemoUsersRefused as error:
            raise CommandError(str(error)) from error
        # Printed whatever the verbosity: the passwords are shown nowhere else.
        for line in describe(accounts):
            self.stdout.write(line)

    def load_content(self, path):
        try:
            report = load_seed(read_content(path))
        except SeedError as error:
            raise CommandError(f"Seed content not loaded: {error}") from error
        self.write_report(path, report)
        return report

    def write_report(self, path, report):
        if self.verbosity >= 1:
            self.stdout.write(f"Seed content from {path}:")
            for section in report.sections:
                counts = self.counts(section)
                self.stdout.write(f"  {section.name}: {counts or 'nothing to load'}")
        if self.verbosity >= 2:
            self.write_details(report)
        if self.verbosity >= 1:
            total = ", ".join(f"{report.count(outcome)} {label}" for outcome, label in OUTCOMES)
            style = self.style.SUCCESS if not report.count("kept") else self.style.WARNING
            self.stdout.write(style(f"Total: {total}."))

    @staticmethod
    def counts(section):
        return ", ".join(
            f"{len(getattr(section, outcome))} {label}"
            for outcome, label in OUTCOMES
            if getattr(section, outcome)
        )

    def write_details(self, report):
        for section in report.sections:
            for key in section.created:
                self.stdout.write(f"  created {section.name}/{key}")
            for key, fields in section.updated.items():
                self.stdout.write(f"  updated {section.name}/{key}: {', '.join(fields)}")
            for key, fields in section.kept.items():
                self.stdout.write(
                    f"  kept {section.name}/{key}: {', '.join(fields)} changed since the last load"
                )
            for key in section.deleted:
                self.stdout.write(f"  not recreated {section.name}/{key}: deleted since loaded")
            for key, reason in section.skipped.items():
                self.stdout.write(f"  skipped {section.name}/{key}: {reason}")
