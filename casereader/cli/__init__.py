"""The command line (SPEC §9): argparse front end; every command is a thin call into the core.

Exit status: 0 success, 2 usage error, 1 any other failure, with one clear line on standard
error (a traceback only with --debug).
"""

import argparse
import sys
import traceback

from casereader import __version__
from casereader.cli import setup_commands, store_commands
from casereader.cli.common import CommandFailed, plain
from casereader.errors import CaseReaderError, UsageError
from casereader.process_guard import harden_process, secrets_out_of_environment

# Each module adds its sub-commands; bundle and GUI commands live in their own modules.
COMMAND_MODULES = [setup_commands, store_commands]
for _optional in (
    "bundle_commands",
    "gui_commands",
    "report_commands",
    "coordinator_commands",
    "ocr_commands",
    "purge_commands",
):
    try:
        COMMAND_MODULES.append(__import__(f"casereader.cli.{_optional}", fromlist=["register"]))
    except ModuleNotFoundError as _e:
        if _e.name != f"casereader.cli.{_optional}":
            raise


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        """argparse's usage error (exit 2), said in one line that points at --help."""
        sys.stderr.write(f"casereader: {message} (see `{self.prog} --help`)\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="casereader",
        description="Read and grade children's case records for joint inspections (offline).",
    )
    parser.add_argument("--version", action="version", version=f"casereader {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    harden_process()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        # Plain `casereader` opens the desktop app, when it is installed.
        if "gui" in parser._subparsers._group_actions[0].choices:  # noqa: SLF001
            args = parser.parse_args(["gui"])
        else:
            parser.print_help()
            return 2
    try:
        with secrets_out_of_environment():
            return int(args.func(args) or 0)
    except UsageError as e:
        sys.stderr.write(f"casereader: {plain(e)}\n")
        return 2
    except (CaseReaderError, CommandFailed) as e:
        if args.debug:
            traceback.print_exc()
        sys.stderr.write(f"casereader: {plain(e)}\n")
        return 1
    except BrokenPipeError:
        # The reader of our output went away (e.g. `| head`): not an error of ours.
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        sys.stderr.write("casereader: interrupted.\n")
        return 1
    except Exception as e:  # noqa: BLE001 - the one place that turns surprises into a line
        if args.debug:
            traceback.print_exc()
        sys.stderr.write(
            f"casereader: unexpected error: {type(e).__name__}: {plain(e)} (--debug shows more)\n"
        )
        return 1
