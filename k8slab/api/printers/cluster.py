"""Table printers of the remaining groups the lab serves (printers.go):

storage.k8s.io (StorageClass with `` (default)``, CSIDriver, CSINode, VolumeAttachment),
rbac.authorization.k8s.io (RoleBinding, ClusterRoleBinding — roles themselves have no printer),
policy (PodDisruptionBudget), scheduling.k8s.io (PriorityClass), coordination.k8s.io (Lease),
node.k8s.io (RuntimeClass), certificates.k8s.io (CertificateSigningRequest) and
admissionregistration.k8s.io (webhook configurations, ValidatingAdmissionPolicy[Binding]).

Go ``bool`` cells print as ``true``/``false`` (kubectl's ``fmt.Sprint``), unlike the
``True``/``False`` strings some printers build themselves.
"""

from __future__ import annotations

from typing import Any

from ...sim.timefmt import human_duration
from ._base import AGE, NAME, Column, printer
from ._util import age, intstr, selector_string

__all__: list[str] = []

Obj = dict[str, Any]


def _gobool(value: Any) -> str:
    return "true" if value else "false"


def _name(obj: Obj) -> str:
    return str((obj.get("metadata") or {}).get("name", ""))


def _age(obj: Obj, now: int) -> str:
    return age((obj.get("metadata") or {}).get("creationTimestamp"), now)


def is_default_class(obj: Obj) -> bool:
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    return annotations.get("storageclass.kubernetes.io/is-default-class") == "true" or \
        annotations.get("storageclass.beta.kubernetes.io/is-default-class") == "true"


@printer("storage.k8s.io", "StorageClass", [
    NAME, Column("Provisioner"), Column("ReclaimPolicy"), Column("VolumeBindingMode"),
    Column("AllowVolumeExpansion"), AGE,
])
def storage_class_row(obj: Obj, now: int) -> list[str]:
    name = _name(obj) + (" (default)" if is_default_class(obj) else "")
    return [name, str(obj.get("provisioner", "")), str(obj.get("reclaimPolicy") or "Delete"),
            str(obj.get("volumeBindingMode") or "Immediate"),
            _gobool(obj.get("allowVolumeExpansion")), _age(obj, now)]


@printer("storage.k8s.io", "CSIDriver", [
    NAME, Column("AttachRequired", type="boolean"), Column("PodInfoOnMount", type="boolean"),
    Column("StorageCapacity", type="boolean"), Column("TokenRequests"),
    Column("RequiresRepublish", type="boolean"), Column("Modes"), AGE,
])
def csi_driver_row(obj: Obj, now: int) -> list[str]:
    spec = obj.get("spec") or {}
    attach = spec.get("attachRequired")
    tokens = "<unset>"
    if spec.get("tokenRequests") is not None:
        tokens = ",".join(str(t.get("audience", "")) for t in spec["tokenRequests"])
    modes = ",".join(spec.get("volumeLifecycleModes") or []) or "<none>"
    return [_name(obj), _gobool(True if attach is None else attach),
            _gobool(spec.get("podInfoOnMount")), _gobool(spec.get("storageCapacity")), tokens,
            _gobool(spec.get("requiresRepublish")), modes, _age(obj, now)]


@printer("storage.k8s.io", "CSINode", [NAME, Column("Drivers", type="integer"), AGE])
def csi_node_row(obj: Obj, now: int) -> list[str]:
    return [_name(obj), str(len((obj.get("spec") or {}).get("drivers") or [])), _age(obj, now)]


@printer("storage.k8s.io", "VolumeAttachment", [
    NAME, Column("Attacher", format="name"), Column("PV"), Column("Node"),
    Column("Attached", type="boolean"), AGE,
])
def volume_attachment_row(obj: Obj, now: int) -> list[str]:
    spec = obj.get("spec") or {}
    pv = (spec.get("source") or {}).get("persistentVolumeName") or ""
    return [_name(obj), str(spec.get("attacher", "")), str(pv), str(spec.get("nodeName", "")),
            _gobool((obj.get("status") or {}).get("attached")), _age(obj, now)]


def subjects_strings(subjects: list[Obj] | None) -> tuple[list[str], list[str], list[str]]:
    """``rbac.SubjectsStrings``: users, groups and ``namespace/name`` service accounts."""
    users, groups, sas = [], [], []
    for s in subjects or []:
        kind = s.get("kind")
        if kind == "ServiceAccount":
            sas.append(f"{s.get('namespace', '')}/{s.get('name', '')}")
        elif kind == "User":
            users.append(str(s.get("name", "")))
        elif kind == "Group":
            groups.append(str(s.get("name", "")))
    return users, groups, sas


_BINDING_COLUMNS = [NAME, Column("Role"), AGE, Column("Users", 1), Column("Groups", 1),
                    Column("ServiceAccounts", 1)]


def _binding_row(obj: Obj, now: int) -> list[str]:
    ref = obj.get("roleRef") or {}
    users, groups, sas = subjects_strings(obj.get("subjects"))
    return [_name(obj), f"{ref.get('kind', '')}/{ref.get('name', '')}", _age(obj, now),
            ", ".join(users), ", ".join(groups), ", ".join(sas)]


printer("rbac.authorization.k8s.io", "RoleBinding", _BINDING_COLUMNS)(_binding_row)
printer("rbac.authorization.k8s.io", "ClusterRoleBinding", _BINDING_COLUMNS)(_binding_row)


@printer("policy", "PodDisruptionBudget", [
    NAME, Column("Min Available"), Column("Max Unavailable"),
    Column("Allowed Disruptions", type="integer"), AGE,
])
def pdb_row(obj: Obj, now: int) -> list[str]:
    spec = obj.get("spec") or {}
    min_available = intstr(spec["minAvailable"]) if spec.get("minAvailable") is not None \
        else "N/A"
    max_unavailable = intstr(spec["maxUnavailable"]) if spec.get("maxUnavailable") is not None \
        else "N/A"
    return [_name(obj), min_available, max_unavailable,
            str((obj.get("status") or {}).get("disruptionsAllowed", 0)), _age(obj, now)]


@printer("scheduling.k8s.io", "PriorityClass", [
    NAME, Column("Value", type="integer"), Column("Global-Default", type="boolean"), AGE,
    Column("PreemptionPolicy"),
])
def priority_class_row(obj: Obj, now: int) -> list[str]:
    return [_name(obj), str(obj.get("value", 0)), _gobool(obj.get("globalDefault")),
            _age(obj, now), str(obj.get("preemptionPolicy") or "")]


@printer("coordination.k8s.io", "Lease", [NAME, Column("Holder"), AGE])
def lease_row(obj: Obj, now: int) -> list[str]:
    return [_name(obj), str((obj.get("spec") or {}).get("holderIdentity") or ""),
            _age(obj, now)]


@printer("node.k8s.io", "RuntimeClass", [NAME, Column("Handler"), AGE])
def runtime_class_row(obj: Obj, now: int) -> list[str]:
    return [_name(obj), str(obj.get("handler", "")), _age(obj, now)]


def csr_status(obj: Obj) -> str:
    approved = denied = failed = False
    status = obj.get("status") or {}
    for c in status.get("conditions") or []:
        ctype = c.get("type")
        approved |= ctype == "Approved"
        denied |= ctype == "Denied"
        failed |= ctype == "Failed"
    text = "Denied" if denied else ("Approved" if approved else "Pending")
    if failed:
        text += ",Failed"
    if status.get("certificate"):
        text += ",Issued"
    return text


@printer("certificates.k8s.io", "CertificateSigningRequest", [
    NAME, AGE, Column("SignerName"), Column("Requestor"), Column("RequestedDuration"),
    Column("Condition"),
])
def csr_row(obj: Obj, now: int) -> list[str]:
    spec = obj.get("spec") or {}
    duration = "<none>"
    if spec.get("expirationSeconds") is not None:
        duration = human_duration(int(spec["expirationSeconds"]) * 1_000_000_000)
    return [_name(obj), _age(obj, now), spec.get("signerName") or "<none>",
            str(spec.get("username", "")), duration, csr_status(obj)]


_WEBHOOK_COLUMNS = [NAME, Column("Webhooks", type="integer"), AGE]


def _webhook_row(obj: Obj, now: int) -> list[str]:
    return [_name(obj), str(len(obj.get("webhooks") or [])), _age(obj, now)]


printer("admissionregistration.k8s.io", "MutatingWebhookConfiguration",
        _WEBHOOK_COLUMNS)(_webhook_row)
printer("admissionregistration.k8s.io", "ValidatingWebhookConfiguration",
        _WEBHOOK_COLUMNS)(_webhook_row)


@printer("admissionregistration.k8s.io", "ValidatingAdmissionPolicy", [
    NAME, Column("Validations", type="integer"), Column("ParamKind"), AGE,
])
def vap_row(obj: Obj, now: int) -> list[str]:
    spec = obj.get("spec") or {}
    kind = spec.get("paramKind")
    param = f"{kind.get('apiVersion', '')}/{kind.get('kind', '')}" if kind is not None \
        else "<unset>"
    return [_name(obj), str(len(spec.get("validations") or [])), param, _age(obj, now)]


@printer("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding", [
    NAME, Column("PolicyName"), Column("ParamRef"), AGE,
])
def vap_binding_row(obj: Obj, now: int) -> list[str]:
    spec = obj.get("spec") or {}
    param = "<unset>"
    ref = spec.get("paramRef")
    if ref is not None:
        if ref.get("name"):
            param = (f"{ref['namespace']}/{ref['name']}" if ref.get("namespace")
                     else f"*/{ref['name']}")
        elif ref.get("selector") is not None:
            param = selector_string(ref["selector"])
    return [_name(obj), str(spec.get("policyName", "")), param, _age(obj, now)]
