"""The resource types the lab's apiserver serves, as API discovery describes them.

Each :class:`Kind` carries what discovery tells kubectl: group, version, plural resource name,
singular, short names, whether it is namespaced and its categories (``all``). ``lookup`` resolves
every spelling kubectl accepts — ``po``, ``pod``, ``pods``, ``Pod``, ``deploy``,
``deployments.apps``, ``deployment.v1.apps`` — the way kubectl's RESTMapper does.

The table mirrors ``kubectl api-resources`` on a 1.37 cluster for the groups the lab models.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["KINDS", "Kind", "all_category", "builtin", "by_gvk", "lookup"]


@dataclass(frozen=True, eq=False)
class Kind:
    """One served resource type. Instances are singletons from :data:`KINDS`, so identity is
    equality (and hashing is cheap: kinds key the store's hot dictionaries)."""

    group: str
    version: str
    kind: str
    plural: str
    short_names: tuple[str, ...] = ()
    namespaced: bool = True
    categories: tuple[str, ...] = ()
    verbs: tuple[str, ...] = (
        "create", "delete", "deletecollection", "get", "list", "patch", "update", "watch",
    )

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def singular(self) -> str:
        return self.kind.lower()

    @property
    def resource(self) -> str:
        """``deployments.apps`` — how error messages name the resource (GroupResource)."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def qualified_kind(self) -> str:
        """``deployment.apps`` — the name printer's prefix (``deployment.apps/web``)."""
        return f"{self.singular}.{self.group}" if self.group else self.singular

    @property
    def group_kind(self) -> str:
        """``Deployment.apps`` — schema.GroupKind.String()."""
        return f"{self.kind}.{self.group}" if self.group else self.kind


KINDS: tuple[Kind, ...] = (
    Kind("", "v1", "Binding", "bindings", verbs=("create",)),
    Kind("", "v1", "ComponentStatus", "componentstatuses", ("cs",), False, verbs=("get", "list")),
    Kind("", "v1", "ConfigMap", "configmaps", ("cm",)),
    Kind("", "v1", "Endpoints", "endpoints", ("ep",)),
    Kind("", "v1", "Event", "events", ("ev",)),
    Kind("", "v1", "LimitRange", "limitranges", ("limits",)),
    Kind("", "v1", "Namespace", "namespaces", ("ns",), False,
         verbs=("create", "delete", "get", "list", "patch", "update", "watch")),
    Kind("", "v1", "Node", "nodes", ("no",), False),
    Kind("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", ("pvc",)),
    Kind("", "v1", "PersistentVolume", "persistentvolumes", ("pv",), False),
    Kind("", "v1", "Pod", "pods", ("po",), categories=("all",)),
    Kind("", "v1", "PodTemplate", "podtemplates"),
    Kind("", "v1", "ReplicationController", "replicationcontrollers", ("rc",),
         categories=("all",)),
    Kind("", "v1", "ResourceQuota", "resourcequotas", ("quota",)),
    Kind("", "v1", "Secret", "secrets"),
    Kind("", "v1", "ServiceAccount", "serviceaccounts", ("sa",)),
    Kind("", "v1", "Service", "services", ("svc",), categories=("all",)),
    Kind("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration",
         "mutatingwebhookconfigurations", (), False,
         categories=("api-extensions",)),
    Kind("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicy",
         "validatingadmissionpolicies", (), False,
         categories=("api-extensions",)),
    Kind("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicyBinding",
         "validatingadmissionpolicybindings", (), False,
         categories=("api-extensions",)),
    Kind("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration",
         "validatingwebhookconfigurations", (), False,
         categories=("api-extensions",)),
    Kind("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions",
         ("crd", "crds"), False, categories=("api-extensions",)),
    Kind("apps", "v1", "ControllerRevision", "controllerrevisions"),
    Kind("apps", "v1", "DaemonSet", "daemonsets", ("ds",), categories=("all",)),
    Kind("apps", "v1", "Deployment", "deployments", ("deploy",), categories=("all",)),
    Kind("apps", "v1", "ReplicaSet", "replicasets", ("rs",), categories=("all",)),
    Kind("apps", "v1", "StatefulSet", "statefulsets", ("sts",), categories=("all",)),
    Kind("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", ("hpa",),
         categories=("all",)),
    Kind("batch", "v1", "CronJob", "cronjobs", ("cj",), categories=("all",)),
    Kind("batch", "v1", "Job", "jobs", categories=("all",)),
    Kind("certificates.k8s.io", "v1", "CertificateSigningRequest", "certificatesigningrequests",
         ("csr",), False),
    Kind("coordination.k8s.io", "v1", "Lease", "leases"),
    Kind("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices"),
    Kind("events.k8s.io", "v1", "Event", "events", ("ev",)),
    Kind("networking.k8s.io", "v1", "IngressClass", "ingressclasses", (), False),
    Kind("networking.k8s.io", "v1", "Ingress", "ingresses", ("ing",)),
    Kind("networking.k8s.io", "v1", "IPAddress", "ipaddresses", ("ip",), False),
    Kind("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", ("netpol",)),
    Kind("networking.k8s.io", "v1", "ServiceCIDR", "servicecidrs", (), False),
    Kind("node.k8s.io", "v1", "RuntimeClass", "runtimeclasses", (), False),
    Kind("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", ("pdb",)),
    Kind("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", (),
         False),
    Kind("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", (), False),
    Kind("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings"),
    Kind("rbac.authorization.k8s.io", "v1", "Role", "roles"),
    Kind("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", ("pc",), False),
    Kind("storage.k8s.io", "v1", "CSIDriver", "csidrivers", (), False),
    Kind("storage.k8s.io", "v1", "CSINode", "csinodes", (), False),
    Kind("storage.k8s.io", "v1", "StorageClass", "storageclasses", ("sc",), False),
    Kind("storage.k8s.io", "v1", "VolumeAttachment", "volumeattachments", (), False),
    # Added for ``kubectl api-resources`` to match a kubeadm 1.37 cluster's discovery.
    Kind("apiregistration.k8s.io", "v1", "APIService", "apiservices", (), False,
         categories=("api-extensions",)),
    Kind("authentication.k8s.io", "v1", "SelfSubjectReview", "selfsubjectreviews", (), False,
         verbs=("create",)),
    Kind("authentication.k8s.io", "v1", "TokenReview", "tokenreviews", (), False,
         verbs=("create",)),
    Kind("authorization.k8s.io", "v1", "LocalSubjectAccessReview", "localsubjectaccessreviews",
         verbs=("create",)),
    Kind("authorization.k8s.io", "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews",
         (), False, verbs=("create",)),
    Kind("authorization.k8s.io", "v1", "SelfSubjectRulesReview", "selfsubjectrulesreviews",
         (), False, verbs=("create",)),
    Kind("authorization.k8s.io", "v1", "SubjectAccessReview", "subjectaccessreviews", (),
         False, verbs=("create",)),
    Kind("flowcontrol.apiserver.k8s.io", "v1", "FlowSchema", "flowschemas", (), False),
    Kind("flowcontrol.apiserver.k8s.io", "v1", "PriorityLevelConfiguration",
         "prioritylevelconfigurations", (), False),
    Kind("resource.k8s.io", "v1", "DeviceClass", "deviceclasses", (), False),
    Kind("resource.k8s.io", "v1", "ResourceClaim", "resourceclaims"),
    Kind("resource.k8s.io", "v1", "ResourceClaimTemplate", "resourceclaimtemplates"),
    Kind("resource.k8s.io", "v1", "ResourceSlice", "resourceslices", (), False),
    Kind("storage.k8s.io", "v1", "CSIStorageCapacity", "csistoragecapacities"),
    Kind("storage.k8s.io", "v1", "VolumeAttributesClass", "volumeattributesclasses", ("vac",),
         False),
)

# Older versions still served for reading and writing (kubectl maps them to the same storage).
_EXTRA_VERSIONS: dict[tuple[str, str], str] = {
    ("autoscaling", "HorizontalPodAutoscaler"): "v1",
}

_BY_GVK: dict[tuple[str, str], Kind] = {}
_BY_NAME: dict[str, list[Kind]] = {}


def _index() -> None:
    for k in KINDS:
        _BY_GVK[(k.api_version, k.kind)] = k
        names = {k.plural, k.singular, k.kind, *k.short_names}
        for n in names:
            _BY_NAME.setdefault(n.lower(), []).append(k)
    for (group, kind), version in _EXTRA_VERSIONS.items():
        for k in KINDS:
            if k.group == group and k.kind == kind:
                _BY_GVK[(f"{group}/{version}", kind)] = k


_index()

# Core group first, then the rest — kubectl prefers the core ``events`` over events.k8s.io.
_PREFERENCE = {"": 0, "apps": 1}


def lookup(name: str) -> Kind | None:
    """Resolve a resource argument as kubectl would: ``po``, ``deploy.apps``, ``pods.v1.``…"""
    text = name.strip()
    if not text:
        return None
    lower = text.lower()
    candidates = _BY_NAME.get(lower)
    if candidates:
        return sorted(candidates, key=lambda k: (_PREFERENCE.get(k.group, 2), k.group))[0]
    # resource.group or resource.version.group
    if "." in lower:
        first, rest = lower.split(".", 1)
        for k in _BY_NAME.get(first, []):
            if rest == k.group or rest == f"{k.version}.{k.group}" or (
                k.group == "" and rest in (k.version, f"{k.version}.")
            ):
                return k
    return None


def by_gvk(api_version: str, kind: str) -> Kind | None:
    return _BY_GVK.get((api_version, kind))


def builtin(api_version: str, kind: str) -> Kind:
    """:func:`by_gvk` for a kind the table always serves (a module's ``POD``, ``NODE``…
    constants): a ``KeyError`` at import rather than a ``None`` typed as a kind."""
    return _BY_GVK[(api_version, kind)]


def all_category() -> list[Kind]:
    """Kinds in the ``all`` category, in discovery order as ``kubectl get all`` walks them."""
    return [k for k in KINDS if "all" in k.categories]
