from django.apps import AppConfig


class SelfAssessmentConfig(AppConfig):
    name = "putright.selfassessment"
    label = "selfassessment"
    verbose_name = "Code self-assessment"

    def ready(self) -> None:
        # The annual report's first section (Code 8.1 a) is the approved self-assessment;
        # reporting sits below this app and may not import it, so this app registers it.
        from putright.reporting.contents import register_section_provider
        from putright.selfassessment.report import SECTION, annual_report_section

        register_section_provider(SECTION, annual_report_section)
