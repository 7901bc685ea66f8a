"""The command line after the course: credentials, state reports, points and renewals."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from .cli import Refused, read_import, said, say
from .cli_parser import EXIT_OK
from .core.credentials_csv import credential_report, points_rows
from .core.csvio import write_csv
from .core.fees import dollars
from .core.labels import plural
from .core.parse import parse_date
from .core.profile import (
    GENERIC,
    Profile,
    ProfileError,
    load_profile,
    shipped_profiles,
)
from .core.recert import recertification
from .core.text import printable
from .store import Store


def add_options(
    imp: argparse.ArgumentParser,
    exp: argparse.ArgumentParser,
    rep: argparse.ArgumentParser,
    commands: argparse._SubParsersAction[Any],
    common: argparse.ArgumentParser,
) -> None:
    """The options and the command this module answers, on the CLI's parsers."""
    imp.add_argument(
        "--credentials",
        action="store_true",
        help="certificate numbers and verifications: student_id,credential,"
        "certificate_number,verified_on",
    )
    imp.add_argument(
        "--points",
        action="store_true",
        help="recertification points: student_id,date,category,points,note",
    )
    exp.add_argument(
        "--credentials",
        action="store_true",
        help="one row per credential earned (the state's credential report)",
    )
    exp.add_argument(
        "--profile",
        metavar="NAME|FILE.toml",
        help="shape the credentials report: "
        + ", ".join(shipped_profiles())
        + " or a profile file of your own",
    )
    exp.add_argument(
        "--points", action="store_true", help="recertification points and renewals instead"
    )
    rep.add_argument(
        "--expiring",
        type=int,
        metavar="DAYS",
        help="CPTs expiring within DAYS or expired, with points and whether they can renew",
    )
    recert = commands.add_parser(
        "recertify", parents=[common], help="renew a CPT whose holder has the points"
    )
    recert.add_argument("student_id", metavar="ID")
    recert.add_argument("--on", metavar="DATE", help="the renewal's date (default today)")


def handles(args: argparse.Namespace) -> bool:
    """Whether these arguments ask for one of this module's commands."""
    command = args.command
    if command == "recertify":
        return True
    if command == "import":
        return bool(args.credentials or args.points)
    if command == "export":
        if args.profile is not None and not args.credentials:
            raise Refused("--profile shapes the credentials report: add --credentials")
        return bool(args.credentials or args.points)
    if command == "report":
        return args.expiring is not None
    return False


def run(store: Store, args: argparse.Namespace) -> int:
    """Run the command `handles` said is this module's."""
    if args.command == "recertify":
        return run_recertify(store, args.student_id, args.on)
    if args.command == "import":
        return run_import(store, args)
    if args.command == "export":
        return run_export(store, args)
    return run_expiring(store, args.expiring, show_dropped=args.dropped, section=args.section)


def run_import(store: Store, args: argparse.Namespace) -> int:
    kinds = ("attempts", "practice", "diagnostics", "credentials", "points")
    chosen = [kind for kind in kinds if getattr(args, kind, False)]
    if len(chosen) > 1:
        raise Refused("--" + " and --".join(chosen) + ": choose one kind of file")
    file: Path = args.file
    do = store.import_credentials if args.credentials else store.import_points
    plan = do(read_import(file), dry_run=args.dry_run)
    return said(file, plan, args.dry_run, notes=plan.notes)  # notes: IDs matched to stored ones


def profile_named(choice: str, store: Store) -> Profile:
    """A shipped profile by name, or a profile file; Refused with the line and reason."""
    shipped = shipped_profiles()
    path = shipped.get(choice) or Path(choice)
    try:
        text = Store.read_profile(path).decode("utf-8")
    except FileNotFoundError:
        raise Refused(
            f"no profile {choice!r}: give a .toml file or one of " + ", ".join(shipped)
        ) from None
    except UnicodeDecodeError:
        raise Refused(f"{path}: a profile is UTF-8 text") from None
    except OSError as exc:
        raise Refused(f"cannot read {path}: {exc.strerror}") from None
    try:
        return load_profile(text, store.roster.modules)
    except ProfileError as exc:
        raise Refused(f"{path}: {exc}") from None


def run_export(store: Store, args: argparse.Namespace) -> int:
    kinds = ("attempts", "diagnostics", "credentials", "points")
    chosen = [kind for kind in kinds if getattr(args, kind, False)]
    if len(chosen) > 1:
        raise Refused("--" + " and --".join(chosen) + ": choose one kind of file")
    roster = store.roster
    if args.points:
        rows = list(points_rows(roster))
        what, kind = f"{len(rows) - 1} points entries and renewals", "points"
    else:
        profile = profile_named(args.profile, store) if args.profile else GENERIC
        report = credential_report(roster, profile)
        for line in report.left_out:
            say(f"left out {line} (profile {profile.name})", err=True)
        rows = report.rows
        what, kind = f"{report.written} credentials", "credentials"
        if report.left_out:
            what += f" ({len(report.left_out)} left out: see above)"
    text = write_csv(rows, bom=not args.no_bom)
    if args.file == "-":
        if sys.stdout.isatty():  # a person reads it: names are shown, never obeyed
            text = "".join(printable(line) + "\r\n" for line in text.split("\r\n")[:-1])
        sys.stdout.write(text)
        return EXIT_OK
    path = Path(args.file or f"cpt-{kind}-{store.today().isoformat()}.csv")
    try:
        store.write_export(path, text, overwrite=args.force)
    except FileExistsError:
        raise Refused(f"{path} exists; use --force to overwrite it") from None
    say(f"wrote {what} to {path}")
    return EXIT_OK


def run_recertify(store: Store, student_id: str, on_text: str | None) -> int:
    today = store.today()
    try:
        on = parse_date(on_text, today) if on_text else today
    except ValueError as exc:
        raise Refused(f"--on: {exc}") from None
    # The one rule every place a person names a student follows: `e2002` is E2002, `7` is 007.
    student = store.roster.find(student_id)
    if student is None:
        raise Refused(f"no student with ID {student_id.strip()!r}")
    sid = student.student_id
    renewed = store.recertify(sid, on)
    st = store.roster.standings[sid]
    fee = renewed.renewals[-1].fee
    say(
        f"renewed the CPT of {student.full_name} ({sid}) on {on}: "
        f"now expires {st.cpt_expires_on}; {dollars(fee)} recertification fee"
    )
    return EXIT_OK


def run_expiring(store: Store, days: int, *, show_dropped: bool, section: str | None = None) -> int:
    """`report --expiring DAYS [--section S]`: each CPT expiring within DAYS (inclusive) or
    expired."""
    from .testday import day_students

    if days < 0:
        raise Refused(f"--expiring {days}: give a number of days, 0 or more")
    roster = store.roster
    students = day_students(roster, show_dropped=show_dropped, section=section)
    today = store.today()
    last = today + timedelta(days=days)
    found = []
    for student in students:
        status = recertification(roster.standings[student.student_id], today)
        if status is not None and status.expires_on <= last:
            found.append((status.expires_on, student.sort_name, student, status))
    found.sort(key=lambda item: (item[0], item[1]))
    where = f", section {printable(section)}" if section else ""
    print(f"CPTs expiring by {last} (within {days} days of {today}) or expired{where}")
    if not found:
        print("none")
        return EXIT_OK
    table = [["ID", "Name", "Section", "Expires", "Points", "Renewal"]]
    for _, _, student, status in found:
        name = ("(dropped) " if student.dropped else "") + student.sort_name
        table.append(
            [
                printable(student.student_id),
                printable(name),
                printable(student.section),
                f"{status.expires_on}" + (" expired" if status.expired else ""),
                str(status.points),
                status.verdict(),
            ]
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    renewable = sum(status.can_renew for *_, status in found)
    print(f"{plural(len(found), 'CPT')}; {renewable} can renew now.")
    return EXIT_OK
