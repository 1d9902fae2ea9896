"""The default profile's in-tree plugins (``pkg/scheduler/framework/plugins``).

Each module is named after its upstream package and exposes plain functions: ``filter`` returns
None (fits) or a :class:`~k8slab.scheduler.framework.Status`; score plugins expose ``score`` and
``normalize``. :data:`FILTERS` and :data:`SCORE_WEIGHTS` list them in the order and with the
weights of ``pkg/scheduler/apis/config/v1/default_plugins.go``.
"""

from __future__ import annotations

from . import nodeaffinity, nodename, nodeports, noderesources, nodeunschedulable, tainttoleration

__all__ = ["FILTERS", "SCORE_WEIGHTS"]

# Filter order of the default profile; RunFilterPlugins stops at the first rejection, so only
# that plugin's reasons are counted for a node.
FILTERS = (
    (nodeunschedulable.NAME, nodeunschedulable.filter),
    (nodename.NAME, nodename.filter),
    (tainttoleration.NAME, tainttoleration.filter),
    (nodeaffinity.NAME, nodeaffinity.filter),
    (nodeports.NAME, nodeports.filter),
    (noderesources.FIT, noderesources.fit_filter),
)

SCORE_WEIGHTS = {
    "TaintToleration": 3,
    "NodeAffinity": 2,
    "NodeResourcesFit": 1,
    "PodTopologySpread": 2,
    "InterPodAffinity": 2,
    "NodeResourcesBalancedAllocation": 1,
    "ImageLocality": 1,
}
