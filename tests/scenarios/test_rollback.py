"""Revisions, history and undo against the reference.

``kubectl rollout undo`` patches the Deployment with the template of an older ReplicaSet
(``rollback_template``) and the annotations ``rollback_annotations`` gives; the controller then
re-uses that ReplicaSet and gives it a new revision (kubernetes.md §1.9, §1.10).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from k8slab.controllers.deployment import util
from k8slab.sim.clock import SECOND

CAUSE = "kubernetes.io/change-cause"


def _fakes():
    name = "controller_fakes"
    if name not in sys.modules:
        path = Path(__file__).resolve().parents[1] / "unit" / "controllers" / "fakes.py"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


fk = _fakes()


def deployment(cluster):
    return cluster.api.get(fk.DEPLOYMENT, "default", "web")


def undo(cluster, to_revision=0):
    """What ``kubectl rollout undo deployment/web [--to-revision=N]`` sends."""
    d = deployment(cluster)
    template = util.rollback_template(cluster.api, d, to_revision)
    annotations = util.rollback_annotations(cluster.api, d, to_revision)

    def mutate(live):
        live["spec"]["template"] = template
        live["metadata"]["annotations"] = annotations
        return live
    cluster.api.patch(fk.DEPLOYMENT, "default", "web", mutate, source="kubectl")


def recorded_set_image(cluster, image):
    """``kubectl set image deployment/web nginx=<image> --record``."""
    def mutate(live):
        live["spec"]["template"]["spec"]["containers"][0]["image"] = image
        live["metadata"].setdefault("annotations", {})[CAUSE] = (
            f"kubectl set image deployment/web nginx={image} --record=true")
        return live
    cluster.api.patch(fk.DEPLOYMENT, "default", "web", mutate, source="kubectl")


def history(cluster):
    return [(rev, rs["metadata"].get("annotations", {}).get(CAUSE))
            for rev, rs in util.history(cluster.api, deployment(cluster))]


def test_undo_to_revision_1_renumbers_history():
    """kubernetes.md §1.9: history 1,2 → undo --to-revision=1 → history shows 2, 3."""
    cluster, _ = fk.world()
    cluster.api.create(fk.deployment(replicas=2, image="nginx:1.25"), source="kubectl")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    first = cluster.api.list(fk.REPLICASET, "default")[0]["metadata"]["name"]
    recorded_set_image(cluster, "nginx:1.26")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    assert history(cluster) == [
        (1, None), (2, "kubectl set image deployment/web nginx=nginx:1.26 --record=true")]
    undo(cluster, to_revision=1)
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    cluster.loop.advance(1 * SECOND)
    assert [rev for rev, _ in history(cluster)] == [2, 3]
    rs3 = dict(util.history(cluster.api, deployment(cluster)))[3]
    assert rs3["metadata"]["name"] == first  # the old ReplicaSet came back
    assert rs3["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"] == "1"
    assert deployment(cluster)["metadata"]["annotations"][
        "deployment.kubernetes.io/revision"] == "3"
    images = {p["spec"]["containers"][0]["image"] for p in cluster.api.list(fk.POD, "default")}
    assert images == {"nginx:1.25"}


def test_undo_without_revision_goes_to_the_previous_one():
    """kubernetes.md §1.10: no flag = the second-highest revision."""
    cluster, _ = fk.world()
    cluster.api.create(fk.deployment(replicas=1, image="nginx:1.25"), source="kubectl")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    for image in ("nginx:1.26", "nginx:1.27"):
        recorded_set_image(cluster, image)
        fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    undo(cluster)
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    cluster.loop.advance(1 * SECOND)
    assert history(cluster) == [
        (1, None), (3, "kubectl set image deployment/web nginx=nginx:1.27 --record=true"),
        (4, "kubectl set image deployment/web nginx=nginx:1.26 --record=true")]
    # the change cause travelled back with the undo (kubectl copies the RS annotations)
    assert deployment(cluster)["metadata"]["annotations"][CAUSE] == (
        "kubectl set image deployment/web nginx=nginx:1.26 --record=true")


def test_undo_to_the_current_template_is_detectable():
    """kubernetes.md §1.10: "skipped rollback (current template already matches revision N)"."""
    cluster, _ = fk.world()
    cluster.api.create(fk.deployment(replicas=1), source="kubectl")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    recorded_set_image(cluster, "nginx:1.26")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    d = deployment(cluster)
    assert util.equal_ignore_hash(util.rollback_template(cluster.api, d, 2),
                                  d["spec"]["template"])
    assert not util.equal_ignore_hash(util.rollback_template(cluster.api, d, 1),
                                      d["spec"]["template"])
