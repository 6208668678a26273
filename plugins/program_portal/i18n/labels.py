"""Every word the portal generates, by label id: THE one place for them.

Each ``label(id, english)`` is a gettext message: the id is its context (``msgctxt``), the
English text its ``msgid``. ``plural(id, one, other)`` is a message with plural forms
(``npgettext``). ``pybabel extract`` reads this file (``make translations``), the catalogs
under ``locale/<lang>/LC_MESSAGES/portal.po`` translate it, and ``labels:`` in program.yml
overrides any of them by id. Placeholders are ``{name}`` (Python's ``str.format``); a
translation keeps exactly the English placeholders (a test checks every catalog).

Texts are plain text: the page writers escape them for Markdown, HTML, XML and iCalendar.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    id: str
    text: str
    plural: str | None = None
    browser: bool = False  # used by the portal's JavaScript (sent to the page as JSON)


LABELS: dict[str, Label] = {}


def label(id: str, text: str, *, browser: bool = False) -> str:
    LABELS[id] = Label(id, text, browser=browser)
    return id


def plural(id: str, one: str, other: str, *, browser: bool = False) -> str:
    LABELS[id] = Label(id, one, other, browser=browser)
    return id


# -- navigation and page titles ---------------------------------------------------------------
label("nav.home", "Home")
label("nav.program", "Program")
label("nav.overview", "Overview")
label("nav.policies", "Policies")
label("nav.guides", "Guides")
label("nav.templates", "Templates")
label("nav.all-templates", "All templates")
label("nav.calendar", "Calendar")

# -- kinds and formats ------------------------------------------------------------------------
label("format.one-to-one", "One-to-one mentoring")
label("format.reverse", "Reverse mentoring")
label("format.group", "Group mentoring")
label("template-kind.contract", "Agreements")
label("template-kind.agenda", "Session agendas")
label("template-kind.checklist", "Checklists")
label("role-kind.mentee", "Mentee")
label("role-kind.mentor", "Mentor")
label("role-kind.sponsor", "Sponsor")
label("role-kind.line-manager", "Line manager")
label("role-kind.program-office", "Program office")
label("role-kind.executive", "Executive")
label("role-kind.other", "Other")
label("policy-kind.confidentiality", "Confidentiality")
label("policy-kind.assessment-firewall", "Assessment firewall")
label("policy-kind.employment-protection", "Employment protection")
label("policy-kind.no-fault-exit", "No-fault exit")
label("policy-kind.conflict-of-interest", "Conflict of interest")
label("policy-kind.raising-concerns", "Raising concerns")
label("policy-kind.other", "Other")
label("scope.shared", "Shared domain: both have experience here; the mentor extends what the mentee knows")
label("scope.additional", "Additional domain: new to the mentee; the mentor adds knowledge and perspective")
label("scope.shared.short", "shared domain")
label("scope.additional.short", "additional domain")
label("punct.colon", ":")  # after a bold label ("**Format:**"); French: a no-break space before it
label("role.both", "Both")
label("list.none", "none")

# -- time -------------------------------------------------------------------------------------
label("time.week", "Week {week}")
label("time.weeks", "Weeks {first}–{last}")
label("cadence.not-set", "not set")
label("cadence.every-week", "every week")
label("cadence.every", "every {weeks}")
label("cadence.line", "{duration} {every}")
label("cadence.weekly", "weekly")
label("cadence.short", "{duration}, {every}")

# -- program overview and policies ------------------------------------------------------------
label("overview.organisation", "Organisation")
label("overview.runs", "Runs")
label("overview.timezone", "Time zone")
label("overview.contact", "Contact")
label("overview.objectives", "Objectives")
label("overview.timeline", "Timeline")
label("overview.phase-templates", "Templates: {templates}")
label("overview.tracks", "Tracks")
label("overview.track", "Track")
label("overview.format", "Format")
label("overview.what", "What it is")
label("overview.meetings", "Meetings")
label("overview.length", "Length")
label("overview.roles", "Roles")
label("overview.time", "Time: {commitment}")
label("overview.group-host", "Hosts group sessions; mentors no one one to one")
label("overview.in-program", "In this program: {uses}.")
label("overview.mentor-in", "mentor in {track}")
label("overview.mentee-in", "mentee in {track}")
label("overview.host-of", "host of {track}")
label("overview.signs", "signs the {template}")
label("overview.leads-items", "leads items of the {template}")
label("overview.uses", "uses the {template}")
plural("overview.hosts-sessions", "hosts {count} group session series ({calendar})", "hosts {count} group session series ({calendar})")
label("overview.calendar-link", "calendar")
label("overview.domains", "Mentoring domains")
label("overview.domains-intro", "The domain is what a mentoring relationship is about. Mentor and mentee agree theirs at the start.")
label("overview.covered-by", "Covered by: {tracks}.")
label("overview.policies", "Policies")
label("overview.policies-intro", "The rules that protect everyone in the program are on the {link}: {policies}.")
label("overview.policies-link", "policies page")
label("policies.title", "Policies")
label("policies.intro", "The rules of {program}. Every agreement in the program refers to them.")
label("policies.part-of", "Part of: {templates}.")

# -- guides -----------------------------------------------------------------------------------
label("guide.format", "Format")
label("guide.mentor", "Mentor")
label("guide.mentee", "Mentee")
label("guide.host", "Host")
label("guide.meetings", "Meetings")
label("guide.length", "Length")
label("guide.domains", "Mentoring domains")
label("guide.domain-line", "{domain}: {scope}")
label("guide.timeline", "Timeline")
label("guide.when", "When")
label("guide.phase", "Phase")
label("guide.templates-column", "Templates")
label("guide.templates", "Templates")
label("guide.sessions", "Group sessions")

# -- calendar and sessions --------------------------------------------------------------------
label("calendar.title", "Calendar")
label("calendar.intro", "Every group session of {program}. Times are shown in each session's own time zone; where your computer's time zone differs, your local time is shown too.")
label("calendar.subscribe", "Subscribe")
label("calendar.subscribe-text", "Subscribe to the whole program in your calendar program: {feed}")
label("calendar.feed-address", "Feed address")
label("calendar.copy", "Copy address")
label("calendar.copied", "Copied", browser=True)
label("calendar.open", "Open in calendar app")
label("calendar.clients", "Desktop calendar programs (Outlook on Windows or Mac, Apple Calendar, Thunderbird) can subscribe to this feed from inside the network and pick up changes by themselves. Web calendars (Outlook on the web, Google Calendar) fetch feeds from their own servers outside the network, so they cannot reach it: download the series files below and import them instead.")
label("calendar.series-title", "Series")  # the heading above the table
label("calendar.series", "Series")  # the column
label("calendar.host", "Host")
label("calendar.dates-column", "Dates")
label("calendar.download", "Download")
label("calendar.dates", "Dates")
label("calendar.none", "No group sessions are planned yet.")
label("sessions.none", "No dates are planned.")
label("sessions.host", "Host: {host}")
label("sessions.for", "For: {audience}")
label("sessions.agenda", "Agenda")
label("sessions.add", "Add the series to your calendar (.ics)")
label("sessions.past", "(past)", browser=True)
label("sessions.your-time", "(your time, {zone}: {day}, {start}–{end})", browser=True)
label("sessions.your-zone", "your time zone", browser=True)
label("ics.host", "Host: {host}")
label("ics.for", "For: {audience}")
label("ics.agenda", "Agenda: {agenda}")

# -- cadence planner --------------------------------------------------------------------------
label("planner.title", "Plan your meetings")
label("planner.intro", "Pick the date of your first meeting to see suggested dates for a {rhythm} rhythm over {duration}, and download them for your calendar. The dates are worked out in your browser; nothing is sent or saved.")
label("planner.first", "First meeting")
label("planner.at", "at")
label("planner.download", "Download these dates (.ics)")
label("planner.event", "{track} meeting", browser=True)
label("planner.file", "meetings", browser=True)

# -- templates --------------------------------------------------------------------------------
label("templates.title", "Templates")
label("templates.intro", "Agreements, session agendas and checklists for the program. Each one can be filled in on its page and printed, or downloaded to fill in on your own computer.")
label("templates.template", "Template")
label("templates.purpose", "What it is for")
label("templates.for", "For")
label("templates.download", "Download")
label("templates.word", "Word")
label("templates.pdf", "PDF")
label("templates.markdown", "Markdown")
label("templates.zip", "Download every template (.zip)")
label("templates.print", "Print or save as PDF")
label("templates.privacy", "Anything you type on this page stays in your browser: it is not sent or saved, and it is gone when you close the page.")
label("contract.parties", "Parties")
label("contract.between", "This agreement is made between: {parties}.")
label("contract.see-policy", "See the {policy} policy.")
label("contract.signatures", "Signatures")
label("contract.to-fill-in", "To fill in")
label("contract.name", "Name")
label("contract.signature", "Signature")
label("contract.date", "Date")
label("contract.field", "{role}: {field}")
label("contract.name.field", "name")
label("contract.signature.field", "signature")
label("contract.date.field", "date")
label("agenda.length", "Length")
label("agenda.before", "Before the meeting")
label("agenda.agenda", "Agenda")
label("agenda.time", "Time")
label("agenda.item-length", "Length")
label("agenda.topic", "Topic")
label("agenda.lead", "Lead")
label("agenda.notes", "Notes")
label("agenda.ends", "Ends at {time}.")
label("agenda.after", "After the meeting")
label("checklist.for", "For")
label("checklist.required-note", "Items marked {required} must all be met.")
label("checklist.required", "(required)")
label("checklist.tally", "{checked} of {total} checked", browser=True)
label("checklist.all-met", "{tally}, all required met", browser=True)
plural("checklist.open", "{tally}, {open} required item still open", "{tally}, {open} required items still open", browser=True)

# -- downloads --------------------------------------------------------------------------------
label("document.page", "Page {page} of {pages}")
label("document.type-here", "Type here")
label("document.field", "field")

# --- look: the site footer (render/footer.py), the offline pack's calendar -------------------
label("footer.contact", "Program office: {contact}")
label("footer.built", "Built on {date}")
label("calendar.offline-title", "Add the sessions to your calendar")
label("calendar.offline-text", "This copy of the portal is opened from a file share, which calendar programs cannot subscribe to. Download {feed} (every session) or a series file below and import it into your calendar program. An imported file does not update itself: download it again when the program changes.")
# look, at a glance and the role pages (render/pages/glance.py)
label("nav.glance", "At a glance")
label("nav.roles", "Your role")
label("glance.title", "{program} at a glance")
label("glance.pdf", "Download this page as a PDF")
label("glance.purpose", "Purpose")
label("glance.tracks", "Tracks")
label("glance.roles", "Who takes part")
label("glance.time", "({commitment})")
label("glance.timeline", "Timeline")
label("glance.phase-name", "Phase")
label("glance.phase-when", "When")
label("glance.phase-what", "What happens")
label("glance.promises", "Our promises")
label("glance.promise-in", "Written into: {contracts}.")
label("glance.templates", "Templates")
label("glance.templates-text", "{count} templates: {kinds}.")
label("glance.templates-here", "Read and fill them in under {templates}; {pack}.")
label("glance.templates-portal", "Read, fill in and download them on the program portal, under Templates.")
label("role-page.title", "{role}: what concerns you")
label("role-page.duties", "Your duties")
label("role-page.guides", "Your guides")
label("role-page.templates", "Your templates")
label("role-page.sessions", "Sessions you attend")
label("role-page.you-host", "(you host it)")
label("role-page.promises", "Our promises to you")
label("role-page.glance", "{program} at a glance")


# --- pages: the phase timeline, the month grids, a series' rhythm ----------------------------
label("timeline.program-span", "{dates}, {weeks}")
label("timeline.track-span", "This track: {dates}, {length}")
label("timeline.sessions", "Sessions: {sessions}")
label("timeline.templates", "Templates: {templates}")
label("grid.title", "Month by month")
label("grid.legend", "Key")
label("rhythm.weekly", "every {weekday}")
label("rhythm.fortnightly", "every other {weekday}")
label("rhythm.every-weeks", "every {count} weeks on {weekday}")  # count: 3 or more
label("rhythm.nth.1", "the first {weekday}")
label("rhythm.nth.2", "the second {weekday}")
label("rhythm.nth.3", "the third {weekday}")
label("rhythm.nth.4", "the fourth {weekday}")
label("rhythm.nth.5", "the fifth {weekday}")
label("rhythm.nth.-1", "the last {weekday}")
label("rhythm.monthly-day", "{day} of every month")  # day: a rhythm.nth text
label("rhythm.months-day", "{day} of every {count} months")  # count: 2 or more
label("rhythm.monthly-date", "monthly on day {day}")
label("rhythm.once", "once, {day}")
plural("rhythm.count", "{count} session", "{count} sessions")
label("rhythm.line", "{rhythm}, {dates}, {count}")
label("rhythm.line-dates", "{dates}, {count}")
label("calendar.series-when", "{rhythm}; {duration}, {timezone}")
# --- forms: the form template kind, its questions and the filled copy saved in the browser ----
label("template-kind.form", "Forms")
label("form.for", "Filled in by")
label("form.yes", "Yes")
label("form.no", "No")
label("form.scale", "1 = {low}, 5 = {high}")
label("form.scale-low", "not at all")
label("form.scale-high", "fully")
label("form.date-hint", "YYYY-MM-DD")
label("form.answer", "Answer")
label("form.choose", "Choose one")
label("form.pick-date", "Pick a date")
label("form.save-md", "Save my filled copy (Markdown)")
label("form.save-docx", "Save my filled copy (Word)")
label("form.save-note", "The copy is made in your browser and saved on your device: nothing is sent or stored.")
label("form.no-answer", "(no answer)")
label("agenda.notes-for", "Notes for {item}")
label("agenda.notes-preparation", "Notes for the preparation")
label("agenda.notes-follow-up", "Notes for the follow-up")
label("matching.title", "Matching guide")
label("matching.privacy", "Matching works with roles and criteria: this portal holds no one's profile, preferences or match.")
label("matching.decides", "Who decides")
label("matching.criteria", "Criteria")
label("matching.steps", "Process")
label("matching.owner", "By: {role}")
label("matching.in-phase", "during {phase}")
label("matching.templates", "Forms and checklists")
label("matching.see-also", "See also: {guide}.")


def markdown_table() -> str:
    """docs/translations.md's table of label ids."""
    rows = ["| id | English |", "| --- | --- |"]
    for lab in LABELS.values():
        text = lab.text if lab.plural is None else f"{lab.text} / {lab.plural}"
        escaped = text.replace("|", "\\|")
        rows.append(f"| `{lab.id}` | {escaped} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(markdown_table(), end="")
