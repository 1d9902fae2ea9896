"""Traefik's Kubernetes Ingress provider: which Ingress rules a Traefik pod serves.

The course installs Traefik with ``manifests/08-ingress/traefik.yaml`` (the talk names it as
its ingress controller): a Deployment of ``traefik:v3.5.3`` in the ``traefik`` namespace, the
``traefik`` IngressClass (controller ``traefik.io/ingress-controller``, the default class) and
a ``LoadBalancer`` Service publishing ports 80/443 (entry points ``web`` :8000 and
``websecure`` :8443). The proxy itself is the Traefik app (:mod:`k8slab.apps.traefik`); this
module is its ``kubernetesingress`` provider, following ``traefik/traefik``
``pkg/provider/kubernetes/ingress/kubernetes.go``:

- an Ingress is served when its ``ingressClassName`` names an IngressClass of Traefik's
  controller, or it carries the annotation ``kubernetes.io/ingress.class: traefik``, or it has
  no class and Traefik's IngressClass is the default one;
- each path becomes a router whose rule is ``Host(`h`)`` (``HostRegexp`` for ``*.`` hosts)
  ``&& PathPrefix(`/p`)`` — ``Prefix`` and ``ImplementationSpecific`` both map to Traefik's
  *string* prefix match, ``Exact`` to ``Path`` — with Traefik's default priority, the length of
  the rule, longest first;
- ``defaultBackend`` (only on an Ingress without rules) becomes the catch-all router with the
  lowest priority;
- a backend Service with no ready endpoints is skipped ("Skipping service: no endpoints
  found"), so its paths answer Traefik's ``404 page not found``; servers are the Service's
  ready endpoints (Traefik bypasses kube-proxy), taken in weighted round robin;
- ``--providers.kubernetesingress.ingressendpoint.publishedservice=traefik/traefik``: every
  served Ingress gets the published Service's ``status.loadBalancer.ingress`` (so ``kubectl get
  ingress`` shows the MetalLB address in ADDRESS); nothing while that Service is pending.

The provider acts only while a Traefik pod runs: Traefik apps register here when they start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..api.errors import StatusError
from ..api.kinds import Kind, by_gvk
from ..apps.catalog import Image, catalogue, register
from ..controllers.base import WorkQueue
from ..controllers.endpointslice import SLICE_INDEX, ensure_slice_index
from ..sim.clock import MILLISECOND

if TYPE_CHECKING:
    from .model import Network

__all__ = ["CONTROLLER", "TRAEFIK_IMAGE", "IngressController", "Router", "TraefikConfig"]

Obj = dict[str, Any]

INGRESS: Kind = by_gvk("networking.k8s.io/v1", "Ingress")  # type: ignore[assignment]
INGRESS_CLASS: Kind = by_gvk("networking.k8s.io/v1", "IngressClass")  # type: ignore[assignment]
SERVICE: Kind = by_gvk("v1", "Service")  # type: ignore[assignment]
ENDPOINT_SLICE: Kind = by_gvk("discovery.k8s.io/v1", "EndpointSlice")  # type: ignore[assignment]

CONTROLLER = "traefik.io/ingress-controller"
CLASS_ANNOTATION = "kubernetes.io/ingress.class"
DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class"
TRAEFIK_VERSION = "3.5.3"
TRAEFIK_IMAGE = f"docker.io/library/traefik:v{TRAEFIK_VERSION}"
_MIN_PRIORITY = -(2 ** 31)


def _register_image() -> None:
    catalogue()  # load the course's catalogue first: it is filled lazily on first use
    register(Image("docker.io/library/traefik", f"v{TRAEFIK_VERSION}", 57_346_133,
                   "traefik:Traefik", entrypoint=("/entrypoint.sh",), cmd=("traefik",),
                   env=(("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:"
                                 "/bin"),),
                   layout="alpine", version=TRAEFIK_VERSION), "v3.5", "v3", "latest",
             TRAEFIK_VERSION)


_register_image()


@dataclass
class TraefikConfig:
    """What a Traefik pod's command line configures."""

    entrypoints: dict[str, int]
    ingress_class: str = ""
    published_service: str = ""
    ping: bool = False

    @classmethod
    def from_args(cls, argv: list[str]) -> TraefikConfig:
        entrypoints: dict[str, int] = {}
        cfg = cls(entrypoints)
        for arg in argv:
            if not arg.startswith("--"):
                continue
            key, _, value = arg[2:].partition("=")
            lkey = key.lower()
            m = re.fullmatch(r"entrypoints\.([^.]+)\.address", lkey)
            if m:
                port = value.split("/", 1)[0].rsplit(":", 1)[-1]
                if port.isdigit():
                    entrypoints[m.group(1)] = int(port)
            elif lkey == "providers.kubernetesingress.ingressclass":
                cfg.ingress_class = value
            elif lkey == "providers.kubernetesingress.ingressendpoint.publishedservice":
                cfg.published_service = value
            elif lkey == "ping":
                cfg.ping = value.lower() != "false"
        if not entrypoints:
            entrypoints["http"] = 80
        return cfg


@dataclass
class Router:
    name: str
    rule: str
    priority: int
    host: str | None
    path: str | None
    exact: bool
    service: tuple[str, str, Any]   # (namespace, service, port number or name)

    def matches(self, host: str, path: str) -> bool:
        if self.host is not None:
            if self.host.startswith("*."):
                suffix = self.host[1:].lower()
                head = host[: len(host) - len(suffix)]
                if not host.endswith(suffix) or not head or not re.fullmatch(
                        r"[a-zA-Z0-9-]+", head):
                    return False
            elif host != self.host.lower():
                return False
        if self.path is not None:
            if self.exact:
                return path == self.path
            return path.startswith(self.path)
        return True


def _normalize(text: str) -> str:
    """Traefik's ``provider.Normalize``: non-alphanumerics become dashes."""
    return re.sub(r"[^a-zA-Z0-9]+", "-", text).strip("-")


class IngressController:
    """The provider shared by the Traefik pods of the lab (see the module docstring)."""

    name = "traefik"

    def __init__(self, network: Network) -> None:
        self.network = network
        cluster = network.cluster
        self.cluster = cluster
        self.api = cluster.api
        self.providers: list[Any] = []
        self._generation = 0
        self._routers: tuple[int, list[Router]] = (-1, [])
        self._rr: dict[str, int] = {}
        ensure_slice_index(self.api)
        self.queue = WorkQueue(cluster, self._sync_status, name="traefik",
                               latency=5 * MILLISECOND)
        latency = 2 * MILLISECOND
        for kind in (INGRESS, INGRESS_CLASS, SERVICE, ENDPOINT_SLICE):
            self.api.watch(kind, self._changed, latency=latency, name="traefik")

    # ------------------------------------------------------------------ providers

    def register(self, app: Any) -> None:
        """A Traefik pod started: its provider begins watching."""
        if app not in self.providers:
            self.providers.append(app)
            self._generation += 1
            self.queue.add("status")

    def unregister(self, app: Any) -> None:
        if app in self.providers:
            self.providers.remove(app)

    def _config(self) -> TraefikConfig | None:
        for app in self.providers:
            cfg = getattr(app, "config", None)
            if cfg is not None:
                return cfg
        return None

    def _changed(self, event: str, obj: Obj, old: Obj | None) -> None:
        self._generation += 1
        if self.providers and obj.get("kind") in ("Ingress", "Service", "IngressClass"):
            self.queue.add("status")

    # ------------------------------------------------------------------ which Ingresses

    def _classes(self, cfg: TraefikConfig) -> tuple[set[str], bool]:
        names: set[str] = set()
        default = False
        for ic in self.api.iter_kind(INGRESS_CLASS):
            spec = ic.get("spec") or {}
            if spec.get("controller") != CONTROLLER:
                continue
            name = ic["metadata"]["name"]
            if cfg.ingress_class and name != cfg.ingress_class:
                continue
            names.add(name)
            if ((ic["metadata"].get("annotations") or {}).get(DEFAULT_CLASS_ANNOTATION)
                    == "true"):
                default = True
        return names, default

    def served(self, cfg: TraefikConfig | None = None) -> list[Obj]:
        """The Ingresses Traefik processes (``shouldProcessIngress``)."""
        cfg = cfg or self._config()
        if cfg is None:
            return []
        classes, default = self._classes(cfg)
        out = []
        for ing in self.api.list(INGRESS):
            spec = ing.get("spec") or {}
            cls = spec.get("ingressClassName")
            annotation = (ing["metadata"].get("annotations") or {}).get(CLASS_ANNOTATION)
            if cls is not None:
                ok = cls in classes
            elif annotation is not None:
                ok = annotation == (cfg.ingress_class or "traefik")
            else:
                ok = default
            if ok:
                out.append(ing)
        return out

    # ------------------------------------------------------------------ routing table

    def routers(self) -> list[Router]:
        if self._routers[0] == self._generation:
            return self._routers[1]
        routers: list[Router] = []
        for ing in self.served():
            meta = ing["metadata"]
            ns = meta.get("namespace", "")
            spec = ing.get("spec") or {}
            rules = spec.get("rules") or []
            backend = spec.get("defaultBackend")
            if not rules and backend and (backend.get("service") or {}).get("name"):
                svc = backend["service"]
                port = (svc.get("port") or {})
                target = (ns, svc["name"], port.get("number") or port.get("name"))
                if self.servers(target):
                    routers.append(Router("default-router", "PathPrefix(`/`)", _MIN_PRIORITY,
                                          None, "/", False, target))
            for rule in rules:
                host = rule.get("host")
                for p in ((rule.get("http") or {}).get("paths") or ()):
                    svc = (p.get("backend") or {}).get("service") or {}
                    if not svc.get("name"):
                        continue
                    port = svc.get("port") or {}
                    target = (ns, svc["name"], port.get("number") or port.get("name"))
                    if not self.servers(target):
                        continue
                    path = p.get("path") or None
                    exact = p.get("pathType") == "Exact"
                    parts = []
                    if host:
                        if host.startswith("*."):
                            pattern = host.replace(".", "\\.").replace("*\\.",
                                                                       "[a-zA-Z0-9-]+\\.", 1)
                            parts.append(f"HostRegexp(`{pattern}`)")
                        else:
                            parts.append(f"Host(`{host}`)")
                    if path:
                        parts.append(f"{'Path' if exact else 'PathPrefix'}(`{path}`)")
                    text = " && ".join(parts)
                    name = _normalize(f"{ns}-{meta['name']}-{host or ''}{path or ''}")
                    routers.append(Router(name, text, len(text), host, path, exact, target))
        routers.sort(key=lambda r: (-r.priority, r.name))
        self._routers = (self._generation, routers)
        return routers

    def servers(self, target: tuple[str, str, Any]) -> list[tuple[str, int]]:
        """``loadService``: the ready endpoints of the backend Service port."""
        ns, name, port = target
        svc = self.api.try_get(SERVICE, ns, name)
        if svc is None:
            return []
        spec = svc.get("spec") or {}
        if spec.get("type") == "ExternalName":
            return []
        port_name = None
        for sp in spec.get("ports") or ():
            if sp.get("port") == port or (sp.get("name") and sp.get("name") == port):
                port_name = sp.get("name") or ""
                break
        if port_name is None:
            return []
        out: list[tuple[str, int]] = []
        slices = self.api.by_index(ENDPOINT_SLICE, SLICE_INDEX, f"{ns}/{name}")
        slices.sort(key=lambda s: s["metadata"]["name"])
        for s in slices:
            number = next((p.get("port") for p in s.get("ports") or ()
                           if (p.get("name") or "") == port_name), None)
            if number is None:
                continue
            for ep in s.get("endpoints") or ():
                if (ep.get("conditions") or {}).get("ready") is False:
                    continue
                for a in (ep.get("addresses") or ())[:1]:
                    out.append((a, int(number)))
        return out

    def route(self, host: str, path: str) -> tuple[Router, tuple[str, int]] | None:
        """The router matching a request and the server its round robin picks next."""
        host = host.rsplit(":", 1)[0].lower() if not host.startswith("[") else host
        path = path.split("?", 1)[0] or "/"
        for router in self.routers():
            if router.matches(host, path):
                servers = self.servers(router.service)
                if not servers:
                    return None
                key = "/".join(str(x) for x in router.service)
                i = self._rr.get(key, 0)
                self._rr[key] = i + 1
                return router, servers[i % len(servers)]
        return None

    # ------------------------------------------------------------------ status

    def _sync_status(self, _key: str) -> None:
        cfg = self._config()
        if cfg is None or not cfg.published_service or "/" not in cfg.published_service:
            return
        ns, name = cfg.published_service.split("/", 1)
        published = self.api.try_get(SERVICE, ns, name)
        if published is None:
            return
        ingress = ((published.get("status") or {}).get("loadBalancer") or {}).get("ingress")
        if not ingress:
            return
        wanted = [{k: v for k, v in ing.items() if k in ("ip", "hostname")} for ing in ingress]
        for ing in self.served(cfg):
            if not (ing.get("spec") or {}).get("rules"):
                continue
            status = ing.get("status") or {}
            if (status.get("loadBalancer") or {}).get("ingress") == wanted:
                continue
            try:
                self.api.update({**ing, "status": {**status, "loadBalancer": {
                    "ingress": wanted}}}, source="traefik", status=True, trusted=True)
            except StatusError:
                self.queue.add_after("status", 100 * MILLISECOND)
