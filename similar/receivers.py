"""Keep the similar-systems index in step, in the transaction of the change."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from similar.indexing import existing_reference, similar_index_project, similar_index_transition
from workflow.models import Project
from workflow.signals import document_transitioned


@receiver(document_transitioned, dispatch_uid="similar.index_on_transition")
def index_on_transition(sender, document, from_status, to_status, **kwargs) -> None:
    similar_index_transition(document=document, from_status=from_status, to_status=to_status)


@receiver(post_save, sender=Project, dispatch_uid="similar.index_on_project_save")
def index_on_project_save(sender, instance: Project, created: bool, raw: bool = False, **kwargs):
    if raw:  # loaddata: the rows come as they are
        return
    if created and not existing_reference(instance):
        return  # a new project has no concept note yet: nothing to index
    # A renamed project, a registered existing system: its row shows the project as it is now.
    similar_index_project(project_id=instance.pk)
