from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partners"

    def ready(self):
        # A supporter's data page and download list the partners they opted in to.
        from .privacy import supporter_data_section_install

        supporter_data_section_install()
