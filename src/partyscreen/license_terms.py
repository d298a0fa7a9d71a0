"""A listing's license requirement and review policy, read into a structured form.

An Entity List entry gives a license requirement ("For all items subject to the EAR. (See
§744.11 of the EAR)") and a license review policy ("Case-by-case review for ECCNs 1A004.c, ...;
presumption of denial for all other items subject to the EAR."). :func:`parse_requirement` and
:func:`parse_policy` read the phrasings the list uses into :class:`RequirementTerms` and
:class:`PolicyTerms`. The listed text is kept beside them and stays authoritative: what the
parser does not recognise is kept as text (``unparsed``, status ``partial``), and a text it
cannot read at all has status ``unknown`` and every structured field ``unknown``. The parser
never guesses.

:func:`item_policy` applies the terms to one item classification (``EAR99`` or an ECCN): whether
the listed requirement covers it and which review policy the listed text gives for it, with the
carve-outs that might apply instead depending on what the item is ("items necessary to detect,
identify and treat infectious disease"), which only a reviewer can tell.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import attrs

__all__ = [
    "DERIVED_NOTE",
    "POLICIES",
    "SCOPE_ALL",
    "SCOPE_NAMED",
    "UNKNOWN",
    "ItemPolicy",
    "ItemSet",
    "PolicyRule",
    "PolicyTerms",
    "RequirementTerms",
    "covers",
    "item_policy",
    "normalize_classification",
    "parse_policy",
    "parse_requirement",
]

#: Every structured field the parser could not read holds this.
UNKNOWN = "unknown"

#: How much of a listed text the parser read: all of it, some of it (the rest is in
#: ``unparsed``), or nothing it could rely on.
PARSED, PARTIAL = "parsed", "partial"

#: Requirement scopes: every item subject to the EAR, or only the items the text names.
SCOPE_ALL = "all items subject to the EAR"
SCOPE_NAMED = "named items"

#: Review policies, as the lists word them (15 CFR 744.11, 744.21, 746.8): "policy of denial"
#: (Russia and Belarus military end users) is stricter than "presumption of denial" and is kept
#: apart from it.
POLICIES = ("presumption of denial", "policy of denial", "case-by-case", "presumption of approval")

#: Item-set kinds a policy rule names: every item, every item no other rule names, named ECCNs,
#: every item on the Commerce Control List, EAR99 items, or items described in words.
ITEM_KINDS = ("all", "other", "eccns", "ccl", "ear99", "described")

#: Said wherever a policy is applied to an item.
DERIVED_NOTE = (
    "derived by partyscreen from the listed license requirement and policy text; the listed "
    "text is authoritative and this is not a licensing determination"
)

#: An ECCN: category digit, product group letter (Y for the 0Y521 series), three digits, then
#: paragraphs (``1A004.c``, ``5A002.a.1``).
ECCN_RE = re.compile(r"^([0-9])([A-EY])([0-9]{3})((?:\.[A-Za-z0-9]+)*)$", re.IGNORECASE)
EAR99 = "EAR99"

#: Footnote numbers the CSL keeps after "EAR" or a closing parenthesis ("of the EAR2",
#: "EAR)4", "§§ 734.9(e)1", "734.9(g),3"): dropped before parsing, kept in the listed text.
FOOTNOTE_RE = re.compile(r"(?:(?<=EAR)|(?<=\))|(?<=\),))\d\b(?![.\d(])")

#: "§?744.11": a section sign followed by a character lost in conversion.
SECTION_RE = re.compile(r"§\s*\?\s*")

#: A requirement's carve-out: "EXCEPT for X" / "apart from X", to the end of its sentence.
CARVE_OUT_RE = re.compile(
    r",?\s*\b(?:EXCEPT\s+for|except\s+for|apart\s+from)\s+(?P<what>.+?)(?:\.(?=\s+[A-Z(])|\.?\s*$)"
)

#: "(See §§ 734.9(e) and 744.11 of the EAR)": a parenthesised reference, one level of nested
#: parentheses allowed.
PAREN_SEE_RE = re.compile(r"\(\s*see\s+(?P<ref>[^()]*(?:\([^()]*\)[^()]*)*)\)\.?", re.IGNORECASE)

#: ", see §§ 734.9(e) and 744.11 of the EAR": an unparenthesised reference.
BARE_SEE_RE = re.compile(
    r"[,.]?\s*\bsee\s+(?P<ref>§.*?\bof\s+(?:the\s+EAR|this\s+part))\.?", re.IGNORECASE
)

#: The head of a requirement: what it applies to.
REQUIREMENT_HEAD_RE = re.compile(
    r"^(?:for\s+)?(?P<which>all\s+items|any\s+item)\s+subject\s+to\s+the\s+EAR\b", re.IGNORECASE
)
LISTED_IN_RE = re.compile(r"^\s*(?P<items>listed\s+in\s+.+?)(?=\s+when\b|[,;]|\.?\s*$)", re.I)
WHEN_RE = re.compile(r"^\s*,?\s*(?P<condition>when\s+.+?)\.?\s*$", re.IGNORECASE)

#: Clause breaks of a policy text: semicolons and sentence ends.
CLAUSE_BREAK_RE = re.compile(r";\s*|\.\s+(?=[A-Z(])")
POLICY_HEAD_RE = re.compile(
    r"^(?:and\s+)?(?P<policy>presumption\s+of\s+denial|presumption\s+of\s+approval"
    r"|policy\s+of\s+denial|case-by-case(?:\s+(?:review|basis))?)\b",
    re.IGNORECASE,
)
POLICY_FOR_RE = re.compile(r"^for\s+(?P<items>.+)$", re.IGNORECASE)
#: "all items subject to the EAR apart from X, which will be reviewed on a case-by-case basis".
POLICY_APART_RE = re.compile(
    r"^(?P<main>.+?)\s+apart\s+from\s+(?P<carve>.+?),\s*which\s+will\s+be\s+reviewed\s+on\s+a\s+"
    r"case-by-case\s+basis$",
    re.IGNORECASE,
)
#: "..., and for X": a second item set under the same policy.
AND_FOR_RE = re.compile(r",?\s+and\s+for\s+", re.IGNORECASE)
SEE_CLAUSE_RE = re.compile(r"^see\s+(?P<ref>.+)$", re.IGNORECASE)
SPECIFIED_IN_RE = re.compile(r"\bis\s+specified\s+in\s+(?P<ref>§.+)$", re.IGNORECASE)

ALL_ITEMS_RE = re.compile(r"^all\s+items\s+subject\s+to\s+the\s+EAR$", re.IGNORECASE)
OTHER_ITEMS_RE = re.compile(r"^all\s+other\s+items\s+subject\s+to\s+the\s+EAR$", re.IGNORECASE)
CCL_RE = re.compile(r"^(?:all\s+)?items\s+(?:listed\s+)?on\s+the\s+CCL$", re.IGNORECASE)
EAR99_RE = re.compile(r"^EAR99(?:\s+items)?$", re.IGNORECASE)
ECCNS_RE = re.compile(r"^ECCNs?\s+(?P<list>.+)$", re.IGNORECASE)
LIST_SPLIT_RE = re.compile(r",\s*(?:and\s+)?|\s+and\s+")
EAR99_WORD_RE = re.compile(r"\bEAR99\b", re.IGNORECASE)


def normalize_classification(text: str) -> str:
    """``EAR99`` or an ECCN in its usual case (``1a004.C`` -> ``1A004.c``), else ValueError."""
    compact = "".join(str(text).split())
    if compact.upper() == EAR99:
        return EAR99
    match = ECCN_RE.match(compact)
    if match is None:
        msg = f"{text!r} is neither EAR99 nor an ECCN like 1A004.c"
        raise ValueError(msg)
    return f"{match[1]}{match[2].upper()}{match[3]}{match[4].lower()}"


def covers(named: str, item: str) -> bool | None:
    """Whether a named classification covers an item's: True when the item is it or one of its
    paragraphs (``1A004`` covers ``1A004.c``), None when the named one is a paragraph of the
    item's (``1A004.c`` of an item classed ``1A004``: it depends on the paragraph), else False.
    """
    named, item = named.casefold(), item.casefold()
    if item == named or item.startswith(named + "."):
        return True
    if named.startswith(item + ".") and item != EAR99.casefold():
        return None
    return False


@attrs.frozen
class RequirementTerms:
    """A license requirement: its listed text and what it applies to."""

    text: str
    status: str
    scope: str = UNKNOWN
    items: str = ""
    conditions: tuple[str, ...] = ()
    carve_outs: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    unparsed: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "scope": self.scope,
            "items": self.items or None,
            "conditions": list(self.conditions),
            "carve_outs": list(self.carve_outs),
            "references": list(self.references),
            "unparsed": list(self.unparsed),
        }


@attrs.frozen
class ItemSet:
    """The items a policy rule names, with the words the list uses for them."""

    kind: str
    text: str
    eccns: tuple[str, ...] = ()

    @property
    def ear99_only(self) -> bool:
        """True for a described set of EAR99 items ("food and medicine designated as EAR99")."""
        return self.kind == "described" and EAR99_WORD_RE.search(self.text) is not None

    def contains(self, item: str) -> bool | None:
        """Whether an item (``EAR99`` or an ECCN) is in the set; None when it depends."""
        ear99 = item == EAR99
        if self.kind in ("all", "other"):
            return True
        if self.kind == "ccl":
            return not ear99
        if self.kind == "ear99":
            return ear99
        if self.kind == "eccns":
            if ear99:
                return False
            found = [covers(eccn, item) for eccn in self.eccns]
            return True if True in found else (None if None in found else False)
        return False if (self.ear99_only and not ear99) else None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "text": self.text}
        if self.kind == "eccns":
            data["eccns"] = list(self.eccns)
        return data


@attrs.frozen
class PolicyRule:
    """One review policy for one set of items."""

    policy: str
    items: ItemSet

    def to_dict(self) -> dict[str, Any]:
        return {"policy": self.policy, "items": self.items.to_dict()}


@attrs.frozen
class PolicyTerms:
    """A license review policy: its listed text and its rules, carve-outs first."""

    text: str
    status: str
    rules: tuple[PolicyRule, ...] = ()
    references: tuple[str, ...] = ()
    unparsed: tuple[str, ...] = ()

    @property
    def default(self) -> str | None:
        """The policy for items no carve-out names; None when the text gives none for them."""
        if self.status == UNKNOWN:
            return UNKNOWN
        general = [r.policy for r in self.rules if r.items.kind in ("all", "other")]
        return general[-1] if general else None

    @property
    def carve_outs(self) -> tuple[PolicyRule, ...]:
        return tuple(r for r in self.rules if r.items.kind not in ("all", "other"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "default": self.default,
            "carve_outs": [r.to_dict() for r in self.carve_outs],
            "references": list(self.references),
            "unparsed": list(self.unparsed),
        }


@attrs.frozen
class ItemPolicy:
    """What the listed terms say for one item: derived, never a determination."""

    item: str
    licence_required: str
    requirement_notes: tuple[str, ...]
    policy: str
    rule: str
    unless: tuple[PolicyRule, ...]
    references: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "licence_required": self.licence_required,
            "requirement_notes": list(self.requirement_notes),
            "policy": self.policy,
            "rule": self.rule,
            "unless": [r.to_dict() for r in self.unless],
            "references": list(self.references),
            "basis": DERIVED_NOTE,
        }


# --------------------------------------------------------------------------------------------
# Parsing


def _clean(text: str) -> str:
    text = SECTION_RE.sub("§", " ".join(str(text).split()))
    return FOOTNOTE_RE.sub("", text)


def _tidy(text: str) -> str:
    return " ".join(text.split()).strip(" ,;.")


@lru_cache(maxsize=256)
def parse_requirement(text: str) -> RequirementTerms:
    """Read a listed license requirement; never raises, never guesses."""
    rest = _clean(text)
    carve_outs = tuple(_tidy(m["what"]) for m in CARVE_OUT_RE.finditer(rest))
    rest = CARVE_OUT_RE.sub(" ", rest)
    references: list[str] = []
    for pattern in (PAREN_SEE_RE, BARE_SEE_RE):
        references.extend(_tidy(m["ref"]) for m in pattern.finditer(rest))
        rest = pattern.sub(" ", rest)
    rest = " ".join(rest.split())
    head = REQUIREMENT_HEAD_RE.match(rest)
    if head is None:
        leftover = (_tidy(rest),) if _tidy(rest) else ()
        return RequirementTerms(text=text, status=UNKNOWN, unparsed=leftover)
    tail = rest[head.end() :]
    scope, items = SCOPE_ALL, ""
    listed = LISTED_IN_RE.match(tail)
    if head["which"].casefold().startswith("any") and listed is not None:
        scope, items, tail = SCOPE_NAMED, _tidy(listed["items"]), tail[listed.end() :]
    elif head["which"].casefold().startswith("any"):
        return RequirementTerms(text=text, status=UNKNOWN, unparsed=(_tidy(rest),))
    conditions: tuple[str, ...] = ()
    when = WHEN_RE.match(tail)
    if when is not None:
        conditions, tail = (_tidy(when["condition"]),), ""
    unparsed = tuple(p for p in (_tidy(s) for s in CLAUSE_BREAK_RE.split(tail)) if p)
    return RequirementTerms(
        text=text,
        status=PARTIAL if unparsed else PARSED,
        scope=scope,
        items=items,
        conditions=conditions,
        carve_outs=carve_outs,
        references=tuple(references),
        unparsed=unparsed,
    )


def _item_set(text: str) -> ItemSet:
    text = _tidy(text)
    if ALL_ITEMS_RE.match(text):
        return ItemSet("all", text)
    if OTHER_ITEMS_RE.match(text):
        return ItemSet("other", text)
    if CCL_RE.match(text):
        return ItemSet("ccl", text)
    if EAR99_RE.match(text):
        return ItemSet("ear99", text)
    named = ECCNS_RE.match(text)
    if named is not None:
        parts = [p.strip() for p in LIST_SPLIT_RE.split(named["list"]) if p.strip()]
        try:
            return ItemSet("eccns", text, tuple(normalize_classification(p) for p in parts))
        except ValueError:
            pass
    return ItemSet("described", text)


def _policy_rules(clause: str) -> list[PolicyRule] | None:
    head = POLICY_HEAD_RE.match(clause)
    if head is None:
        return None
    policy = " ".join(head["policy"].casefold().split())
    policy = "case-by-case" if policy.startswith("case-by-case") else policy
    rest = clause[head.end() :].strip()
    if not rest:
        return [PolicyRule(policy, ItemSet("all", ""))]
    wanted = POLICY_FOR_RE.match(rest)
    if wanted is None:
        return None
    items = wanted["items"]
    apart = POLICY_APART_RE.match(items)
    if apart is not None:
        carve = PolicyRule("case-by-case", _item_set(apart["carve"]))
        return [carve, PolicyRule(policy, ItemSet("other", _tidy(items)))]
    return [PolicyRule(policy, _item_set(part)) for part in AND_FOR_RE.split(items)]


@lru_cache(maxsize=256)
def parse_policy(text: str) -> PolicyTerms:
    """Read a listed license review policy; never raises, never guesses."""
    rules: list[PolicyRule] = []
    references: list[str] = []
    unparsed: list[str] = []
    for raw in CLAUSE_BREAK_RE.split(_clean(text)):
        clause = _tidy(raw)
        if not clause:
            continue
        see = SEE_CLAUSE_RE.match(clause)
        specified = SPECIFIED_IN_RE.search(clause)
        found = _policy_rules(clause)
        if found is not None:
            rules.extend(found)
        elif see is not None:
            references.append(_tidy(see["ref"]))
        elif specified is not None:
            references.append(_tidy(specified["ref"]))
        else:
            unparsed.append(clause)
    if not rules:
        return PolicyTerms(
            text=text, status=UNKNOWN, references=tuple(references), unparsed=tuple(unparsed)
        )
    # Carve-outs before the general rules, each group in listed order.
    ordered = [r for r in rules if r.items.kind not in ("all", "other")]
    ordered += [r for r in rules if r.items.kind in ("all", "other")]
    return PolicyTerms(
        text=text,
        status=PARTIAL if unparsed else PARSED,
        rules=tuple(ordered),
        references=tuple(references),
        unparsed=tuple(unparsed),
    )


# --------------------------------------------------------------------------------------------
# Applying the terms to one item


def _requirement_for(terms: RequirementTerms) -> tuple[str, tuple[str, ...]]:
    if terms.status == UNKNOWN:
        return UNKNOWN, ("the listed requirement could not be read",)
    notes = [f"only for items {terms.items}"] if terms.scope == SCOPE_NAMED else []
    notes += [f"only {c}" for c in terms.conditions]
    notes += [f"except for {c}" for c in terms.carve_outs]
    notes += [f"not read: {u}" for u in terms.unparsed]
    return ("depends" if notes else "yes"), tuple(notes)


def item_policy(requirement: str, policy: str, item: str) -> ItemPolicy:
    """What the listed requirement and policy texts say for an item classed ``item``.

    ``policy`` is the first rule that certainly applies to the item (carve-outs first, then the
    general rule); ``unless`` lists the carve-outs before it that may apply instead, depending
    on what the item is. ``unknown`` where the text could not be read or names no rule for it.
    """
    item = normalize_classification(item)
    required, notes = _requirement_for(parse_requirement(requirement))
    terms = parse_policy(policy)
    unless: list[PolicyRule] = []
    for rule in terms.rules:
        inside = rule.items.contains(item)
        if inside is None:
            unless.append(rule)
        elif inside:
            return ItemPolicy(
                item=item,
                licence_required=required,
                requirement_notes=notes,
                policy=rule.policy,
                rule=rule.items.text or "all items",
                unless=tuple(unless),
                references=terms.references,
            )
    return ItemPolicy(
        item=item,
        licence_required=required,
        requirement_notes=notes,
        policy=UNKNOWN,
        rule="",
        unless=tuple(unless),
        references=terms.references,
    )
