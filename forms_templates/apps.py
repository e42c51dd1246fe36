from django.apps import AppConfig


class FormsTemplatesConfig(AppConfig):
    name = "forms_templates"
    verbose_name = "Document types"
