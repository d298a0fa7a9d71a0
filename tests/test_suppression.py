"""Reviewed false positives: recorded, applied to later screens, and lapsing when things change."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import attrs
import pytest

from partyscreen import Screener
from partyscreen.cli import main
from partyscreen.csl import load_csl
from partyscreen.embedded import default_lists, default_screener
from partyscreen.errors import DecisionsFileError, EntityNotFoundError, ListNotFoundError
from partyscreen.model import ListedEntity, ScreeningList
from partyscreen.suppression import (
    Decisions,
    Suppression,
    find_entity,
    load_decisions,
    parse_decisions_bytes,
    record_review,
)
from tests.conftest import shared_path

HIKVISION = "EL-84FR54002-hikvision"
REVIEW_DAY = date(2026, 1, 15)


def entity(screener: Screener, entity_id: str) -> ListedEntity:
    return find_entity(screener.entities, entity_id)


def reviewed(tmp_path: Path, name: str = "Hikvision", entity_id: str = HIKVISION) -> Path:
    path = tmp_path / "decisions.jsonl"
    record_review(
        path,
        name=name,
        entity=entity(default_screener(), entity_id),
        reviewer="a.smith",
        reason="A Hikvision-branded reseller in Ohio, not the listed company",
        day=REVIEW_DAY,
    )
    return path


def with_decisions(path: Path, lists: tuple[ScreeningList, ...] | None = None) -> Screener:
    if lists is None:
        return default_screener().with_records(decisions=load_decisions(path))
    return Screener(lists, decisions=load_decisions(path))


def test_a_reviewed_match_is_shown_suppressed_not_raised(tmp_path: Path) -> None:
    screener = with_decisions(reviewed(tmp_path))
    result = screener.screen("Hikvision")
    assert result.decision == "clear"
    assert not result
    assert result.best is None
    [match] = result.suppressed
    assert match in result.matches  # kept, never silently dropped
    assert match.entity.id == HIKVISION
    assert match.decision == "match"  # its own decision is unchanged
    assert match.suppressed is not None
    assert (match.suppressed.reviewer, match.suppressed.date) == ("a.smith", REVIEW_DAY)
    data = result.to_dict()
    assert data["suppressed_matches"] == 1
    assert data["coverage"] is None
    assert data["matches"][0]["suppressed"]["reason"].startswith("A Hikvision-branded reseller")
    assert data["files"][0]["kind"] == "decisions"


def test_the_same_name_after_normalisation_is_suppressed_too(tmp_path: Path) -> None:
    screener = with_decisions(reviewed(tmp_path))
    for variant in ("HIKVISION", "  hikvision ", "Hikvision Co., Ltd."):
        assert screener.screen(variant).decision == "clear", variant
    # another name is not covered by the review
    assert screener.screen("Hikvision Digital Technology").decision == "match"
    # another entity is not covered by the review either
    assert screener.screen("Dahua").decision == "match"


def test_a_changed_entry_raises_the_match_again(tmp_path: Path) -> None:
    path = reviewed(tmp_path)
    [embedded] = default_lists()
    changed = tuple(
        attrs.evolve(e, addresses=(*e.addresses, "New address, Hangzhou, CN"))
        if e.id == HIKVISION
        else e
        for e in embedded.entities
    )
    new_version = attrs.evolve(embedded, entities=changed)
    result = with_decisions(path, (new_version,)).screen("Hikvision")
    assert result.decision == "match"
    assert result.best is not None
    assert result.best.suppressed is None
    [earlier] = result.best.earlier_reviews
    assert earlier.reviewer == "a.smith"
    assert result.to_dict()["matches"][0]["earlier_reviews"][0]["date"] == "2026-01-15"
    # the unchanged version still honours the review
    assert with_decisions(path, (embedded,)).screen("Hikvision").decision == "clear"


def test_the_latest_review_that_holds_is_shown(tmp_path: Path) -> None:
    path = reviewed(tmp_path)
    hik = entity(default_screener(), HIKVISION)
    record_review(path, name="Hikvision", entity=hik, reviewer="b.jones", reason="again",
                  day=date(2026, 3, 1))  # fmt: skip
    decisions = load_decisions(path)
    assert len(decisions.records) == 2
    found, lapsed = decisions.review_of("hikvision", hik)
    assert found is not None
    assert found.reviewer == "b.jones"
    assert lapsed == ()


def test_suppressed_matches_do_not_use_up_the_limit(tmp_path: Path) -> None:
    path = reviewed(tmp_path, name="Huawei", entity_id="EL-84FR22961-huawei-technologies")
    plain = default_screener().screen("Huawei", limit=2)
    result = with_decisions(path).screen("Huawei", limit=2)
    raised = [m for m in result.matches if m.suppressed is None]
    assert len(raised) == 2
    assert len(result.suppressed) == 1
    assert "EL-84FR22961-huawei-technologies" in {m.entity.id for m in plain.matches}
    assert "EL-84FR22961-huawei-technologies" not in {m.entity.id for m in raised}
    assert result.decision == raised[0].decision


def test_csl_ids_repeat_across_lists_so_reviews_key_on_the_list_code(tmp_path: Path) -> None:
    csl = load_csl(shared_path("data", "csl", "csl_2023-11-30_sample.csv")).screening_list
    screener = Screener([csl])
    with pytest.raises(EntityNotFoundError, match="give the list code"):
        find_entity(screener.entities, "17016")
    ssi = find_entity(screener.entities, "17016", list_code="ssi")
    assert ssi.list_code == "SSI"
    path = tmp_path / "d.jsonl"
    record_review(path, name="Gazprombank", entity=ssi, reviewer="r", reason="test")
    result = screener.with_records(decisions=load_decisions(path)).screen("Gazprombank")
    by_list = {m.entity.list_code: m for m in result.matches if m.entity.id == "17016"}
    assert by_list["SSI"].suppressed is not None
    assert by_list["NS-MBS"].suppressed is None
    assert result.decision in ("review", "match")


def test_record_review_appends_lines(tmp_path: Path) -> None:
    path = tmp_path / "decisions.jsonl"
    path.write_text("", encoding="utf-8")
    hik = entity(default_screener(), HIKVISION)
    record_review(path, name="Hikvision", entity=hik, reviewer="a", reason="one", day=REVIEW_DAY)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n"), encoding="utf-8")  # as if edited by hand
    record_review(path, name="Hik", entity=hik, reviewer="b", reason="two", day=REVIEW_DAY)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first == {
        "date": "2026-01-15",
        "entity": HIKVISION,
        "entity_hash": hik.content_hash,
        "entity_name": hik.name,
        "list": "EL",
        "name": "Hikvision",
        "reason": "one",
        "reviewer": "a",
    }
    with pytest.raises(DecisionsFileError, match="required field") as caught:
        record_review(path, name="Hik", entity=hik, reviewer=" ", reason="three")
    assert (caught.value.line, caught.value.field) == (3, "reviewer")
    assert len(path.read_text(encoding="utf-8").splitlines()) == 2  # nothing written
    # Nor to a file that cannot be read: a later screen would refuse the whole of it.
    broken = tmp_path / "broken.jsonl"
    broken.write_bytes(b"garbage")
    with pytest.raises(DecisionsFileError, match="line 1: not a JSON object"):
        record_review(broken, name="Hik", entity=hik, reviewer="c", reason="four")
    assert broken.read_bytes() == b"garbage"


GOOD = {
    "name": "Hikvision",
    "entity": HIKVISION,
    "list": "EL",
    "entity_hash": "0" * 64,
    "reviewer": "a",
    "date": "2026-01-15",
    "reason": "r",
}


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        ("{not json", None, "not a JSON object"),
        ("[1, 2]", None, "must be a JSON object"),
        (json.dumps({**GOOD, "extra": 1}), "extra", "unknown field"),
        (json.dumps({k: v for k, v in GOOD.items() if k != "reason"}), "reason", "required"),
        (json.dumps({**GOOD, "reviewer": 7}), "reviewer", "must be a string"),
        (json.dumps({**GOOD, "entity_hash": "abc"}), "entity_hash", "sha256"),
        (json.dumps({**GOOD, "date": "15/01/2026"}), "date", "must be a date"),
        (json.dumps({**GOOD, "name": "!!!"}), "name", "nothing is left"),
    ],
)
def test_decisions_file_errors_name_file_line_and_field(
    tmp_path: Path, line: str, field: str | None, message: str
) -> None:
    path = tmp_path / "decisions.jsonl"
    path.write_text(json.dumps(GOOD) + "\n\n" + line + "\n", encoding="utf-8")
    with pytest.raises(DecisionsFileError, match=message) as caught:
        load_decisions(path)
    error = caught.value
    assert (error.path, error.line, error.field) == (str(path), 3, field)
    assert f"{path}, line 3" in str(error)
    assert isinstance(error, ValueError)


def test_decisions_file_reading() -> None:
    [record] = parse_decisions_bytes(("\ufeff" + json.dumps(GOOD) + "\n").encode(), path="d")
    assert record == Suppression(
        name="Hikvision", entity_id=HIKVISION, list_code="EL", entity_hash="0" * 64,
        reviewer="a", date=REVIEW_DAY, reason="r",
    )  # fmt: skip
    with pytest.raises(DecisionsFileError, match="not UTF-8"):
        parse_decisions_bytes(b"\xff\xfe{}", path="d")
    with pytest.raises(ListNotFoundError):
        load_decisions("/nonexistent/decisions.jsonl")
    # Lines end at LF, CRLF or CR only: U+2028 and the like may stand inside a JSON string.
    odd = dict(GOOD, reason="a\u2028b\u2029c\x85d\x0ce")
    text = json.dumps(odd, ensure_ascii=False) + "\r" + json.dumps(GOOD) + "\r\n"
    first, second = parse_decisions_bytes(text.encode(), path="d")
    assert (first.reason, second.reason) == ("a b c d e", "r")  # (spaces collapsed, as written)
    with pytest.raises(DecisionsFileError, match="line 2: not a JSON object"):
        parse_decisions_bytes(b"\n" + b"[" * 100_000 + b"]" * 100_000, path="d")
    assert Decisions().review_of("hikvision", entity(default_screener(), HIKVISION)) == (None, ())


def test_a_review_names_its_list_code_in_any_case() -> None:
    screener = default_screener()
    hik = entity(screener, HIKVISION)
    line = json.dumps(dict(GOOD, list="el", entity_hash=hik.content_hash))
    [record] = parse_decisions_bytes(line.encode(), path="d")
    suppressed, _ = Decisions(records=(record,)).review_of("hikvision", hik)
    assert suppressed is record


def test_cli_review_then_screen(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "decisions.jsonl"
    review = ["review", "Hikvision", "--entity", HIKVISION, "--reviewer", "a.smith"]
    status = main(
        [*review, "--reason", "reseller", "--decisions", str(path), "--date", "2026-01-15"]
    )
    assert status == 0
    assert "recorded in" in capsys.readouterr().out
    assert main(["screen", "Hikvision", "--decisions", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Hikvision: CLEAR")
    assert "1 match(es) suppressed by review" in out.splitlines()[0]
    assert "SUPPRESSED: reviewed as not this entity by a.smith on 2026-01-15: reseller" in out
    assert main(["screen", "Hikvision", "--decisions", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["suppressed_matches"] == 1


def test_cli_review_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "d.jsonl"
    base = ["--reviewer", "a", "--reason", "r", "--decisions", str(path)]
    assert main(["review", "Hikvision", "--entity", "EL-nope", *base]) == 2
    assert "no listed entity has id 'EL-nope'" in capsys.readouterr().err
    assert not path.exists()
    assert main(["screen", "Hikvision", "--decisions", str(tmp_path / "missing.jsonl")]) == 2
    assert "no decisions file" in capsys.readouterr().err
    # Bad arguments are named as arguments, not as a line of the decisions file.
    hik = ["--entity", HIKVISION, *base]
    for argv, says in [
        (["review", "...", *hik], "NAME '...': nothing to record"),
        (["review", "Hik", *hik, "--date", "2026-13-01"], "--date must be a date like"),
    ]:
        assert main(argv) == 2
        assert says in capsys.readouterr().err
    assert not path.exists()
    # One list loaded twice: the list code given cannot tell its two entries apart.
    embedded = str(Path(__file__).resolve().parents[1] / "lists" / "entity_list.toml")
    twice = ["review", "Hik", *hik, "--source", "EL", "--list", embedded, "--list", embedded]
    assert main(twice) == 2
    assert "in list EL: is that list loaded from more than one file?" in capsys.readouterr().err
