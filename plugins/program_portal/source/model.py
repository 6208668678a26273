"""The ``program.yml`` format (spec section 3) as typed, immutable models.

These classes check structure and types only (keys, types, id patterns); references
between ids and everything that needs more than one value are checked in
:mod:`program_portal.source.loader`. The JSON Schema shipped for editors is generated from them.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
)
from pydantic_core import PydanticCustomError

from program_portal.i18n.labels import LABELS

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"

Id = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN),
    Field(description="Lower-case letters, digits and hyphens, starting with a letter or digit."),
]
Text = Annotated[str, StringConstraints(min_length=1)]
InlineMarkdown = Annotated[str, Field(description="Inline Markdown; raw HTML is shown as text.")]

ROLE_KINDS = ("mentee", "mentor", "sponsor", "line-manager", "program-office", "executive", "other")
POLICY_KINDS = (
    "confidentiality",
    "assessment-firewall",
    "employment-protection",
    "no-fault-exit",
    "conflict-of-interest",
    "raising-concerns",
    "other",
)
TRACK_FORMATS = ("one-to-one", "reverse", "group")
TEMPLATE_KINDS = ("contract", "agenda", "checklist")

def _whole_number(value: Any) -> Any:
    """YAML ``true`` is not the number 1 (pydantic's lax mode would take it as one)."""
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


WholeNumber = Annotated[int, BeforeValidator(_whole_number)]


def _bounded(maximum: int) -> Any:
    """A whole number from 1 to ``maximum``: large enough for any program, small enough for date arithmetic."""
    return Annotated[int, Field(gt=0, le=maximum), BeforeValidator(_whole_number)]


MAX_MINUTES = 1440  # a day
Minutes = _bounded(MAX_MINUTES)
Weeks = _bounded(520)  # ten years
EveryWeeks = _bounded(52)
Months = _bounded(120)

FIRST_YEAR, LAST_YEAR = 1900, 2999


def _in_range(value: date) -> date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"the year {value.year} is out of range; expected {FIRST_YEAR} to {LAST_YEAR}")
    return value

_LOCAL_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$")


def _local_datetime(value: Any) -> Any:
    """Accept ``2027-01-28T16:00`` (string or YAML timestamp) as a naive wall-clock time."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            raise ValueError("give the local wall-clock time without a UTC offset; the time zone comes from 'timezone'")
        return _in_range(value)
    if isinstance(value, str) and _LOCAL_DATETIME.match(value.strip()):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(f"not a valid date-time: {exc}") from None
        return _in_range(parsed)
    raise ValueError("expected a local date-time like 2027-01-28T16:00")


def _iso_date(value: Any) -> Any:
    """Accept an ISO date (YAML date or string ``2027-01-28``)."""
    if isinstance(value, datetime):
        raise ValueError("expected a date like 2027-01-28, without a time")
    if isinstance(value, date):
        return _in_range(value)
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            parsed = date.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(f"not a valid date: {exc}") from None
        return _in_range(parsed)
    raise ValueError("expected a date like 2027-01-28")


LocalDateTime = Annotated[
    datetime,
    BeforeValidator(_local_datetime, json_schema_input_type=str),
    Field(description="Local wall-clock date-time in the session's time zone, e.g. 2027-01-28T16:00."),
]
IsoDate = Annotated[date, BeforeValidator(_iso_date, json_schema_input_type=date)]


class Strict(BaseModel):
    """Unknown keys are errors (so no field for a person can slip in); values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True, populate_by_name=False)


class ProgramInfo(Strict):
    id: Id
    title: Text
    organisation: str | None = None
    summary: InlineMarkdown | None = None
    language: str = Field(
        "en", description="Language of generated labels, dates and numbers: a BCP 47 / CLDR locale (en, de, fr-CH, pt-BR)."
    )
    timezone: str = Field(description="IANA time zone name, e.g. Europe/London; the default for sessions.")
    starts: IsoDate
    ends: IsoDate
    contact: str | None = Field(None, description="A functional mailbox, never a person's address.")
    objectives: list[InlineMarkdown] = []


class Role(Strict):
    id: Id
    kind: Literal[ROLE_KINDS]  # type: ignore[valid-type]
    title: Text
    summary: InlineMarkdown | None = None
    responsibilities: list[InlineMarkdown] = []
    time_commitment: str | None = None
    one_to_one: bool = Field(True, description="false: may host group sessions, may not mentor one to one.")


class Domain(Strict):
    id: Id
    title: Text
    scope: Literal["shared", "additional"]
    summary: InlineMarkdown | None = Field(None, description="Extension: what the domain covers.")


class Cadence(Strict):
    every_weeks: EveryWeeks
    minutes: Minutes


class Track(Strict):
    id: Id
    title: Text
    format: Literal[TRACK_FORMATS]  # type: ignore[valid-type]
    summary: InlineMarkdown | None = None
    mentor: Id | None = Field(None, description="Role id; required for one-to-one and reverse.")
    mentee: Id | None = Field(None, description="Role id; required for one-to-one and reverse.")
    host: Id | None = Field(None, description="Role id; required for group.")
    domains: list[Id] = []
    cadence: Cadence | None = None
    duration_months: Months | None = None
    templates: list[Id] = []
    body: str | None = Field(None, description="Markdown file relative to docs_dir.")


class Phase(Strict):
    id: Id
    title: Text
    weeks: Annotated[list[Weeks], Field(min_length=2, max_length=2)] = Field(
        description="First and last week, counted from program.starts."
    )
    summary: InlineMarkdown | None = None
    activities: list[InlineMarkdown] = []
    templates: list[Id] = []


class Policy(Strict):
    id: Id
    kind: Literal[POLICY_KINDS]  # type: ignore[valid-type]
    title: Text
    summary: InlineMarkdown | None = None
    rules: Annotated[list[InlineMarkdown], Field(min_length=1)]


class TextClause(Strict):
    title: Text
    text: InlineMarkdown


class PolicyClause(Strict):
    policy: Id


def _clause_tag(value: Any) -> str:
    if isinstance(value, dict):
        return "policy" if "policy" in value else "text"
    return "policy" if isinstance(value, PolicyClause) else "text"


Clause = Annotated[
    Union[Annotated[PolicyClause, Tag("policy")], Annotated[TextClause, Tag("text")]],
    Discriminator(_clause_tag),
]


class TemplateBase(Strict):
    id: Id
    title: Text
    summary: InlineMarkdown | None = None
    body: str | None = Field(None, description="Markdown file relative to docs_dir.")


class ContractTemplate(TemplateBase):
    kind: Literal["contract"]
    parties: Annotated[list[Id], Field(min_length=1, description="Role ids; each gets a signature block.")]
    clauses: list[Clause] = []


class AgendaItem(Strict):
    minutes: Minutes
    topic: Text
    lead: Id = Field(description="A role id, or both.")
    notes: InlineMarkdown | None = None


class AgendaTemplate(TemplateBase):
    kind: Literal["agenda"]
    minutes: Minutes
    items: Annotated[list[AgendaItem], Field(min_length=1)]
    preparation: list[InlineMarkdown] = []
    follow_up: list[InlineMarkdown] = []


class ChecklistItem(Strict):
    text: InlineMarkdown
    group: str | None = None
    required: bool = False


def _item_from_string(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


ChecklistEntry = Annotated[ChecklistItem, BeforeValidator(_item_from_string, json_schema_input_type=Union[str, ChecklistItem])]


class ChecklistTemplate(TemplateBase):
    kind: Literal["checklist"]
    items: Annotated[list[ChecklistEntry], Field(min_length=1)]
    audience: Id | None = None


Template = Annotated[Union[ContractTemplate, AgendaTemplate, ChecklistTemplate], Field(discriminator="kind")]
TEMPLATE_CLASSES: dict[str, type[TemplateBase]] = {
    "contract": ContractTemplate,
    "agenda": AgendaTemplate,
    "checklist": ChecklistTemplate,
}


class Session(Strict):
    id: Id
    title: Text
    summary: InlineMarkdown | None = Field(None, description="Extension: a line on what the session is for.")
    track: Id | None = None
    host: Id = Field(description="Role id.")
    start: LocalDateTime
    minutes: Minutes
    timezone: str | None = Field(None, description="IANA name; default program.timezone.")
    repeat: str | None = Field(None, description="RFC 5545 RRULE value; UNTIL, if given, in UTC (...Z).")
    except_: list[IsoDate] = Field([], alias="except", description="Dates on which it does not take place.")
    location: str | None = None
    agenda: Id | None = Field(None, description="Template id of kind agenda.")
    audience: list[Id] = []


class Privacy(Strict):
    allowed_emails: list[str] = []


class Program(Strict):
    """A whole ``program.yml``."""

    version: WholeNumber = Field(description="The format version: 1.")
    program: ProgramInfo
    roles: list[Role] = []
    domains: list[Domain] = []
    tracks: list[Track] = []
    phases: list[Phase] = []
    policies: list[Policy] = []
    templates: list[Template] = []
    sessions: list[Session] = []
    privacy: Privacy = Privacy()
    labels: dict[str, Text] = Field(
        {},
        description="Extension: your own wording for any generated label, by label id, in the program's language.",
        json_schema_extra={"propertyNames": {"enum": sorted(LABELS)}},
    )

    def session_timezone(self, session: Session) -> str:
        return session.timezone or self.program.timezone
