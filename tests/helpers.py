"""Drive documents through the lifecycle over HTTP, as a client would."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from forms_templates.definitions import Field, Table
from forms_templates.registry import get_type
from workflow.models import Institution, Membership, Project

PASSWORD = "correct-horse-battery"


def make_user(username: str, institution: Institution | None, role: str | None, **extra):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.go.tz", **extra
    )
    if institution is not None and role is not None:
        Membership.objects.create(user=user, institution=institution, role=role)
    return user


def create_project(world, user=None, name: str = "Mfumo wa Hospitali") -> Project:
    user = user or world.officer
    response = world.client(user).post(
        "/api/v1/projects/", {"name": name, "description": "Maelezo"}, format="json"
    )
    assert response.status_code == 201, response.content
    return Project.objects.get(pk=response.json()["id"])


def act(world, user, document_id: str, action: str, body: dict[str, Any] | None = None):
    return world.client(user).post(
        f"/api/v1/documents/{document_id}/{action}/", body or {}, format="json"
    )


def ok(response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.content)
    return response.json()


def sample_value(field: Field, index: int = 0) -> Any:
    return {
        "text": f"Jibu {index} — sahihi",
        "long_text": f"Maelezo marefu {index}\nmstari wa pili",
        "number": 3 + index,
        "money": 1_500_000 + index,
        "date": "2027-01-15",
        "choice": field.choices[0].value if field.choices else "",
        "email": f"mtu{index}@afya.go.tz",
        "phone": "+255 22 212 3456",
    }[field.kind]


def complete_data(type_key: str, rows: int = 1) -> dict[str, Any]:
    """A fully answered form of the given type, valid against its schema."""
    definition = get_type(type_key)
    data: dict[str, Any] = {}
    for item in definition.items():
        if isinstance(item, Table):
            data[item.key] = [
                {column.key: sample_value(column, row) for column in item.columns}
                for row in range(rows)
            ]
        else:
            data[item.key] = sample_value(item)
    return data
