"""The ``cmp.Diff`` text the apiserver appends to "may not change fields" errors.

Upstream renders the difference between two *internal* Go structs with
``github.com/google/go-cmp``: Go field names (``Containers``, ``ImagePullPolicy``), ``-``/``+``
lines for what changed, two identical fields of context around each change, longer runs
elided as ``... // 7 identical fields``, nested values as Go composite literals with zero
fields omitted (``{ContainerPort: 80, Protocol: "TCP"}``) and pointers as ``&``.

go-cmp deliberately makes its output unstable (it randomly swaps some spaces for non-breaking
spaces between runs), so no two apiservers print byte-identical diffs; this module produces the
same shape with plain spaces. ``docs/realism.md`` records the difference.
"""

from __future__ import annotations

from typing import Any

from ..errors import go_quote

__all__ = ["pod_spec_diff", "struct_diff"]

# Internal core.PodSpec and core.Container field order, as JSON name → Go name.
_POD_SPEC_FIELDS = (
    ("volumes", "Volumes"), ("initContainers", "InitContainers"),
    ("containers", "Containers"), ("ephemeralContainers", "EphemeralContainers"),
    ("restartPolicy", "RestartPolicy"),
    ("terminationGracePeriodSeconds", "TerminationGracePeriodSeconds"),
    ("activeDeadlineSeconds", "ActiveDeadlineSeconds"), ("dnsPolicy", "DNSPolicy"),
    ("nodeSelector", "NodeSelector"), ("serviceAccountName", "ServiceAccountName"),
    ("automountServiceAccountToken", "AutomountServiceAccountToken"),
    ("nodeName", "NodeName"), ("securityContext", "SecurityContext"),
    ("imagePullSecrets", "ImagePullSecrets"), ("hostname", "Hostname"),
    ("subdomain", "Subdomain"), ("setHostnameAsFQDN", "SetHostnameAsFQDN"),
    ("affinity", "Affinity"), ("schedulerName", "SchedulerName"),
    ("tolerations", "Tolerations"), ("hostAliases", "HostAliases"),
    ("priorityClassName", "PriorityClassName"), ("priority", "Priority"),
    ("preemptionPolicy", "PreemptionPolicy"), ("dnsConfig", "DNSConfig"),
    ("readinessGates", "ReadinessGates"), ("runtimeClassName", "RuntimeClassName"),
    ("overhead", "Overhead"), ("enableServiceLinks", "EnableServiceLinks"),
    ("topologySpreadConstraints", "TopologySpreadConstraints"), ("os", "OS"),
    ("schedulingGates", "SchedulingGates"), ("resourceClaims", "ResourceClaims"),
    ("resources", "Resources"), ("hostnameOverride", "HostnameOverride"),
)
_CONTAINER_FIELDS = (
    ("name", "Name"), ("image", "Image"), ("command", "Command"), ("args", "Args"),
    ("workingDir", "WorkingDir"), ("ports", "Ports"), ("envFrom", "EnvFrom"), ("env", "Env"),
    ("resources", "Resources"), ("resizePolicy", "ResizePolicy"),
    ("restartPolicy", "RestartPolicy"), ("restartPolicyRules", "RestartPolicyRules"),
    ("volumeMounts", "VolumeMounts"), ("volumeDevices", "VolumeDevices"),
    ("livenessProbe", "LivenessProbe"), ("readinessProbe", "ReadinessProbe"),
    ("startupProbe", "StartupProbe"), ("lifecycle", "Lifecycle"),
    ("terminationMessagePath", "TerminationMessagePath"),
    ("terminationMessagePolicy", "TerminationMessagePolicy"),
    ("imagePullPolicy", "ImagePullPolicy"), ("securityContext", "SecurityContext"),
    ("stdin", "Stdin"), ("stdinOnce", "StdinOnce"), ("tty", "TTY"),
)
# Fields that are Go pointers (printed "&…", nil when absent) or structs (printed "{}").
_POINTERS = {"terminationGracePeriodSeconds", "activeDeadlineSeconds", "securityContext",
             "affinity", "priority", "preemptionPolicy", "dnsConfig", "runtimeClassName",
             "enableServiceLinks", "os", "automountServiceAccountToken", "setHostnameAsFQDN",
             "livenessProbe", "readinessProbe", "startupProbe", "lifecycle", "defaultMode",
             "expirationSeconds", "projected", "configMap", "secret", "downwardAPI",
             "serviceAccountToken", "fieldRef", "emptyDir", "hostPath", "persistentVolumeClaim",
             "httpGet", "exec", "tcpSocket", "grpc", "valueFrom", "configMapKeyRef",
             "secretKeyRef", "tolerationSeconds", "storageClassName", "volumeMode",
             "selector", "dataSource", "dataSourceRef", "volumeAttributesClassName"}
_STRUCTS = {"resources": "{}"}
_SLICE_TYPES = {"ports": "[]core.ContainerPort", "env": "[]core.EnvVar",
                "envFrom": "[]core.EnvFromSource", "volumeMounts": "[]core.VolumeMount",
                "command": "[]string", "args": "[]string", "volumes": "[]core.Volume",
                "tolerations": "[]core.Toleration", "containers": "[]core.Container",
                "initContainers": "[]core.Container", "accessModes":
                "[]core.PersistentVolumeAccessMode"}
_MAP_TYPES = {"nodeSelector": "map[string]string"}


def _go_name(key: str) -> str:
    special = {"tty": "TTY", "dnsPolicy": "DNSPolicy", "dnsConfig": "DNSConfig", "os": "OS",
               "hostIP": "HostIP", "podIP": "PodIP", "uid": "UID", "apiVersion": "APIVersion",
               "httpGet": "HTTPGet", "tcpSocket": "TCPSocket", "grpc": "GRPC",
               "fsGroup": "FSGroup"}
    return special.get(key, key[:1].upper() + key[1:])


def _is_zero(value: Any) -> bool:
    return value in (None, "", 0, False, [], {})


def _literal(value: Any, key: str = "", top: bool = False) -> str:
    """A value as go-cmp prints it inside a composite literal."""
    if value is None:
        return "nil"
    if isinstance(value, bool):
        text = "true" if value else "false"
        return "&" + text if key in _POINTERS else text
    if isinstance(value, (int, float)):
        return ("&" if key in _POINTERS else "") + str(value)
    if isinstance(value, str):
        return ("&" if key in _POINTERS else "") + go_quote(value)
    if isinstance(value, list):
        inner = ", ".join(_literal(v, key) for v in value)
        prefix = _SLICE_TYPES.get(key, "") if top else ""
        return f"{prefix}{{{inner}}}"
    if isinstance(value, dict):
        if key in _MAP_TYPES or key in ("labels", "annotations", "limits", "requests"):
            inner = ", ".join(f"{go_quote(k)}: {_literal(v)}" for k, v in sorted(value.items()))
            return f"{_MAP_TYPES.get(key, '') if top else ''}{{{inner}}}"
        inner = ", ".join(f"{_go_name(k)}: {_literal(v, k)}" for k, v in value.items()
                          if not _is_zero(v))
        return ("&" if key in _POINTERS else "") + f"{{{inner}}}"
    return str(value)


_STRINGS = {"name", "image", "workingDir", "terminationMessagePath", "terminationMessagePolicy",
            "imagePullPolicy", "restartPolicy", "dnsPolicy", "serviceAccountName", "nodeName",
            "hostname", "subdomain", "schedulerName", "priorityClassName", "storageClassName",
            "volumeName", "hostnameOverride"}


def _field_value(spec: dict[str, Any], key: str, changed: bool) -> str:
    if key not in spec or spec[key] is None:
        return _STRUCTS.get(key, '""' if key in _STRINGS else "nil")
    # go-cmp names the type only where it is not implied: on a changed line.
    return _literal(spec[key], key, top=changed)


def _struct_lines(fields: tuple[tuple[str, str], ...], old: dict[str, Any],
                  new: dict[str, Any], depth: int) -> list[str]:
    """Lines for one struct: changed fields, two fields of context, elided runs."""
    tabs = "\t" * depth
    entries: list[tuple[str, str, str, bool]] = []  # go name, old text, new text, same
    for key, go in fields:
        o, n = old.get(key), new.get(key)
        same = (o if not _is_zero(o) else None) == (n if not _is_zero(n) else None)
        entries.append((go, _field_value(old, key, not same), _field_value(new, key, not same),
                        same))
    keep = [False] * len(entries)
    for i, (_, _, _, same) in enumerate(entries):
        if not same:
            for j in range(max(0, i - 2), min(len(entries), i + 3)):
                keep[j] = True
    lines: list[str] = []
    width = max((len(e[0]) for e, k in zip(entries, keep, strict=True) if k), default=0)
    elided = 0
    for (go, otext, ntext, same), kept in zip(entries, keep, strict=True):
        if not kept:
            elided += 1
            continue
        if elided:
            lines.append(f"  {tabs}... // {elided} identical field{'s' if elided > 1 else ''}")
            elided = 0
        label = f"{go}:".ljust(width + 2)
        if same:
            lines.append(f"  {tabs}{label}{otext},")
        else:
            lines.append(f"- {tabs}{label}{otext},")
            lines.append(f"+ {tabs}{label}{ntext},")
    if elided:
        lines.append(f"  {tabs}... // {elided} identical field{'s' if elided > 1 else ''}")
    return lines


def _containers_lines(old: list[Any], new: list[Any], depth: int) -> list[str]:
    tabs = "\t" * depth
    lines: list[str] = []
    for o, n in zip(old, new, strict=False):
        if o == n:
            lines.append(f"  {tabs}{_literal(o)},")
            continue
        lines.append(f"  {tabs}{{")
        lines.extend(_struct_lines(_CONTAINER_FIELDS, o if isinstance(o, dict) else {},
                                   n if isinstance(n, dict) else {}, depth + 1))
        lines.append(f"  {tabs}}},")
    return lines


def pod_spec_diff(old: dict[str, Any], new: dict[str, Any]) -> str:
    """``cmp.Diff(oldPod.Spec, mungedPodSpec)`` for a refused pod update."""
    lines = ["  core.PodSpec{"]
    body = _struct_lines(_POD_SPEC_FIELDS, old, new, 1)
    for line in body:
        # Expand the containers list when a container changed inside it.
        if line.startswith("- \tContainers:") or line.startswith("- \tInitContainers:"):
            key = "containers" if "\tContainers" in line else "initContainers"
            if len(old.get(key) or []) == len(new.get(key) or []):
                go = "Containers" if key == "containers" else "InitContainers"
                lines.append(f"  \t{go}: []core.Container{{")
                lines.extend(_containers_lines(old.get(key) or [], new.get(key) or [], 2))
                lines.append("  \t},")
                continue
        if line.startswith("+ \tContainers:") or line.startswith("+ \tInitContainers:"):
            key = "containers" if "\tContainers" in line else "initContainers"
            if len(old.get(key) or []) == len(new.get(key) or []):
                continue
        lines.append(line)
    lines.append("  }")
    return "\n".join(lines) + "\n"


def struct_diff(type_name: str, old: dict[str, Any], new: dict[str, Any]) -> str:
    """A ``cmp.Diff`` of two flat internal structs (used for PVC specs)."""
    keys = list(dict.fromkeys([*old, *new]))
    fields = tuple((k, _go_name(k)) for k in keys)
    lines = [f"  {type_name}{{", *_struct_lines(fields, old, new, 1), "  }"]
    return "\n".join(lines) + "\n"
