from django.core.management.base import BaseCommand

from ops.tasks_recovery import requeue_stale_tasks


class Command(BaseCommand):
    help = (
        "Put background jobs whose worker died (RUNNING longer than "
        "TASK_STALE_RUNNING_SECONDS) back in the queue. Run before each worker starts "
        "and every few minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-seconds",
            type=int,
            default=None,
            help="Override TASK_STALE_RUNNING_SECONDS for this run.",
        )

    def handle(self, *args, stale_seconds=None, **options):
        requeued, failed = requeue_stale_tasks(stale_seconds=stale_seconds)
        self.stdout.write(f"Requeued {requeued} abandoned job(s); gave up on {failed}.")
