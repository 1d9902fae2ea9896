# %% [markdown]
# # 03 · Pods and Deployments
#
# **Goal.** Run an application the way the talk does: create a Deployment with one command,
# then the same from a YAML file; scale it, change its image, and delete it. Along the way, watch
# pods go through their phases.
#
# > Deployment 通过 ReplicaSet 管理创建 Pod,可以实现指定 Pod 副本数量,滚动更新,扩容 Pod
# >
# > *A Deployment manages its Pods through a ReplicaSet: it keeps the number of Pod replicas
# > you ask for, performs rolling updates, and scales Pods out.*

# %%
import yaml

from k8slab import Lab
from k8slab.notebook.charts import pods_by_phase, pods_by_phase_series
from k8slab.notebook.checks import check_chapter03, object_diff
from k8slab.notebook.widgets import ReplicasControl

%load_ext k8slab
lab = Lab(seed=0, workdir="../manifests/03-deployments")
mark = len(lab.trace)

# %% [markdown]
# ## The imperative way: one command
#
# "使用命令创建一个 Deployment", *create a Deployment with a command*:

# %%
%kubectl create deployment --image nginx:1.10 test-web-deployment

# %%
%%sh
sleep 10
kubectl get deployment,replicaset,pod

# %% [markdown]
# As in chapter 01, the Deployment made a ReplicaSet, which made a Pod. Let's keep the object
# as the apiserver stored it, to compare it in a moment:

# %%
imperative = yaml.safe_load(lab.kubectl("get deployment test-web-deployment -o yaml").stdout)

# %% [markdown]
# The talk's last command, `kubectl delete deployment`, removes it. The ReplicaSet and the Pod
# go too: they carry an `ownerReference` to their owner, and the garbage collector deletes
# objects whose owner is gone.

# %%
%kubectl delete deployment test-web-deployment

# %% [markdown]
# ## The declarative way: a YAML file
#
# "也可以使用声明式的配置,以下等价", *you can also use a declarative configuration; the
# following is equivalent*. The talk's manifest is in this chapter's folder:

# %%
%%sh
cat test-web-deployment.yaml

# %%
%%sh
kubectl create -f test-web-deployment.yaml
sleep 10
kubectl get deployment,replicaset,pod

# %% [markdown]
# Is it really the same object? Compare what the apiserver stored in both cases, leaving out
# what always differs (uid, timestamps, resource versions, status):

# %%
declarative = yaml.safe_load(lab.kubectl("get deployment test-web-deployment -o yaml").stdout)


def comparable(obj):
    return {"metadata.labels": obj["metadata"].get("labels"), "spec": obj["spec"]}


for path, created, declared in object_diff(comparable(imperative), comparable(declarative)):
    print(f"{path}\n  kubectl create deployment: {created}\n  test-web-deployment.yaml:  {declared}")

# %% [markdown]
# Almost equivalent. `kubectl create deployment` labels the Deployment object itself with
# `app: test-web-deployment`, and the YAML declares the container's port 80 (only
# informational: nginx listens on 80 either way; `--port 80` on the command line would add it).
# Everything else is identical, including all the fields neither of them wrote: the apiserver
# filled in the same defaults (`strategy: RollingUpdate` with 25 % surge and unavailability,
# `revisionHistoryLimit: 10`, `progressDeadlineSeconds: 600`, `restartPolicy: Always`…):

# %%
print(yaml.safe_dump(declarative["spec"]["strategy"]), end="")
print("revisionHistoryLimit:", declarative["spec"]["revisionHistoryLimit"])

# %% [markdown]
# The difference that matters is how you work. A command changes the cluster now; a file is a
# description you can keep in git, review, and apply again to get the same result.

# %% [markdown]
# ## Scaling
#
# "调整副本集数量", *adjust the number of replicas*:

# %%
%%sh
kubectl scale deployment --replicas 2 test-web-deployment
sleep 10
kubectl get pods -o wide

# %% [markdown]
# The slider below runs the same command with the number you pick, then lets 20 seconds pass.
# The chart counts the pods in each phase since the start of this chapter: `Pending` (waiting
# for a node), `ContainerCreating` (bound; the kubelet pulls the image and starts the
# container), `Running`, and `Terminating` (deleted, shutting down gracefully).

# %% tags=["nbval-ignore-output"]
replicas = ReplicasControl(lab, chart=lambda lab: pods_by_phase(lab, since=mark))
replicas

# %% [markdown]
# Moving the slider from code does the same as dragging it:

# %%
replicas.slider.value = 4

# %%
assert lab.kubectl("get deployment test-web-deployment").stdout.split()[-4:-1] == [
    "4/4", "4", "4"]
assert "READY 4/4" in replicas.status.value

# %% [markdown]
# ## Changing the image
#
# "修改容器镜像", *change the container image*. The container in the talk's manifest is named
# `nginx`, so `nginx=nginx:1.11` sets its image:

# %%
%kubectl set image deployment/test-web-deployment nginx=nginx:1.11

# %%
%%sh
sleep 30
kubectl get replicaset,pod

# %% [markdown]
# A new pod template means a new ReplicaSet (its name has a new hash). The Deployment scaled
# the new one up and the old one down, a few pods at a time: a rolling update, the subject of
# chapter 05. The old ReplicaSet stays, with 0 replicas, so you can roll back (chapter 06).

# %% tags=["nbval-ignore-output"]
fig = pods_by_phase(lab, since=mark)
fig

# %%
x, phases = pods_by_phase_series(lab, since=mark)
assert [trace.name for trace in fig.data][:4] == list(phases)[:4] == [
    "Pending", "ContainerCreating", "Running", "Terminating"]
assert phases["Running"][-1] == 4 and phases["Terminating"][-1] == 0

# %% [markdown]
# ## Deleting
#
# "删除 Deployment", *delete the Deployment*:

# %%
%kubectl delete deployment test-web-deployment

# %%
%kubectl get pods

# %% [markdown]
# The garbage collector deleted the ReplicaSet, then its pods. A deleted pod gets a grace period
# (30 s by default): its kubelet sends the containers SIGTERM and waits for them to stop. nginx
# stops at once, so the kubelet already reported the pods finished, and kubectl shows a
# deleted pod whose containers exited cleanly as `Completed` (a slower program would show
# `Terminating` for a while). Then the kubelet removes the pod objects:

# %%
%%sh
sleep 40
kubectl get pods

# %% [markdown]
# ## Exercise 3
#
# Bring `test-web-deployment` back **from the YAML file**, then make it run **5 replicas** of
# **nginx:1.11** and wait until the rollout is complete. Either use the talk's commands after
# creating it from the file, or write your own manifest in a `%%apply` cell.

# %%
# your commands here

# %%
check_chapter03(lab)

# %% [markdown]
# A solution (collapsed; click its left edge to open it):

# %% tags=["solution"]
%%sh
kubectl apply -f test-web-deployment.yaml
kubectl scale deployment --replicas 5 test-web-deployment
kubectl set image deployment/test-web-deployment nginx=nginx:1.11
sleep 45
kubectl get deployment test-web-deployment

# %%
check_chapter03(lab)

# %% [markdown]
# ## Summary
#
# - `kubectl create deployment` and the talk's YAML give the same Deployment, apart from a
#   label and the declared port; the apiserver fills in the same defaults for both.
# - A Deployment owns ReplicaSets, which own Pods; deleting the owner deletes the rest.
# - `scale` changes `spec.replicas`; `set image` changes the pod template, which starts a new
#   ReplicaSet and a rolling update.
# - Pods go `Pending` → `ContainerCreating` → `Running`, and `Terminating` when deleted.
#
# Next: 04 · Services and discovery.
