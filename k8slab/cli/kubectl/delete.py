"""``kubectl delete`` (``k8s.io/kubectl/pkg/cmd/delete/delete.go``).

Objects come from ``TYPE NAME…``, ``TYPE/NAME``, ``-f``, ``-l``, ``--field-selector`` or
``--all`` (``-A`` across namespaces). Each is deleted without a prior GET (``RequireObject
(false)``), so a missing one reports the server's NotFound; errors are collected and printed
after the successes. Output per object, kubectl ≥ 1.34: ``deployment.apps "x" deleted from
default namespace`` (cluster-scoped: ``node "x" deleted``), ``force deleted`` for
``--grace-period=0 --force``, `` (dry run)`` / `` (server dry run)`` appended; ``-o name``
prints ``deployment.apps/x``. Nothing matched → ``No resources found`` on stdout.

``--wait`` (default true): kubectl then waits until every deleted object is gone (its UID no
longer found), which for a pod on a node takes the kubelet's graceful termination; here that
wait passes virtual time, and stops at the workstation's deadline like Ctrl-C.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from ...api.errors import StatusError
from ...sim.clock import SECOND
from ...sim.process import WaitFor
from .cmd import Invocation, command
from .errors import Aggregate, KubectlError, add_source
from .resource import (
    Info,
    fetch,
    field_selector_from,
    parse_resource_args,
    read_files,
    selector_from,
)
from .util import dry_run

__all__ = ["MISSING_RESOURCE", "run_delete"]

MISSING_RESOURCE = (
    "You must provide one or more resources by argument or filename.\n"
    "Example resource specifications include:\n"
    "   '-f rsrc.yaml'\n"
    "   '--filename=rsrc.json'\n"
    "   '<resource> <name>'\n"
    "   '<resource>'"
)

_FORCE_WARNING = ("Warning: Immediate deletion does not wait for confirmation that the running "
                  "resource has been terminated. The resource may continue to run on the cluster "
                  "indefinitely.\n")


def _cascade(inv: Invocation) -> str:
    value = str(inv.flags.get("cascade", "background"))
    mapping = {"background": "Background", "foreground": "Foreground", "orphan": "Orphan",
               "true": "Background", "false": "Orphan"}
    if value not in mapping:
        raise KubectlError(f'invalid cascade value ({value}). Must be "background", '
                           '"foreground", or "orphan"')
    if value in ("true", "false"):
        from .util import klog_warning

        new = "background" if value == "true" else "orphan"
        klog_warning(inv, "helpers.go:802", f"--cascade={value} is deprecated (boolean value) "
                     f"and can be replaced with --cascade={new}.")
    return mapping[value]


@command("delete")
def run_delete(inv: Invocation) -> Generator[Any, Any, int]:
    flags = inv.flags
    args = inv.args
    factory = inv.factory
    cascade = _cascade(inv)
    grace = int(flags.get("grace-period", -1))
    force = bool(flags.get("force"))
    delete_all = bool(flags.get("all"))
    label = str(flags.get("selector") or "")
    field = str(flags.get("field-selector") or "")
    ignore_not_found = bool(flags.get("ignore-not-found"))
    if (delete_all or label or field) and not flags.is_changed("ignore-not-found"):
        ignore_not_found = True
    if flags.get("now"):
        if grace != -1:
            raise KubectlError("--now and --grace-period cannot be specified together")
        grace = 1
    if grace == 0 and not force:
        grace = 1
    if force and grace < 0:
        grace = 0
    strategy = dry_run(inv)
    output = str(flags.get("output") or "")
    if output and output != "name":
        raise KubectlError(f"unexpected -o output mode: {output}. We only support '-o name'")
    if delete_all and label:
        raise KubectlError("setting 'all' parameter but found a non empty selector. ")
    if delete_all and field:
        raise KubectlError("setting 'all' parameter but found a non empty field selector. ")
    if grace == 0 and force:
        inv.err(_FORCE_WARNING)
    elif grace > 0 and force:
        raise KubectlError("--force and --grace-period greater than 0 cannot be specified "
                           "together")
    if flags.get("interactive"):
        raise KubectlError("--interactive is not available in this lab")

    namespace, explicit = factory.namespace()
    all_ns = bool(flags.get("all-namespaces"))
    filenames = list(flags.get("filename") or [])
    errs: list[BaseException] = []
    targets: list[Info] = []
    if filenames:
        infos, errs = read_files(inv, filenames, recursive=bool(flags.get("recursive")),
                                 validate="ignore", namespace=namespace,
                                 enforce_namespace=explicit, served=factory.served)
        targets = infos
    else:
        if not args:
            raise KubectlError(MISSING_RESOURCE)
        parsed = parse_resource_args(inv, args)
        selector = selector_from(label)
        fields = field_selector_from(field)
        if parsed.named:
            if selector is not None or fields is not None or delete_all:
                if selector is not None or fields is not None:
                    raise KubectlError("selectors and the all flag cannot be used when passing "
                                       "resource/name arguments")
                raise KubectlError("selectors and the all flag cannot be used when passing "
                                   "resource/name arguments")
            for kind, name in parsed.pairs:
                ns = namespace if kind.namespaced else ""
                targets.append(Info(kind, ns, name))
        else:
            if selector is None and fields is None and not delete_all:
                raise KubectlError("resource(s) were provided, but no name was specified")
            if delete_all and selector is None:
                from ...api.selectors import Selector

                selector = Selector()
            listed, errs = fetch(inv, parsed, namespace=namespace, all_namespaces=all_ns,
                                 selector=selector, fields=fields)
            targets = listed

    api = factory.api
    deleted: list[tuple[Info, str]] = []
    warned = False
    for info in targets:
        if explicit and not all_ns and not info.kind.namespaced and not warned:
            inv.err("Warning: deleting cluster-scoped resources, not scoped to the provided "
                    "namespace\n")
            warned = True
        if strategy == "client":
            _print(inv, info, grace, strategy, output)
            continue
        factory.request()
        try:
            result = api.delete(info.kind, info.namespace, info.name, source="kubectl",
                                grace_period=grace if grace >= 0 else None,
                                propagation=cascade, dry_run=strategy == "server")
        except StatusError as exc:
            if ignore_not_found and exc.reason == "NotFound":
                continue
            errs.append(add_source("deleting", info.source, exc))
            continue
        _print(inv, info, grace, strategy, output)
        uid = ((result or {}).get("metadata") or {}).get("uid", "")
        deleted.append((info, uid))
    if ignore_not_found:
        errs = [e for e in errs if not (isinstance(e, StatusError) and e.reason == "NotFound")]
    if not targets and not errs:
        inv.out("No resources found\n")
        yield from factory.settle()
        return 0
    yield from factory.settle()
    if errs:
        raise Aggregate(errs)
    if not flags.get("wait", True) or strategy != "none" or not deleted:
        return 0
    timeout = int(flags.get("timeout") or 0) or 168 * 3600 * SECOND
    deadline = min(factory.deadline(), factory.now + timeout)

    def gone() -> bool:
        for info, uid in deleted:
            obj = api.try_get(info.kind, info.namespace, info.name)
            if obj is not None and (not uid or (obj.get("metadata") or {}).get("uid") == uid):
                return False
        return True

    if gone():
        return 0
    remaining = max(0, deadline - factory.now)
    done = yield WaitFor(gone, remaining, poll=SECOND)
    if done:
        return 0
    if factory.now >= factory.deadline():
        return 130
    pending = next(info for info, _ in deleted
                   if api.try_get(info.kind, info.namespace, info.name) is not None)
    raise KubectlError(f"timed out waiting for the condition on {pending.kind.plural}/"
                       f"{pending.name}")


def _print(inv: Invocation, info: Info, grace: int, strategy: str, output: str) -> None:
    kind = info.kind
    kind_string = f"{kind.singular}.{kind.group}" if kind.group else kind.singular
    if output == "name":
        inv.out(f"{kind_string}/{info.name}\n")
        return
    operation = "force deleted" if grace == 0 else "deleted"
    if kind.namespaced:
        operation = f"{operation} from {info.namespace} namespace"
    if strategy == "client":
        operation += " (dry run)"
    elif strategy == "server":
        operation += " (server dry run)"
    inv.out(f'{kind_string} "{info.name}" {operation}\n')
