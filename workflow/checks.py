"""System checks: the document types' project rules name stages and roles the engine knows."""

from __future__ import annotations

from django.core import checks

from forms_templates.definitions import AUTHOR


@checks.register()
def document_types_fit_the_engine(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from forms_templates.registry import all_types
    from workflow.models import Role, Stage

    errors = []
    for definition in all_types().values():
        target = definition.advances_project_to
        if target is not None and target not in Stage.values:
            errors.append(
                checks.Error(
                    f"{definition.key}: advances_project_to={target!r} is not a stage "
                    f"({', '.join(Stage.values)})",
                    id="workflow.E001",
                )
            )
        for signatory in definition.all_signatories():
            if signatory.person_field is None and signatory.role not in (AUTHOR, *Role.values):
                errors.append(
                    checks.Error(
                        f"{definition.key}: signatory role {signatory.role!r} is not a role",
                        id="workflow.E002",
                    )
                )
    return errors


@checks.register()
def document_type_names_have_a_swahili_noun_class(
    app_configs=None, **kwargs
) -> list[checks.CheckMessage]:
    """Generated Swahili sentences agree with the type's name (forms_templates.swahili)."""
    from forms_templates.registry import all_types
    from forms_templates.swahili import UnknownNoun, agreement_for

    warnings = []
    for definition in all_types().values():
        try:
            agreement_for(definition.name.sw)
        except UnknownNoun as exc:
            warnings.append(
                checks.Warning(
                    f"{definition.key}: {exc} Until then its sentences agree with “hati”.",
                    id="workflow.W001",
                )
            )
    return warnings
