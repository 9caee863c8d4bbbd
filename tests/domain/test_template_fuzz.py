"""The template loader on mutated and arbitrary text: it loads, or says one clear line why not."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casereader.domain.template.loader import load_template, parse_template
from casereader.errors import TemplateError

FORMS = Path(__file__).resolve().parents[2] / "forms"
SHIPPED = {p.name: p.read_text(encoding="utf-8") for p in sorted(FORMS.glob("*.toml"))}
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _loads_or_says_why(text: str) -> None:
    try:
        template = parse_template(text, "fuzzed.toml")
    except TemplateError as exc:
        message = str(exc)
        assert message.startswith("fuzzed.toml: ") and len(message) > len("fuzzed.toml: ")
        assert "Traceback" not in message
    else:
        assert template.id and template.stages  # a template that loads is a whole template


def _lines_edited(text: str, edits: list[tuple[int, str, str]]) -> str:
    lines = text.splitlines()
    for at, kind, extra in edits:
        if not lines:
            break
        i = at % len(lines)
        if kind == "drop":
            del lines[i]
        elif kind == "dup":
            lines.insert(i, lines[i])
        elif kind == "cut":
            lines[i] = lines[i][: len(lines[i]) // 2]
        elif kind == "value" and "=" in lines[i]:
            lines[i] = lines[i].split("=", 1)[0] + "= " + extra
        else:
            lines.insert(i, extra)
    return "\n".join(lines)


edits = st.lists(
    st.tuples(
        st.integers(0, 10_000),
        st.sampled_from(["drop", "dup", "cut", "value", "insert"]),
        st.sampled_from(['""', "0", "-1", "[]", "{}", "true", '"x"', "1e309", '"\\u0000"',
                         "[[stages]]", "[scale]", 'id = "grade"', "kind = \"nope\""]),
    ),
    min_size=1,
    max_size=6,
)  # fmt: skip


@FUZZ
@given(name=st.sampled_from(sorted(SHIPPED)), edits=edits)
def test_edited_shipped_templates_load_or_are_refused_clearly(name, edits):
    _loads_or_says_why(_lines_edited(SHIPPED[name], edits))


@FUZZ
@given(text=st.text(max_size=2000))
def test_arbitrary_text_is_refused_clearly(text):
    _loads_or_says_why(text)


@FUZZ
@given(name=st.sampled_from(sorted(SHIPPED)), cut=st.integers(0, 100_000))
def test_truncated_templates_are_refused_clearly(name, cut):
    text = SHIPPED[name]
    _loads_or_says_why(text[: cut % len(text)])


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=3000))
def test_arbitrary_bytes_in_a_template_file_are_refused_clearly(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("tpl") / "bytes.toml"
    path.write_bytes(data)
    try:
        load_template(path)
    except TemplateError as exc:
        assert str(exc).startswith(str(path)) and "\n" not in str(exc).strip()
