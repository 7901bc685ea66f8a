"""The command line's arguments: every command and option, and argparse's own refusals
shown escaped with the CLI's exit code for a refusal."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn

from . import __version__
from .core.text import printable

EXIT_OK, EXIT_ERROR, EXIT_REFUSED = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse quotes the bad argument in its message: shown escaped, like every message."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_REFUSED, f"{self.prog}: error: {printable(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--db",
        type=Path,
        default=argparse.SUPPRESS,
        help="the roster store (default: $CPT_TUI_DB, else ~/.local/share/cpt-tui/roster.json)",
    )
    common.add_argument(
        "--theme",
        default=argparse.SUPPRESS,
        help="the app's colours, remembered for next time (e.g. high-contrast, textual-light)",
    )
    parser = _Parser(
        prog="cpt-tui",
        parents=[common],
        description="Track MSSC CPT 4.0 students, modules, certificates and fees.",
        epilog="With no command, opens the roster in the terminal app.",
    )
    parser.add_argument("--version", action="version", version=f"cpt-tui {__version__}")

    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("demo", parents=[common], help="open the app on a copy of the demo roster")
    imp = commands.add_parser("import", parents=[common], help="import a roster (or attempts) CSV")
    imp.add_argument("file", type=Path, metavar="FILE.csv")
    imp.add_argument("--attempts", action="store_true", help="the file holds assessment attempts")
    imp.add_argument(
        "--practice",
        action="store_true",
        help="the file holds practice-test scores (attempts layout; never charged, never a pass)",
    )
    imp.add_argument(
        "--diagnostics",
        action="store_true",
        help="the file holds diagnostic reports: student_id,module,date,activity,percent",
    )
    imp.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    exp = commands.add_parser("export", parents=[common], help="export the roster to CSV")
    exp.add_argument(
        "file", nargs="?", metavar="FILE.csv|-", help="default cpt-export-DATE.csv; - for stdout"
    )
    writes = exp.add_mutually_exclusive_group()
    writes.add_argument("--attempts", action="store_true", help="one row per attempt instead")
    writes.add_argument(
        "--diagnostics", action="store_true", help="one row per activity of each diagnostic report"
    )
    exp.add_argument("--no-bom", action="store_true", help="leave out the UTF-8 byte-order mark")
    exp.add_argument("--force", action="store_true", help="overwrite an existing file")
    rep = commands.add_parser("report", parents=[common], help="class standing and fee totals")
    rep.add_argument("--dropped", action="store_true", help="include dropped students")
    rep.add_argument("--section", help="only this section")
    rep.add_argument(
        "--summary", action="store_true", help="leave out the line per student: totals only"
    )
    day = commands.add_parser(
        "testday", parents=[common], help="who may sit which module on a day, and the fees"
    )
    day.add_argument("date", nargs="?", metavar="DATE", help="YYYY-MM-DD (default today)")
    day.add_argument("--section", help="only this section")
    day.add_argument("--dropped", action="store_true", help="include dropped students")
    day.add_argument(
        "--csv", metavar="FILE|-", help="write the list as CSV instead (- for standard output)"
    )
    day.add_argument("--no-bom", action="store_true", help="leave out the UTF-8 byte-order mark")
    day.add_argument("--force", action="store_true", help="overwrite an existing file")
    from .cli_credentials import add_options

    add_options(imp, exp, rep, commands, common)
    rep.add_argument(
        "--diagnostics",
        action="store_true",
        help="each key work activity's class average per module, weakest first",
    )
    log = commands.add_parser("log", parents=[common], help="recent changes from the audit trail")
    log.add_argument("-n", "--count", type=_count, default=20, help="how many (default 20)")
    return parser


def _count(text: str) -> int:
    """`-n`: a whole number, 0 or more (0 prints nothing)."""
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if count < 0:
        raise argparse.ArgumentTypeError(f"{count} is negative: give 0 or more")
    return count
