"""The command line: the TUI, demo, import, export, report and log. Only the TUI loads Textual."""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from .cli_parser import EXIT_ERROR, EXIT_OK, EXIT_REFUSED, build_parser
from .core.csvio import ImportPlan, attempts_rows, default_export_name, roster_rows, write_csv
from .core.diagnostics import is_assessment
from .core.diagnostics_csv import DiagnosticsPlan, diagnostics_rows
from .core.errors import CptError
from .core.text import printable
from .store import Store

Plan = ImportPlan | DiagnosticsPlan
"""What an import did or would do: every row checked first."""
DEMO_FILE = "demo-roster.json"
DEMO_AS_OF = date(2026, 11, 20)
"""The day the demo roster describes; `cpt-tui demo` moves its dates to today."""


class Refused(CptError):
    """Bad input on the command line: a message, exit code 2."""


def say(message: object, *, err: bool = False) -> None:
    """Print one message line: names, IDs, header cells and file names in it are text from
    outside, shown with their control characters escaped (one line, nothing obeyed)."""
    print(printable(message), file=sys.stderr if err else sys.stdout)


def default_db() -> Path:
    """`--db`, else $CPT_TUI_DB, else the user data folder (~/.local/share/cpt-tui)."""
    if os.environ.get("CPT_TUI_DB"):
        return Path(os.environ["CPT_TUI_DB"]).expanduser()
    from platformdirs import user_data_path

    return user_data_path("cpt-tui") / "roster.json"


def fixtures_dir() -> Path:
    """The demo data: shipped in the package, or the repository's fixtures/ when editable."""
    packaged = Path(__file__).parent / "fixtures"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "fixtures"


CREATES_A_STORE = {None, "demo", "import"}
"""Commands that may start a new store (the app, the demo's copy, an import); every other
command given a path where there is no store says so instead of reading it as empty."""


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return run(args)
    except BrokenPipeError:
        # Output cut short by its reader (`report | head`): what was wanted was read. Python
        # would report the pipe again when it flushes stdout at exit: point it at nothing.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_OK
    except CptError as exc:
        say(f"cpt-tui: {exc}", err=True)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if os.environ.get("CPT_TUI_DEBUG"):
            raise
        # The message could hold student data: name only its kind (FERPA).
        say(
            f"cpt-tui: unexpected error ({type(exc).__name__}); "
            "run again with CPT_TUI_DEBUG=1 to see the details",
            err=True,
        )
        return EXIT_ERROR


def run(args: argparse.Namespace) -> int:
    command = args.command
    if command == "demo":
        return run_demo(getattr(args, "theme", None))
    db = getattr(args, "db", None) or default_db()
    if command not in CREATES_A_STORE and not db.exists():
        raise Refused(
            f"no store at {db}: check --db (or $CPT_TUI_DB); the app or "
            "`cpt-tui import FILE.csv` starts a new one"
        )
    store = Store(db)
    if command == "import" and args.dry_run and not store.path.exists():
        say(f"no store at {db} yet: the file is checked against an empty roster")
    if command is None:
        return run_tui(store, theme=getattr(args, "theme", None))
    if getattr(args, "section", None) is not None:  # report, testday: named as stored
        from .testday import check_section

        args.section = check_section(store.roster, args.section)
    # A command runs once and exits, and makes next to no reference cycles: the collector
    # would only walk the store's 30,000 records again and again (a tenth of an export).
    gc.disable()
    from . import cli_credentials

    if cli_credentials.handles(args):
        return cli_credentials.run(store, args)
    if command == "import":
        if args.diagnostics:
            if args.attempts or args.practice:
                raise Refused("--diagnostics has its own layout: not with --attempts or --practice")
            return run_import_diagnostics(store, args.file, dry_run=args.dry_run)
        return run_import(
            store, args.file, attempts=args.attempts, practice=args.practice, dry_run=args.dry_run
        )
    if command == "export":
        if args.diagnostics:
            return run_export_diagnostics(store, args.file, bom=not args.no_bom, force=args.force)
        return run_export(
            store, args.file, attempts=args.attempts, bom=not args.no_bom, force=args.force
        )
    if command == "report":
        if args.diagnostics:
            from .diagnostics_report import print_diagnostics

            print_diagnostics(
                store.roster, store.today(), show_dropped=args.dropped, section=args.section
            )
            return EXIT_OK
        from .report import print_report

        print_report(
            store.roster,
            store.today(),
            show_dropped=args.dropped,
            section=args.section,
            summary_only=args.summary,
        )
        return EXIT_OK
    if command == "testday":
        return run_testday(store, args)
    if command == "log":
        store.refresh()  # a damaged store is refused here as by every other command
        for entry in store.audit(args.count):
            # Each field escaped on its own: a newline in a header cell quoted by the detail
            # cannot start a line that looks like another entry.
            print(
                f"{entry.at:%Y-%m-%d %H:%M:%S}  {printable(entry.user):<12} "
                f"{printable(entry.action):<15} {printable(entry.detail)}"
            )
        return EXIT_OK
    raise AssertionError(command)


DEFAULT_ESCDELAY_MS = "25"
"""Textual waits this long after Escape for more of a key sequence; it reads $ESCDELAY.
Its own default (100 ms) makes Escape feel slow; over a slow link, set ESCDELAY higher."""


FIRST_PAGE = 200
"""Students checked before the first frame: more than any terminal shows at once."""


def run_tui(
    store: Store, *, demo: bool = False, theme: str | None = None, samples: Path | None = None
) -> int:
    # The first page is checked and drawn first; the app checks the rest after its first
    # frame, and holds every key until then. A store that cannot be read at all, or whose
    # first page is damaged, is refused here, before the screen is taken over.
    first_page = store.first_page(FIRST_PAGE)
    if first_page is None:
        store.refresh()
    os.environ.setdefault("ESCDELAY", DEFAULT_ESCDELAY_MS)  # read when Textual is imported
    from .app import create_app
    from .hangup import HANGUP_EXIT

    app = create_app(store, demo=demo, theme=theme, first_page=first_page, samples=samples)
    if theme is not None and theme not in app.available_themes:
        raise Refused(
            f"no theme {theme!r}; choose one of: {', '.join(sorted(app.available_themes))}"
        )
    # No mouse reporting: the terminal's own select-to-copy keeps working.
    app.run(mouse=False)
    if app.return_code == EXIT_REFUSED:  # a damaged record found after the first frame
        return EXIT_REFUSED
    if app.return_code == HANGUP_EXIT:  # the terminal went away (hangup.py)
        return HANGUP_EXIT
    if not app.return_code:
        store.keep_first_page(FIRST_PAGE)  # the next start draws it before parsing the store
    return EXIT_ERROR if app.return_code else EXIT_OK


def run_demo(theme: str | None = None) -> int:
    """Open the app on a fresh temporary copy of the demo roster; the real store is untouched."""
    folder = Path(tempfile.mkdtemp(prefix="cpt-tui-demo-"))
    try:
        copy = folder / "roster.json"
        dated_demo(copy, date.today())
        samples = dated_samples(folder / "samples", date.today())
        return run_tui(Store(copy), demo=True, theme=theme, samples=samples)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def dated_demo(target: Path, today: date) -> None:
    """Write the demo roster to `target` (owner-only) with every date moved from the day it
    describes to `today`, so its CPT about to expire is about to expire whenever it is opened."""
    import orjson

    shift = today - DEMO_AS_OF
    data = orjson.loads((fixtures_dir() / DEMO_FILE).read_bytes())
    for attempt in data.get("attempts", {}).values():
        attempt["taken_on"] = (date.fromisoformat(attempt["taken_on"]) + shift).isoformat()
        attempt["recorded_at"] = (
            datetime.fromisoformat(attempt["recorded_at"]) + shift
        ).isoformat()
    for entry in data.get("audit", {}).values():
        entry["at"] = (datetime.fromisoformat(entry["at"]) + shift).isoformat()
    for student in data.get("students", {}).values():
        for entry in student.get("points", ()):
            entry["earned_on"] = (date.fromisoformat(entry["earned_on"]) + shift).isoformat()
        for renewal in student.get("renewals", ()):
            renewal["renewed_on"] = (date.fromisoformat(renewal["renewed_on"]) + shift).isoformat()
        for note in student.get("credentials", {}).values():
            if note.get("verified_on"):
                note["verified_on"] = (date.fromisoformat(note["verified_on"]) + shift).isoformat()
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(orjson.dumps(data))


SAMPLES = ("sample-roster.csv", "sample-attempts.csv", "sample-points.csv")
"""The shipped sample CSVs: the demo's students, attempts and points."""


def dated_samples(folder: Path, today: date) -> Path:
    """Write the sample CSVs into `folder` (made owner-only) with every date moved as
    `dated_demo` moves the demo's, so importing them into the demo finds its own records
    (0 new) rather than the same attempts on other days. Returns the folder."""
    import csv
    import io

    shift = today - DEMO_AS_OF
    folder.mkdir(mode=0o700)
    for name in SAMPLES:
        text = (fixtures_dir() / name).read_text(encoding="utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        dated = [i for i, title in enumerate(rows[0]) if title == "date" or title.endswith("_on")]
        for row in rows[1:]:
            for i in dated:
                if i < len(row) and row[i]:
                    row[i] = (date.fromisoformat(row[i]) + shift).isoformat()
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(rows)  # as shipped
        fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as handle:
            handle.write(out.getvalue())
    return folder


def run_import(
    store: Store, file: Path, *, attempts: bool, dry_run: bool, practice: bool = False
) -> int:
    if attempts and practice:
        raise Refused("--attempts and --practice: choose one (a kind column can mix them)")
    data = read_import(file)
    if attempts or practice:
        plan = store.import_attempts(data, dry_run=dry_run, practice=practice)
    else:
        plan = store.import_roster(data, dry_run=dry_run)
    # The notes: IDs matched to stored ones, students registered.
    return said(file, plan, dry_run, plan.early_lines(), plan.notes)


def run_import_diagnostics(store: Store, file: Path, *, dry_run: bool) -> int:
    """MSSC's diagnostic reports onto their attempts: all rows or, with a reason per bad
    row, none."""
    plan = store.import_diagnostics(read_import(file), dry_run=dry_run)
    return said(file, plan, dry_run, notes=plan.notes)  # notes: IDs matched to stored ones


def read_import(file: Path) -> bytes:
    """A CSV to import: a regular file of a bounded size (Store.read_csv), or Refused."""
    try:
        return Store.read_csv(file)
    except OSError as exc:
        raise Refused(f"cannot read {file}: {exc.strerror}") from None


def said(
    file: Path,
    plan: Plan,
    dry_run: bool,
    by_line: Sequence[str] = (),
    notes: Sequence[str] = (),
) -> int:
    """Say what an import did or would do: each refused row (and `by_line`) by its line,
    then the summary and `notes`. The exit code: refused (2) when any row was, and then
    nothing was written."""
    for line in plan.error_lines():
        say(f"{file}: {line}", err=True)
    for line in by_line:
        say(f"{file}: {line}")
    if not plan.ok:
        say(f"cpt-tui: nothing imported: {plan.refusal()}", err=True)
        return EXIT_REFUSED
    verb = "would import" if dry_run else "imported"
    note = " (dry run: nothing written)" if dry_run else ""
    say(f"{verb} {plan.kind}: {plan.summary()}{note}")
    for line in notes:
        say(f"  {line}")
    return EXIT_OK


def run_export(store: Store, file: str | None, *, attempts: bool, bom: bool, force: bool) -> int:
    rows = attempts_rows(store.roster) if attempts else roster_rows(store.roster)
    if file == "-":
        text = write_csv(rows, bom=bom)
        if sys.stdout.isatty():  # a person reads it: names are shown, never obeyed
            text = "".join(printable(line) + "\r\n" for line in text.split("\r\n")[:-1])
        sys.stdout.write(text)
        return EXIT_OK
    path = Path(file or default_export_name(attempts, store.today()))
    try:
        store.write_export(path, write_csv(rows, bom=bom), overwrite=force)
    except FileExistsError:
        raise Refused(f"{path} exists; use --force to overwrite it") from None
    count = len(store.roster.attempts if attempts else store.roster.students)
    say(f"wrote {count} {'attempts' if attempts else 'students'} to {path}")
    return EXIT_OK


def run_testday(store: Store, args: argparse.Namespace) -> int:
    """The test day's list and totals, or its CSV (`--csv`)."""
    from .core.testday import day_csv_rows
    from .testday import day_rows, format_day

    if args.date:
        try:
            on = date.fromisoformat(args.date.strip())
        except ValueError:
            raise Refused(f"{args.date!r} is not a date: use YYYY-MM-DD") from None
    else:
        on = store.today()
    rows = day_rows(store.roster, on, show_dropped=args.dropped, section=args.section)
    if args.csv is None:
        sys.stdout.write("\n".join(format_day(rows, on, args.section)) + "\n")
        return EXIT_OK
    text = write_csv(day_csv_rows(rows), bom=not args.no_bom)
    if args.csv == "-":
        if sys.stdout.isatty():  # a person reads it: names are shown, never obeyed
            text = "".join(printable(line) + "\r\n" for line in text.split("\r\n")[:-1])
        sys.stdout.write(text)
        return EXIT_OK
    path = Path(args.csv)
    try:
        store.write_export(path, text, overwrite=args.force)
    except FileExistsError:
        raise Refused(f"{path} exists; use --force to overwrite it") from None
    say(f"wrote {len(rows)} rows to {path}")
    return EXIT_OK


def run_export_diagnostics(store: Store, file: str | None, *, bom: bool, force: bool) -> int:
    """Every diagnostic report, one row per activity (by number): a re-import changes nothing."""
    roster = store.roster
    text = write_csv(diagnostics_rows(roster), bom=bom)
    if file == "-":
        if sys.stdout.isatty():  # a person reads it: IDs are shown, never obeyed
            text = "".join(printable(line) + "\r\n" for line in text.split("\r\n")[:-1])
        sys.stdout.write(text)
        return EXIT_OK
    path = Path(file or default_export_name(today=store.today(), diagnostics=True))
    try:
        store.write_export(path, text, overwrite=force)
    except FileExistsError:
        raise Refused(f"{path} exists; use --force to overwrite it") from None
    count = sum(1 for a in roster.attempts if a.diagnostics and is_assessment(a))
    say(f"wrote the diagnostic reports of {count} assessments to {path}")
    return EXIT_OK
