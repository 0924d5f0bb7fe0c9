"""The user's alias file: keep names apart or merge them, overriding the automatic merges.

A small UTF-8 text file, one rule per line, two fields separated by a tab (``#`` starts a
comment, blank lines are skipped)::

    Sheriff Lee<TAB>Kerry Lee        # "Sheriff Lee" is the same speaker as "Kerry Lee"
    Trump<TAB>-                      # never merge "Trump" automatically

Names are matched by their deterministic key (titles and case do not matter, see
:func:`newsbrief.corpus.speakers.name_key`); a description, which only names someone inside
its article, is written with its article id: ``police@wikinews-2019-109``. A name the corpus
does not have, a rule that is not two fields, or rules that form a cycle (``A -> B``,
``B -> A``) are an :class:`AliasError` naming the file and line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsbrief.corpus.names import Merge, name_key
from newsbrief.errors import InputError
from newsbrief.quotes.clusters import fold


class AliasError(InputError):
    """An alias file that cannot be applied (its message names the file and line)."""


@dataclass(frozen=True)
class AliasRule:
    """One line of an alias file: ``name`` merged into ``target``, or kept apart (``None``)."""

    line: int
    name: str
    target: str | None


@dataclass(frozen=True)
class Aliases:
    """The rules of an alias file, in order, and where they came from."""

    rules: tuple[AliasRule, ...]
    source: str = "<aliases>"

    @classmethod
    def parse(cls, text: str, source: str = "<aliases>") -> Aliases:
        """Read rules from the text of an alias file.

        Raises:
            AliasError: a line is not ``NAME<TAB>TARGET`` or ``NAME<TAB>-``; or the rules
                form a cycle.
        """
        rules: list[AliasRule] = []
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.split("#", 1)[0].rstrip()
            if not line.strip():
                continue
            fields = [f.strip() for f in line.split("\t")]
            if len(fields) != 2 or not all(fields):
                raise AliasError(
                    f"{source}:{number}: expected NAME<TAB>TARGET (or NAME<TAB>- to keep a "
                    f"name apart), got {raw.strip()!r}"
                )
            name, target = fields
            rules.append(AliasRule(number, name, None if target == "-" else target))
        aliases = cls(tuple(rules), source)
        aliases._check_cycles()
        return aliases

    @classmethod
    def read(cls, path: str | Path) -> Aliases:
        """Read an alias file (see :meth:`parse`); a missing file is an ``AliasError``."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise AliasError(f"{path}: cannot read the alias file ({exc})") from None
        return cls.parse(text, str(path))

    def _check_cycles(self) -> None:
        """Add the rules in file order; the first that closes a cycle is the error."""
        edges: dict[str, str] = {}
        for rule in self.rules:
            if rule.target is None:
                continue
            start, current = alias_key(rule.name), alias_key(rule.target)
            while current != start and current in edges:
                current = edges[current]
            if current == start:
                raise AliasError(
                    f"{self.source}:{rule.line}: {rule.name!r} -> {rule.target!r} closes "
                    "a cycle of aliases; remove one of its rules"
                )
            edges[start] = alias_key(rule.target)

    def _known(self, rule: AliasRule, name: str, keys: Sequence[str] | set[str]) -> str:
        key = alias_key(name)
        if key not in keys:
            raise AliasError(
                f"{self.source}:{rule.line}: unknown speaker {name!r} (no mention in this "
                "corpus has that name; a description needs its article: NAME@ARTICLE_ID)"
            )
        return key

    def apart_keys(self, keys: Sequence[str]) -> set[str]:
        """The keys the file keeps apart (``NAME<TAB>-``).

        Raises:
            AliasError: such a name is not in ``keys``.
        """
        known = set(keys)
        return {self._known(r, r.name, known) for r in self.rules if r.target is None}

    def apply(self, keys: Sequence[str], union: Callable[[str, str], bool]) -> list[Merge]:
        """Merge each ``name`` into its ``target`` with ``union``; the merges, in file order.

        Raises:
            AliasError: a name or target is not in ``keys``.
        """
        known = set(keys)
        merges = []
        for rule in self.rules:
            if rule.target is None:
                continue
            name = self._known(rule, rule.name, known)
            target = self._known(rule, rule.target, known)
            union(name, target)
            merges.append(Merge("alias", name, target, f"{self.source}:{rule.line}"))
        return merges


def alias_key(name: str) -> str:
    """The key a name of an alias file stands for (as the corpus keys its speakers)."""
    if "@" in name:
        text, _, article = name.rpartition("@")
        return f"{' '.join(fold(w) for w in text.split())}@{article.strip()}"
    key, _, _ = name_key(name, "")
    return key
