# %% [markdown]
# # 02 · Nodes: join, drop, fail
#
# **Goal.** Add a machine to the cluster and remove it again with the talk's own tool, then
# switch a worker off and watch Kubernetes notice, wait, and move its pods elsewhere. This is
# what the talk calls 故障隔离, *failure isolation*.

# %%
from k8slab import Lab
from k8slab.notebook.charts import pods_per_node, pods_per_node_series
from k8slab.notebook.checks import check_chapter02
from k8slab.notebook.widgets import NodeControl

%load_ext k8slab
lab = Lab(seed=0)

# %%
%kubectl get nodes

# %% [markdown]
# ## Joining and dropping a node
#
# The talk's demo starts with "创建节点并加入集群", *create a node and join it to the
# cluster*, using its own command-line tool `tcs` (run from its Rust source with `cargo run`):

# %%
%%sh
cargo run tcs create -i t.cs.11

# %% [markdown]
# The new machine runs `kubeadm join`: its kubelet registers a Node object with the apiserver,
# then reports `Ready` once its network is up. That takes a few seconds:

# %%
%%sh
sleep 30
kubectl get nodes

# %% [markdown]
# And the reverse, dropping the machine from the cluster:

# %%
%%sh
cargo run tcs drop -i t.cs.11

# %%
%%sh
sleep 10
kubectl get nodes

# %% [markdown]
# ## Something to run
#
# To see failure isolation we need pods spread over the workers. The talk's command creates a
# Deployment and the talk's `scale` gives it six replicas. We note where the trace ends first,
# for the chart below:

# %%
mark = len(lab.trace)

# %%
%%sh
kubectl create deployment --image nginx:1.10 test-web-deployment
kubectl scale deployment --replicas 6 test-web-deployment
sleep 20
kubectl get pods -o wide

# %% [markdown]
# The scheduler spread the six pods over the three workers: its default scoring prefers the
# node with the fewest pods of the same owner (`PodTopologySpread`) and the most free
# resources. Nothing lands on `t.cs.1`: the control-plane node carries a `NoSchedule` taint.

# %% [markdown]
# ## Failing a node
#
# The widget below has a node picker with **fail node** and **restore node** buttons, and a
# button that lets time pass. "Fail node" switches the machine off: its kubelet stops, so the
# node stops sending heartbeats (it renews a `Lease` in `kube-node-lease` every 10 s).
# Nothing tells the control plane; it has to notice. The chart shows the pods bound to each
# node.

# %% tags=["nbval-ignore-output"]
nodes = NodeControl(lab, chart=lambda lab: pods_per_node(lab, since=mark))
nodes

# %% [markdown]
# Pressing the buttons and calling the control's methods do the same thing, so this notebook
# presses them from code. Switch `t.cs.2` off and let a minute pass:

# %%
nodes.fail_node("t.cs.2")
nodes.let_time_pass(60)

# %%
%kubectl get nodes

# %% [markdown]
# After 50 seconds without a heartbeat (the node lifecycle controller's
# `--node-monitor-grace-period`) the node turned `NotReady`: its `Ready` condition is now
# `Unknown`, and the controller added the taint `node.kubernetes.io/unreachable:NoExecute`.
# What about its pods?

# %%
%kubectl get pods -o wide

# %% [markdown]
# They are still listed on `t.cs.2`, and nobody replaced them yet. Every pod carries a
# toleration for that taint, added by the `DefaultTolerationSeconds` admission plugin:
# `tolerationSeconds: 300`. Kubernetes waits five minutes before evicting, because a node that
# merely lost its network for a moment would otherwise lose all its pods. Let's wait a little
# more than five minutes:

# %%
nodes.let_time_pass(320)

# %%
%kubectl get pods -o wide

# %% [markdown]
# Five minutes after the taint, the pods on `t.cs.2` were evicted (deleted). They stay
# `Terminating`: only their kubelet can confirm that the containers stopped, and it is off.
# The ReplicaSet counts them as gone and has already created replacements on the healthy
# nodes, so the Deployment is back to six running pods.

# %% tags=["nbval-ignore-output"]
fig = pods_per_node(lab, since=mark)
fig

# %%
x, per_node = pods_per_node_series(lab, since=mark)
assert per_node["t.cs.2"][-1] == 0
assert sum(counts[-1] for counts in per_node.values()) == 6
assert [trace.name for trace in fig.data] == list(per_node)

# %% [markdown]
# ## Restoring the node
#
# Switch `t.cs.2` back on. Its kubelet starts, heart-beats again, and finishes the deletion of
# the evicted pods:

# %%
nodes.restore_node("t.cs.2")
nodes.let_time_pass(30)

# %%
%kubectl get nodes,pods -o wide

# %% [markdown]
# `t.cs.2` is `Ready` again, but empty: Kubernetes does not move running pods back to
# rebalance. New pods will land there first, because it is the least loaded node.

# %% [markdown]
# ## Exercise 2
#
# Join `t.cs.11` again with the talk's `tcs` command, then fail `t.cs.3` (with the widget or
# `nodes.fail_node("t.cs.3")`), and let enough time pass that every replica of
# `test-web-deployment` is available again and none is left on `t.cs.3`.

# %%
# your commands here

# %%
check_chapter02(lab, joined="t.cs.11", failed="t.cs.3")

# %% [markdown]
# A solution (collapsed; click its left edge to open it):

# %% tags=["solution"]
%%sh
cargo run tcs create -i t.cs.11
sleep 30

# %% tags=["solution"]
nodes.fail_node("t.cs.3")
nodes.let_time_pass(400)

# %%
check_chapter02(lab, joined="t.cs.11", failed="t.cs.3")

# %%
%kubectl get nodes,pods -o wide

# %% [markdown]
# ## Summary
#
# - A node joins by registering itself: its kubelet creates the Node object and keeps a
#   heartbeat `Lease`.
# - Nobody reports a dead node. The node lifecycle controller notices missing heartbeats
#   (NotReady after 50 s) and taints the node.
# - Pods tolerate an unreachable node for 300 s, then are evicted; their ReplicaSet replaces
#   them on healthy nodes. Evicted pods stay `Terminating` until their kubelet returns.
#
# Next: [03 · Pods and Deployments](03-deployments.ipynb).
