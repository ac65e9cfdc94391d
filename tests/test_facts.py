"""Facts: names resolved through imports and aliases, notebooks as one program, bad files as warnings."""

from __future__ import annotations

import pytest
from conftest import make_repo, notebook

from mlaudit.facts.cache import FactCache
from mlaudit.facts.notebook import extract_notebook, neutralise_magics
from mlaudit.facts.python_source import extract_python
from mlaudit.facts.store import FactStore
from mlaudit.repository import open_repository


def names(source: str) -> list[str]:
    facts, problems = extract_python(source.encode())
    assert not problems
    return [c.name for c in facts.calls]


def test_the_same_function_under_every_import_spelling():
    assert names("import numpy as np\nnp.random.seed(1)\n") == ["numpy.random.seed"]
    assert names("from numpy import random as npr\nnpr.seed(1)\n") == ["numpy.random.seed"]
    assert names("import numpy\nnumpy.random.seed(1)\n") == ["numpy.random.seed"]
    assert names("import numpy.random\nnumpy.random.seed(1)\n") == ["numpy.random.seed"]
    assert names("from sklearn.model_selection import train_test_split as tts\ntts(X)\n") == [
        "sklearn.model_selection.train_test_split"]


def test_local_aliases_and_instances_resolve():
    src = ("import numpy as np\nfrom sklearn.preprocessing import StandardScaler\n"
           "rng = np.random\nrng.seed(3)\nscaler = StandardScaler()\nscaler.fit(X)\n")
    assert names(src) == ["numpy.random.seed", "sklearn.preprocessing.StandardScaler",
                          "sklearn.preprocessing.StandardScaler().fit"]


def test_call_arguments_lines_scope_and_condition():
    facts, _ = extract_python(
        b"import random\n"
        b"def setup(seed=42, *, flag=None):\n"
        b"    if flag:\n"
        b"        random.seed(\n"
        b"            seed)\n"
        b"if __name__ == '__main__':\n"
        b"    random.seed(7)\n")
    first, second = [c for c in facts.calls if c.name == "random.seed"]
    assert (first.line, first.scope, first.conditional) == (4, "setup", True)
    assert first.args[0].kind == "name" and first.args[0].value == "seed"
    assert (second.line, second.conditional) == (7, False)  # the __main__ guard is not a condition
    assert second.args[0].value == 7
    fn = facts.functions[0]
    assert [(p.name, p.default.value if p.default else None) for p in fn.params] == [("seed", 42), ("flag", None)]
    assert facts.main_guard


def test_syntax_errors_are_problems_not_crashes():
    facts, problems = extract_python(b"print 'python 2'\n")
    assert problems and problems[0].line == 1 and "syntax error" in problems[0].message
    _, problems = extract_python(b"{% if cuda %}\nimport torch\n{% endif %}\n")
    assert problems
    _, problems = extract_python(b"x = 1\0\n")
    assert problems and "null bytes" in problems[0].message


def test_ipython_magics_keep_line_numbers():
    src = "%matplotlib inline\nimport numpy as np\n!pip install x\nfiles = !ls\nif True:\n    %time f()\nnp?\n"
    out = neutralise_magics(src)
    assert out.count("\n") == src.count("\n")
    assert "import numpy as np" in out.splitlines()[1]
    assert neutralise_magics("%%bash\necho hi\n") is None
    continued = "!saved_model_cli show --dir x \\\n      --tag_set serve\nimport os\n"
    assert neutralise_magics(continued).splitlines() == ["pass", "", "import os"]
    assert neutralise_magics("%%time\nx = 1\n").splitlines()[1] == "x = 1"


def test_notebook_cells_form_one_program_with_cell_positions():
    nb = notebook([("markdown", "# t", None), ("code", "%matplotlib inline\nimport numpy as np", 1),
                   ("code", "np.random.seed(0)", 2), ("code", "def broken(:", 3)])
    facts, problems = extract_notebook(nb.encode())
    call = facts.python.calls[0]
    assert (call.name, call.cell, call.line) == ("numpy.random.seed", 2, 1)
    assert [c.execution_count for c in facts.cells] == [None, 1, 2, 3]
    assert problems and problems[0].cell == 3


def test_bad_files_become_warnings_and_the_scan_goes_on(tmp_path):
    root = make_repo(tmp_path / "r", {
        "good.py": "import random\nrandom.seed(1)\n",
        "py2.py": "print 'old'\n",
        "latin1.py": "x = 'caf\xe9'\n".encode("latin-1"),
        "binary.py": b"\x00\x01\x02binary",
        "bad.ipynb": "{not json",
        "notnb.ipynb": '{"cells": 5}',
        "big.py": "x = 1\n" * 50,
    })
    repo = open_repository(root)
    store = FactStore(repo, FactCache(None), max_file_size=200)
    parsed = {f.path for f, _ in store.iter_code()}
    assert "good.py" in parsed
    by_path = {w.path: w.message for w in store.warnings}
    assert "syntax error" in by_path["py2.py"]
    assert "binary" in by_path["binary.py"]
    assert "invalid JSON" in by_path["bad.ipynb"]
    assert "notnb.ipynb" in by_path
    assert "limit" in by_path["big.py"]
    assert "latin1.py" in by_path  # not valid UTF-8 source: reported, not fatal


def test_a_malformed_notebook_costs_only_itself(tmp_path):
    odd = '{"cells": [{"cell_type": "code", "source": 5, "outputs": "x", "execution_count": 1}],' \
          ' "metadata": {"kernelspec": "python3"}, "nbformat": 4, "nbformat_minor": 5}'
    root = make_repo(tmp_path / "r", {"a.ipynb": odd, "b.py": "import random\nrandom.seed(1)\n",
                                      "bom.ipynb": "\ufeff" + notebook([("code", "x = 1", 1)])})
    store = FactStore(open_repository(root), FactCache(None))
    assert sorted(f.path for f, _ in store.iter_code()) == ["b.py", "bom.ipynb"]
    assert [w.path for w in store.warnings] == ["a.ipynb"]
    list(store.iter_code())
    assert store.stats.parsed == 3  # each file parsed once, however often probes ask


def test_a_file_too_deep_to_walk_leaves_no_partial_facts():
    facts, problems = extract_python(b"import numpy as np\nnp.random.seed(0)\nx = " + b"+".join([b"1"] * 1500) + b"\n")
    assert problems[0].message == "cannot parse: nesting too deep"
    assert facts.calls == [] and facts.imports == []


def test_yaml_aliases_are_built_once_and_deep_nesting_is_a_syntax_error():
    from mlaudit.yamlsource import YamlSyntaxError, load_yaml

    names = "abcdefghij"
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{names[i + 1]}: &{names[i + 1]} [{', '.join(['*' + names[i]] * 10)}]\n" for i in range(8))
    doc = load_yaml(bomb)  # ten to the ninth leaves if aliases were copied
    assert doc.data["i"][0] is doc.data["h"]
    with pytest.raises(YamlSyntaxError):
        load_yaml("x: " + "[" * 3000 + "]" * 3000)
