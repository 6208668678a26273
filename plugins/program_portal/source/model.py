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
    AfterValidator,
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

# Limits: what every writer (file names on any OS, Word, PDF, iCalendar) can take, far above
# what a real program needs. Going past one is a located error, never a failed build.
MAX_ID = 64  # ids name files: calendar/<id>.ics, downloads/<id>.pdf
MAX_TITLE = 200
MAX_LINE = 2000  # a summary, a rule, a checklist item
MAX_TEXT = 10_000  # a contract clause
MAX_ENTRIES = 200  # entries of one list
MAX_TEMPLATES = 50  # each is a Word and a PDF document to render

# A line break inside a one-line value (str.splitlines' breaks), and the characters no writer
# can take: other control characters (tab is fine), lone surrogates, the non-characters U+FFFE/U+FFFF.
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_UNUSABLE = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def _one_line(value: str) -> str:
    """One line of text: trailing line breaks (a YAML ``>`` block) dropped, no other break, no control character."""
    value = value.rstrip("\n\r")
    if match := _LINE_BREAKS.search(value):
        raise PydanticCustomError(
            "one_line", "must be one line, but has a line break ({char}) at character {at}",
            {"char": f"U+{ord(match.group()):04X}", "at": match.start() + 1},
        )
    if match := _UNUSABLE.search(value):
        raise PydanticCustomError(
            "control_character", "contains the control character {char} at character {at}; remove it",
            {"char": f"U+{ord(match.group()):04X}", "at": match.start() + 1},
        )
    return value


def _line(max_length: int, min_length: int = 0, description: str | None = None) -> Any:
    return Annotated[
        str,
        StringConstraints(min_length=min_length, max_length=max_length),
        AfterValidator(_one_line),
        Field(description=description),
    ]


def _entries(item: Any, maximum: int = MAX_ENTRIES, **constraints: Any) -> Any:
    return Annotated[list[item], Field(max_length=maximum, **constraints)]


Id = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN, max_length=MAX_ID),
    Field(description=f"Lower-case letters, digits and hyphens, starting with a letter or digit; at most {MAX_ID}."),
]
Text = _line(MAX_TITLE, min_length=1)
Line = _line(MAX_TITLE)
InlineMarkdown = _line(MAX_LINE, description="One line of inline Markdown; raw HTML is shown as text.")
LongInlineMarkdown = _line(MAX_TEXT, description="One line of inline Markdown; raw HTML is shown as text.")
BodyPath = Annotated[str, StringConstraints(max_length=MAX_TITLE), Field(description="Markdown file relative to docs_dir.")]

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
TEMPLATE_KINDS = ("contract", "agenda", "checklist", "form")
QUESTION_TYPES = ("text", "long-text", "date", "choice", "scale", "yes-no")
MAX_OPTIONS = 20  # choices of one question: a radio group, a Word drop-down list

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
    organisation: Line | None = None
    summary: InlineMarkdown | None = None
    language: str = Field(
        "en", description="Language of generated labels, dates and numbers: a BCP 47 / CLDR locale (en, de, fr-CH, pt-BR)."
    )
    timezone: Line = Field(description="IANA time zone name, e.g. Europe/London; the default for sessions.")
    starts: IsoDate
    ends: IsoDate
    contact: Line | None = Field(None, description="A functional mailbox, never a person's address.")
    objectives: _entries(InlineMarkdown) = []


class Role(Strict):
    id: Id
    kind: Literal[ROLE_KINDS]  # type: ignore[valid-type]
    title: Text
    summary: InlineMarkdown | None = None
    responsibilities: _entries(InlineMarkdown) = []
    time_commitment: Line | None = None
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
    domains: _entries(Id) = []
    cadence: Cadence | None = None
    duration_months: Months | None = None
    templates: _entries(Id) = []
    body: BodyPath | None = None


class Phase(Strict):
    id: Id
    title: Text
    weeks: Annotated[list[Weeks], Field(min_length=2, max_length=2)] = Field(
        description="First and last week, counted from program.starts."
    )
    summary: InlineMarkdown | None = None
    activities: _entries(InlineMarkdown) = []
    templates: _entries(Id) = []


class Policy(Strict):
    id: Id
    kind: Literal[POLICY_KINDS]  # type: ignore[valid-type]
    title: Text
    summary: InlineMarkdown | None = None
    rules: _entries(InlineMarkdown, min_length=1)


class TextClause(Strict):
    title: Text
    text: LongInlineMarkdown


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
    body: BodyPath | None = None


class ContractTemplate(TemplateBase):
    kind: Literal["contract"]
    parties: _entries(Id, min_length=1, description="Role ids; each gets a signature block.")
    clauses: _entries(Clause) = []


class AgendaItem(Strict):
    minutes: Minutes
    topic: Text
    lead: Id = Field(description="A role id, or both.")
    notes: InlineMarkdown | None = None


class AgendaTemplate(TemplateBase):
    kind: Literal["agenda"]
    minutes: Minutes
    items: _entries(AgendaItem, min_length=1)
    preparation: _entries(InlineMarkdown) = []
    follow_up: _entries(InlineMarkdown) = []


class ChecklistItem(Strict):
    text: InlineMarkdown
    group: Line | None = None
    required: bool = False


def _item_from_string(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


ChecklistEntry = Annotated[ChecklistItem, BeforeValidator(_item_from_string, json_schema_input_type=Union[str, ChecklistItem])]


class ChecklistTemplate(TemplateBase):
    kind: Literal["checklist"]
    items: _entries(ChecklistEntry, min_length=1)
    audience: Id | None = None


Question = _line(MAX_LINE, min_length=1, description="The question, as plain text (its label on the page and in the documents).")


class FormQuestion(Strict):
    id: Id = Field(description="Unique within the form; names the field in the page and the documents.")
    type: Literal[QUESTION_TYPES]  # type: ignore[valid-type]
    question: Question
    help: InlineMarkdown | None = Field(None, description="A line under the question: what a good answer covers.")
    options: _entries(Text, MAX_OPTIONS) = Field([], description="The choices of a `choice` question (at least two).")
    lines: _bounded(20) | None = Field(None, description="Height of a `long-text` answer, in lines (default 4).")
    low: Line | None = Field(None, description="What 1 means on a `scale` question.")
    high: Line | None = Field(None, description="What 5 means on a `scale` question.")


class FormSection(Strict):
    title: Text
    help: InlineMarkdown | None = None
    questions: _entries(FormQuestion, min_length=1)


class FormTemplate(TemplateBase):
    kind: Literal["form"]
    audience: _entries(Id) = Field([], description="Role ids of who fills it in.")
    sections: _entries(FormSection, min_length=1)


Template = Annotated[Union[ContractTemplate, AgendaTemplate, ChecklistTemplate, FormTemplate], Field(discriminator="kind")]
TEMPLATE_CLASSES: dict[str, type[TemplateBase]] = {
    "contract": ContractTemplate,
    "agenda": AgendaTemplate,
    "checklist": ChecklistTemplate,
    "form": FormTemplate,
}


class Session(Strict):
    id: Id
    title: Text
    summary: InlineMarkdown | None = Field(None, description="Extension: a line on what the session is for.")
    track: Id | None = None
    host: Id = Field(description="Role id.")
    start: LocalDateTime
    minutes: Minutes
    timezone: Line | None = Field(None, description="IANA name; default program.timezone.")
    repeat: Line | None = Field(None, description="RFC 5545 RRULE value; UNTIL, if given, in UTC (...Z).")
    except_: _entries(IsoDate) = Field([], alias="except", description="Dates on which it does not take place.")
    location: Line | None = None
    agenda: Id | None = Field(None, description="Template id of kind agenda.")
    audience: _entries(Id) = []


class MatchingCriterion(Strict):
    title: Text
    summary: InlineMarkdown | None = Field(None, description="What the criterion means and how it is weighed.")


class MatchingStep(Strict):
    title: Text
    summary: InlineMarkdown | None = None
    owner: Id = Field(description="Role id of who does the step (a role, never a person).")
    phase: Id | None = Field(None, description="Phase id the step falls in.")
    weeks: Annotated[list[Weeks], Field(min_length=2, max_length=2)] | None = Field(
        None, description="First and last week, counted from program.starts."
    )


class Matching(Strict):
    """Extension: how mentors and mentees are matched, without any personal data."""

    summary: InlineMarkdown | None = None
    decides: Id = Field(description="Role id of who makes the final match (a role, never a person).")
    criteria: _entries(MatchingCriterion, min_length=1)
    steps: _entries(MatchingStep, min_length=1)
    templates: _entries(Id) = Field([], description="Template ids whose pages link to the matching guide (an intake form, a checklist).")


class Privacy(Strict):
    allowed_emails: _entries(Line) = []


class Program(Strict):
    """A whole ``program.yml``."""

    version: WholeNumber = Field(description="The format version: 1.")
    program: ProgramInfo
    roles: _entries(Role) = []
    domains: _entries(Domain) = []
    tracks: _entries(Track) = []
    phases: _entries(Phase) = []
    policies: _entries(Policy) = []
    templates: _entries(Template, MAX_TEMPLATES) = []
    sessions: _entries(Session) = []
    matching: Matching | None = Field(None, description="Extension: the matching guide (criteria, steps, who decides).")
    privacy: Privacy = Privacy()
    labels: dict[str, Text] = Field(
        {},
        description="Extension: your own wording for any generated label, by label id, in the program's language.",
        json_schema_extra={"propertyNames": {"enum": sorted(LABELS)}},
    )

    def session_timezone(self, session: Session) -> str:
        return session.timezone or self.program.timezone
