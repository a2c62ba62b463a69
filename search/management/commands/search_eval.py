"""`manage.py search_eval`: recall at 1 and 3 of the search's relevance set
(search/relevance.toml) on the content in the database; `make search-eval` runs it on
the seed content in a scratch database. Fails (exit 1) below the targets. The output
is for developers and stays in English."""

from django.core.management.base import BaseCommand, CommandError

from search.relevance import evaluate, meets_targets, report


class Command(BaseCommand):
    help = "Recall at 1 and 3 of the search's relevance set on the content in the database."

    def handle(self, *args, **options):
        outcomes = evaluate()
        for line in report(outcomes):
            self.stdout.write(line)
        if not meets_targets(outcomes):
            raise CommandError("The search is below its relevance targets.")
