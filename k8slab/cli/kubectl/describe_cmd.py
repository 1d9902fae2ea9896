"""``kubectl describe`` — the command (``k8s.io/kubectl/pkg/cmd/describe/describe.go``).

Resolves ``TYPE``, ``TYPE NAME_PREFIX``, ``TYPE/NAME``, ``-l`` and ``-A`` like upstream
(a bare name is also a *prefix*: ``kubectl describe pod web`` describes every pod whose name
starts with ``web`` when no pod is named exactly ``web``), then prints each object with
:func:`k8slab.cli.kubectl.describe.describe` (the describers), separated by a blank line.
``No resources found in default namespace.`` when nothing matched.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from ...api import errors as api_errors
from .cmd import Invocation, command
from .errors import Aggregate, KubectlError
from .resource import Info, fetch, parse_resource_args, read_files, selector_from

__all__ = ["run_describe"]


@command("describe")
def run_describe(inv: Invocation) -> Generator[Any, Any, int]:
    flags = inv.flags
    args = inv.args
    filenames = list(flags.get("filename") or [])
    if not args and not filenames:
        raise KubectlError('You must specify the type of resource to describe. Use "kubectl '
                           'api-resources" for a complete list of supported resources.')
    factory = inv.factory
    api = factory.api
    namespace, explicit = factory.namespace()
    all_ns = bool(flags.get("all-namespaces"))
    selector = selector_from(str(flags.get("selector") or ""))
    errs: list[BaseException] = []
    infos: list[Info] = []
    if filenames:
        file_infos, errs = read_files(inv, filenames, recursive=bool(flags.get("recursive")),
                                      validate="ignore", namespace=namespace,
                                      enforce_namespace=explicit, served=factory.served)
        for info in file_infos:
            factory.request()
            obj = api.try_get(info.kind, info.namespace, info.name)
            if obj is None:
                errs.append(api_errors.not_found(info.kind.resource, info.name))
            else:
                infos.append(Info(info.kind, info.namespace, info.name, info.source, obj))
    else:
        parsed = parse_resource_args(inv, args)
        if parsed.named and any("/" in a for a in args):
            found, errs = fetch(inv, parsed, namespace=namespace)
            infos = found
        elif parsed.named:
            # describe matches a bare name as a prefix when there is no exact match.
            for kind, name in parsed.pairs:
                ns = namespace if kind.namespaced else ""
                factory.request()
                exact = api.try_get(kind, ns, name)
                if exact is not None:
                    infos.append(Info(kind, ns, name, obj=exact))
                    continue
                prefixed = [o for o in api.list(kind, None if all_ns else ns, selector)
                            if o["metadata"]["name"].startswith(name)]
                if not prefixed:
                    errs.append(api_errors.not_found(kind.resource, name))
                for obj in prefixed:
                    infos.append(Info(kind, obj["metadata"].get("namespace", ""),
                                      obj["metadata"]["name"], obj=obj))
        else:
            from ...api.selectors import Selector

            infos, errs = fetch(inv, parsed, namespace=namespace, all_namespaces=all_ns,
                                selector=selector or Selector())
    from . import describe as describers

    texts: list[str] = []
    for info in infos:
        assert info.obj is not None
        factory.request(2)
        texts.append(str(describers.describe(factory.cluster, info.kind, info.obj,
                                             factory.now)))
    if texts:
        # describe.go: the first object as is, every further one after "\n\n".
        inv.out(texts[0] + "".join("\n\n" + t for t in texts[1:]))
    if not infos and not errs:
        if all_ns:
            inv.err("No resources found\n")
        else:
            inv.err(f"No resources found in {namespace} namespace.\n")
    yield from factory.settle()
    if errs:
        raise Aggregate(errs)
    return 0
