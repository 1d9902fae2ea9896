"""What the kubelet puts into every container: ``/etc/hosts``, ``/etc/resolv.conf``, the
hostname and the environment.

- ``/etc/hosts``: ``pkg/kubelet/kubelet_pods.go`` ``managedHostsFileContent`` — the header
  ``# Kubernetes-managed hosts file.``, localhost and IPv6 lines, then the pod's IP with its
  hostname (FQDN first when ``hostname``/``subdomain`` are set), then ``hostAliases``.
- ``/etc/resolv.conf`` for ``dnsPolicy: ClusterFirst``: ``pkg/kubelet/network/dns/dns.go`` gives
  the cluster DNS server and the search path ``<ns>.svc.<domain> svc.<domain> <domain>`` with
  ``options ndots:5``; containerd writes ``search``, then ``nameserver``, then ``options``.
  The DNS service IP is the tenth address of the service CIDR (kubeadm's convention,
  10.96.0.10).
- Environment (``kubelet_pods.go`` ``makeEnvironmentVariables``): the container's ``env`` in
  declaration order with ``$(VAR)`` expansion, then the service links of the pod's namespace
  (``<SVC>_SERVICE_HOST``, ``<SVC>_PORT_<port>_TCP_ADDR``…) and always the ``kubernetes``
  master service's; the runtime adds the image's ``ENV``, ``HOSTNAME`` and ``HOME``.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Iterable
from typing import Any

__all__ = ["cluster_dns_ip", "container_env", "expand", "hosts_file", "resolv_conf",
           "service_env"]

Obj = dict[str, Any]


@functools.lru_cache(maxsize=16)
def cluster_dns_ip(service_cidr: str) -> str:
    # Every kubelet of a cluster asks for the same one (ipaddress parsing is slow).
    return str(ipaddress.ip_network(service_cidr, strict=False).network_address + 10)


_HOSTS_HEADER = ("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n"
                 "::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n"
                 "fe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n")


def hosts_file(pod: Obj, pod_ip: str, cluster_domain: str) -> str:
    spec = pod.get("spec") or {}
    name = (pod.get("metadata") or {}).get("name", "")
    hostname = spec.get("hostname") or name
    subdomain = spec.get("subdomain")
    out = _HOSTS_HEADER
    if pod_ip:
        if subdomain:
            ns = (pod.get("metadata") or {}).get("namespace", "default")
            fqdn = f"{hostname}.{subdomain}.{ns}.svc.{cluster_domain}"
            out += f"{pod_ip}\t{fqdn}\t{hostname}\n"
        else:
            out += f"{pod_ip}\t{hostname}\n"
    aliases = spec.get("hostAliases") or []
    if aliases:
        out += "\n# Entries added by HostAliases.\n"
        for alias in aliases:
            out += f"{alias.get('ip', '')}\t" + "\t".join(alias.get("hostnames") or []) + "\n"
    return out


# (namespace, DNS IP, domain, policy) → the file, for pods without a ``dnsConfig``: every pod
# of a namespace gets the same one.
_RESOLV: dict[tuple[str, str, str, str], str] = {}


def resolv_conf(pod: Obj, dns_ip: str, cluster_domain: str) -> str:
    spec = pod.get("spec") or {}
    ns = (pod.get("metadata") or {}).get("namespace", "default")
    policy = spec.get("dnsPolicy") or "ClusterFirst"
    if spec.get("hostNetwork") and policy == "ClusterFirst":
        policy = "Default"
    if spec.get("dnsConfig"):
        return _resolv_conf(spec, ns, policy, dns_ip, cluster_domain)
    key = (ns, dns_ip, cluster_domain, policy)
    text = _RESOLV.get(key)
    if text is None:
        if len(_RESOLV) >= 4096:
            _RESOLV.clear()
        text = _RESOLV[key] = _resolv_conf(spec, ns, policy, dns_ip, cluster_domain)
    return text


def _resolv_conf(spec: Obj, ns: str, policy: str, dns_ip: str, cluster_domain: str) -> str:
    if policy == "None":
        searches: list[str] = []
        servers: list[str] = []
        options: list[str] = []
    elif policy == "Default":
        searches, servers, options = [], ["127.0.0.53"], ["edns0", "trust-ad"]
    else:
        searches = [f"{ns}.svc.{cluster_domain}", f"svc.{cluster_domain}", cluster_domain]
        servers = [dns_ip]
        options = ["ndots:5"]
    config = spec.get("dnsConfig") or {}
    servers += [s for s in config.get("nameservers") or [] if s not in servers]
    searches += [s for s in config.get("searches") or [] if s not in searches]
    for opt in config.get("options") or []:
        text = opt.get("name", "") + (f":{opt['value']}" if opt.get("value") else "")
        key = opt.get("name", "")
        options = [o for o in options if o.split(":")[0] != key] + [text]
    out = ""
    if searches:
        out += "search " + " ".join(searches) + "\n"
    if servers:
        out += "nameserver " + "\nnameserver ".join(servers) + "\n"
    if options:
        out += "options " + " ".join(options) + "\n"
    return out


def _env_name(service: str) -> str:
    return service.upper().replace("-", "_")


def service_env(services: Iterable[Obj]) -> dict[str, str]:
    """``pkg/kubelet/envvars.FromServices`` for Services with a cluster IP."""
    out: dict[str, str] = {}
    for svc in services:
        spec = svc.get("spec") or {}
        ip = spec.get("clusterIP")
        if not ip or ip == "None":
            continue
        name = _env_name((svc.get("metadata") or {}).get("name", ""))
        ports = spec.get("ports") or []
        if not ports:
            continue
        out[f"{name}_SERVICE_HOST"] = ip
        out[f"{name}_SERVICE_PORT"] = str(ports[0].get("port"))
        for p in ports:
            if p.get("name"):
                out[f"{name}_SERVICE_PORT_{_env_name(p['name'])}"] = str(p.get("port"))
        first = ports[0]
        proto = (first.get("protocol") or "TCP").lower()
        out[f"{name}_PORT"] = f"{proto}://{ip}:{first.get('port')}"
        for p in ports:
            proto_u = (p.get("protocol") or "TCP").upper()
            proto_l = proto_u.lower()
            prefix = f"{name}_PORT_{p.get('port')}_{proto_u}"
            out[prefix] = f"{proto_l}://{ip}:{p.get('port')}"
            out[f"{prefix}_PROTO"] = proto_l
            out[f"{prefix}_PORT"] = str(p.get("port"))
            out[f"{prefix}_ADDR"] = ip
    return out


_REF = re.compile(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")


def expand(text: str, env: dict[str, str]) -> str:
    """``third_party/forked/golang/expansion``: ``$(VAR)`` from ``env``, ``$$`` escapes."""

    if "$" not in text:
        return text

    def sub(m: re.Match[str]) -> str:
        if m.group(0) == "$$":
            return "$"
        name = m.group(1)
        return env[name] if name in env else m.group(0)

    return _REF.sub(sub, text)


def _field_ref(pod: Obj, path: str, host_ip: str, pod_ip: str) -> str:
    meta = pod.get("metadata") or {}
    spec = pod.get("spec") or {}
    simple = {
        "metadata.name": meta.get("name", ""),
        "metadata.namespace": meta.get("namespace", ""),
        "metadata.uid": meta.get("uid", ""),
        "spec.nodeName": spec.get("nodeName", ""),
        "spec.serviceAccountName": spec.get("serviceAccountName", ""),
        "status.hostIP": host_ip,
        "status.hostIPs": host_ip,
        "status.podIP": pod_ip,
        "status.podIPs": pod_ip,
    }
    if path in simple:
        return str(simple[path])
    m = re.match(r"metadata\.(labels|annotations)\['(.+)'\]$", path)
    if m:
        return str((meta.get(m.group(1)) or {}).get(m.group(2), ""))
    return ""


def container_env(pod: Obj, container: Obj, services_env: dict[str, str], host_ip: str,
                  pod_ip: str, lookup: Any = None) -> list[tuple[str, str]]:
    """The kubelet's part of the environment, in the order the runtime receives it."""
    result: dict[str, str] = {}
    order: list[str] = []
    for source in container.get("envFrom") or []:
        data = lookup(source) if lookup else {}
        prefix = source.get("prefix", "")
        for k, v in sorted((data or {}).items()):
            if prefix + k not in result:
                order.append(prefix + k)
            result[prefix + k] = v
    mapping = dict(services_env)
    for env in container.get("env") or []:
        name = env.get("name", "")
        if "value" in env or not env.get("valueFrom"):
            value = expand(str(env.get("value", "")), {**mapping, **result})
        else:
            src = env.get("valueFrom") or {}
            if src.get("fieldRef"):
                value = _field_ref(pod, src["fieldRef"].get("fieldPath", ""), host_ip, pod_ip)
            elif lookup is not None:
                value = str(lookup(src) or "")
            else:
                value = ""
        if name not in result:
            order.append(name)
        result[name] = value
    out = [(k, result[k]) for k in order]
    if (pod.get("spec") or {}).get("enableServiceLinks", True) is not False:
        out += [(k, v) for k, v in sorted(services_env.items()) if k not in result]
    else:
        out += [(k, v) for k, v in sorted(services_env.items())
                if k.startswith("KUBERNETES_") and k not in result]
    return out
