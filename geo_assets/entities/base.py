"""The shape of an entity description: its table, columns, filters, geometry, labels and names.

One `Entity` per inventory table says everything the importer, the exporters, the `/api/v1`
resources and (next) the OGC collections need to know; they derive their own views of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, String, Table
from sqlalchemy.types import NullType, TypeEngine

from geo_assets import tables
from geo_assets.io.names import EXPORT_ENTITIES, IMPORT_ENTITIES
from geo_assets.vocab import Vocabulary

if TYPE_CHECKING:
    from geo_assets.inventory.resources import Derived, Filter

Kind = Literal[
    "text", "integer", "number", "boolean", "date", "datetime", "vocabulary", "id", "point"
]
# The SQL type each kind is stored and bound as (a point column is a geometry: no type needed).
SQL_TYPES: dict[str, TypeEngine[Any]] = {
    "text": String(),
    "vocabulary": String(),
    "integer": Integer(),
    "id": Integer(),
    "number": Float(),
    "boolean": Boolean(),
    "date": Date(),
    "datetime": DateTime(timezone=True),
    "point": NullType(),
}
GeometryType = Literal["Point", "LineString", "Polygon", "MultiPolygon"]
Measure = Literal["length_m", "area_m2", "area_km2"]
# Where an export finds the kelurahan/kecamatan a feature lies in: by a spatial join on a
# representative point, through the row's own `kelurahan_id`, or nowhere (boundaries).
Place = Literal["spatial", "kelurahan_id", "none"]


class TableField:
    """A dataclass field given a `Table` or a table's name (`"lamp"`); read, it is the `Table`.

    The registry names its tables, so that importing it does not import the ORM models (and
    GeoAlchemy2, Shapely, NumPy with them): `geo-assets export` starts without them. The
    `Table` is looked up on the first read.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_{name}"

    def __get__(self, instance: object, owner: type | None = None) -> Table:
        if instance is None:
            raise AttributeError(self.slot)  # a field without a default
        value = instance.__dict__[self.slot]
        if isinstance(value, str):
            value = instance.__dict__[self.slot] = tables.named(value)
        return value

    def __set__(self, instance: object, value: Table | str) -> None:
        instance.__dict__[self.slot] = value

    def name_of(self, instance: object) -> str:
        """The table's name, without looking the table up."""
        value: Any = instance.__dict__[self.slot]
        return value if isinstance(value, str) else value.name


@dataclass(frozen=True)
class Label:
    """A name for people: Bahasa Indonesia first, English second."""

    id: str
    en: str

    def text(self, lang: str) -> str:
        """The label in `lang` (`en`, else Bahasa Indonesia)."""
        return self.en if lang == "en" else self.id


# The labels of the two columns most entities share.
CODE_LABEL = Label("Kode", "Code")
NAME_LABEL = Label("Nama", "Name")


@dataclass(frozen=True)
class Reference:
    """What a foreign key (`road_id`) points at, and how files and exports name that row."""

    # A descriptor, no default (see TableField); mypy takes it for one, hence the ignores.
    target: TableField = TableField()
    file_column: str  # type: ignore[misc]  # the other row's code in files: `road_code`
    noun: str  # type: ignore[misc]
    aliases: tuple[str, ...] = ()  # other spellings of `file_column` accepted in files
    name_column: str | None = None  # also export the other row's name under this name
    code_label: Label | None = None  # the header of `file_column` in spreadsheets
    name_label: Label | None = None  # the header of `name_column`

    @property
    def target_name(self) -> str:
        """The name of the table pointed at (`road`), without importing the models."""
        return Reference.__dict__["target"].name_of(self)


@dataclass(frozen=True)
class Column:
    """One column of an entity: its kind, its rule, and who sees and writes it.

    `required`, `default`, the bounds and `aliases` are the rules of files and of `/api/v1`;
    `public`/`personal`/`writable`/`imported`/`exported` say where the column shows up.
    """

    name: str
    kind: Kind
    required: bool = False
    default: object | None = None
    vocabulary: Vocabulary | None = None
    minimum: float | None = None
    maximum: float | None = None
    minimum_exclusive: bool = False
    unit: str = ""
    max_length: int | None = None  # when the table's column has none (TEXT)
    aliases: tuple[str, ...] = ()
    hint: str = ""
    example: object | None = None  # shown in the API documentation
    description: str = ""  # for API clients, when the name says too little
    reference: Reference | None = None
    label: Label | None = None  # for people: spreadsheet headers, with the unit (`Daya (W)`)
    public: bool = True  # read by everyone on /api/v1 (and OGC)
    personal: bool = False  # read only by staff/admin; never exported or in OGC
    writable: bool = True  # set by clients on /api/v1
    imported: bool = True  # read from import files (when the entity is importable)
    exported: bool = True  # written by exports
    temporal: bool = False  # the time the row stands for (OGC `datetime`)
    on_map: bool = False  # shown on the maps (popups, tiles); a reference shows its name
    on_tile: bool = False  # a property of the collection's vector tiles (OGC API Tiles)


@dataclass(frozen=True)
class ListFilter:
    """A list filter: its query parameter (documented once) and the WHERE clause it makes."""

    name: str
    clause: Filter
    description: str
    many: bool = True  # repeatable (`?status=out&status=damaged`)
    value_type: type = str  # what one value is documented as (str, int, bool)
    examples: tuple[object, ...] = ()
    query_parameter: bool = True  # offered on the resource's `/api/v1` list today


@dataclass(frozen=True)
class Entity:
    """An inventory entity: everything the importer, exporters, API and OGC derive from."""

    name: str  # the API and file name: `lamps`, `access-roads`
    noun: str  # `lamp`, `access road`
    # A descriptor, no default (see TableField); mypy takes it for one, hence the ignores.
    table: TableField = TableField()
    geometry_type: GeometryType | None  # type: ignore[misc]
    columns: tuple[Column, ...]  # type: ignore[misc]
    label: Label  # type: ignore[misc]
    short_label: Label | None = None  # for sheet tabs, when `label` is too long for one
    filters: tuple[ListFilter, ...] = ()
    file_name: str | None = None  # the import/export entity name when it differs from `name`
    ogc_name: str | None = None  # the OGC API collection id when it differs from `name`
    code_pattern: str | None = None
    code_example: str = ""
    place: Place = "spatial"
    measure: Measure | None = None  # what an export measures on the geometry
    status_column: str | None = None  # the vocabulary column exports label and filter on
    copy_extra: tuple[str, ...] = ()  # columns an import fills in itself (COPY order)
    derived: Derived | None = None
    boundary: bool = False
    in_use_hint: str = ""
    immutable: dict[str, str] = field(default_factory=dict)

    @property
    def table_name(self) -> str:
        """The name of the entity's table (`lamp`), without importing the models."""
        return Entity.__dict__["table"].name_of(self)

    @property
    def files_name(self) -> str:
        """The entity's name on the import/export command line and in file names."""
        return self.file_name or self.name

    @property
    def collection_id(self) -> str:
        """The entity's collection id under /ogc (features and tiles)."""
        return self.ogc_name or self.name

    @property
    def importable(self) -> bool:
        """True when `geo-assets import` reads it (listed in `io/names.py`)."""
        return self.files_name in IMPORT_ENTITIES

    @property
    def exportable(self) -> bool:
        """True when `geo-assets export` writes it (listed in `io/names.py`)."""
        return self.files_name in EXPORT_ENTITIES

    def column(self, name: str) -> Column:
        """The column called `name`."""
        return next(c for c in self.columns if c.name == name)

    @property
    def sheet_label(self) -> Label:
        """The entity's name on a spreadsheet's tab: `short_label`, else `label`."""
        return self.short_label or self.label

    @property
    def public_columns(self) -> tuple[str, ...]:
        """Columns everyone reads (no personal data, no point columns shown apart)."""
        return tuple(c.name for c in self.columns if c.public and c.kind != "point")

    @property
    def personal_columns(self) -> tuple[str, ...]:
        """Columns only staff/admin read: never in public lists, exports or OGC."""
        return tuple(c.name for c in self.columns if c.personal)

    @property
    def writable_columns(self) -> tuple[str, ...]:
        """Columns clients set on `/api/v1`."""
        return tuple(c.name for c in self.columns if c.writable)

    @property
    def required_columns(self) -> tuple[str, ...]:
        """Columns a new row must be given."""
        return tuple(c.name for c in self.columns if c.required)

    @property
    def point_columns(self) -> tuple[str, ...]:
        """Extra point columns (a cemetery's gate), shown as GeoJSON properties."""
        return tuple(c.name for c in self.columns if c.kind == "point")

    @property
    def code_column(self) -> str | None:
        """The human-readable unique key (`code`), when rows have one; else only `id`."""
        return "code" if "code" in self.table.c else None

    @property
    def map_columns(self) -> tuple[Column, ...]:
        """Columns the maps show (a reference by the other row's name)."""
        return tuple(c for c in self.columns if c.on_map)

    @property
    def tile_columns(self) -> tuple[str, ...]:
        """Columns a vector tile carries as properties (besides `id`); never personal ones."""
        return tuple(c.name for c in self.columns if c.on_tile and not c.personal)

    @property
    def temporal_column(self) -> str | None:
        """The column holding the time a row stands for, if any."""
        return next((c.name for c in self.columns if c.temporal), None)

    def with_column(self, column: Column, *, after: str | None = None) -> Entity:
        """A copy with `column` added (at the end, or after the column called `after`)."""
        names = [c.name for c in self.columns]
        at = names.index(after) + 1 if after else len(names)
        return replace(self, columns=(*self.columns[:at], column, *self.columns[at:]))


def vocabulary(
    name: str,
    values: Vocabulary,
    *,
    default: str | None = None,
    aliases: tuple[str, ...] = (),
    label: Label | None = None,
    on_map: bool = False,
    on_tile: bool = False,
    example: str | None = None,
    description: str = "",
) -> Column:
    """A vocabulary column: required unless it has a default."""
    return Column(
        name,
        "vocabulary",
        required=default is None,
        default=default,
        vocabulary=values,
        aliases=aliases,
        label=label,
        on_map=on_map,
        on_tile=on_tile,
        example=example,
        description=description,
    )


def osm_id_column(what: str) -> Column:
    """The OpenStreetMap element a feature came from (`geo-assets import osm`), e.g. `w123`."""
    return Column(
        "osm_id",
        "text",
        writable=False,
        imported=False,
        label=Label("ID OSM", "OSM id"),
        example=what,
        description="The OpenStreetMap element it came from (n node, w way, r relation).",
    )
