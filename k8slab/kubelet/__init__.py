"""The node agent: kubelet, container runtime, probes, image manager and the log/exec API.

- :mod:`.kubelet` — :class:`~k8slab.kubelet.kubelet.Kubelet` (registration, heartbeats, pod
  workers, restarts, deletion, power on/off, logs and exec);
- :mod:`.runtime` — containerd: sandboxes, containers, logs, the CNI's host-local IPAM;
- :mod:`.images` — pulls, the serialized puller, pull back-off, ``status.images``;
- :mod:`.probes` — probe workers; :mod:`.status` — pod status generation;
- :mod:`.node_status` — the Node object; :mod:`.static_pods` — kubeadm's control plane;
- :mod:`.pod_files` — /etc/hosts, resolv.conf, environment; :mod:`.logs`,
  :mod:`.server` — the apiserver side of ``kubectl logs``/``exec``.
"""
