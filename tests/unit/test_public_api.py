"""The public face stays small and pinned (docs/architecture.md; the httpx habit of a test
over ``__all__``): ``Lab``, ``Result``, the cluster configuration and the magics loader."""

from __future__ import annotations

import k8slab
from k8slab import Lab, Result


def test_exported_names_are_pinned() -> None:
    assert k8slab.__all__ == [
        "ClusterConfig", "Lab", "NodeConfig", "Result", "load_ipython_extension",
    ]
    for name in k8slab.__all__:
        assert hasattr(k8slab, name)


def test_result_keeps_the_terminal_order_of_both_streams() -> None:
    lab = Lab(seed=0)
    r = lab.sh("echo one; echo two >&2; echo three")
    assert (r.stdout, r.stderr, r.exit_code) == ("one\nthree\n", "two\n", 0)
    assert r.output == "one\ntwo\nthree\n"
    assert repr(r) == "one\ntwo\nthree"
    assert r._repr_html_() == (
        '<pre class="k8slab-terminal" style="margin:0">one\n'
        '<span style="color:#c0392b">two\n</span>three</pre>'
    )


def test_results_without_a_transcript_show_stdout_then_stderr() -> None:
    r = Result("out\n", "err\n", 1)
    assert r.output == "out\nerr\n"
    assert not r.ok
    assert repr(Result(exit_code=3)) == "<exit 3>"


def test_lab_methods_return_results_and_move_time() -> None:
    lab = Lab(seed=0)
    start = lab.elapsed
    assert lab.kubectl("get ns default -o name").stdout == "namespace/default\n"
    assert lab.sleep(5).exit_code == 0
    assert lab.elapsed - start >= 5
    bad = lab.kubectl("get pods nope")
    assert bad.exit_code == 1
    assert bad.stderr == 'Error from server (NotFound): pods "nope" not found\n'
