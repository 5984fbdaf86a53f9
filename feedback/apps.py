from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from offices.hooks import demo_seeders
from visits import hooks as visit_hooks


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Ratings and satisfaction survey (IKM)")

    def ready(self):
        # Hooks of lower apps are filled at app loading (STYLE.md 12a). The app's own
        # modules import its models, so they load here, when the models are ready.
        from . import demo, services

        demo_seeders.register(demo.seed)
        # A finished walk-in visit is invited to the survey; its page links to the survey.
        visit_hooks.visit_finished.register(services.invite_for_visit)
        visit_hooks.survey_path.register(services.visit_survey_path)
