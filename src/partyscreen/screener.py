"""The screener: lists in, an index built once, ``screen(name)`` out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from os import PathLike

from partyscreen._version import __version__
from partyscreen.errors import EmptyNameError
from partyscreen.index import NameIndex
from partyscreen.model import ListedEntity, ScreeningList
from partyscreen.normalize import normalize_name
from partyscreen.result import Match, ScreeningResult
from partyscreen.scoring import score_alignment
from partyscreen.settings import DEFAULT_LIMIT, MatchSettings

__all__ = ["Screener", "parse_day"]


def parse_day(value: date | str | None) -> date:
    """A screening date: a ``date``, an ISO ``YYYY-MM-DD`` string, or None for today."""
    if value is None:
        return date.today()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        msg = f"as_of must be a date like 2016-06-01, not {value!r}"
        raise ValueError(msg) from exc


class Screener:
    """Screens names against one or more loaded lists.

    Build it once (the index is built here) and call :meth:`screen` as often as needed; it is
    safe to share between threads.
    """

    def __init__(
        self, lists: Iterable[ScreeningList], *, settings: MatchSettings | None = None
    ) -> None:
        self.lists: tuple[ScreeningList, ...] = tuple(lists)
        self.settings = settings or MatchSettings()
        self.entities: tuple[ListedEntity, ...] = tuple(e for sl in self.lists for e in sl.entities)
        # One index entry per distinct normalised name of each entity.
        entries: list[tuple[int, str, str]] = []
        token_names: list[tuple[str, ...]] = []
        for number, entity in enumerate(self.entities):
            seen: set[tuple[str, ...]] = set()
            named = [(entity.name, "primary"), *((a.name, a.kind) for a in entity.aliases)]
            for text, kind in named:
                tokens = normalize_name(text).tokens
                if tokens and tokens not in seen:
                    seen.add(tokens)
                    entries.append((number, text, kind))
                    token_names.append(tokens)
        self._entries = tuple(entries)
        self.index = NameIndex(token_names)

    @classmethod
    def from_paths(
        cls, paths: Iterable[str | PathLike[str]], *, settings: MatchSettings | None = None
    ) -> Screener:
        """A screener over list files: our TOML format, or the official formats we read."""
        from partyscreen.loaders import load_path

        return cls([load_path(p) for p in paths], settings=settings)

    def screen(
        self,
        name: str,
        /,
        *,
        threshold: float | None = None,
        limit: int | None = DEFAULT_LIMIT,
        as_of: date | str | None = None,
        lists: Sequence[str] | None = None,
    ) -> ScreeningResult:
        """Screen one name.

        ``threshold`` replaces the review threshold; ``limit`` caps the matches listed (None:
        all); ``as_of`` screens against the entries listed on that date; ``lists`` keeps only
        entities whose list code or list name is given (``["EL"]``: the Entity List alone).
        """
        settings = self.settings.with_threshold(threshold)
        day = parse_day(as_of)
        query = normalize_name(name)
        if not query:
            msg = f"nothing to screen in {name!r}: it is empty after normalisation"
            raise EmptyNameError(msg)
        wanted = {x.casefold() for x in lists} if lists else None
        best: dict[int, Match] = {}
        for number, alignments in self.index.candidates(query.tokens).items():
            tokens = self.index.names[number]
            detail = score_alignment(
                query.tokens,
                tokens,
                alignments,
                self.index.weights,
                name_weights=self.index.name_weights[number],
            )
            if detail.score < settings.review_threshold:
                continue
            entity_number, text, kind = self._entries[number]
            entity = self.entities[entity_number]
            if not entity.is_listed_on(day):
                continue
            if wanted and not {entity.list_code.casefold(), entity.list_name.casefold()} & wanted:
                continue
            previous = best.get(entity_number)
            if previous is None or detail.score > previous.score:
                best[entity_number] = Match(
                    entity=entity,
                    matched_name=text,
                    matched_name_kind=kind,
                    score=detail.score,
                    decision=settings.decide(detail.score),
                    normalized_query=query.text,
                    normalized_name=" ".join(tokens),
                    detail=detail,
                )
        ranked = sorted(best.values(), key=lambda m: (-m.score, m.entity.name, m.entity.id))
        if limit is not None:
            ranked = ranked[:limit]
        return ScreeningResult(
            query=name,
            decision=ranked[0].decision if ranked else "clear",
            matches=tuple(ranked),
            as_of=day,
            lists=self.lists,
            settings=settings.to_dict(),
            version=__version__,
        )
