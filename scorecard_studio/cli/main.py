"""The headless command line: every sub-command lives in its own module.

Each command module exposes ``register(subparsers)``, which adds its parser and sets
``handler`` to a function taking the parsed namespace and returning an exit code. Errors the
user can fix are :class:`~scorecard_studio.domain.errors.ScorecardError`; they end as one line
on stderr and exit code 2, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import cast

from scorecard_studio import __version__
from scorecard_studio.cli.store_location import add_store_url
from scorecard_studio.domain.errors import ScorecardError

#: Command modules, in the order ``--help`` lists them.
_COMMAND_MODULES: tuple[tuple[str, str], ...] = (
    ("score", "scorecard_studio.cli.score_command"),
    ("check", "scorecard_studio.cli.check_command"),
    ("inspect", "scorecard_studio.cli.inspect_command"),
    ("store", "scorecard_studio.cli.store_command"),
    ("export", "scorecard_studio.cli.export_command"),
    ("analyze", "scorecard_studio.cli.analyze_command"),
    ("accounts", "scorecard_studio.cli.accounts_command"),
)

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2


def command_names() -> set[str]:
    """Names of the sub-commands (used by the launcher to tell CLI from window)."""
    return {name for name, _ in _COMMAND_MODULES}


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors follow the one-line, exit-2 rule."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_BAD_INPUT, f"scorecard-studio: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with every command module that is present registered."""
    parser = _Parser(
        prog="scorecard-studio",
        description="Customer balanced scorecards: score, check, import, version and export.",
    )
    parser.add_argument("--version", action="version", version=f"scorecard-studio {__version__}")
    add_store_url(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for _name, module_name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        module.register(sub)
    return parser


def run_cli(argv: Sequence[str]) -> int:
    """Parse ``argv`` and run the chosen command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(list(argv))
    handler = cast(Callable[[argparse.Namespace], int] | None, getattr(args, "handler", None))
    if handler is None:
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        return handler(args)
    except ScorecardError as exc:
        print(f"scorecard-studio: {_one_line(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("scorecard-studio: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``score --json | head``): what it wanted it has; stop
        # quietly, and point stdout at nothing so the interpreter's final flush is quiet too.
        _silence_stdout()
        return EXIT_OK


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor behind stdout
        pass


def _one_line(message: str) -> str:
    return " ".join(message.split())


def main() -> None:
    """Console-script entry for the headless CLI alone."""
    sys.exit(run_cli(sys.argv[1:]))
