# %% [markdown]
# # 05 · Rolling update
#
# **Goal.** Upgrade the talk's ten nginx pods from 1.10 to 1.11 while requests keep flowing,
# watch the versions change hands in the talk's own `curl` loop, and see how `maxSurge` and
# `maxUnavailable` shape a rolling update.
#
# > 基于容器的应用部署、维护和滚动升级
# >
# > *Container-based deployment, maintenance and rolling upgrades of applications*, one of
# > the features the talk lists.

# %%
from k8slab import Lab
from k8slab.notebook.charts import (
    mark,
    pods_per_replicaset_series,
    responses_by_version_series,
    rollout_overview,
    scaling_steps,
)
from k8slab.notebook.checks import check_chapter05
from k8slab.notebook.widgets import RolloutControl, rollout_summary

%load_ext k8slab
lab = Lab(seed=0, workdir="../manifests/05-rolling-update")

# %% [markdown]
# ## The demo: ten pods and a NodePort Service
#
# "创建 Deployment 服务容器", *create the Deployment's containers*: ten replicas of nginx:1.10,
# with a rolling-update strategy that allows **one pod more** than wanted (`maxSurge: 1`) and
# **one pod fewer** (`maxUnavailable: 1`) while it works. Then the talk's NodePort Service
# from chapter 04.

# %%
%%sh
cat test-web-deployment.yaml
kubectl apply -f test-web-deployment.yaml -f test-web-svc.yaml
sleep 30
kubectl get deployment,replicaset,service

# %%
%sh curl -s -I http://ms.iirii.com:30044

# %% [markdown]
# ## The talk's loop prints nothing
#
# "循环验证", *check in a loop*: the talk watches the `Server` header five times a second. It
# runs forever; the lab presses Ctrl-C for you when the cell's time is up (here 5 s):

# %%
%%sh --for 5s
while sleep 0.2;do curl -s -I http://ms.iirii.com:30044 | grep server;done

# %% [markdown]
# Nothing, although curl gets an answer every time. Look at the header above: nginx writes
# `Server:` with a capital S, and `grep` is case-sensitive. The talk's line only prints
# something when a proxy rewrites the header in lower case: an Istio sidecar (Envoy) sends
# `server: envoy`, which is likely what the speaker's terminal showed at the time. Against
# nginx directly, ask grep to ignore case:

# %%
%sh curl -s -I http://ms.iirii.com:30044 | grep -i server

# %% [markdown]
# ## The upgrade: `kubectl apply -f k8s.run.yaml --record`
#
# "升级 nginx 版本号", *upgrade the nginx version*. `k8s.run.yaml` is the same Deployment with
# `image: nginx:1.11`:

# %%
%sh grep -n image: test-web-deployment.yaml k8s.run.yaml

# %% [markdown]
# Apply it and run the loop (with `grep -i`) straight after, in the same cell, for 20 s. Each
# line is one request; note when `nginx/1.11.13` starts answering and when `nginx/1.10.3`
# stops:

# %%
start = mark(lab)

# %%
%%sh --for 20s
kubectl apply -f k8s.run.yaml --record
while sleep 0.2;do curl -s -I http://ms.iirii.com:30044 | grep -i server;done

# %% [markdown]
# For a few seconds both versions answer, mixed: the Service sends each new connection to a
# random ready pod, old or new. kubectl also warned that `--record` is deprecated. It still
# works: it stores the command line in the annotation `kubernetes.io/change-cause`, which
# chapter 06 reads back.

# %%
%%sh
kubectl rollout status deployment test-web-deployment
kubectl get replicaset

# %% [markdown]
# The new pod template got a new ReplicaSet (`…7d6c4bccc4`) which now holds the ten pods; the
# old one (`…5dbffd75f`) is kept with 0 replicas, for a rollback.

# %% [markdown]
# ## How the controller stepped
#
# With 10 replicas, `maxSurge: 1` and `maxUnavailable: 1`, the Deployment controller may run at
# most 11 pods and must keep at least 9 available. Each time it runs it either scales the new
# ReplicaSet up (while the total is under 11), or scales the old one down by as many pods as
# are available above 9. Its events say what it did:

# %%
%kubectl describe deployment test-web-deployment

# %% [markdown]
# After ten similar events the event recorder starts combining them ("combined from similar
# events"), so `describe` does not list every step. The lab's trace does: here are the
# `spec.replicas` of (old, new) after every scaling:

# %%
steps = scaling_steps(lab, start)
print(" → ".join(f"({old},{new})" for old, new in steps))

# %% [markdown]
# It starts as the reference sequence for this strategy does: `(10,0) → (10,1) → (9,1) →
# (9,2) → (7,2)`. Scaling down by two at `(9,2) → (7,2)` happens because by then two pods
# were available above the minimum of 9. Later steps depend on how many new pods became ready
# between two runs of the controller, but two rules always hold:

# %%
assert steps[0] == (10, 0) and steps[-1] == (0, 10)
assert steps[1:5] == [(10, 1), (9, 1), (9, 2), (7, 2)]
assert all(9 <= old + new <= 11 for old, new in steps[1:])
summary = rollout_summary(lab, start)
print("fewest available:", summary["min_available"], "  most pods:", summary["max_pods"])

# %%
assert summary["min_available"] >= 9 and summary["max_pods"] <= 11

# %% [markdown]
# ## The rollout in one picture
#
# Top: ready pods of each ReplicaSet (solid) and their `spec.replicas` (dotted). Bottom: the
# answers the curl loop got each second, by `Server` header. The same run, on the same clock:

# %% tags=["nbval-ignore-output"]
fig = rollout_overview(lab, start)
fig

# %%
xs, ready = pods_per_replicaset_series(lab, start)
bins, versions = responses_by_version_series(lab, start)
old, new = ready.values()
assert old[0] == 10 and new[-1] == 10 and old[-1] == 0
assert list(versions) == ["nginx/1.10.3", "nginx/1.11.13"]
assert versions["nginx/1.11.13"][0] == 0 and versions["nginx/1.10.3"][-1] == 0
assert {trace.name for trace in fig.data} >= {"nginx/1.10.3", "nginx/1.11.13"}

# %% [markdown]
# ## Your turn: replicas, maxSurge, maxUnavailable
#
# The sliders set the strategy; **roll out** applies it (written to `/tmp/rollout.yaml`),
# waits for the pods, then switches to the other nginx version while the curl loop runs in
# the background until `kubectl rollout status` says the rollout is done. Try:
#
# - `maxSurge 0, maxUnavailable 1`: never more pods than replicas, one fewer at a time;
# - `maxSurge 5, maxUnavailable 0`: five extra pods at once, never fewer than replicas;
# - `maxSurge 0, maxUnavailable 0`: the apiserver refuses it (nothing could ever move).

# %% tags=["nbval-ignore-output"]
rollout = RolloutControl(lab)
rollout

# %%
rollout.max_surge.value = 3
rollout.max_unavailable.value = 0
rollout.roll()
print(rollout.log[-1][1].stdout, end="")

# %%
s = rollout_summary(lab, rollout.start)
assert s["min_available"] >= 10 and s["max_pods"] <= 13
assert rollout.current_image() == "nginx:1.10"

# %% [markdown]
# With `maxUnavailable: 0` the controller removes an old pod only once a new one is available,
# so ten pods serve at every moment; `maxSurge: 3` lets it start three new pods at once, which
# makes the rollout quick. The price is up to three extra pods' worth of CPU and memory during
# the rollout. And the refused combination:

# %%
rollout.max_surge.value = 0
result = rollout.roll()
print(result.stderr, end="")

# %%
assert "may not be 0 when `maxSurge` is 0" in result.stderr
assert rollout.current_image() == "nginx:1.10"

# %% [markdown]
# ## Exercise 5
#
# Upgrade `test-web-deployment` to **nginx:1.12** so that capacity never drops: **10
# replicas**, **maxSurge 2**, **maxUnavailable 0**, with the talk's curl loop (`grep -i`)
# running during the rollout so you see `nginx/1.12.2` take over. Use `kubectl apply` with
# your own manifest (a `%%apply` cell), the way the talk upgrades.

# %%
# your commands here

# %%
check_chapter05(lab)

# %% [markdown]
# A solution (collapsed; click its left edge to open it). Note the order: the strategy must
# already be in place when the image changes, so both go in the same manifest.

# %% tags=["solution"]
%%apply
apiVersion: apps/v1
kind: Deployment
metadata:
  name: test-web-deployment
spec:
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 2
      maxUnavailable: 0
  selector:
    matchLabels:
      app: test-web-deployment
  replicas: 10
  template:
    metadata:
      labels:
        app: test-web-deployment
    spec:
      containers:
        - name: test-web
          image: nginx:1.12
          ports:
            - containerPort: 80

# %% tags=["solution"]
%%sh --for 40s
while sleep 0.2;do curl -s -I http://ms.iirii.com:30044 | grep -i server;done | uniq -c

# %%
check_chapter05(lab)

# %% [markdown]
# ## Summary
#
# - A new pod template makes a new ReplicaSet; the Deployment scales it up and the old one down
#   in steps, the old one staying at 0 for rollbacks.
# - `maxSurge` bounds the extra pods, `maxUnavailable` the missing ones: with 10, 1, 1 the
#   rollout keeps between 9 and 11 pods and at least 9 available.
# - During the rollout the Service sends each connection to any ready pod: old and new versions
#   answer side by side.
# - The talk's `grep server` never matches nginx's `Server:` header; use `grep -i`.
#
# Next: [06 · Rollback](06-rollback.ipynb).
