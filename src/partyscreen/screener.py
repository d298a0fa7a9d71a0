"""The screener: lists in, an index built once, ``screen(name)`` out."""

from __future__ import annotations

import copy
import functools
import gc
import typing
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from os import PathLike

import attrs
from rapidfuzz import fuzz

from partyscreen._version import __version__
from partyscreen.errors import EmptyNameError, OptionError
from partyscreen.index import NameIndex
from partyscreen.licencefile import Licences, load_licences
from partyscreen.licensing import Deal, assess
from partyscreen.model import ListedEntity, RecordFile, ScreeningList
from partyscreen.normalize import (
    NormalizedName,
    normalize_name,
    query_readings,
    without_short_groups,
)
from partyscreen.result import Match, ScreeningResult
from partyscreen.scoring import score_alignment
from partyscreen.settings import (
    DEFAULT_LIMIT,
    ORG_VS_INDIVIDUAL,
    WITHOUT_SHORT_GROUP,
    MatchSettings,
)
from partyscreen.suppression import Decisions, load_decisions
from partyscreen.weights import TokenWeights

__all__ = ["Screener", "parse_day"]

#: Scores closer than this are equal. One name's words weighed in another order ("LAST,
#: First" and "First LAST") sum to scores a rounding apart; without it, which of an entity's
#: equal names was reported, and which of two entities came first, turned on the last bit.
SCORE_TIE = 1e-9


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the index is built. A build creates
    millions of objects that all live on, and the collector, counting allocations, walks them
    again and again for nothing: about a third of the build of the 30,000-name list (2.7 s
    against 1.8 s). Reference counting still frees what the build drops; the collector is
    restored as it was found."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_day(value: date | str | None) -> date:
    """A screening date: a ``date``, an ISO ``YYYY-MM-DD`` string, or None for today."""
    if value is None:
        return date.today()
    if isinstance(value, datetime):  # (a date too, but not comparable with one)
        return value.date()
    if isinstance(value, date):
        return value
    msg = f"as_of must be a date, or a string like 2016-06-01, not {value!r}"
    if not isinstance(value, str):
        raise OptionError(msg)
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise OptionError(msg) from exc


@functools.lru_cache(maxsize=64)
def _frozen_settings(settings: MatchSettings) -> tuple[tuple[str, typing.Any], ...]:
    return tuple(settings.to_dict().items())


def _settings_dict(settings: MatchSettings) -> dict[str, typing.Any]:
    """``settings.to_dict()``, built once per settings (each result gets its own copy)."""
    return dict(_frozen_settings(settings))


class Screener:
    """Screens names against one or more loaded lists.

    Build it once (the index is built here) and call :meth:`screen` as often as needed; it is
    safe to share between threads. ``licences`` are the user's licences on record
    (:func:`partyscreen.licencefile.load_licences`), ``decisions`` the reviewed false positives
    (:func:`partyscreen.suppression.load_decisions`).
    """

    def __init__(
        self,
        lists: Iterable[ScreeningList],
        *,
        settings: MatchSettings | None = None,
        licences: Licences | None = None,
        decisions: Decisions | None = None,
    ) -> None:
        self.lists: tuple[ScreeningList, ...] = tuple(lists)
        self.settings = settings or MatchSettings()
        self.licences = licences or Licences()
        self.decisions = decisions
        #: (list code, id) keys matches are restricted to (see :meth:`restricted_to`), and why.
        self._only: frozenset[tuple[str, str]] | None = None
        self.restriction: str | None = None
        with _collector_paused():
            self.entities: tuple[ListedEntity, ...] = tuple(
                e for sl in self.lists for e in sl.entities
            )
            # One index entry per distinct normalised name of each entity. List names are
            # normalised past normalize_name's cache, which is for queries: 36,000 list
            # names would fill half of it, and every full garbage collection walks what it
            # holds (82 ms against 57 ms on the CSL sample + SDN + embedded list). A name
            # that recurs (13% of that list's 42,281) is normalised once all the same.
            normalize = normalize_name.__wrapped__
            read: dict[str, tuple[str, ...]] = {}
            forms_of: dict[str, tuple[str, ...]] = {}  # the legal forms each name drops
            entries: list[tuple[int, str, str]] = []
            bare_entries: list[int] = []
            token_names: list[tuple[str, ...]] = []
            for number, entity in enumerate(self.entities):
                seen: set[tuple[str, ...]] = set()
                named = [(entity.name, "primary"), *((a.name, a.kind) for a in entity.aliases)]
                for text, kind in named:
                    tokens = read.get(text)
                    if tokens is None:
                        normalized = normalize(text)
                        tokens = read[text] = normalized.tokens
                        if normalized.legal_forms:
                            forms_of[text] = normalized.legal_forms
                    if tokens and tokens not in seen:
                        seen.add(tokens)
                        entries.append((number, text, kind))
                        token_names.append(tokens)
                # A listed name is also read without a short word in parentheses, as a query
                # is ("Beijing Aerospace Automatic Control Institute (BICD)"), after the
                # entity's own names so that a tie goes to those; scored as such a reading.
                for text, kind in named:
                    bare = without_short_groups(text)
                    if bare is None:
                        continue
                    tokens = normalize(bare).tokens
                    if tokens and tokens not in seen:
                        seen.add(tokens)
                        bare_entries.append(len(entries))
                        entries.append((number, text, kind))
                        token_names.append(tokens)
            self._entries = tuple(entries)
            #: The words read as legal forms in each entry of an individual's name that has
            #: any ("KHUN SA", "PAO YU LIANG", "MUJEL, A.S."): a query carrying only those is
            #: that name, not a company's (see _score_reading).
            self._person_forms: dict[int, frozenset[str]] = {
                number: frozenset(forms_of[text])
                for number, (entity_number, text, _) in enumerate(entries)
                if text in forms_of and self.entities[entity_number].entity_type == "individual"
            }
            #: All of those words, for callers that cache results by normalised name.
            self.person_legal_forms: frozenset[str] = frozenset().union(
                *self._person_forms.values()
            )
            #: Entries that read a listed name without a short parenthesised word.
            self._bare_entries = frozenset(bare_entries)
            # Tokens weigh by the names as listed: a second reading of a name is not another.
            listed = (t for n, t in enumerate(token_names) if n not in self._bare_entries)
            weights = TokenWeights.from_token_sets(listed)
            self.index = NameIndex(token_names, token_weights=weights)
        #: The list codes and names ``lists=`` may give, case-folded.
        self._list_keys = frozenset(
            key.casefold()
            for sl in self.lists
            for e in sl.entities
            for key in (e.list_code, e.list_name)
            if key
        )

    @classmethod
    def from_paths(
        cls,
        paths: Iterable[str | PathLike[str]],
        *,
        settings: MatchSettings | None = None,
        licence_paths: Iterable[str | PathLike[str]] = (),
        decisions_path: str | PathLike[str] | None = None,
    ) -> Screener:
        """A screener over list files: our TOML format, or the official formats we read;
        with the user's licences files and decisions file, if given."""
        from partyscreen.loaders import load_path

        return cls(
            [load_path(p) for p in paths],
            settings=settings,
            licences=load_licences(licence_paths),
            decisions=load_decisions(decisions_path) if decisions_path is not None else None,
        )

    def with_records(
        self, *, licences: Licences | None = None, decisions: Decisions | None = None
    ) -> Screener:
        """This screener (same lists and index, not rebuilt) with other licences or decisions."""
        other = copy.copy(self)
        other.licences = licences if licences is not None else self.licences
        other.decisions = decisions if decisions is not None else self.decisions
        return other

    def restricted_to(self, keys: Iterable[tuple[str, str]], *, reason: str = "") -> Screener:
        """This screener, reporting only matches with entities whose (list code, id) is in
        ``keys`` (e.g. :func:`partyscreen.diff.changed_entity_keys`).

        Scores are those of the full lists (the index and token weights are shared, not
        rebuilt); every result says it was restricted (``restricted_to``).
        """
        other = copy.copy(self)
        other._only = frozenset(keys)
        total = len(self.entities)
        kept = sum((e.list_code, e.id) in other._only for e in self.entities)
        note = f"{kept} of {total} entities"
        other.restriction = f"{note}: {reason}" if reason else note
        return other

    @property
    def record_files(self) -> tuple[RecordFile, ...]:
        """The licences and decisions files in use, for the audit trail."""
        decisions = self.decisions.files if self.decisions is not None else ()
        return self.licences.files + decisions

    @typing.overload
    def screen_many(
        self,
        names: Iterable[str],
        /,
        *,
        workers: int | None = ...,
        errors: typing.Literal["raise"] = ...,
        **screen_kwargs: typing.Any,
    ) -> list[ScreeningResult]: ...

    @typing.overload
    def screen_many(
        self,
        names: Iterable[str],
        /,
        *,
        workers: int | None = ...,
        errors: typing.Literal["return"],
        **screen_kwargs: typing.Any,
    ) -> list[ScreeningResult | EmptyNameError]: ...

    def screen_many(
        self,
        names: Iterable[str],
        /,
        *,
        workers: int | None = None,
        errors: typing.Literal["raise", "return"] = "raise",
        **screen_kwargs: typing.Any,
    ) -> list[ScreeningResult] | list[ScreeningResult | EmptyNameError]:
        """Screen many names with the same options; one result per name, in order.

        ``screen_kwargs`` are :meth:`screen`'s options. Each distinct normalised name is
        screened once (bounded cache; ``cache_size=`` sets its size); ``workers=N`` screens in
        N processes. A name that cannot be screened raises :class:`EmptyNameError` naming its
        position (``errors="raise"``) or stands as that exception in the list
        (``errors="return"``). See :mod:`partyscreen.bulk`.
        """
        from partyscreen.bulk import screen_many

        return screen_many(self, names, workers=workers, errors=errors, **screen_kwargs)

    def wanted_lists(self, lists: Sequence[str] | None) -> set[str] | None:
        """``lists`` as :meth:`screen` takes it, case-folded (None or empty: every list).

        Raises :class:`OptionError` for a bare string (``"EL"`` would be read as its letters)
        and for a code or name that none of the lists uses: a misspelt filter would otherwise
        leave nothing to match, and every name would be reported clear.
        """
        if not lists:
            return None
        if isinstance(lists, str):
            msg = (
                f"lists takes a sequence of list codes or names, such as [{lists!r}], not a string"
            )
            raise OptionError(msg)
        wanted = {x.casefold() for x in lists}
        unknown = sorted({x for x in lists if x.casefold() not in self._list_keys})
        if unknown:
            codes = sorted({e.list_code for sl in self.lists for e in sl.entities if e.list_code})
            msg = (
                f"no list has the code or name {', '.join(map(repr, unknown))}; "
                f"the lists loaded have the codes {', '.join(codes) or '(none)'}"
            )
            raise OptionError(msg)
        return wanted

    def screen(
        self,
        name: str,
        /,
        *,
        threshold: float | None = None,
        limit: int | None = DEFAULT_LIMIT,
        as_of: date | str | None = None,
        lists: Sequence[str] | None = None,
        deal: Deal | None = None,
    ) -> ScreeningResult:
        """Screen one name.

        ``threshold`` replaces the review threshold; ``limit`` caps the matches listed (None:
        all; suppressed matches are always listed and not counted); ``as_of`` screens against
        the entries listed on that date (default: the deal's date, else today); ``lists`` keeps
        only entities whose list code or list name is given (``["EL"]``: the Entity List
        alone); ``deal`` (item classification, purpose, date) is checked against the licences
        on record for each match.
        """
        settings = self.settings.with_threshold(threshold)
        if limit is not None and (
            isinstance(limit, bool) or not isinstance(limit, int) or limit < 1
        ):
            # (A limit of 0 would list no match and so report any name clear.)
            msg = f"limit must be a whole number of 1 or more, or None for all, not {limit!r}"
            raise OptionError(msg)
        wanted = self.wanted_lists(lists)
        day = parse_day(as_of if as_of is not None or deal is None else deal.date)
        deal_day = deal.date if deal is not None and deal.date is not None else day
        readings = query_readings(name)
        query = readings[0]
        if not query:
            msg = f"nothing to screen in {name!r}: it is empty after normalisation"
            raise EmptyNameError(msg)
        best: dict[int, Match] = {}
        # A company's name (one with a legal form) is penalised against a person's, by the
        # query as given: a reading without a parenthesised "(Ltd)" is still a company's.
        # (Not against a person whose own name holds every such word: "KHUN SA", "PAO YU".)
        organisation = frozenset(query.legal_forms)
        self._score_reading(query, organisation, settings, day, wanted, best)
        # Other readings drop a word the query gave, so their scores are lowered (and a
        # reading that cannot reach the threshold so lowered is not looked at).
        for reading in readings[1:]:
            self._score_reading(
                reading, organisation, settings, day, wanted, best, factor=WITHOUT_SHORT_GROUP
            )
        # Entities with equal scores go closest spelling first: a query of one listed name
        # reordered or misspelt ranks the entity listed as written above its namesakes.
        ranked = sorted(
            best.values(),
            key=lambda m: (
                -round(m.score / SCORE_TIE),
                -fuzz.ratio(query.text, m.normalized_name),
                m.entity.name,
                m.entity.id,
                m.entity.list_code,
            ),
        )
        matches = (
            self._annotate(ranked, query.text, deal or Deal(), deal_day, limit) if ranked else ()
        )
        raised = [m for m in matches if m.suppressed is None]
        return ScreeningResult(
            query=name,
            decision=raised[0].decision if raised else "clear",
            matches=matches,
            as_of=day,
            lists=self.lists,
            settings=_settings_dict(settings),
            version=__version__,
            deal=deal,
            files=self.record_files,
            restricted_to=self.restriction,
        )

    def _score_reading(
        self,
        query: NormalizedName,
        organisation: frozenset[str],
        settings: MatchSettings,
        day: date,
        wanted: set[str] | None,
        best: dict[int, Match],
        *,
        factor: float = 1.0,
    ) -> None:
        """Score one reading of a query against the index, keeping in ``best`` each entity's
        best match (of this reading or one scored before). A ``factor`` below 1 lowers the
        reading's scores (:data:`~partyscreen.settings.WITHOUT_SHORT_GROUP`)."""
        threshold = settings.review_threshold
        # The index bound is on the score before the factor.
        if threshold > factor:
            return
        query_weights = self.index.weights.weights_of(query.tokens, self.index.weight)
        candidates = self.index.candidates(
            query.tokens, threshold=min(1.0, threshold / factor), query_weights=query_weights
        )
        # In entry order, so that of two names of one entity with the same score the first
        # listed is reported, whatever order the index found them in. (A later reading
        # replaces a match only when it scores higher.)
        for number, alignments in sorted(candidates.items()):
            tokens = self.index.names[number]
            entity_number, text, kind = self._entries[number]
            entity = self.entities[entity_number]
            if not entity.is_listed_on(day):
                continue
            if wanted and not {entity.list_code.casefold(), entity.list_name.casefold()} & wanted:
                continue
            if self._only is not None and (entity.list_code, entity.id) not in self._only:
                continue
            name_weights = self.index.name_weights[number]
            options: dict[str, typing.Any] = {
                "name_weights": name_weights,
                "query_weights": query_weights,
                "contained_min_words": 2 if entity.entity_type == "individual" else 1,
            }
            args = (query.tokens, tokens, alignments, self.index.weights)
            # Scored once, with the explanation: the candidates left here mostly pass.
            detail = score_alignment(*args, **options)
            # Each side read without a word it gave says less than it did: a query's
            # "(UK)" against a listed "(Thailand)" is two companies of one family.
            if factor != 1.0:
                detail = detail.penalised("query_without_short_group", factor)
            if number in self._bare_entries:
                detail = detail.penalised("name_without_short_group", WITHOUT_SHORT_GROUP)
            if (
                organisation
                and entity.entity_type == "individual"
                and not organisation <= self._person_forms.get(number, frozenset())
            ):
                detail = detail.penalised("organisation_vs_individual", ORG_VS_INDIVIDUAL)
            if detail.score < threshold:
                continue
            previous = best.get(entity_number)
            if previous is None or detail.score > previous.score + SCORE_TIE:
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

    def _annotate(
        self, ranked: Sequence[Match], normalized: str, deal: Deal, day: date, limit: int | None
    ) -> tuple[Match, ...]:
        """Reviews, licences and coverage on each match, best first. ``limit`` counts the
        matches raised; suppressed ones are all kept (never silently dropped)."""
        kept: list[Match] = []
        raised = 0
        for match in ranked:
            if self.decisions is None and limit is not None and raised >= limit:
                break
            suppressed, lapsed = (
                self.decisions.review_of(normalized, match.entity)
                if self.decisions is not None
                else (None, ())
            )
            if suppressed is None:
                if limit is not None and raised >= limit:
                    continue
                raised += 1
            licences = self.licences.for_entity(match.entity)
            kept.append(
                attrs.evolve(
                    match,
                    suppressed=suppressed,
                    earlier_reviews=lapsed,
                    licences=licences,
                    coverage=assess(match.entity, licences, deal, day),
                )
            )
        return tuple(kept)
