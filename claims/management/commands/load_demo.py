from django.core.management.base import BaseCommand

from claims.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load (or refresh) the demo article, its fact-checks and its quiz. Safe to run repeatedly."

    def handle(self, *args, **options) -> None:
        summary = load_demo()
        if options["verbosity"] < 1:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: {summary.articles} article, {summary.claims} published claims "
                f"with {summary.sources} sources, {summary.quizzes} quiz of {summary.questions} questions."
            )
        )
