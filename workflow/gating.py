"""A document's place in its project, read from its type's definition (forms_templates).

The definition says whether a type needs a project (``needs_project``), whether a project has at
most one in flight (``one_per_project``), which approved documents must come first
(``requires_approved``; waived for an existing system where the type says so) and which stage its
approval moves the project to (``advances_project_to``). Nothing here names a type.
"""

from __future__ import annotations

from django.db import connections, router
from django.utils import timezone
from django.utils.translation import gettext as _

from forms_templates.definitions import DocumentType, current_lang
from forms_templates.registry import get_type
from forms_templates.swahili import concords
from workflow.exceptions import Conflict
from workflow.models import Document, Project, Stage, Status

# Stages in the order a project goes through them: approvals only move it forward.
STAGE_ORDER = (Stage.CONCEPT, Stage.IMPLEMENTATION, Stage.COMPLETED)
_CLOSED = (Status.WITHDRAWN, Status.REJECTED)


def one_per_project_conflict(definition: DocumentType) -> Conflict:
    """The refusal of a second ``definition`` document in flight (or approved) in a project."""
    return Conflict(
        _("This project already has a document of type “%(type)s” in progress or approved.")
        % {"type": definition.name.get(current_lang())},
        code=f"{definition.key}_exists",
    )


def gating_check(*, definition: DocumentType, project: Project | None) -> None:
    """409 when a ``definition`` document may not start in ``project`` now (call it with the
    project's row locked, so that concurrent creations see each other)."""
    if project is None:
        return
    if project.stage == Stage.COMPLETED:
        raise Conflict(
            _("The project “%(project)s” is completed: it takes no new documents.")
            % {"project": project.name},
            code="project_completed",
        )
    if definition.one_per_project:
        busy = (
            Document.objects.filter(project=project, type=definition.key)
            .exclude(status__in=_CLOSED)
            .exists()
        )
        if busy:
            raise one_per_project_conflict(definition)
    if definition.waived_for_existing_systems and project.is_existing_system:
        return
    for required in definition.requires_approved:
        approved = Document.objects.filter(
            project=project, type=required, status=Status.APPROVED
        ).exists()
        if not approved:
            lang = current_lang()
            required_type = get_type(required)
            raise Conflict(
                _(
                    "A %(type)s needs an approved %(required)s in this project first."
                    "%(sw_subj)s%(sw_req_subj)s%(sw_req_rel)s"
                )
                % {
                    "type": definition.name.get(lang),
                    "required": required_type.name.get(lang) if required_type else required,
                    **concords(definition.key, lang),
                    **concords(required, lang, "sw_req"),
                },
                code="gating",
            )


def project_advance(*, document: Document) -> None:
    """An approved document moves its project on, as its type says (called inside the
    approval's transaction). Never backwards: an existing system already in implementation
    stays there when a concept note is approved."""
    definition = get_type(document.type)
    target = definition.advances_project_to if definition else None
    if document.project_id is None or target is None:
        return
    earlier = [str(stage) for stage in STAGE_ORDER[: STAGE_ORDER.index(Stage(target))]]
    if earlier:
        _advance(document.project_id, str(target), earlier)


def _advance(project_id, stage: str, earlier: list[str]) -> int:
    """The project moved to ``stage`` if it is in one of ``earlier``: the UPDATE that
    ``Project.objects.filter(pk=..., stage__in=...).update(...)`` sends, written by hand as
    workflow.audit writes its own (it runs under the approval's row lock, and building the
    queryset cost more than the database spends on it). The number of rows updated."""
    connection = connections[router.db_for_write(Project)]
    qn = connection.ops.quote_name
    field = Project._meta.get_field
    sql = (
        f"UPDATE {qn(Project._meta.db_table)} SET {qn(field('stage').column)} = %s, "  # noqa: S608 - our table; values are parameters
        f"{qn(field('updated_at').column)} = %s WHERE {qn(Project._meta.pk.column)} = %s "
        f"AND {qn(field('stage').column)} IN ({', '.join(['%s'] * len(earlier))})"
    )
    params = [
        stage,
        field("updated_at").get_db_prep_save(timezone.now(), connection),
        Project._meta.pk.get_db_prep_value(project_id, connection),
        *earlier,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
