"""``%use_case``: make a use case current for the cells that follow, or for one cell.

Load it with ``%load_ext ucwidgets``. What is created after ``%use_case Risk`` is linked to the
use case "Risk"; listings and widgets follow it. The magic only sets the current use case of
``ucwidgets.context``; it adds no per-cell hook, so a cell costs the same with or without it.

Examples
--------
::

    %load_ext ucwidgets
    %use_case Financial Risk --create --description "Credit risk models"
    %use_case                      # show the current one
    %use_case --list               # the caller's use cases as a DataFrame
    %use_case --clear

    %%use_case Scratch
    dr.Dataset.create_from_file(file_path="tmp.csv")   # linked to Scratch only
"""

from __future__ import annotations

import os
import re
import shlex
import unicodedata
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments
from traitlets import Bool, Int

from . import context
from .errors import NotFound, UseCaseError

ID_RE = re.compile(r"^[0-9a-f]{24}$")
#: Where the options start: the first of the magic's flags that follows whitespace.
OPTION_RE = re.compile(r"(?:^|\s)(--(?:create|description|clear|list)\b)")


@magics_class
class UseCaseMagics(Magics):
    """The ``%use_case`` line and cell magic; configurable with ``%config UseCaseMagics``."""

    link_notebook = Bool(
        True,
        help="When the kernel runs a notebook under Jupyter Server, register that notebook and "
        "link it to each use case made current.",
    ).tag(config=True)
    completion_limit = Int(
        50, help="How many use case names tab completion asks the service for."
    ).tag(config=True)

    @magic_arguments()
    @argument("name", nargs="*", help="name or id of the use case")
    @argument("--create", action="store_true", help="create the use case when none has that name")
    @argument("--description", default=None, help="description for --create")
    @argument("--clear", action="store_true", help="no current use case from here on")
    @argument("--list", action="store_true", help="return your use cases as a DataFrame")
    @line_cell_magic
    def use_case(self, line: str, cell: str | None = None) -> Any:
        """Set, show or clear the current use case; with a cell body, for that cell only.

        Usage::

            %use_case NAME_OR_ID [--create [--description TEXT]]
            %use_case [--clear | --list]
            %%use_case NAME_OR_ID
        """
        typed_name, options = split_line(line)
        try:
            args = self.use_case.parser.parse_args(shlex.split(options))
        except ValueError as e:
            raise UsageError(f"%use_case: cannot read the arguments {line!r}: {e}") from e
        name = typed_name or " ".join(args.name).strip()
        try:
            return self._run(args, name, cell)
        except UseCaseError as e:
            raise UsageError(f"%use_case: {e}") from e

    def _run(self, args: Any, name: str, cell: str | None) -> Any:
        if args.list:
            from .models.use_cases.use_case import UseCase

            return UseCase.list().to_frame()
        if args.clear:
            context.set_current_use_case(None)
            return None
        if cell is not None:
            if not name:
                raise UsageError("%%use_case needs the name or id of a use case")
            with context.use_case(self._resolve(name, args.create, args.description)):
                result = self.shell.run_cell(cell)
            result.raise_error()
            return None
        if not name:
            current = context.get_current_use_case()
            if current is None:
                print("No current use case. Set one with %use_case NAME.")
                return None
            return current.refresh()  # counts may have changed since it became current
        use_case = self._resolve(name, args.create, args.description)
        context.set_current_use_case(use_case)
        self._link_this_notebook(use_case)
        return use_case

    def _resolve(self, name: str, create: bool, description: str | None) -> Any:
        """The use case with this id or exact name, or a clear ``UsageError``."""
        from .models.use_cases.use_case import UseCase

        if ID_RE.match(name):
            try:
                return UseCase.get(name)
            except NotFound:
                pass  # a name that happens to look like an id
        found = list(UseCase.list(search=name))
        # The exact name first; else the same name up to case and accents, as search matches.
        matches = [uc for uc in found if uc.name == name] or [
            uc for uc in found if fold(uc.name) == fold(name)
        ]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            listed = "\n".join(f"  {uc.id}  {uc.name}" for uc in matches)
            raise UsageError(
                f"{len(matches)} use cases are named {name!r}; give the id instead:\n{listed}"
            )
        if create:
            return UseCase.create(name=name, description=description)
        raise UsageError(f"No use case is named {name!r}. Add --create to create it.")

    def _link_this_notebook(self, use_case: Any) -> None:
        """Register the running notebook (known from Jupyter Server) and link it."""
        path = os.environ.get("JPY_SESSION_NAME")
        if not self.link_notebook or not path or not path.endswith(".ipynb"):
            return
        from .models.notebook import Notebook

        try:
            # Registering the same path again returns the notebook already registered.
            Notebook.create(name=os.path.basename(path), path=path, use_case=use_case)
        except UseCaseError as e:
            # Linking is a convenience: the use case is current either way, so say why and go on.
            print(f"%use_case: this notebook was not linked to {use_case.name!r}: {e}")

    def complete(self, _shell: Any, event: Any) -> list[str]:
        """Tab completion of use case names after ``%use_case``."""
        from .models.use_cases.use_case import UseCase

        typed = event.line.split(None, 1)[1] if " " in event.line else ""
        quote = typed[:1] if typed[:1] in ("'", '"') else ""
        typed = typed[len(quote) :]
        try:
            found = UseCase.list(search=typed, order_by="name", limit=self.completion_limit)
        except UseCaseError:
            return []
        names = [uc.name for uc in found if fold(uc.name).startswith(fold(typed))]
        # IPython replaces only the last word typed, so offer what follows the earlier words;
        # after an opening quote, the rest of the name with its closing quote.
        done = typed[: len(typed) - len(event.symbol)]
        rests = [n[len(done) :] for n in names if n.startswith(done)]
        if quote:
            return [close_quote(rest, quote) for rest in rests]
        return [quote_if_needed(rest) if not done else rest for rest in rests]


def fold(value: str) -> str:
    """A name as search compares it: case-folded, accents and other combining marks removed
    (NFKD), so ``Île`` and ``ile`` are the same."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def split_line(line: str) -> tuple[str, str]:
    """The name typed before the first option, and the options.

    The name is taken as typed, so an apostrophe (``Bob's scratchpad``) needs no quotes; a name
    in matching quotes loses them (``"--create"`` names a use case ``--create``).

    >>> split_line("Bob's scratchpad --create")
    ("Bob's scratchpad", '--create')
    >>> split_line('"Risk --list" --description "a b"')
    ('Risk --list', '--description "a b"')
    """
    rest = line.strip()
    if rest[:1] in ("'", '"'):
        try:
            lexer = shlex.shlex(rest, posix=True)
            lexer.whitespace_split = True
            name = next(iter(lexer))
            return name, rest[len(rest) - len(lexer.instream.read()) :].strip()
        except (ValueError, StopIteration):
            pass  # an unbalanced quote: take the line as typed
    match = OPTION_RE.search(rest)
    if match is None:
        return rest, ""
    return rest[: match.start(1)].strip(), rest[match.start(1) :]


def quote_if_needed(name: str) -> str:
    """``name`` as completion inserts it: quoted when ``%use_case`` would not read it back.

    >>> quote_if_needed("Bob's scratchpad")
    "Bob's scratchpad"
    >>> quote_if_needed("Bob --list")
    "'Bob --list'"
    """
    if split_line(name) == (name, ""):
        return name
    return shlex.quote(name)


def close_quote(rest: str, quote: str) -> str:
    """The rest of a name inside an opened ``quote``, escaped, with the closing quote.

    >>> print(close_quote("Bob's scratchpad", "'"))
    Bob'"'"'s scratchpad'
    """
    if quote == "'":
        return rest.replace("'", "'\"'\"'") + "'"
    return rest.replace("\\", "\\\\").replace('"', '\\"') + '"'


def load_ipython_extension(ipython: Any) -> None:
    """Register the magic (idempotent: ``%reload_ext ucwidgets`` replaces it cleanly)."""
    # A reload brings a new class; drop the old instance so %config sees one UseCaseMagics.
    ipython.configurables[:] = [
        c for c in ipython.configurables if type(c).__name__ != "UseCaseMagics"
    ]
    magics = UseCaseMagics(ipython)  # Magics adds itself to the shell's configurables
    ipython.register_magics(magics)
    ipython.set_hook("complete_command", magics.complete, str_key="%use_case")
    ipython.set_hook("complete_command", magics.complete, str_key="%%use_case")
