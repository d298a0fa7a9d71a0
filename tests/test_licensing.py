"""Licences and exceptions: the structured license terms, deals, licences files and coverage.

The parser is tested on every distinct license requirement and policy text of the real lists
(the embedded list and the CSL files in ``../shared/data/csl``): the tables below must name
every one of them, so that a new phrasing in the data fails here until it is looked at.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partyscreen import Deal, PartyscreenError, Screener, screen
from partyscreen.cli import main
from partyscreen.csl import load_csl
from partyscreen.embedded import default_lists, default_screener
from partyscreen.errors import DealError, LicenceFileError, ListNotFoundError
from partyscreen.licencefile import Licences, load_licences, parse_licences_bytes
from partyscreen.license_terms import (
    POLICIES,
    SCOPE_ALL,
    SCOPE_NAMED,
    UNKNOWN,
    covers,
    item_policy,
    normalize_classification,
    parse_policy,
    parse_requirement,
)
from partyscreen.licensing import overall_coverage
from tests.conftest import shared_path

CSL_FILES = (
    "csl_2023-11-30_sample.csv",
    "csl_2025_cslustest_sample.csv",
    "csl_2025_entity_list_excerpt_huawei_and_84FR54002.csv",
)

POLICY_54002 = (
    "Case-by-case review for ECCNs 1A004.c, 1A004.d, 1A995, 1A999.a, 1D003, 2A983, 2D983, and "
    "2E983, and for EAR99 items described in the Note to ECCN 1A995; case-by-case review for "
    "items necessary to detect, identify and treat infectious disease; and presumption of "
    "denial for all other items subject to the EAR."
)
REQUIREMENT_ALL = "For all items subject to the EAR. (See §744.11 of the EAR)"
RUSSIA_POLICY = (
    "Policy of denial for all items subject to the EAR apart from food and medicine designated "
    "as EAR99, which will be reviewed on a case-by-case basis. See §§ 746.8(b) and 744.21(e)"
)

A = SCOPE_ALL
REF_11 = ("§744.11 of the EAR",)
REF_RUSSIA = ("§§ 734.9(g), 746.8(a)(3), and 744.21(b) of the EAR",)

#: Every distinct requirement text (whitespace collapsed) -> status, scope, number of
#: conditions, number of carve-outs, references, number of unparsed parts.
REQUIREMENTS: dict[str, tuple[str, str, int, int, tuple[str, ...], int]] = {
    "": ("unknown", "unknown", 0, 0, (), 0),
    "All items subject to the EAR, apart from items that are related to transactions that are "
    "authorized by the Department of the Treasury’s Office of Foreign Assets Control pursuant "
    "to General License No. 1B of March 2, 2021. (See §§ 734.9(g),3 746.8(a)(3), and "
    "744.21(b) of the EAR)": ("parsed", A, 0, 1, REF_RUSSIA, 0),
    "All items subject to the EAR. (See §§ 734.9(g),3 746.8(a)(3), and 744.21(b) of the EAR)": (
        "parsed", A, 0, 0, REF_RUSSIA, 0,
    ),
    "For all items subject to the EAR": ("parsed", A, 0, 0, (), 0),
    "For all items subject to the EAR (See §744.11 of the EAR)": ("parsed", A, 0, 0, REF_11, 0),
    "For all items subject to the EAR (See §744.11 of the EAR), apart from items that are "
    "related to transactions that are authorized by the Department of the Treasury's Office of "
    "Foreign Assets Control pursuant to General License No. 11 of December 20, 2016. Russia "
    'does not include the "Crimea region of Ukraine," as that term is defined in section 8(d) '
    "of E.O. 13685.": ("partial", A, 0, 1, REF_11, 1),
    "For all items subject to the EAR (See §744.11 of the EAR).": ("parsed", A, 0, 0, REF_11, 0),
    "For all items subject to the EAR (See §744.2 of the EAR)": (
        "parsed", A, 0, 0, ("§744.2 of the EAR",), 0,
    ),
    "For all items subject to the EAR (See §744.3 of the EAR)": (
        "parsed", A, 0, 0, ("§744.3 of the EAR",), 0,
    ),
    "For all items subject to the EAR when used in projects specified in §746.5 of the EAR": (
        "parsed", A, 1, 0, (), 0,
    ),
    "For all items subject to the EAR when used in projects specified in §746.5 of the EAR.": (
        "parsed", A, 1, 0, (), 0,
    ),
    "For all items subject to the EAR, see §§ 734.9(e)1 and 744.11 of the EAR2": (
        "parsed", A, 0, 0, ("§§ 734.9(e) and 744.11 of the EAR",), 0,
    ),
    "For all items subject to the EAR, see §§ 734.9(e)1, and 744.11 of the EAR2": (
        "parsed", A, 0, 0, ("§§ 734.9(e), and 744.11 of the EAR",), 0,
    ),
    "For all items subject to the EAR, see §§ 736.2(b)(3)(vi), and 744.11 of the EAR, EXCEPT "
    "for technology subject to the EAR that is designated as EAR99, or controlled on the "
    "Commerce Control List for anti-terrorism reasons only, when released to members of a "
    "“standards organization” (see §772.1) for the purpose of contributing to the revision or "
    "development of a “standard” (see §772.1).": (
        "parsed", A, 0, 1, ("§§ 736.2(b)(3)(vi), and 744.11 of the EAR",), 0,
    ),
    "For all items subject to the EAR, with case-by-case basis for items listed on the CCL": (
        "partial", A, 0, 0, (), 1,
    ),
    "For all items subject to the EAR.": ("parsed", A, 0, 0, (), 0),
    "For all items subject to the EAR. (See part§744.11 of the EAR).": (
        "parsed", A, 0, 0, ("part§744.11 of the EAR",), 0,
    ),
    "For all items subject to the EAR. (See §744.11 of the EAR)": ("parsed", A, 0, 0, REF_11, 0),
    "For all items subject to the EAR. (See §744.11 of the EAR).": ("parsed", A, 0, 0, REF_11, 0),
    "For all items subject to the EAR. (See §744.11 of the EAR.)": ("parsed", A, 0, 0, REF_11, 0),
    "For all items subject to the EAR. (See §746.5 of the EAR).": (
        "parsed", A, 0, 0, ("§746.5 of the EAR",), 0,
    ),
    "For all items subject to the EAR. (See §?744.11 of the EAR)": ("parsed", A, 0, 0, REF_11, 0),
    "For all items subject to the EAR. (See §§ 734.9(e) and 744.11 of the EAR)4": (
        "parsed", A, 0, 0, ("§§ 734.9(e) and 744.11 of the EAR",), 0,
    ),
    "For all items subject to the EAR. (See §§ 734.9(g),3 746.8(a)(3), and 744.21(b) of the "
    "EAR)": ("parsed", A, 0, 0, REF_RUSSIA, 0),
    "For any item subject to the EAR listed in supplement no. 2 to part 744.": (
        "parsed", SCOPE_NAMED, 0, 0, (), 0,
    ),
}  # fmt: skip

CBC, DENY, APPROVE, POD = (
    "case-by-case",
    "presumption of denial",
    "presumption of approval",
    ("policy of denial"),
)
REF_746 = ("§§ 746.8(b) and 744.21(e)",)

#: Every distinct policy text -> status, default policy, (policy, item kind) rules, references.
POLICY_TEXTS: dict[str, tuple[str, str | None, tuple[tuple[str, str], ...], tuple[str, ...]]] = {
    "": ("unknown", "unknown", (), ()),
    "Case-by-case basis": ("parsed", CBC, ((CBC, "all"),), ()),
    "Case-by-case basis.": ("parsed", CBC, ((CBC, "all"),), ()),
    "Case-by-case for all items listed on the CCL. Presumption of approval for EAR99 items": (
        "parsed", None, ((CBC, "ccl"), (APPROVE, "ear99")), (),
    ),
    "Case-by-case for all items listed on the CCL. Presumption of approval for EAR99 items.": (
        "parsed", None, ((CBC, "ccl"), (APPROVE, "ear99")), (),
    ),
    POLICY_54002: (
        "parsed", DENY,
        ((CBC, "eccns"), (CBC, "described"), (CBC, "described"), (DENY, "other")), (),
    ),
    "Case-by-case review for ECCNs 1A004.c, 1A004.d, 1A995, 1A999.a, 1D003, 2A983, 2D983, and "
    "2E983, and for EAR99 items described in the note to ECCN 1A995; presumption of denial for "
    "all other items subject to the EAR.": (
        "parsed", DENY, ((CBC, "eccns"), (CBC, "described"), (DENY, "other")), (),
    ),
    RUSSIA_POLICY: ("parsed", POD, ((CBC, "described"), (POD, "other")), REF_746),
    RUSSIA_POLICY + ".": ("parsed", POD, ((CBC, "described"), (POD, "other")), REF_746),
    "Policy of denial. See §§ 746.8(b) and 744.21(e)": ("parsed", POD, ((POD, "all"),), REF_746),
    "Presumption of Denial": ("parsed", DENY, ((DENY, "all"),), ()),
    "Presumption of approval for EAR99 items": ("parsed", None, ((APPROVE, "ear99"),), ()),
    "Presumption of approval for EAR99; case-by-case review for all items on the CCL": (
        "parsed", None, ((APPROVE, "ear99"), (CBC, "ccl")), (),
    ),
    "Presumption of denial": ("parsed", DENY, ((DENY, "all"),), ()),
    "Presumption of denial.": ("parsed", DENY, ((DENY, "all"),), ()),
    "See §744.2(d) of this part": ("unknown", UNKNOWN, (), ("§744.2(d) of this part",)),
    "See §744.3 of this part": ("unknown", UNKNOWN, (), ("§744.3 of this part",)),
    "See §744.3(d) of this part": ("unknown", UNKNOWN, (), ("§744.3(d) of this part",)),
    "See §746.5(b) of the EAR": ("unknown", UNKNOWN, (), ("§746.5(b) of the EAR",)),
    "See §746.5(b) of the EAR.": ("unknown", UNKNOWN, (), ("§746.5(b) of the EAR",)),
    "The license application procedure and license review policy for entities specified in "
    "supplement no. 2 to part 744 is specified in §744.21(d) and (e).": (
        "unknown", UNKNOWN, (), ("§744.21(d) and (e)",),
    ),
}  # fmt: skip


def real_texts() -> tuple[dict[str, str], dict[str, str]]:
    """Every distinct requirement and policy text of the real lists: collapsed -> as listed."""
    requirements: dict[str, str] = {}
    policies: dict[str, str] = {}
    entities = [e for sl in default_lists() for e in sl.entities]
    for name in CSL_FILES:
        entities += load_csl(shared_path("data", "csl", name)).screening_list.entities
    for entity in entities:
        requirements.setdefault(
            " ".join(entity.license.requirement.split()), entity.license.requirement
        )
        policies.setdefault(" ".join(entity.license.policy.split()), entity.license.policy)
    return requirements, policies


# --------------------------------------------------------------------------------------------
# The parser, on every real text


def test_every_real_requirement_text_is_read_as_expected() -> None:
    requirements, _ = real_texts()
    assert set(requirements) == set(REQUIREMENTS)
    for collapsed, listed in requirements.items():
        terms = parse_requirement(listed)
        status, scope, conditions, carve_outs, references, unparsed = REQUIREMENTS[collapsed]
        assert terms.text == listed  # kept as listed
        assert (terms.status, terms.scope) == (status, scope), collapsed
        assert len(terms.conditions) == conditions, collapsed
        assert len(terms.carve_outs) == carve_outs, collapsed
        assert terms.references == references, collapsed
        assert len(terms.unparsed) == unparsed, collapsed


def test_every_real_policy_text_is_read_as_expected() -> None:
    _, policies = real_texts()
    assert set(policies) == set(POLICY_TEXTS)
    for collapsed, listed in policies.items():
        terms = parse_policy(listed)
        status, default, rules, references = POLICY_TEXTS[collapsed]
        assert terms.text == listed
        assert (terms.status, terms.default) == (status, default), collapsed
        assert tuple((r.policy, r.items.kind) for r in terms.rules) == rules, collapsed
        assert terms.references == references, collapsed
        assert all(r.policy in POLICIES for r in terms.rules)


def test_the_84fr54002_policy_in_detail() -> None:
    terms = parse_policy(POLICY_54002)
    eccns, ear99_note, disease, _other = terms.rules
    assert eccns.items.eccns == (
        "1A004.c", "1A004.d", "1A995", "1A999.a", "1D003", "2A983", "2D983", "2E983",
    )  # fmt: skip
    assert ear99_note.items.text == "EAR99 items described in the Note to ECCN 1A995"
    assert ear99_note.items.ear99_only
    assert disease.items.text == "items necessary to detect, identify and treat infectious disease"
    assert not disease.items.ear99_only
    assert terms.carve_outs == (eccns, ear99_note, disease)
    data = terms.to_dict()
    assert data["default"] == DENY
    assert [c["items"]["kind"] for c in data["carve_outs"]] == ["eccns", "described", "described"]


def test_requirement_carve_outs_conditions_and_named_items_are_kept_as_listed() -> None:
    text = (
        "For all items subject to the EAR, see §§ 736.2(b)(3)(vi), and 744.11 of the EAR, EXCEPT "
        "for technology subject to the EAR that is designated as EAR99, or controlled on the "
        "Commerce Control List for anti-terrorism reasons only, when released to members of a "
        "“standards organization” (see §772.1) for the purpose of contributing to the revision "
        "or development of a “standard” (see §772.1)."
    )
    [carve_out] = parse_requirement(text).carve_outs
    assert carve_out.startswith("technology subject to the EAR that is designated as EAR99")
    assert carve_out.endswith("development of a “standard” (see §772.1)")
    projects = (
        "For all items subject to the EAR when used in projects specified in §746.5 of the EAR."
    )
    assert parse_requirement(projects).conditions == (
        "when used in projects specified in §746.5 of the EAR",
    )
    named = parse_requirement(
        "For any item subject to the EAR listed in supplement no. 2 to part 744."
    )
    assert (named.scope, named.items) == (SCOPE_NAMED, "listed in supplement no. 2 to part 744")


def test_unreadable_text_stays_text_and_unknown() -> None:
    terms = parse_requirement("Licence needed for the usual stuff")
    assert (terms.status, terms.scope) == (UNKNOWN, UNKNOWN)
    assert terms.unparsed == ("Licence needed for the usual stuff",)
    policy = parse_policy("Ask the licensing officer")
    assert (policy.status, policy.default, policy.rules) == (UNKNOWN, UNKNOWN, ())
    assert policy.unparsed == ("Ask the licensing officer",)
    # A policy naming items in words the parser does not know keeps them as words.
    odd = parse_policy("Presumption of denial for widgets made of gold")
    [rule] = odd.rules
    assert (rule.items.kind, rule.items.text) == ("described", "widgets made of gold")


#: Fragments of real phrasing, so that generated texts come close to what the parser reads.
FRAGMENTS = [
    "For all items subject to the EAR", "any item", "(See §744.11 of the EAR)", "§§ 734.9(e)1",
    "EXCEPT for", "apart from", "when used in", "Presumption of denial", "case-by-case review",
    "for ECCNs 1A004.c, 1A995", "and for", "EAR99 items", "on the CCL", ";", ".", ", ", "(", ")",
    "See", "which will be reviewed on a case-by-case basis", "Policy of denial", "and",
]  # fmt: skip
phrases = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=12).map(" ".join)
classifications = st.sampled_from(["EAR99", "1A004", "1A004.c", "1A004.c.1", "3A001", "5A992.c"])


@given(st.text() | phrases)
def test_the_parser_never_raises_and_never_guesses(text: str) -> None:
    requirement = parse_requirement(text)
    assert requirement.status in ("parsed", "partial", UNKNOWN)
    assert (requirement.scope == UNKNOWN) == (requirement.status == UNKNOWN)
    policy = parse_policy(text)
    assert policy.status in ("parsed", "partial", UNKNOWN)
    assert (policy.status == UNKNOWN) == (not policy.rules)
    assert all(r.policy in POLICIES for r in policy.rules)
    json.dumps([requirement.to_dict(), policy.to_dict()])


@given(st.text() | phrases, st.text() | phrases, classifications)
def test_item_policy_never_raises(requirement: str, policy: str, item: str) -> None:
    found = item_policy(requirement, policy, item)
    assert found.policy in (*POLICIES, UNKNOWN)
    assert found.licence_required in ("yes", "depends", UNKNOWN)
    json.dumps(found.to_dict())


# --------------------------------------------------------------------------------------------
# Applying the terms to an item


@pytest.mark.parametrize(
    ("item", "policy", "unless"),
    [
        ("1A004.c", CBC, []),
        ("1a004.C.1", CBC, []),  # a paragraph of a named ECCN; case normalised
        ("2E983", CBC, []),
        ("1A004", DENY, ["eccns", "infectious"]),  # the named 1A004.c is only part of it
        ("EAR99", DENY, ["Note to ECCN 1A995", "infectious"]),
        ("3A001", DENY, ["infectious"]),
    ],
)
def test_item_policy_under_84fr54002(item: str, policy: str, unless: list[str]) -> None:
    found = item_policy(REQUIREMENT_ALL, POLICY_54002, item)
    assert found.policy == policy
    assert found.licence_required == "yes"
    texts = [r.items.text for r in found.unless]
    assert len(texts) == len(unless)
    for text, word in zip(texts, unless, strict=True):
        assert word in text or (word == "eccns" and text.startswith("ECCNs"))
    assert "not a licensing determination" in found.to_dict()["basis"]


def test_item_policy_under_other_real_policies() -> None:
    ccl = "Case-by-case for all items listed on the CCL. Presumption of approval for EAR99 items"
    assert item_policy(REQUIREMENT_ALL, ccl, "EAR99").policy == APPROVE
    assert item_policy(REQUIREMENT_ALL, ccl, "3A001").policy == CBC
    russia_ear99 = item_policy(REQUIREMENT_ALL, RUSSIA_POLICY, "EAR99")
    assert russia_ear99.policy == POD
    assert [r.items.text for r in russia_ear99.unless] == ["food and medicine designated as EAR99"]
    assert item_policy(REQUIREMENT_ALL, RUSSIA_POLICY, "3A001").unless == ()  # EAR99 only
    see = item_policy(REQUIREMENT_ALL, "See §746.5(b) of the EAR.", "EAR99")
    assert (see.policy, see.references) == (UNKNOWN, ("§746.5(b) of the EAR",))
    only_ear99 = item_policy(REQUIREMENT_ALL, "Presumption of approval for EAR99 items", "3A001")
    assert only_ear99.policy == UNKNOWN  # the text gives no policy for CCL items


def test_item_policy_says_when_the_requirement_depends() -> None:
    named = "For any item subject to the EAR listed in supplement no. 2 to part 744."
    found = item_policy(named, "Presumption of denial", "EAR99")
    assert found.licence_required == "depends"
    assert found.requirement_notes == ("only for items listed in supplement no. 2 to part 744",)
    projects = (
        "For all items subject to the EAR when used in projects specified in §746.5 of the EAR"
    )
    assert item_policy(projects, "Presumption of denial", "EAR99").licence_required == "depends"
    assert item_policy("", "", "EAR99").licence_required == UNKNOWN


def test_classifications() -> None:
    assert normalize_classification(" ear99 ") == "EAR99"
    assert normalize_classification("5a002.A.1") == "5A002.a.1"
    assert normalize_classification("0Y521") == "0Y521"
    for bad in ("", "EAR", "1F004", "A1004", "1A04", "thermometers"):
        with pytest.raises(ValueError, match="neither EAR99 nor an ECCN"):
            normalize_classification(bad)
    assert covers("1A004", "1A004.c") is True
    assert covers("1A004.c", "1A004.c") is True
    assert covers("1A004.c", "1A004") is None
    assert covers("1A004.c", "1A004.d") is False
    assert covers("1A004.c", "1A0041") is False
    assert covers("EAR99", "EAR99") is True


# --------------------------------------------------------------------------------------------
# Deals


def test_deal_normalises_and_validates() -> None:
    deal = Deal(classification="1a004.C", purpose="  calibration  of  sensors ", date="2024-05-01")
    assert (deal.classification, deal.purpose, deal.date) == (
        "1A004.c", "calibration of sensors", date(2024, 5, 1),
    )  # fmt: skip
    assert Deal().to_dict() == {"classification": None, "purpose": None, "date": None}
    with pytest.raises(DealError, match="deal classification") as caught:
        Deal(classification="medical")
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, PartyscreenError)
    with pytest.raises(DealError, match="deal date"):
        Deal(date="24/05/2024")
    with pytest.raises(DealError, match="not 20240501"):
        Deal(date=20240501)  # type: ignore[arg-type]
    # A datetime is a date, but cannot be compared with one: its day is kept.
    assert Deal(date=datetime(2024, 5, 1, 12, 30)).date == date(2024, 5, 1)


# --------------------------------------------------------------------------------------------
# Licences files

LICENCE = """
[[licence]]
number = "D1234567"
entity = "EL-84FR54002-hikvision"
list = "EL"
granted_by = "US Department of Commerce, Bureau of Industry and Security"
granted_to = "Example Exports Inc."
scope = "Thermal imaging test equipment"
items = ["1A004.c", "ear99"]
purpose = "Calibration of installed equipment"
valid_from = 2024-01-01
valid_to = 2025-12-31
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_licences_file_parses() -> None:
    [record] = parse_licences_bytes(LICENCE.encode(), path="lic.toml")
    assert (record.id, record.entity_id, record.list_code) == (
        "D1234567", "EL-84FR54002-hikvision", "EL",
    )  # fmt: skip
    assert record.items == ("1A004.c", "EAR99")
    assert (record.valid_from, record.valid_to) == (date(2024, 1, 1), date(2025, 12, 31))
    assert record.source == "licences file lic.toml"


@pytest.mark.parametrize(
    ("edit", "entry", "field", "message"),
    [
        (("list = \"EL\"", "lists = \"EL\""), "licence D1234567", "lists", "unknown field"),
        (("scope = \"Thermal imaging test equipment\"\n", ""), "licence D1234567", "scope",
         "required field is missing"),
        (("valid_to = 2025-12-31", "valid_to = \"2025-12-31\""), "licence D1234567", "valid_to",
         "must be a TOML date"),
        (("valid_to = 2025-12-31", "valid_to = 2023-12-31"), "licence D1234567", "valid_to",
         "is before valid_from"),
        (("\"ear99\"", "\"thermometers\""), "licence D1234567", "items", "neither EAR99"),
        (("items = [\"1A004.c\", \"ear99\"]", "items = \"EAR99\""), "licence D1234567", "items",
         "must be a list"),
    ],
)  # fmt: skip
def test_licences_file_errors_name_file_entry_and_field(
    tmp_path: Path, edit: tuple[str, str], entry: str, field: str, message: str
) -> None:
    assert edit[0] in LICENCE
    path = write(tmp_path / "licences.toml", LICENCE.replace(*edit))
    with pytest.raises(LicenceFileError, match=message) as caught:
        load_licences([path])
    error = caught.value
    assert (error.path, error.entry, error.field) == (str(path), entry, field)
    assert str(path) in str(error)
    assert repr(field) in str(error)
    assert isinstance(error, ValueError)


def test_licences_file_other_errors(tmp_path: Path) -> None:
    with pytest.raises(LicenceFileError, match="recorded twice"):
        parse_licences_bytes((LICENCE + LICENCE).encode(), path="x.toml")
    with pytest.raises(LicenceFileError, match="not valid TOML"):
        parse_licences_bytes(b"[[licence]\n", path="x.toml")
    with pytest.raises(LicenceFileError, match="unknown top-level key") as caught:
        parse_licences_bytes(LICENCE.replace("[[licence]]", "[[license]]").encode(), path="x")
    assert caught.value.field == "license"
    with pytest.raises(ListNotFoundError):
        load_licences([tmp_path / "missing.toml"])
    with pytest.raises(LicenceFileError, match="nested too deeply"):
        parse_licences_bytes(b"x = " + b"[" * 100_000 + b"]" * 100_000, path="x.toml")
    [record] = parse_licences_bytes(b"\xef\xbb\xbf" + LICENCE.encode(), path="bom.toml")
    assert record.id == "D1234567"  # (a BOM, as the other loaders allow)


# --------------------------------------------------------------------------------------------
# Coverage: licences on record against a deal


@pytest.fixture
def licensed(tmp_path: Path) -> Screener:
    path = write(tmp_path / "licences.toml", LICENCE)
    return default_screener().with_records(licences=load_licences([path]))


def coverage_of(screener: Screener, name: str, deal: Deal) -> tuple[str, list[str], list[str]]:
    result = screener.screen(name, deal=deal)
    assert result.best is not None
    assert result.best.coverage is not None
    coverage = result.best.coverage
    [check] = [c for c in coverage.checks if c.record.id == "D1234567"]
    return coverage.status, [check.status], list(check.reasons)


@pytest.mark.parametrize(
    ("deal", "status", "check", "reason"),
    [
        (Deal("1A004.c", date="2024-06-01"), "covered", "applies", "covers 1A004.c"),
        (Deal("1A004.c.2", date="2025-12-31"), "covered", "applies", "in force on 2025-12-31"),
        (Deal("EAR99", date="2024-06-01"), "covered", "applies", "covers EAR99"),
        (Deal("1A004.c", date="2026-01-01"), "not covered", "does not apply", "expired"),
        (Deal("1A004.c", date="2023-12-31"), "not covered", "does not apply", "not yet valid"),
        (Deal("3A001", date="2024-06-01"), "not covered", "does not apply", "out of scope"),
        (Deal("1A004", date="2024-06-01"), "possibly covered", "may apply", "depends on the item"),
        (Deal(date="2024-06-01"), "possibly covered", "may apply", "no item classification"),
    ],
)
def test_licence_scope_and_validity(
    licensed: Screener, deal: Deal, status: str, check: str, reason: str
) -> None:
    got_status, [got_check], reasons = coverage_of(licensed, "Hikvision", deal)
    assert (got_status, got_check) == (status, check)
    assert any(reason in r for r in reasons), reasons


def test_coverage_is_shown_and_the_decision_is_unchanged(licensed: Screener) -> None:
    deal = Deal("1A004.c", purpose="calibration", date="2024-06-01")
    result = licensed.screen("Hikvision", deal=deal)
    assert result.decision == "match"  # covered, never hidden: still a match
    assert result.coverage == "covered"
    data = result.to_dict()
    assert data["coverage"] == "covered"
    assert data["deal"] == {"classification": "1A004.c", "purpose": "calibration",
                            "date": "2024-06-01"}  # fmt: skip
    match = data["matches"][0]
    [check] = match["coverage"]["on_record"]
    assert check["status"] == "applies"
    assert check["origin"] == "licences file"
    assert "deal purpose as given: calibration (for a reviewer to compare)" in check["conditions"]
    assert match["licences"][0]["id"] == "D1234567"
    assert match["coverage"]["review_policy"]["policy"] == CBC
    assert "Not legal advice" in match["coverage"]["note"]
    assert [f["kind"] for f in data["files"]] == ["licences"]
    # as_of defaults to the deal's date
    assert data["as_of"] == "2024-06-01"


def test_licence_attaches_by_entity_id_and_list_code(tmp_path: Path) -> None:
    other_list = write(tmp_path / "l.toml", LICENCE.replace('list = "EL"', 'list = "SDN"'))
    screener = default_screener().with_records(licences=load_licences([other_list]))
    best = screener.screen("Hikvision").best
    assert best is not None
    assert best.licences == ()
    assert len(screener.licences.unattached(screener.entities)) == 1
    typo = write(tmp_path / "t.toml", LICENCE.replace("hikvision", "hikvisoin"))
    assert len(load_licences([typo]).unattached(default_screener().entities)) == 1
    # The list code in any case, as --source takes it.
    lower = write(tmp_path / "lower.toml", LICENCE.replace('list = "EL"', 'list = "el"'))
    screener = default_screener().with_records(licences=load_licences([lower]))
    best = screener.screen("Hikvision").best
    assert best is not None
    assert [r.id for r in best.licences] == ["D1234567"]
    assert screener.licences.unattached(screener.entities) == ()


def test_partly_covered_when_only_some_matches_are(tmp_path: Path) -> None:
    text = LICENCE.replace("EL-84FR54002-hikvision", "EL-84FR22961-huawei-technologies")
    screener = default_screener().with_records(
        licences=load_licences([write(tmp_path / "h.toml", text)])
    )
    result = screener.screen(
        "Huawei Technologies", deal=Deal("EAR99", date="2024-06-01"), limit=None
    )
    states = {m.entity.id: m.coverage.status for m in result.matches if m.coverage}
    assert states["EL-84FR22961-huawei-technologies"] == "covered"
    assert len(states) > 1
    assert result.coverage == "partly covered"
    assert overall_coverage([]) is None
    assert overall_coverage(["covered", "covered"]) == "covered"


def test_the_iflytek_exception_is_on_the_iflytek_result_and_on_no_other() -> None:
    entities = [e for sl in default_lists() for e in sl.entities]
    seen_on = set()
    for entity in entities:
        result = screen(entity.name, limit=None, as_of=entity.listed_on)
        for match in result.matches:
            ids = {x.id for x in match.entity.exceptions}
            assert match.coverage is not None
            checked = {c.record.id for c in match.coverage.checks}
            assert checked == ids
            if ids:
                assert ids == {"iflytek-2020-covid-medical-supplies"}
                assert match.entity.id == "EL-84FR54002-iflytek"
                seen_on.add(match.entity.id)
    assert seen_on == {"EL-84FR54002-iflytek"}
    for query in ("iFlytek", "科大讯飞"):
        best = screen(query).best
        assert best is not None
        assert best.entity.id == "EL-84FR54002-iflytek"
        [exception] = best.entity.exceptions
        assert exception.applied_on == date(2020, 2, 7)


def test_the_iflytek_approval_against_deals() -> None:
    march_2020 = screen("iFlytek", deal=Deal("EAR99", purpose="face masks", date="2020-03-01"))
    assert march_2020.coverage == "possibly covered"  # validity and items not on record
    assert march_2020.best is not None
    assert march_2020.best.coverage is not None
    [check] = march_2020.best.coverage.checks
    assert (check.status, check.origin) == ("may apply", "list")
    assert any("items covered not recorded" in r for r in check.reasons)
    before = screen("iFlytek", deal=Deal("EAR99", date="2020-01-15"))
    assert before.best is not None
    assert before.best.coverage is not None
    [early] = before.best.coverage.checks
    assert early.status == "does not apply"
    assert "not yet applied for on 2020-01-15" in early.reasons[0]
    assert before.coverage == "not covered"


def test_zte_before_and_after_removal_with_a_deal_date() -> None:
    listed = screen("ZTE Corporation", deal=Deal("EAR99", date="2016-06-01"))
    assert (listed.decision, listed.as_of) == ("match", date(2016, 6, 1))
    assert listed.coverage == "not covered"
    assert listed.best is not None
    assert listed.best.coverage is not None
    assert listed.best.coverage.review_policy is not None
    assert listed.best.coverage.review_policy.policy == DENY
    removed = screen("ZTE Corporation", deal=Deal("EAR99", date="2017-06-01"))
    assert (removed.decision, removed.as_of, removed.coverage) == ("clear", date(2017, 6, 1), None)
    # an explicit as_of wins over the deal's date for the listing; the deal date for licences
    both = screen("ZTE Corporation", as_of="2016-06-01", deal=Deal(date="2017-06-01"))
    assert both.decision == "match"
    assert both.best is not None
    assert both.best.coverage is not None
    assert both.best.coverage.day == date(2017, 6, 1)


def test_structured_license_on_every_match() -> None:
    data = screen("Megvii").to_dict()
    structured = data["matches"][0]["license"]["structured"]
    assert structured["requirement"]["scope"] == SCOPE_ALL
    assert structured["policy"]["default"] == DENY
    assert "listed text" in structured["note"]
    assert data["matches"][0]["license"]["policy"].startswith("Case-by-case review for ECCNs")


def test_empty_licences_is_the_default() -> None:
    assert Licences().records == ()
    assert default_screener().record_files == ()


# --------------------------------------------------------------------------------------------
# CLI


def test_cli_deal_and_licences(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "licences.toml", LICENCE)
    argv = ["screen", "Hikvision", "--licences", str(path), "--item", "1A004.c",
            "--purpose", "calibration", "--as-of", "2024-06-01"]  # fmt: skip
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "coverage: covered" in out.splitlines()[0]
    assert "D1234567 (licences file): applies" in out
    assert "review policy for 1A004.c (derived from the listed text" in out
    assert f"licences: {path}" in out
    assert main([*argv, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["matches"][0]["coverage"]["status"] == "covered"


def test_cli_bad_item_or_licences(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["screen", "Hikvision", "--item", "thermometers"]) == 2
    assert "deal classification" in capsys.readouterr().err
    bad = write(tmp_path / "bad.toml", LICENCE.replace("purpose", "porpoise"))
    assert main(["screen", "Hikvision", "--licences", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.toml" in err
    assert "licence D1234567" in err
    assert "'porpoise'" in err
    typo = write(tmp_path / "typo.toml", LICENCE.replace("hikvision", "hikvisoin"))
    assert main(["screen", "Hikvision", "--licences", str(typo)]) == 0
    assert "names no entity of the lists in use" in capsys.readouterr().err
