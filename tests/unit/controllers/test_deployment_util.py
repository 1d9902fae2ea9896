"""``deployment/util.py``: fenceposts, proportions, the hash, and kubectl's rollout helpers.

References: kubernetes.md §0.3 (hash alphabet), §1.2 (fencepost table), §1.7 (docs example),
§1.10 (rollout status/undo texts); upstream ``util/deployment_util.go``,
``staging/src/k8s.io/kubectl/pkg/polymorphichelpers/{rollback,rollout_status}.go``,
``k8s.io/apimachinery/pkg/util/rand`` ``SafeEncodeString``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import controller_fakes as fk
import pytest

from k8slab.controllers.deployment import util

ROOT = Path(__file__).resolve().parents[3]


def rolling(replicas, surge, unavailable):
    return {"spec": {"replicas": replicas, "strategy": {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxSurge": surge, "maxUnavailable": unavailable}}}}


@pytest.mark.parametrize(("replicas", "surge", "unavailable"), [
    (1, 1, 0), (3, 1, 0), (4, 1, 1), (10, 3, 2), (100, 25, 25)])
def test_default_fenceposts_table(replicas, surge, unavailable):
    """kubernetes.md §1.2: 25%/25% resolved on spec.replicas (surge up, unavailable down)."""
    d = rolling(replicas, "25%", "25%")
    assert (util.max_surge(d), util.max_unavailable(d)) == (surge, unavailable)


def test_both_zero_forces_one_unavailable_and_recreate_has_none():
    assert util.resolve_fenceposts("1%", "1%", 10) == (1, 0)
    assert util.resolve_fenceposts("0%", "1%", 10) == (0, 1)
    assert util.max_unavailable(rolling(0, "25%", "25%")) == 0
    recreate = {"spec": {"replicas": 5, "strategy": {"type": "Recreate"}}}
    assert (util.max_surge(recreate), util.max_unavailable(recreate)) == (0, 0)
    assert util.max_unavailable(rolling(3, 0, 5)) == 3  # capped at replicas


def test_new_rs_new_replicas():
    d = rolling(10, 1, 1)
    old = {"spec": {"replicas": 10}}
    new = {"spec": {"replicas": 0}}
    assert util.new_rs_new_replicas(d, [old, new], new) == 1
    assert util.new_rs_new_replicas(d, [{"spec": {"replicas": 9}}, {"spec": {"replicas": 1}}],
                                    {"spec": {"replicas": 1}}) == 2
    assert util.new_rs_new_replicas({"spec": {"replicas": 4, "strategy": {"type": "Recreate"}}},
                                    [], new) == 4


def test_proportion_docs_example():
    """kubernetes.md §1.7: 10 → 15 replicas with old at 8 and new at 5 (surge 3)."""
    d = rolling(15, 3, 2)
    old = {"spec": {"replicas": 8}, "metadata": {"annotations": {util.MAX_REPLICAS_ANNOTATION:
                                                                 "13"}}}
    new = {"spec": {"replicas": 5}, "metadata": {"annotations": {util.MAX_REPLICAS_ANNOTATION:
                                                                 "13"}}}
    to_add = 15 + 3 - 13
    first = util.get_proportion(old, d, to_add, 0)
    second = util.get_proportion(new, d, to_add, first)
    assert (first, second) == (3, 2)


def test_safe_encode_string_alphabet():
    # '0'..'9' → 4 5 6 7 8 9 b c d f (bytes 48..57 modulo 27 in "bcdfghjklmnpqrstvwxz2456789")
    assert util.safe_encode_string("0123456789") == "456789bcdf"


def test_hash_shape_and_collision_count():
    template = {"metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}
    h = util.compute_hash(template)
    assert 1 <= len(h) <= 10 and set(h) <= set("456789bcdf")
    assert util.compute_hash(dict(reversed(list(template.items())))) == h  # key order
    assert util.compute_hash(template, 1) != h
    assert util.compute_hash(template, 1) != util.compute_hash(template, 2)


def test_hash_is_the_same_in_every_process():
    code = ("from k8slab.controllers.deployment.util import compute_hash;"
            "print(compute_hash({'metadata': {'labels': {'app': 'web'}}, 'spec': "
            "{'containers': [{'name': 'n', 'image': 'nginx:1.25'}]}}))")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env=env, cwd=ROOT, check=True).stdout.strip()
    here = util.compute_hash({"metadata": {"labels": {"app": "web"}}, "spec": {
        "containers": [{"name": "n", "image": "nginx:1.25"}]}})
    assert other == here


def deployment_with_status(generation=2, observed=2, want=3, **status):
    return {"metadata": {"name": "nginx", "generation": generation},
            "spec": {"replicas": want},
            "status": {"observedGeneration": observed, **status}}


def test_rollout_status_lines():
    """kubernetes.md §1.10 (DeploymentStatusViewer)."""
    assert util.rollout_status(deployment_with_status(observed=1)) == (
        "Waiting for deployment spec update to be observed...\n", False)
    assert util.rollout_status(deployment_with_status(updatedReplicas=1, replicas=4))[0] == (
        'Waiting for deployment "nginx" rollout to finish: 1 out of 3 new replicas have been '
        "updated...\n")
    assert util.rollout_status(deployment_with_status(updatedReplicas=3, replicas=4))[0] == (
        'Waiting for deployment "nginx" rollout to finish: 1 old replicas are pending '
        "termination...\n")
    assert util.rollout_status(deployment_with_status(
        updatedReplicas=3, replicas=3, availableReplicas=2))[0] == (
        'Waiting for deployment "nginx" rollout to finish: 2 of 3 updated replicas are '
        "available...\n")
    assert util.rollout_status(deployment_with_status(
        updatedReplicas=3, replicas=3, availableReplicas=3)) == (
        'deployment "nginx" successfully rolled out\n', True)
    timed_out = deployment_with_status(conditions=[{"type": "Progressing", "status": "False",
                                                    "reason": "ProgressDeadlineExceeded"}])
    with pytest.raises(ValueError) as info:
        util.rollout_status(timed_out)
    assert str(info.value) == 'deployment "nginx" exceeded its progress deadline'


def test_history_and_rollback_template():
    cluster, _ = fk.world()
    cluster.api.create(fk.deployment(replicas=1, image="nginx:1.25"), source="kubectl")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    d = cluster.api.get(fk.DEPLOYMENT, "default", "web")
    with pytest.raises(ValueError) as info:
        util.rollback_template(cluster.api, d, 0)
    assert str(info.value) == 'no rollout history found for deployment "web"'
    fk.set_image(cluster, "web", "nginx:1.26")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    d = cluster.api.get(fk.DEPLOYMENT, "default", "web")
    assert [rev for rev, _ in util.history(cluster.api, d)] == [1, 2]
    previous = util.rollback_template(cluster.api, d, 0)
    assert previous["spec"]["containers"][0]["image"] == "nginx:1.25"
    assert previous["metadata"]["labels"] == {"app": "web"}  # hash label stripped
    assert util.rollback_template(cluster.api, d, 1) == previous
    assert util.equal_ignore_hash(util.rollback_template(cluster.api, d, 2),
                                  d["spec"]["template"])
    with pytest.raises(ValueError) as info:
        util.rollback_template(cluster.api, d, 7)
    assert str(info.value) == "unable to find specified revision 7 in history"
    assert util.revision(util.history(cluster.api, d)[-1][1]) == 2


def test_find_new_replica_set_judges_each_template_pair():
    """The verdict remembered for one (RS template, deployment template) pair is not reused for
    another deployment template."""
    spec = {"containers": [{"name": "c", "image": "nginx:1"}]}
    rs_template = {"metadata": {"labels": {"app": "web", util.HASH_LABEL: "abc"}}, "spec": spec}
    rs = {"metadata": {"name": "web-abc", "uid": "u1", "creationTimestamp": "2024-01-01T00:00:00Z"},
          "spec": {"template": rs_template}}
    same = {"spec": {"template": {"metadata": {"labels": {"app": "web"}}, "spec": spec}}}
    other = {"spec": {"template": {"metadata": {"labels": {"app": "web"}},
                                   "spec": {"containers": [{"name": "c", "image": "nginx:2"}]}}}}
    assert util.find_new_replica_set(same, [rs]) is rs
    assert util.find_new_replica_set(other, [rs]) is None
    assert util.find_new_replica_set(same, [rs]) is rs
