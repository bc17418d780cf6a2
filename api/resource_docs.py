"""How one inventory resource reads in the OpenAPI document, and its filters as parameters.

`ResourceDocs` holds a resource's own words, examples and schemas; its columns and filters come
from the registry entry it names. `api.resource_router` builds the routes from it.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Query
from pydantic import BaseModel

from geo_assets.entities import Entity, ListFilter


@dataclass(frozen=True)
class Parent:
    """The resource a nested one lives under (`/cemeteries/{cemetery}/blocks`)."""

    param: str  # the path parameter and the list filter: `cemetery`
    column: str  # the child's foreign key: `cemetery_id`
    entity: Entity
    description: str
    example: str


@dataclass(frozen=True)
class ResourceDocs:
    """How one resource reads in the OpenAPI document: words, examples, schemas."""

    entity: Entity
    tag: str
    example: dict[str, Any]
    key_example: str
    schemas: tuple[type[BaseModel], ...]  # Public, ListPublic[, Create, Update]
    under: str = ""  # the path when it is not `/api/v1/<entity name>`
    one: str = ""  # how a person names one item: `road`, `block` (default: the noun)
    many: str = ""  # ... and several: `roads` (default: the entity's name, spaced)
    key_description: str = "Id or code."
    near: bool = True  # offers `near` and `radius_m`
    parent: Parent | None = None
    list_example_path: str = ""  # the path shown in the list example (default: prefix)
    docs: dict[str, str] = field(default_factory=dict)  # handler -> description override
    summaries: dict[str, str] = field(default_factory=dict)  # handler -> summary override
    answers: dict[str, str] = field(default_factory=dict)  # handler -> 2xx description override

    @property
    def prefix(self) -> str:
        """The resource's path: `/api/v1/<entity name>` unless given."""
        return self.under or f"/api/v1/{self.entity.name}"

    @property
    def word(self) -> str:
        """One item, for people."""
        return self.one or self.entity.noun

    @property
    def words(self) -> str:
        """Several items, for people."""
        return self.many or self.entity.name.replace("-", " ")

    def op(self, action: str) -> str:
        """The handler's (operation's) name: `read_roads`, `create_road`, `read_kecamatan_list`."""
        one, many = (name.replace(" ", "_") for name in (self.word, self.words))
        if action == "list":
            return f"read_{many}_list" if many == one else f"read_{many}"
        return f"{action}_{one}"


def filter_parameter(list_filter: ListFilter) -> inspect.Parameter:
    """The query parameter a list filter is offered as."""
    value: Any = list_filter.value_type
    if list_filter.many:
        value = list[value]
    documented: dict[str, Any] = {"description": list_filter.description}
    if list_filter.examples:
        documented["examples"] = list(list_filter.examples)
    query = Query(**documented)
    return inspect.Parameter(
        list_filter.name,
        inspect.Parameter.KEYWORD_ONLY,
        annotation=Annotated[value | None, query],
        default=None,
    )
