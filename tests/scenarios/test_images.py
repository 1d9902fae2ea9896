"""Images of the talk: the mirror names, pulls per node, node status images
(seed "相关镜像"; pkg/kubelet/images/image_manager.go; kubernetes.md §4.3)."""

from __future__ import annotations

import re

from k8slab.api.kinds import by_gvk
from k8slab.cluster import Cluster
from k8slab.sim.clock import SECOND

POD = by_gvk("v1", "Pod")
NODE = by_gvk("v1", "Node")
EVENT = by_gvk("v1", "Event")

TALK_IMAGES = [
    "registry.ioros.com/docker.io/kennethreitz/httpbin",
    "registry.ioros.com/docker.io/busybox",
    "registry.ioros.com/docker.io/dustise/flaskapp",
    "registry.ioros.com/docker.io/dustise/sleep",
    "registry.ioros.com/coam/test.web:0.0.1",
]


def _cluster() -> Cluster:
    c = Cluster(seed=0)
    c.boot()
    for i, node in enumerate(c.api.list(NODE)):
        if not node["spec"].get("podCIDR"):
            cidr = f"10.244.{i}.0/24"
            c.api.update({**node, "spec": {**node["spec"], "podCIDR": cidr}}, source="test",
                         trusted=True)
    c.loop.advance(15 * SECOND)
    return c


def test_every_talk_image_pulls_and_runs_under_its_mirror_name() -> None:
    c = _cluster()
    for i, image in enumerate(TALK_IMAGES):
        c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"p{i}"},
                      "spec": {"nodeName": "t.cs.4", "containers": [
                          {"name": "c", "image": image, "imagePullPolicy": "IfNotPresent"}]}},
                     source="kubectl")
    c.loop.advance(120 * SECOND)
    for i, image in enumerate(TALK_IMAGES):
        st = c.api.get(POD, "default", f"p{i}")["status"]
        cs = st["containerStatuses"][0]
        if image.endswith("/busybox"):
            continue  # `sh` with no stdin exits: CrashLoopBackOff, as on a real cluster
        assert "running" in cs["state"], (image, cs["state"])
        name = image if ":" in image.rsplit("/", 1)[-1] else image + ":latest"
        assert cs["image"] == name
        assert cs["imageID"].startswith(name.rsplit(":", 1)[0] + "@sha256:")
        pulled = [e["message"] for e in c.api.list(EVENT, "default")
                  if e["involvedObject"]["name"] == f"p{i}" and e["reason"] == "Pulled"]
        assert re.match(rf'Successfully pulled image "{re.escape(image)}" in ', pulled[0])
    images = c.api.get(NODE, "", "t.cs.4")["status"]["images"]
    names = [n for entry in images for n in entry["names"]]
    assert "registry.ioros.com/docker.io/kennethreitz/httpbin:latest" in names
    sizes = [entry["sizeBytes"] for entry in images]
    assert sizes == sorted(sizes, reverse=True)


def test_image_pulled_once_per_node_for_if_not_present() -> None:
    c = _cluster()
    for i in range(3):
        c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"w{i}"},
                      "spec": {"nodeName": "t.cs.2", "containers": [
                          {"name": "web", "image": "nginx:1.11"}]}}, source="kubectl")
    c.loop.advance(3 * SECOND)
    c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "late"},
                  "spec": {"nodeName": "t.cs.2", "containers": [
                      {"name": "web", "image": "nginx:1.11"}]}}, source="kubectl")
    c.loop.advance(30 * SECOND)
    late = [e["reason"] for e in c.api.list(EVENT, "default")
            if e["involvedObject"]["name"] == "late" and e["reason"] in ("Pulled", "Pulling")]
    # Pods that arrived while the first pull ran queue their own (fast) pull; a pod arriving
    # after it finished finds the image present.
    assert late in (["Pulled"], ["Pulling", "Pulled"])
    assert c.kubelets["t.cs.2"].images.is_present("nginx:1.11")
    assert not c.kubelets["t.cs.3"].images.is_present("nginx:1.11")


def test_always_policy_pulls_every_time() -> None:
    c = _cluster()
    for name in ("x", "y"):
        c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
                      "spec": {"nodeName": "t.cs.3", "containers": [
                          {"name": "web", "image": "nginx:latest",
                           "imagePullPolicy": "Always"}]}}, source="kubectl")
        c.loop.advance(20 * SECOND)
    reasons = {name: [e["reason"] for e in c.api.list(EVENT, "default")
                      if e["involvedObject"]["name"] == name] for name in ("x", "y")}
    assert reasons["y"][:2] == ["Pulling", "Pulled"]
