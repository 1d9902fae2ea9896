"""``kubectl create`` (``k8s.io/kubectl/pkg/cmd/create``).

- ``create -f``: every object from the files is POSTed as it is visited; errors (decoding or
  from the server, ``error when creating "x.yaml": …``) are collected and printed after the
  successes (``create.go`` ``RunCreate``). ``--save-config`` stores the last-applied annotation.
- the generators build the same objects as upstream — checked byte for byte against the real
  binary with ``--dry-run=client -o yaml`` in tests/oracle:
  ``create deployment`` (``create_deployment.go``: labels/selector ``app=<name>``, one container
  per ``--image`` named after the image, sanitized with a random suffix when it has ``.``/``_``,
  ``--port``, ``--replicas``, a command after ``--``), ``create namespace``,
  ``create configmap`` / ``create secret generic`` (``--from-literal``, ``--from-file``,
  ``--from-env-file``; keys validated as upstream), ``create service
  clusterip|nodeport|loadbalancer|externalname`` (``--tcp=port[:targetPort]``, port names
  ``80-8080``), ``create serviceaccount``. Server errors are wrapped as upstream does
  (``failed to create deployment: …``, ``failed to create secret …``).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Generator
from typing import Any

from ...api.errors import StatusError
from ...sim.fs import FSError, normpath
from .cmd import Invocation, command
from .errors import Aggregate, KubectlError, add_source, usage_error
from .flags import go_quote
from .output import ObjectPrinter
from .resource import read_files, selector_from, validation_mode
from .util import dry_run, record

__all__ = ["run_create"]

Obj = dict[str, Any]


@command("create")
def run_create(inv: Invocation) -> Generator[Any, Any, int]:
    flags = inv.flags
    filenames = list(flags.get("filename") or [])
    if not filenames and not flags.get("kustomize"):
        if inv.args:
            raise usage_error(inv.cmd.path, f"Unexpected args: [{' '.join(inv.args)}]")
        raise KubectlError("must specify one of -f and -k")
    if flags.get("kustomize"):
        raise KubectlError("kustomize is not available in this lab")
    if flags.get("edit"):
        raise KubectlError("--edit is not available in this lab")
    strategy = dry_run(inv)
    validate = validation_mode(inv)
    output = str(flags.get("output") or "")
    printer = ObjectPrinter(inv, output, operation="created", dry_run=strategy)
    factory = inv.factory
    namespace, explicit = factory.namespace()
    selector = selector_from(str(flags.get("selector") or ""))
    infos, decode_errs = read_files(inv, filenames, recursive=bool(flags.get("recursive")),
                                    validate=validate, namespace=namespace,
                                    enforce_namespace=explicit, served=factory.served)
    factory.request()
    errs: list[BaseException] = list(decode_errs)
    count = 0
    for info in infos:
        assert info.obj is not None
        obj = info.obj
        if selector is not None and not selector.matches(
            (obj.get("metadata") or {}).get("labels") or {}
        ):
            continue
        obj = _save_config(inv, obj)
        obj = record(inv, obj)
        if strategy != "client":
            factory.request()
            try:
                obj = factory.api.create(obj, source="kubectl", namespace=info.namespace,
                                         dry_run=strategy == "server")
            except StatusError as exc:
                errs.append(add_source("creating", info.source, exc))
                continue
        count += 1
        printer.print(obj, info.kind)
    yield from factory.settle()
    if errs:
        raise Aggregate(errs)
    if count == 0:
        raise KubectlError("no objects passed to create")
    return 0


def _save_config(inv: Invocation, obj: Obj) -> Obj:
    """``CreateOrUpdateAnnotation``: ``--save-config`` stores last-applied."""
    if not inv.flags.get("save-config"):
        return obj
    from .apply import modified_configuration

    _, annotated = modified_configuration(obj)
    return annotated


def _name(inv: Invocation) -> str:
    """``NameFromCommandArgs``: exactly one NAME before ``--``."""
    count = inv.args_len_at_dash if inv.args_len_at_dash >= 0 else len(inv.args)
    if count != 1:
        raise usage_error(inv.cmd.path, f"exactly one NAME is required, got {count}")
    return inv.args[0]


def _generated(
    inv: Invocation, build: Callable[[str, str], Obj], wrap: Callable[[StatusError], str] | None
) -> Generator[Any, Any, int]:
    """Complete/Validate/Run shared by the generator subcommands."""
    name = _name(inv)
    strategy = dry_run(inv)
    output = str(inv.flags.get("output") or "")
    printer = ObjectPrinter(inv, output, operation="created", dry_run=strategy, typed=True)
    factory = inv.factory
    namespace, explicit = factory.namespace()
    obj = build(name, namespace if explicit else "")
    obj = _save_config(inv, obj)
    if strategy != "client":
        factory.request(2)
        try:
            obj = factory.api.create(obj, source="kubectl", namespace=namespace,
                                     dry_run=strategy == "server")
        except StatusError as exc:
            yield from factory.settle()
            if wrap is None:
                raise
            raise KubectlError(wrap(exc)) from None
    from ...api.kinds import by_gvk

    printer.print(obj, by_gvk(obj["apiVersion"], obj["kind"]))
    yield from factory.settle()
    return 0


def _meta(name: str, namespace: str, labels: dict[str, str] | None = None) -> Obj:
    """ObjectMeta in Go field order (``-o json`` of a typed object keeps it)."""
    meta: Obj = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    if labels is not None:
        meta["labels"] = labels
    return meta


# ------------------------------------------------------------------------- deployment

_SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


def _container_name(inv: Invocation, image: str) -> str:
    name = image.split("/")[-1]
    if ":" in name:
        name = name.split(":")[0]
    if "@" in name:
        name = name.split("@")[0]
    if "_" in name or "." in name:
        name = name.replace("_", "-").replace(".", "-")
        rng = inv.factory.cluster.streams("kubectl-rand")
        name = name + "-" + "".join(rng.choice(_SUFFIX_ALPHABET) for _ in range(5))
    return name


@command("create deployment")
def run_create_deployment(inv: Invocation) -> Generator[Any, Any, int]:
    images = list(inv.flags.get("image") or [])
    dash = inv.args_len_at_dash
    cmd_args = inv.args[dash:] if dash >= 0 else inv.args[1:]
    _name(inv)
    if len(images) > 1 and cmd_args:
        raise KubectlError("cannot specify multiple --image options and command")
    port = int(inv.flags.get("port"))
    replicas = int(inv.flags.get("replicas"))

    def build(name: str, namespace: str) -> Obj:
        labels = {"app": name}
        containers: list[Obj] = []
        for i, image in enumerate(images):
            c: Obj = {"name": _container_name(inv, image), "image": image}
            if cmd_args:
                c["command"] = list(cmd_args)
            if i == 0 and port >= 0:
                c["ports"] = [{"containerPort": port}]
            c["resources"] = {}
            containers.append(c)
        return {
            "kind": "Deployment",
            "apiVersion": "apps/v1",
            "metadata": _meta(name, namespace, dict(labels)),
            "spec": {
                "replicas": replicas,
                "selector": {"matchLabels": dict(labels)},
                "template": {"metadata": {"labels": dict(labels)},
                             "spec": {"containers": containers}},
                "strategy": {},
            },
            "status": {},
        }

    return (yield from _generated(inv, build,
                                  lambda e: f"failed to create deployment: {e.message}"))


# ------------------------------------------------------------------------- namespace, sa


@command("create namespace")
def run_create_namespace(inv: Invocation) -> Generator[Any, Any, int]:
    def build(name: str, namespace: str) -> Obj:
        return {"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": name},
                "spec": {}, "status": {}}

    return (yield from _generated(inv, build, None))


@command("create serviceaccount")
def run_create_serviceaccount(inv: Invocation) -> Generator[Any, Any, int]:
    def build(name: str, namespace: str) -> Obj:
        return {"kind": "ServiceAccount", "apiVersion": "v1", "metadata": _meta(name, namespace)}

    return (yield from _generated(inv, build,
                                  lambda e: f"failed to create serviceaccount: {e.message}"))


# ------------------------------------------------------------------------- configmap, secret

_CONFIG_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")
_ENV_NAME = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")


def _check_key(key: str, kind: str) -> None:
    if len(key) > 253 or not _CONFIG_KEY.match(key) or key in (".", "..") or key.startswith(".."):
        if key in (".", "..") or key.startswith(".."):
            detail = "must not be '.'" if key == "." else (
                "must not be '..'" if key == ".." else "must not start with '..'")
        else:
            detail = ("a valid config key must consist of alphanumeric characters, '-', '_' or "
                      "'.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for "
                      "validation is '[-._a-zA-Z0-9]+')")
        if kind == "Secret":
            # create_secret.go words it differently from create_configmap.go.
            raise KubectlError(f"{go_quote(key)} is not valid key name for a Secret {detail}")
        raise KubectlError(f"{go_quote(key)} is not a valid key name for a {kind}: {detail}")


def _read_file(inv: Invocation, path: str) -> bytes:
    full = normpath(path, inv.ctx.cwd)
    try:
        return inv.ctx.fs.read(full)
    except FSError as exc:
        raise KubectlError(f"error reading {path}: {exc.strerror_text.lower()}") from None


def _sources(inv: Invocation, kind: str) -> list[tuple[str, bytes]]:
    """(key, value) pairs from --from-file, --from-literal and --from-env-file, in that order."""
    files = list(inv.flags.get("from-file") or [])
    literals = list(inv.flags.get("from-literal") or [])
    env_files = list(inv.flags.get("from-env-file") or [])
    if env_files and (files or literals):
        raise KubectlError("from-env-file cannot be combined with from-file or from-literal")
    pairs: list[tuple[str, bytes]] = []
    for spec in files:
        if "=" in spec:
            key, path = spec.split("=", 1)
            if not key:
                raise KubectlError(f"key names or file paths cannot be empty: {spec}")
        else:
            key, path = spec.rsplit("/", 1)[-1], spec
        full = normpath(path, inv.ctx.cwd)
        if inv.ctx.fs.is_dir(full):
            if "=" in spec:
                raise KubectlError("cannot give a key name for a directory path")
            for entry in inv.ctx.fs.listdir(full):
                child = full.rstrip("/") + "/" + entry
                if not inv.ctx.fs.is_dir(child):
                    pairs.append((entry, inv.ctx.fs.read(child)))
            continue
        pairs.append((key, _read_file(inv, path)))
    for spec in literals:
        if "=" not in spec or spec.startswith("="):
            raise KubectlError(f"invalid literal source {spec}, expected key=value")
        key, value = spec.split("=", 1)
        pairs.append((key, value.encode("utf-8")))
    for path in env_files:
        data = _read_file(inv, path).decode("utf-8", errors="replace")
        for line in data.splitlines():
            stripped = line.lstrip()
            if not stripped or stripped.startswith("#"):
                continue
            if "=" in stripped:
                key, value = stripped.split("=", 1)
            else:
                key, value = stripped, inv.ctx.env.get(stripped)
                if value is None:
                    continue
            if not _ENV_NAME.match(key):
                raise KubectlError(
                    f"{go_quote(key)} is not a valid key name: a valid environment variable "
                    "name must consist of alphabetic characters, digits, '_', '-', or '.', and "
                    "must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or "
                    "'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"
                )
            pairs.append((key, value.encode("utf-8")))
    return pairs


@command("create configmap")
def run_create_configmap(inv: Invocation) -> Generator[Any, Any, int]:
    name = _name(inv)
    pairs = _sources(inv, "ConfigMap")
    data: dict[str, str] = {}
    binary: dict[str, str] = {}
    for key, value in pairs:
        _check_key(key, "ConfigMap")
        if key in data or key in binary:
            where = "Data" if key in data else "BinaryData"
            raise KubectlError(f"cannot add key {go_quote(key)}, another key by that name "
                               f"already exists in {where} for ConfigMap {go_quote(name)}")
        try:
            data[key] = value.decode("utf-8")
        except UnicodeDecodeError:
            binary[key] = base64.b64encode(value).decode("ascii")

    def build(name: str, namespace: str) -> Obj:
        obj: Obj = {"kind": "ConfigMap", "apiVersion": "v1", "metadata": _meta(name, namespace)}
        if data:
            obj["data"] = dict(sorted(data.items()))
        if binary:
            obj["binaryData"] = dict(sorted(binary.items()))
        return obj

    return (yield from _generated(inv, build,
                                  lambda e: f"failed to create configmap: {e.message}"))


@command("create secret generic")
def run_create_secret_generic(inv: Invocation) -> Generator[Any, Any, int]:
    _name(inv)
    pairs = _sources(inv, "Secret")
    data: dict[str, str] = {}
    for key, value in pairs:
        _check_key(key, "Secret")
        if key in data:
            raise KubectlError(f"cannot add key {key}, another key by that name already exists")
        data[key] = base64.b64encode(value).decode("ascii")
    secret_type = str(inv.flags.get("type") or "")

    def build(name: str, namespace: str) -> Obj:
        obj: Obj = {"kind": "Secret", "apiVersion": "v1", "metadata": _meta(name, namespace)}
        if data:
            obj["data"] = dict(sorted(data.items()))
        if secret_type:
            obj["type"] = secret_type
        return obj

    return (yield from _generated(inv, build,
                                  lambda e: f"failed to create secret {e.message}"))


# ------------------------------------------------------------------------- services

_PORT_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])*$")


def _parse_port(text: str) -> int:
    """``utilsnet.ParsePort(s, allowZero=true)``."""
    if not text.isdigit():
        raise KubectlError(f"strconv.ParseUint: parsing {go_quote(text)}: invalid syntax")
    value = int(text)
    if value > 65535:
        raise KubectlError(f"strconv.ParseUint: parsing {go_quote(text)}: value out of range")
    return value


def _target_port(text: str) -> Any:
    try:
        num = int(text)
    except ValueError:
        problems = []
        if len(text) > 15:
            problems.append("must be no more than 15 characters")
        if not _PORT_NAME.match(text):
            problems.append("must contain only alpha-numeric characters (a-z, 0-9), and "
                            "hyphens (-)")
        if "--" in text:
            problems.append("must not contain consecutive hyphens")
        if not re.search("[a-z]", text):
            problems.append("must contain at least one letter (a-z)")
        if problems:
            raise KubectlError(",".join(problems)) from None
        return text
    if not 1 <= num <= 65535:
        raise KubectlError("must be between 1 and 65535, inclusive")
    return num


def _service(inv: Invocation, svc_type: str) -> Generator[Any, Any, int]:
    _name(inv)
    tcp = list(inv.flags.get("tcp") or [])
    cluster_ip = str(inv.flags.get("clusterip") or "") if "clusterip" in inv.flags.flags else ""
    external = str(inv.flags.get("external-name") or "")
    node_port = int(inv.flags.get("node-port") or 0) if "node-port" in inv.flags.flags else 0
    if cluster_ip == "None" and svc_type != "ClusterIP":
        raise KubectlError("ClusterIP=None can only be used with ClusterIP service type")
    if cluster_ip != "None" and not tcp and svc_type != "ExternalName":
        raise KubectlError("at least one tcp port specifier must be provided")
    if svc_type == "ExternalName":
        from ...api.validation.meta import is_dns1123_subdomain

        if is_dns1123_subdomain(external):
            raise KubectlError(f"invalid service external name {external}")
    ports: list[Obj] = []
    for spec in tcp:
        parts = spec.split(":")
        port = _parse_port(parts[0])
        target = port if len(parts) == 1 else _target_port(parts[1])
        entry: Obj = {"name": spec.replace(":", "-"), "protocol": "TCP", "port": port,
                      "targetPort": target}
        if node_port:
            entry["nodePort"] = node_port
        ports.append(entry)

    def build(name: str, namespace: str) -> Obj:
        spec: Obj = {}
        if ports:
            spec["ports"] = ports
        spec["selector"] = {"app": name}
        if cluster_ip:
            spec["clusterIP"] = cluster_ip
        spec["type"] = svc_type
        if external:
            spec["externalName"] = external
        return {"kind": "Service", "apiVersion": "v1",
                "metadata": _meta(name, namespace, {"app": name}),
                "spec": spec, "status": {"loadBalancer": {}}}

    return (yield from _generated(inv, build,
                                  lambda e: f"failed to create {svc_type} service: {e.message}"))


@command("create service clusterip")
def run_create_service_clusterip(inv: Invocation) -> Generator[Any, Any, int]:
    return (yield from _service(inv, "ClusterIP"))


@command("create service nodeport")
def run_create_service_nodeport(inv: Invocation) -> Generator[Any, Any, int]:
    return (yield from _service(inv, "NodePort"))


@command("create service loadbalancer")
def run_create_service_loadbalancer(inv: Invocation) -> Generator[Any, Any, int]:
    return (yield from _service(inv, "LoadBalancer"))


@command("create service externalname")
def run_create_service_externalname(inv: Invocation) -> Generator[Any, Any, int]:
    return (yield from _service(inv, "ExternalName"))
