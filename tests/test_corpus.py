"""The bad-input corpus (tests/corpus/cases.yaml): every malformed export dropped into the raw folder makes
`python -m etl build` exit non-zero with one line naming its file, row and column, never a traceback, and leaves
the published build byte-identical; the few inputs that are rightly accepted are published with their warning
recorded in the manifest.

One build of the shipped data is made per module and copied for each case, so that each case pays only for the
build it tests. Cases whose input is made at run time (pipes, links, huge files, names that are not UTF-8) run
`python -m etl build` as a child process, as an operator does, with a time limit, so a hang or a crash of the
interpreter shows; the others call the same command-line entry point (etl.cli.main) in this process, which saves
the interpreter start and imports of each case (about a second each on this machine) and fails the test on any
exception that would have been a traceback.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook

from config import Settings
from etl import cli
from etl.build import build
from etl.limits import MAX_JSON_FILE_BYTES, MAX_TABLE_FIELDS, MAX_TABLE_FILE_BYTES, MAX_XLSX_UNCOMPRESSED_BYTES
from tests.conftest import copy_data_dir, make_settings, tree_checksum
from tests.test_raw_inputs import VT_EXPORT, published_manifest, run_build

CORPUS = Path(__file__).parent / "corpus"
CASES = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------------------------
# Inputs that cannot be stored in git: huge files, pipes, links, names that are not UTF-8. Each maker gets the
# case's folder under the raw folder.


def xlsx_bomb(folder: Path) -> None:
    """A valid Veilig Thuis workbook whose sheet XML is padded with whitespace past the unpacked-size limit: a file
    of some tens of kilobytes that would inflate to more than MAX_XLSX_UNCOMPRESSED_BYTES."""
    book = Workbook()
    book.active.title = "data"
    for line in VT_EXPORT.read_text(encoding="utf-8").splitlines():
        book.active.append(line.split(",")[:10])
    packed = io.BytesIO()
    book.save(packed)
    with (
        zipfile.ZipFile(packed) as source,
        zipfile.ZipFile(folder / "vt_export_bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for member in source.infolist():
            data = source.read(member)
            if member.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(member, data)
                continue
            with bomb.open(member.filename, "w", force_zip64=True) as sheet:
                sheet.write(data)
                padding = b" " * (1 << 20)
                for _ in range(MAX_XLSX_UNCOMPRESSED_BYTES // len(padding) + 1):
                    sheet.write(padding)


def huge_csv(folder: Path) -> None:
    """A Veilig Thuis CSV one byte over the limit: its header, then a hole (a sparse file, written instantly)."""
    path = folder / "vt_export_huge.csv"
    path.write_bytes(VT_EXPORT.read_bytes())
    os.truncate(path, MAX_TABLE_FILE_BYTES + 1)


def blank_lines(folder: Path) -> None:
    """A Veilig Thuis header and then more blank lines than MAX_TABLE_FIELDS: small on disk, millions of rows."""
    header = VT_EXPORT.read_bytes().split(b"\n", 1)[0]
    (folder / "vt_export_blank_lines.csv").write_bytes(header + b"\n" * (MAX_TABLE_FIELDS + 1))


def blank_lines_cr(folder: Path) -> None:
    """Valid rows, then more CR-only blank lines (old Mac line ends) than MAX_TABLE_FIELDS: the csv module takes a
    lone '\\r' as a line end, so they must be counted like '\\n'."""
    (folder / "vt_export_blank_lines_cr.csv").write_bytes(VT_EXPORT.read_bytes() + b"\r" * (MAX_TABLE_FIELDS + 1))


def huge_page(folder: Path) -> None:
    """The last OData page grown (sparsely) one byte past the JSON file limit."""
    os.truncate(folder / "Observations-0003.json", MAX_JSON_FILE_BYTES + 1)


def page_directory(folder: Path) -> None:
    (folder / "Observations-0002.json").unlink()
    (folder / "Observations-0002.json").mkdir()


def fifo(folder: Path) -> None:
    os.mkfifo(folder / "84851NED_pipe.csv")


def symlink_outside(folder: Path) -> None:
    (folder / "passwd.csv").symlink_to("/etc/passwd")


def symlink_loop(folder: Path) -> None:
    (folder / "loop").symlink_to("..", target_is_directory=True)


def non_utf8_name(folder: Path) -> None:
    with open(os.fsencode(folder) + b"/vt_export_\xff.csv", "wb") as handle:
        handle.write(VT_EXPORT.read_bytes())


MAKERS = {
    maker.__name__: maker
    for maker in (
        xlsx_bomb,
        huge_csv,
        blank_lines,
        blank_lines_cr,
        huge_page,
        page_directory,
        fifo,
        symlink_outside,
        symlink_loop,
        non_utf8_name,
    )
}


# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def published_template(tmp_path_factory) -> Settings:
    """The shipped data and one published build of it, made once and copied for every case."""
    root = tmp_path_factory.mktemp("corpus-template")
    settings = make_settings(copy_data_dir(root / "data"), root / "warehouse")
    build(settings, progress=False)
    return settings


@pytest.fixture
def case_data(published_template: Settings, tmp_path: Path) -> Settings:
    """A private copy of the shipped raw folder, and of the template's published warehouse, for one case."""
    settings = make_settings(copy_data_dir(tmp_path / "data"), tmp_path / "warehouse")
    shutil.copytree(published_template.warehouse_dir, settings.warehouse_dir)
    return settings


def drop_case(case: dict, raw: Path) -> None:
    """Place one case's input under the raw folder: its base fixture, minus removals, plus its files or maker."""
    folder = raw / case["into"]
    if "base" in case:
        shutil.copytree(Path(__file__).parent / case["base"], folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in case.get("remove", []):
        (folder / name).unlink()
    files = CORPUS / case["id"]
    if files.is_dir():
        for path in files.iterdir():
            shutil.copyfile(path, folder / path.name)
    if "generate" in case:
        MAKERS[case["generate"]](folder)


def test_the_corpus_covers_every_format_and_its_files_are_small():
    formats = {case["format"] for case in CASES}
    assert formats == {"odata_v3", "odata_v4", "statline_csv", "vt_export", "published"}
    assert len(CASES) >= 40
    assert len({case["id"] for case in CASES}) == len(CASES)
    stored = [path for path in CORPUS.rglob("*") if path.is_file()]
    assert max(path.stat().st_size for path in stored) < 64 * 1024
    for folder in (path for path in CORPUS.iterdir() if path.is_dir()):
        assert folder.name in {case["id"] for case in CASES}, f"{folder} belongs to no case"
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    for case in CASES:
        assert f"`{case['id']}`" in readme, f"README.md does not list {case['id']}"


def build_command(settings: Settings, child_process: bool, monkeypatch, capsys) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of `python -m etl build --quiet` on the settings' folders."""
    if child_process:
        result = run_build(settings)
        return result.returncode, result.stdout, result.stderr
    monkeypatch.setenv("HGKM_DATASET", settings.dataset)
    monkeypatch.setenv("HGKM_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("HGKM_WAREHOUSE_DIR", str(settings.warehouse_dir))
    code = cli.main(["build", "--quiet"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_corpus_case(case: dict, case_data: Settings, monkeypatch, capsys):
    published = tree_checksum(case_data.warehouse_dir)
    drop_case(case, case_data.raw_dir)

    code, stdout, stderr = build_command(case_data, "generate" in case, monkeypatch, capsys)

    output = stdout + stderr
    expect = case["expect"]
    assert "Traceback" not in output, output
    assert "could not be read: unexpected" not in output, f"only the safety net caught this input:\n{output}"
    assert code == expect["exit"], output
    if expect["exit"] == 0:
        _assert_accepted(case_data, expect)
        said = [line for line in stderr.splitlines() if line.startswith(f"{case_data.raw_dir / expect['file']}:::")]
        if expect["warning"] is None:  # accepted as it is: nothing to say
            assert not said, stderr
        else:  # recorded in the manifest, and said where the operator sees it
            assert any(":::warning: " in line and expect["warning"] in line for line in said), stderr
        return
    row = "" if expect["row"] is None else expect["row"]
    where = f"{case_data.raw_dir / expect['file']}:{row}:{expect['column'] or ''}: "
    lines = [line for line in stderr.splitlines() if line.startswith(where)]
    assert lines, f"no problem names {where!r}:\n{stderr}"
    message = expect["message"].replace("{raw}", str(case_data.raw_dir))  # a conflict names the other file too
    assert any(message in line for line in lines), stderr
    assert "nothing was published" in stderr
    assert tree_checksum(case_data.warehouse_dir) == published


def _assert_accepted(settings: Settings, expect: dict) -> None:
    """A rightly accepted input is published, and its warning is in the manifest for anyone to see."""
    inputs = {item["path"]: item for item in published_manifest(settings)["inputs"]}
    item = inputs[str(Path("raw") / expect["file"])]
    assert item["observations"] > 0, item
    if expect["warning"]:
        recorded = json.dumps(item["warnings"] + item["unmapped"], ensure_ascii=False)
        assert expect["warning"] in recorded, item


def test_an_unreadable_input_is_named_not_a_traceback(case_data: Settings, monkeypatch, capsys):
    """Tests run as root, whom file permissions do not stop, so the refusal of the operating system is made here:
    reading one curated file fails as it would for a file the build's user may not read."""
    target = case_data.raw_dir / "cbs-published" / "curated" / "84853NED.csv"
    published = tree_checksum(case_data.warehouse_dir)
    real_read_bytes = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path == target:
            raise PermissionError(13, "Permission denied", str(path))
        return real_read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    code, _, stderr = build_command(case_data, False, monkeypatch, capsys)

    assert code == 1, stderr
    assert f"{target}::: cannot be read: Permission denied" in stderr.splitlines()
    assert tree_checksum(case_data.warehouse_dir) == published
