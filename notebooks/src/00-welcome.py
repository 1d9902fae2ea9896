# %% [markdown]
# # 00 · Welcome: how the lab works
#
# **Goal.** Meet the lab: a whole Kubernetes 1.37 cluster that lives inside this notebook.
# You will run the first commands of the talk, learn how time passes in the lab, and why
# everyone who runs this notebook sees exactly the same output.
#
# The course follows a talk given in Chinese, *Kubernetes 技术分享* ("a Kubernetes tech
# talk"). Its commands appear here exactly as the speaker typed them; where a line of the
# talk helps, it is quoted and translated.
#
# **How to use a notebook.** Run the cells from top to bottom with <kbd>Shift</kbd>+<kbd>Enter</kbd>.
# Grey cells are code; their output appears right below them.

# %% [markdown]
# ## Your cluster
#
# The first cell loads the lab and its notebook commands (`%kubectl`, `%%sh`, `%%apply`), then
# builds a cluster. `seed=0` fixes every random choice the cluster makes (pod names, which node
# a pod lands on when several are equally good…), so your output matches the text below.
# `workdir` is the folder the lab's shell starts in: this chapter's manifests.

# %%
from k8slab import Lab
from k8slab.notebook.checks import check_chapter00, expect_error

%load_ext k8slab
lab = Lab(seed=0, workdir="../manifests/00-welcome")

# %% [markdown]
# The cluster looks like the one in the talk: a control-plane machine `t.cs.1` and three
# workers `t.cs.2` to `t.cs.4`, freshly installed with kubeadm two minutes ago.
#
# The talk introduces `kubectl` like this:
#
# > 可以通过官方提供的工具 kubectl 对集群资源进行管理
# >
# > *You manage the cluster's resources with kubectl, the official tool.*
#
# Its first command lists the nodes and the pods:

# %%
%kubectl get node,pod

# %% [markdown]
# Every node is `Ready`. There are no pods in the `default` namespace yet, so kubectl only
# prints the nodes. The system's own pods live in the `kube-system` namespace. Namespaces are
# the next command of the talk:

# %%
%kubectl describe namespaces

# %% [markdown]
# > 通过命名空间,为集群中的部分资源或不同的环境关联鉴权,配置资源限额,有助于不同的项目、团队共享 Kubernetes 集群.
# >
# > *Namespaces attach permissions and resource quotas to a part of the cluster or to an
# > environment, which helps different projects and teams share one Kubernetes cluster.*
#
# A fresh cluster has four: `default` (where your objects go unless you say otherwise),
# `kube-system` (the cluster's own components), `kube-public` and `kube-node-lease` (one
# heartbeat `Lease` per node).

# %% [markdown]
# ## Creating something: `kubectl create -f xxx.yaml`
#
# The talk writes `kubectl create -f xxx.yaml`, where `xxx.yaml` stands for any manifest: a
# YAML file that describes an object. This chapter's folder has one, `test-pod.yaml`, a pod
# that writes a greeting to its log. `%%sh` runs lines in the lab's shell, just like a
# terminal:

# %%
%%sh
cat test-pod.yaml

# %%
%kubectl create -f test-pod.yaml

# %%
%kubectl get pods

# %% [markdown]
# ## Time in the lab
#
# The pod is not running yet: its node has to pull the `busybox` image and start the
# container, which takes a few seconds. In the lab, **time is virtual**. The cluster only moves
# forward when something takes time:
#
# - every `kubectl` command takes its round trip to the apiserver (a few milliseconds);
# - `sleep 5` in the shell lets five seconds pass for the whole cluster;
# - `lab.sleep(5)` does the same from Python.
#
# Between two cells, no time passes at all, however long you read. `lab.elapsed` is the number
# of seconds since the cluster was created:

# %%
before = lab.elapsed
lab.kubectl("get pods")
print(f"the cluster has run for {before:.3f} s; that kubectl call took "
      f"{lab.elapsed - before:.3f} s of virtual time")

# %%
%%sh
sleep 10
kubectl get pods

# %% [markdown]
# Ten seconds later the pod is `Running`. On a real cluster you would have waited in real
# time; here you decide when time passes, which makes slow things (a 5-minute eviction
# timeout in chapter 02) quick to watch.

# %% [markdown]
# ## Reading a pod's log: `kubectl logs`
#
# The talk writes `kubectl logs pod test-xxx`. Typed as written it does not do what it seems
# to: `kubectl logs` takes `POD [CONTAINER]`, so kubectl looks for a pod named `pod` with a
# container `test-xxx`. A real cluster answers with an error, and so does the lab:

# %%
expect_error(lab.kubectl("logs pod test-pod"), "NotFound")

# %% [markdown]
# `expect_error` checks that the command failed with the expected message, then shows its
# output. The right forms are `kubectl logs test-pod` or `kubectl logs pod/test-pod`:

# %%
%kubectl logs test-pod

# %% [markdown]
# ## Same seed, same cluster
#
# Two labs with the same seed, given the same commands, print byte-identical output, on any
# computer. A different seed makes different random choices. Here three new labs each create
# the same Deployment:

# %%
names = {}
for seed in (7, 7, 8):
    other = Lab(seed=seed, workdir="../manifests/00-welcome")
    other.kubectl("create deployment --image nginx:1.10 web")
    other.sleep(5)
    names.setdefault(seed, []).append(other.kubectl("get pods -o name").stdout.strip())
names

# %% [markdown]
# Both labs with seed 7 named their pod identically; seed 8 chose another random suffix.
#
# Creating a `Lab` is also how you **reset**: a new `Lab(seed=0)` is a brand-new cluster.
# The `%kubectl` and `%%sh` commands always talk to the lab created last, so hand them back
# to ours:

# %%
lab.use()
%kubectl get pods

# %% [markdown]
# ## Where the lab differs from a real cluster
#
# The lab aims to show what a real cluster shows: the same objects, names, columns, events,
# messages and exit codes. Nothing runs for real, though: there are no containers, no
# network and no disks, only models of them. Every known difference is listed in
# [docs/realism.md](../docs/realism.md). The main ones to keep in mind now:
#
# - time is virtual (above);
# - the cluster always starts on the same virtual date, two minutes after `kubeadm init`;
# - container images are models of the real programs: `nginx` answers HTTP requests,
#   `busybox` runs a small shell, and so on.

# %% [markdown]
# ## Exercise 0.1
#
# Create a namespace called `practice`, then create the pod of `test-pod.yaml` **in that
# namespace** and make sure it is running. Commands you may need: `kubectl create namespace
# NAME`, `kubectl create -f FILE -n NAMESPACE`, `sleep`, `kubectl get pods -n NAMESPACE`.
#
# Type your commands in the next cell (or in a `%%sh` cell), then run the check.

# %%
# your commands here

# %% [markdown]
# The next cell holds a solution; it is collapsed so you can try first. Click its left edge to
# open it.

# %% tags=["solution"]
%%sh
kubectl create namespace practice
kubectl create -f test-pod.yaml -n practice
sleep 10
kubectl get pods -n practice

# %%
check_chapter00(lab)

# %% [markdown]
# ## Summary
#
# - The lab is a seeded, in-memory Kubernetes 1.37 cluster: `lab = Lab(seed=0)`.
# - `%kubectl …`, `%%sh` and `lab.kubectl("…")` run the talk's commands and print what a real
#   cluster prints, errors included.
# - Time only passes when a command takes time, or when you `sleep`.
# - A new `Lab` is a fresh cluster; the same seed gives the same output everywhere.
#
# Next: [01 · The control plane at work](01-control-plane.ipynb), where one `apply` travels
# through every component of the cluster.
