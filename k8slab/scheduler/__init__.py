"""kube-scheduler (``k8s.io/kubernetes/pkg/scheduler``), the default profile.

:mod:`.scheduler` wires the informers, the loop and binding; :mod:`.queue` is the scheduling
queue; :mod:`.cache` the node tree, assumed pods and equivalence partitions; :mod:`.algorithm`
one cycle's filter/score/pick; :mod:`.framework` the shared data; :mod:`.plugins` the in-tree
plugins; :mod:`.events` the events.k8s.io recorder.
"""
