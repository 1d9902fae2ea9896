"""``kubectl api-resources`` and ``api-versions`` (``k8s.io/kubectl/pkg/cmd/apiresources``).

Discovery comes from :mod:`k8slab.api.kinds` (what a kubeadm 1.37 cluster serves, plus the
kinds other parts of the lab install, such as Istio's CRDs, once served). Rows are sorted by API
group then resource name (``sortableResource``); columns ``NAME SHORTNAMES APIVERSION
NAMESPACED KIND`` (+ ``VERBS CATEGORIES`` with ``-o wide``), tabwriter as ``get``. Filters:
``--namespaced``, ``--api-group``, ``--verbs``, ``--categories``, ``--sort-by=name|kind``;
``-o name`` prints ``deployments.apps``.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from ...api.kinds import KINDS, Kind
from .cmd import Invocation, command
from .errors import KubectlError, usage_error
from .flags import go_quote

__all__ = ["served_kinds"]


def served_kinds(inv: Invocation) -> list[Kind]:
    return [k for k in KINDS if inv.factory.served(k)]


@command("api-resources")
def run_api_resources(inv: Invocation) -> Generator[Any, Any, int]:
    flags = inv.flags
    if inv.args:
        raise usage_error(inv.cmd.path, f"unexpected arguments: [{' '.join(inv.args)}]")
    output = str(flags.get("output") or "")
    if output not in ("", "wide", "name", "json", "yaml", "kyaml"):
        raise KubectlError(f"unable to match a printer suitable for the output format "
                           f"{go_quote(output)}, allowed formats are: json,kyaml,name,wide,yaml")
    sort_by = str(flags.get("sort-by") or "")
    if sort_by not in ("", "name", "kind"):
        raise KubectlError('--sort-by accepts only name or kind')
    kinds = served_kinds(inv)
    if flags.is_changed("namespaced"):
        want = bool(flags.get("namespaced"))
        kinds = [k for k in kinds if k.namespaced == want]
    group = flags.get("api-group")
    if flags.is_changed("api-group"):
        kinds = [k for k in kinds if k.group == group]
    verbs = [v for v in (flags.get("verbs") or []) if v]
    if verbs:
        kinds = [k for k in kinds if all(v in k.verbs for v in verbs)]
    categories = [c for c in (flags.get("categories") or []) if c]
    if categories:
        kinds = [k for k in kinds if all(c in k.categories for c in categories)]

    def key(k: Kind) -> tuple[str, str]:
        first = {"name": k.plural, "kind": k.kind}.get(sort_by, k.group)
        return first, k.plural

    kinds = sorted(kinds, key=key)
    inv.factory.request(2)
    if output == "name":
        inv.out("".join((f"{k.plural}.{k.group}" if k.group else k.plural) + "\n"
                        for k in kinds))
        yield from inv.factory.settle()
        return 0
    if output in ("json", "yaml", "kyaml"):
        raise KubectlError(f"{output} output of api-resources is not supported in this lab")
    from .printers.tabwriter import table_writer

    w = table_writer()
    wide = output == "wide"
    if not flags.get("no-headers"):
        cols = ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
        if wide:
            cols += ["VERBS", "CATEGORIES"]
        w.write("\t".join(cols) + "\n")
    for k in kinds:
        cells = [k.plural, ",".join(k.short_names), k.api_version,
                 "true" if k.namespaced else "false", k.kind]
        if wide:
            cells += [",".join(k.verbs), ",".join(k.categories)]
        w.write("\t".join(cells) + "\n")
    w.flush()
    inv.out(w.getvalue())
    yield from inv.factory.settle()
    return 0


@command("api-versions")
def run_api_versions(inv: Invocation) -> Generator[Any, Any, int]:
    versions: set[str] = set()
    for k in served_kinds(inv):
        versions.add(k.api_version)
    from ...api import kinds as kinds_module

    for (group, _kind), version in getattr(kinds_module, "_EXTRA_VERSIONS", {}).items():
        versions.add(f"{group}/{version}")
    inv.factory.request()
    inv.out("".join(v + "\n" for v in sorted(versions)))
    yield from inv.factory.settle()
    return 0
