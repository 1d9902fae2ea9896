"""``kubectl wait`` (``k8s.io/kubectl/pkg/cmd/wait``).

``--for=delete``, ``--for=create``, ``--for=condition=Ready[=true]`` and
``--for=jsonpath='{.status.phase}'=Running`` on ``TYPE NAME``, ``TYPE/NAME``, ``-l``, ``--all``.
Each object is waited for in turn on virtual time (``--timeout``, default 30s); success prints
``pod/x condition met`` (``pod/x deleted`` for delete), a timeout
``error: timed out waiting for the condition on pods/x``. The workstation's deadline stops the
wait like Ctrl-C (exit 130).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

from ...sim.clock import MILLISECOND
from ...sim.process import WaitFor
from .cmd import Invocation, command
from .errors import KubectlError
from .flags import go_quote
from .printers.name import qualified_name
from .resource import Info, select_objects

__all__ = ["run_wait"]

Obj = dict[str, Any]


def _condition_check(spec: str) -> tuple[str, Callable[[Obj | None], bool]]:
    if spec.lower() == "delete":
        return "delete", lambda obj: obj is None
    if spec.lower() == "create":
        return "create", lambda obj: obj is not None
    if spec.lower().startswith("condition="):
        rest = spec[len("condition="):]
        name, _, want = rest.partition("=")
        want = want or "true"
        if name.startswith("!"):
            name, want = name[1:], "false"

        def cond(obj: Obj | None) -> bool:
            if obj is None:
                return False
            for c in (obj.get("status") or {}).get("conditions") or []:
                if str(c.get("type", "")).lower() == name.lower():
                    return str(c.get("status", "")).lower() == want.lower()
            return False

        return "condition", cond
    if spec.lower().startswith("jsonpath="):
        rest = spec[len("jsonpath="):]
        expr, sep, value = rest.rpartition("=")
        if not sep or not expr:
            expr, value = rest, ""
        from .printers.custom_columns import relaxed_jsonpath
        from .printers.jsonpath import JSONPathPrinter

        printer = JSONPathPrinter(relaxed_jsonpath(expr), allow_missing_keys=True)

        def cond2(obj: Obj | None) -> bool:
            if obj is None:
                return False
            text = printer.print(obj)
            return text == value if value else bool(text)

        return "jsonpath", cond2
    raise KubectlError(f"unrecognized condition: {go_quote(spec)}")


@command("wait")
def run_wait(inv: Invocation) -> Generator[Any, Any, int]:
    flags = inv.flags
    fors = list(flags.get("for") or [])
    if not fors:
        raise KubectlError("unrecognized condition: []")
    checks = [_condition_check(f) for f in fors]
    factory = inv.factory
    api = factory.api
    timeout = int(flags.get("timeout") if flags.get("timeout") is not None else 0)
    creating = any(kind == "create" for kind, _ in checks)
    if creating:
        from .resource import parse_resource_args

        parsed = parse_resource_args(inv, inv.args)
        namespace, _ = factory.namespace()
        infos = [Info(k, namespace if k.namespaced else "", n) for k, n in parsed.pairs]
        errs: list[BaseException] = []
    else:
        infos, errs = select_objects(
            inv, inv.args, select_all=bool(flags.get("all")),
            label_selector=str(flags.get("selector") or ""),
            field_selector=str(flags.get("field-selector") or ""),
            filenames=list(flags.get("filename") or []),
            all_namespaces=bool(flags.get("all-namespaces")))
    if errs:
        if any(kind == "delete" for kind, _ in checks):
            errs = []
        else:
            from .errors import Aggregate

            raise Aggregate(errs)
    if not infos:
        raise KubectlError("no matching resources found")
    yield from factory.settle()
    deadline = factory.deadline()
    end = factory.now + timeout
    for info in infos:
        uid = ((info.obj or {}).get("metadata") or {}).get("uid")

        def current(info: Info = info, uid: str | None = uid) -> Obj | None:
            obj = api.try_get(info.kind, info.namespace, info.name)
            if obj is not None and uid and obj["metadata"].get("uid") != uid:
                return None
            return obj

        def met() -> bool:
            obj = current()
            return all(check(obj) for _, check in checks)

        if not met():
            limit = min(end, deadline)
            ok = yield WaitFor(met, max(0, limit - factory.now), poll=100 * MILLISECOND)
            if not ok:
                if factory.now >= deadline and deadline < end:
                    return 130
                raise KubectlError(f"timed out waiting for the condition on "
                                   f"{info.kind.plural}/{info.name}")
        obj = current()
        shown = obj or info.obj or {"apiVersion": info.kind.api_version, "kind": info.kind.kind,
                                     "metadata": {"name": info.name}}
        verb = "deleted" if checks[0][0] == "delete" else "condition met"
        inv.out(f"{qualified_name(shown)} {verb}\n")
    return 0
