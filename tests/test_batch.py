"""Batch screening through the API (screen_many, the engine, the cache) and input sniffing."""

from __future__ import annotations

import codecs
import io
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partyscreen import EmptyNameError, ScreeningResult, csvio, default_screener
from partyscreen.batch import (
    BatchOptions,
    ScreenCache,
    ScreeningEngine,
    run_batch,
    screen_iter,
    screen_many,
)
from partyscreen.batch_output import NO_MATCHES, RESULT_FIELDS, summarise, summary_counts
from partyscreen.checkpoint import Committer, Progress
from partyscreen.csvio import (
    InputFileError,
    count_records,
    detect_bom,
    scan_input,
    sniff_delimiter,
)
from partyscreen.licensing import Deal
from partyscreen.suppression import load_decisions, record_review
from partyscreen.worker_pool import worker_for
from tests import strategies

NAMES = [
    "Hikivision",
    "Zhejiang Dahua Technology",
    "Acme Widgets Inc.",
    "科大讯飞股份有限公司",
    "Hangzhou Digital Technology Co. Ltd.",
    "Megvi Technology Ltd",
    "Siemens AG",
    "HIKVISION",
    "Hik-Vision",
    "Hikivision",
    # Alike once normalised, but the first may also be read without its acronym.
    "Megvii Technology (MGT)",
    "Megvii Technology MGT",
]


def same(left: ScreeningResult, right: ScreeningResult) -> bool:
    """The same result, but for when it was screened (if results say so)."""
    first, second = left.to_dict(), right.to_dict()
    first.pop("screened_at", None)
    second.pop("screened_at", None)
    return first == second


def test_screen_many_is_screen_in_order() -> None:
    screener = default_screener()
    results = screener.screen_many(NAMES)
    assert [r.query for r in results] == NAMES
    for name, result in zip(NAMES, results, strict=True):
        assert same(result, screener.screen(name))


def test_screen_many_passes_the_screening_options() -> None:
    screener = default_screener()
    (old,) = screener.screen_many(["ZTE Corporation"], as_of="2016-06-01")
    (now,) = screener.screen_many(["ZTE Corporation"])
    assert old.decision == "match"
    assert now.decision == "clear"
    (low,) = screener.screen_many(["Hangzhou Digital Technology"], threshold=0.3, limit=None)
    assert low.matches
    assert same(low, screener.screen("Hangzhou Digital Technology", threshold=0.3, limit=None))


def test_unusable_names_raise_or_stand_in_place() -> None:
    screener = default_screener()
    with pytest.raises(EmptyNameError, match=r"name 2: nothing to screen in '!!!'"):
        screener.screen_many(["Hikvision", "Dahua", "!!!", "Megvii"])
    outcomes = screener.screen_many(["Hikvision", "", "!!!", "Megvii"], errors="return")
    assert [type(o) for o in outcomes] == [
        ScreeningResult,
        EmptyNameError,
        EmptyNameError,
        ScreeningResult,
    ]
    assert "''" in str(outcomes[1])
    assert "'!!!'" in str(outcomes[2])
    with pytest.raises(ValueError, match="errors must be"):
        screener.screen_many(["x"], errors="ignore")  # type: ignore[call-overload]


def test_bad_options_fail_before_any_name() -> None:
    with pytest.raises(ValueError, match="threshold"):
        default_screener().screen_many(["Hikvision"], threshold=2.0)
    with pytest.raises(ValueError, match="as_of"):
        default_screener().screen_many(["Hikvision"], as_of="yesterday")
    with pytest.raises(ValueError, match="workers"):
        default_screener().screen_many(["Hikvision"], workers=0)


def test_a_name_is_screened_once_and_keeps_its_own_spelling() -> None:
    screener = default_screener()
    names = ["Hikvision", "HIKVISION", "Hik vision", "hikvision co., ltd."] * 50
    with ScreeningEngine(screener) as engine:
        results = engine.collect(engine.submit(names))
        # "hikvision", "hik vision", and "hikvision" with a legal form (a company's name is
        # scored apart from a person's: see NameScreening)
        assert engine.screened == 3
        assert engine.cache.hits == len(names) - 3
    assert [r.query for r in results if isinstance(r, ScreeningResult)] == names
    for result, name in zip(results[:4], names[:4], strict=True):
        assert isinstance(result, ScreeningResult)
        assert same(result, screener.screen(name))


def test_workers_give_the_same_results_and_the_lists_own_objects() -> None:
    screener = default_screener()
    names = NAMES * 120 + [f"Supplier {i} Trading" for i in range(700)]
    one = screen_many(screener, names, errors="return")
    two = screen_many(screener, names, errors="return", workers=2, cache_size=16)
    assert len(one) == len(two) == len(names)
    for a, b in zip(one, two, strict=True):
        assert isinstance(a, ScreeningResult)
        assert isinstance(b, ScreeningResult)
        assert same(a, b)
        assert b.lists is screener.lists or b.lists == screener.lists
        for match in b.matches:
            assert any(match.entity is e for e in screener.entities)


def test_screen_iter_streams() -> None:
    screener = default_screener()
    stream = screen_iter(screener, iter(NAMES))
    first = next(stream)
    assert isinstance(first, ScreeningResult)
    assert first.query == NAMES[0]
    assert len(list(stream)) == len(NAMES) - 1


def test_cache_is_bounded_lru() -> None:
    cache = ScreenCache(2)
    result = default_screener().screen("Hikvision")
    cache.put((("a",), None), result)
    cache.put((("b",), None), result)
    assert cache.get((("a",), None)) is result  # "a" is now the most recent
    cache.put((("c",), None), result)
    assert len(cache) == 2
    assert (("b",), None) not in cache
    assert (("a",), None) in cache
    assert cache.get((("b",), None)) is None


def test_no_cache_still_screens_everything() -> None:
    screener = default_screener()
    out = screen_many(screener, NAMES * 3, cache_size=0)
    assert [r.query for r in out] == NAMES * 3


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(strategies.names, strategies.any_text, st.just("")), max_size=25))
def test_one_outcome_per_name_in_order(names: list[str]) -> None:
    screener = default_screener()
    outcomes = screen_many(screener, names, errors="return")
    assert len(outcomes) == len(names)
    for name, outcome in zip(names, outcomes, strict=True):
        if isinstance(outcome, EmptyNameError):
            with pytest.raises(EmptyNameError) as info:
                screener.screen(name)
            assert str(outcome) == str(info.value)
        else:
            assert same(outcome, screener.screen(name))


# --------------------------------------------------------------------------------------------
# Reading input files


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("bom", "codec", "label"),
    [
        (b"", "utf-8", "UTF-8"),
        (codecs.BOM_UTF8, "utf-8", "UTF-8 with BOM"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE (BOM)"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE (BOM)"),
    ],
)
def test_encodings_by_bom(tmp_path: Path, bom: bytes, codec: str, label: str) -> None:
    text = 'name;note\nSociété Générale;"a\nb"\n海康威视;x\n'
    path = write(tmp_path / "in.csv", bom + text.encode(codec))
    source = scan_input(path)
    assert (source.codec, source.encoding, source.bom_length) == (codec, label, len(bom))
    assert sniff_delimiter(source) == ";"
    assert count_records(source, ";") == 2
    assert detect_bom(bom + b"x")[1] == label


def test_latin1_is_an_error_naming_file_offset_and_line(tmp_path: Path) -> None:
    data = "name\nAcme\nSociété Générale\n".encode("cp1252")
    path = write(tmp_path / "latin.csv", data)
    with pytest.raises(InputFileError) as info:
        scan_input(path)
    message = str(info.value)
    assert str(path) in message
    offset = data.index("é".encode("cp1252"))
    assert f"byte offset {offset} " in message
    assert "line 3" in message
    assert "not UTF-8" in message


def test_a_bad_byte_after_the_first_chunk_is_found_where_it_is(tmp_path: Path) -> None:
    head = ("name\n" + "Acme Widgets Inc.\n" * 100_000).encode()
    path = write(tmp_path / "late.csv", head + "Café\n".encode("latin-1"))
    with pytest.raises(InputFileError, match=f"byte offset {len(head) + 3} "):
        scan_input(path)


def test_utf16_without_bom_and_utf32_are_errors(tmp_path: Path) -> None:
    path = write(tmp_path / "u16.csv", "name\nAcme\n".encode("utf-16-le"))
    with pytest.raises(InputFileError, match=r"NUL character at byte offset 1 .*byte-order mark"):
        scan_input(path)
    path = write(tmp_path / "u32.csv", "name\nAcme\n".encode("utf-32"))
    with pytest.raises(InputFileError, match="UTF-32"):
        scan_input(path)
    bad16 = codecs.BOM_UTF16_LE + "name\n".encode("utf-16-le") + b"\x00\xdc" + b"a\x00"
    path = write(tmp_path / "bad16.csv", bad16)
    with pytest.raises(InputFileError, match="invalid UTF-16-LE at byte offset 12"):
        scan_input(path)


def test_missing_and_non_regular_inputs(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such input file"):
        scan_input(tmp_path / "nope.csv")
    with pytest.raises(InputFileError, match="not a regular file"):
        scan_input(tmp_path)


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_sniffs_the_delimiter(tmp_path: Path, delimiter: str) -> None:
    rows = [["id", "name", "country"], ["1", "Acme, Inc.; Widgets", "US"], ["2", "Dahua", "CN"]]
    lines = []
    for row in rows:
        quoted = [f'"{v}"' if any(c in v for c in ",;\t|") else v for v in row]
        lines.append(delimiter.join(quoted))
    path = write(tmp_path / "in.csv", ("\n".join(lines) + "\n").encode())
    assert sniff_delimiter(scan_input(path)) == delimiter


def test_a_single_column_is_comma_separated(tmp_path: Path) -> None:
    path = write(tmp_path / "in.csv", b"name\nAcme\nDahua\n")
    assert sniff_delimiter(scan_input(path)) == ","


def test_run_batch_shows_a_progress_bar_when_asked(tmp_path: Path) -> None:
    source = write(tmp_path / "in.csv", b"name\nHikvision\nAcme\n\nDahua\n")
    err = io.StringIO()  # not a terminal: no bar unless asked
    report = run_batch(BatchOptions(input=source, output=tmp_path / "out.csv"), stderr=err)
    assert report.exit_status == 0
    assert report.counts["rows"] == 3
    assert "\r" not in err.getvalue()
    err = io.StringIO()
    run_batch(BatchOptions(input=source, output=tmp_path / "out.csv", progress=True), stderr=err)
    bar = err.getvalue()
    assert "screening" in bar
    assert "3/3" in bar
    err = io.StringIO()
    run_batch(BatchOptions(input=source, output=tmp_path / "out.csv", quiet=True), stderr=err)
    assert err.getvalue() == ""


# --------------------------------------------------------------------------------------------
# What a CSV run keeps of each result, and how the engine gets it


def csv_fields(result: ScreeningResult) -> dict[str, str]:
    """The output fields of a result, read from the result itself."""
    raised = [m for m in result.matches if m.suppressed is None]
    fields = dict.fromkeys(RESULT_FIELDS, "")
    fields.update(
        decision=result.decision,
        coverage=result.coverage or "",
        more_matches=str(max(0, len(raised) - 1)),
        suppressed=str(len(result.matches) - len(raised)),
    )
    if raised:
        best = raised[0]
        fields.update(
            score=f"{best.score:.4f}",
            entity_id=best.entity.id,
            entity_name=best.entity.name,
            matched_name=best.matched_name,
            matched_name_kind=best.matched_name_kind,
            list=best.entity.list_code,
            listed_on=best.entity.listed_on.isoformat() if best.entity.listed_on else "",
            license_requirement=best.entity.license.requirement,
            license_policy=best.entity.license.policy,
            exceptions="; ".join(x.id for x in best.entity.exceptions),
        )
    return fields


def test_a_summary_holds_the_output_fields_of_its_result(tmp_path: Path) -> None:
    decisions = tmp_path / "decisions.jsonl"
    screener = default_screener()
    hikvision = screener.screen("Hikvision").best
    assert hikvision is not None
    record_review(
        decisions,
        name="Hikvision",
        entity=hikvision.entity,
        reviewer="a test",
        reason="not them",
        day=date(2026, 1, 15),
    )
    screener = screener.with_records(decisions=load_decisions(decisions))
    deal = Deal(classification="1A004.c", date="2024-06-01")
    seen = set()
    for name in [*NAMES, "Hangzhou Digital Technology", "ZTE Corporation", "Acme"]:
        for options in ({}, {"threshold": 0.3}, {"deal": deal}, {"as_of": "2016-06-01"}):
            result = screener.screen(name, limit=None, **options)
            summary = summarise(result)
            assert dict(zip(RESULT_FIELDS, summary, strict=True)) == csv_fields(result)
            assert summary_counts(summary) == (result.decision, len(result.suppressed))
            if not result.matches:
                assert summary is NO_MATCHES
            seen.add((result.decision, bool(result.suppressed), bool(result.coverage)))
    assert {d for d, _, _ in seen} == {"clear", "review", "match"}
    assert any(suppressed for _, suppressed, _ in seen)
    assert any(covered for _, _, covered in seen)


def test_workers_send_summaries_in_order_and_count_every_name() -> None:
    screener = default_screener()
    names = NAMES * 60 + ["!!!", ""] + [f"Trading Company {i}" for i in range(900)]
    kwargs = {"limit": None}
    with ScreeningEngine(screener, screen_kwargs=kwargs, summarise=summarise) as one:
        here = one.collect(one.submit(names))
    with ScreeningEngine(screener, workers=2, screen_kwargs=kwargs, summarise=summarise) as two:
        handles = [two.submit(names[i : i + 700]) for i in range(0, len(names), 700)]
        there = [outcome for handle in handles for outcome in two.collect(handle)]
        screenable = sum(not isinstance(o, EmptyNameError) for o in there)
        assert two.screened + two.cache_hits == screenable
        assert two.screened < len(set(names))  # names that normalise alike: screened once
    assert len(there) == len(here) == len(names)
    for name, a, b in zip(names, here, there, strict=True):
        if isinstance(a, EmptyNameError):
            assert isinstance(b, EmptyNameError)
            assert str(a) == str(b)
        else:
            assert a == b == summarise(screener.screen(name, limit=None))


def test_spellings_that_normalise_alike_are_screened_once_by_two_workers() -> None:
    # Each name in two spellings, in chunks apart: fed to whichever worker was free, many
    # would be screened by both; routed by name, each once.
    screener = default_screener()
    firms = [f"Meridian Trading {i} Company" for i in range(300)]
    spellings = [f"meridian-trading {i} co., ltd." for i in range(300)]
    with ScreeningEngine(screener, workers=2, summarise=summarise) as engine:
        handles = [engine.submit(firms[i : i + 50]) for i in range(0, 300, 50)]
        handles += [engine.submit(spellings[i : i + 50]) for i in range(0, 300, 50)]
        for handle in handles:
            engine.collect(handle)
        assert (engine.screened, engine.cache_hits) == (300, 300)


@given(
    name=st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40),
    workers=st.integers(1, 8),
)
@settings(max_examples=300)
def test_a_name_goes_to_one_worker_whatever_its_case_punctuation_and_legal_form(
    name: str, workers: int
) -> None:
    worker = worker_for(name, workers)
    assert 0 <= worker < workers
    assert worker_for(f"  {name.upper()} Co., Ltd.", workers) == worker_for(
        f"{name.lower()}, LLC", workers
    )


def test_the_cache_looks_up_many_keys_at_once() -> None:
    cache = ScreenCache(3)
    for key in "abc":
        cache.put(key, key.upper())
    assert cache.missing(["a", "x", "c", "y"]) == ["x", "y"]
    assert cache.get_many(["a", "x", "a"]) == ["A", None, "A"]
    assert (cache.hits, cache.misses) == (2, 1)
    cache.put("d", "D")  # "b" is now the least recently used
    assert cache.missing("abcd") == ["b"]


def test_the_committer_commits_in_order_and_reports_a_failure(tmp_path: Path) -> None:
    written: list[int] = []
    with (tmp_path / "out").open("wb") as handle:
        with Committer(handle.fileno(), lambda state: written.append(state.rows_done)) as c:
            for rows in range(1, 50):
                c.commit(Progress(rows_done=rows))
        assert written == list(range(1, 50))

        def fail(state: Progress) -> None:
            msg = f"disk full at {state.rows_done}"
            raise OSError(msg)

        committer = Committer(handle.fileno(), fail)
        committer.commit(Progress(rows_done=7))
        with pytest.raises(OSError, match="disk full at 7"):
            committer.close()


@settings(max_examples=200)
@given(st.text(alphabet="a\r\n", max_size=40), st.integers(1, 5), st.data())
def test_a_line_number_counts_lf_crlf_and_lone_cr_in_any_chunks(
    text: str, chunk: int, data: st.DataObject
) -> None:
    # The line of a byte, read in chunks of any size (a CRLF split between two is one break).
    offset = data.draw(st.integers(0, len(text)))
    before = text[:offset]
    expected = 1 + before.replace("\r\n", "\n").replace("\r", "\n").count("\n")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_bytes(text.encode("ascii"))
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(csvio, "CHUNK_BYTES", chunk)
            assert csvio._line_at(path, "utf-8", offset) == expected
