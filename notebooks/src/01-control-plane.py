# %% [markdown]
# # 01 · The control plane at work
#
# **Goal.** Follow one `kubectl apply` through the cluster and see which component does what.
# You will find that no component ever calls another one: each reads and writes objects in the
# apiserver, and reacts to the changes it watches there.

# %%
from k8slab import Lab
from k8slab.notebook.charts import control_plane_steps, control_plane_timeline
from k8slab.notebook.checks import check_chapter01
from k8slab.notebook.widgets import FollowControl, steps_text

%load_ext k8slab
lab = Lab(seed=0)

# %% [markdown]
# ## The core components
#
# The control plane runs as pods too, in the `kube-system` namespace:

# %%
%kubectl get pods -n kube-system -o wide

# %% [markdown]
# The talk describes each of them ("核心组件", *core components*):
#
# | component | the talk | in English |
# |---|---|---|
# | **kube-apiserver** | 模块之间的数据交互和通信的枢纽:提供集群管理的 REST API 接口,提供了资源操作的唯一入口 | The hub through which the modules exchange data: it serves the cluster's REST API and is the *only* entry point for operating on resources. |
# | **etcd** | 分部式数据库,保存了整个集群的配置及状态 | A distributed database that keeps the configuration and state of the whole cluster. Only the apiserver talks to it. |
# | **kube-controller-manager** | 是 Kubernetes 的大脑,它通过 apiserver 监控整个集群的状态 … 并确保集群处于预期的工作状态 | The brain of Kubernetes: through the apiserver it watches the whole cluster's state … and makes sure the cluster is in the state you asked for. It runs many controllers: Deployment, ReplicaSet, node lifecycle, garbage collector… |
# | **kube-scheduler** | 负责资源的调度,它监听 kube-apiserver,按照预定的调度策略将 Pod 调度到相应的机器上 | Watches the apiserver and assigns each new Pod to a machine according to its scheduling policy. |
# | **kubelet** | 每个 Node 节点上都运行一个 Kubelet 服务进程 … 管理 Pod 及 Pod 中的容器 | Runs on every node, registers the node, and manages the Pods assigned to it and their containers. |
# | **kube-proxy** | 它监听 API server 中 service 和 endpoint 的变化情况,并通过 iptables 等来为服务配置负载均衡 | Runs on every machine, watches Services and their endpoints, and programs load balancing with iptables. |
# | **kube-dns** | 提供集群中的 dns 服务,可以解析 service 的 cluster ip,实现服务发现 | The cluster's DNS: resolves a Service's name to its cluster IP (service discovery). Today it is CoreDNS, still behind a Service called `kube-dns`. |
#
# One nuance: the talk says the kubelet "receives and carries out the master's instructions"
# (接收并执行 Master 发来的指令). Nobody sends the kubelet anything. It *watches* the
# apiserver for pods whose `spec.nodeName` is its own node, exactly as the scheduler watches
# for pods without a node. Let's see it happen.

# %% [markdown]
# ## One apply, step by step
#
# `lab.trace` is the lab's log of everything that happened. We note where it ends now
# (`mark`), so we can look at what one command causes. Then we apply the talk's Deployment
# with `%%apply`, which is `kubectl apply -f -` with the cell as the file:

# %%
mark = len(lab.trace)

# %%
%%apply
apiVersion: apps/v1
kind: Deployment
metadata:
  name: test-web-deployment
spec:
  selector:
    matchLabels:
      app: test-web-deployment
  replicas: 1
  template:
    metadata:
      labels:
        app: test-web-deployment
    spec:
      containers:
        - name: nginx
          image: nginx:1.10
          ports:
            - containerPort: 80

# %%
%%sh
sleep 10
kubectl get deployment,replicaset,pod -o wide

# %% [markdown]
# One command, three objects: the Deployment you wrote, a ReplicaSet, and a Pod. Here is every
# write the apiserver accepted about them since `mark`, with the component that made it and
# the time in seconds after your command:

# %%
steps = control_plane_steps(lab, mark, "deployment/test-web-deployment", include_events=False)
print(steps_text(steps))

# %% [markdown]
# Read it from the top:
#
# 1. **kubectl** sends the Deployment to the apiserver, which stores it in etcd. kubectl's job
#    is done: it printed `created` and returned.
# 2. The **deployment controller** (inside kube-controller-manager) watches Deployments. It
#    sees a Deployment with no ReplicaSet and creates one, named after the Deployment plus a
#    hash of the pod template (`pod-template-hash`).
# 3. The **ReplicaSet controller** watches ReplicaSets. It sees one that wants 1 pod and has 0,
#    and creates a Pod, named after the ReplicaSet plus a random suffix.
# 4. The **scheduler** watches pods that have no node. It picks a node and *binds* the pod to it
#    (a write to the pod's `binding` subresource that sets `spec.nodeName`).
# 5. The **kubelet** of that node watches pods bound to its node. It pulls the image, starts the
#    container and writes the pod's status: `Running`, then ready.
# 6. The controllers see the pod become ready and update the `status` of the ReplicaSet and the
#    Deployment (`READY 1/1`).
#
# Along the way each component also wrote `Event` objects, left out of the table above. They
# are how components explain what they did; `kubectl describe` and `kubectl get events` show
# them:

# %%
%kubectl get events

# %% [markdown]
# kubectl lists events by name, so the nodes' events from when the cluster was built come
# first. The lines at the end tell the story above in the components' own words:
# `ScalingReplicaSet`, `SuccessfulCreate`, `Scheduled`, `Pulling`, `Pulled`, `Created`,
# `Started`.

# %% [markdown]
# ## The timeline
#
# The same journey as a chart: one lane per component, one dot per write (hover over a dot to
# read it; diamonds are events). Every grey line ends in the apiserver's lane: that is the
# only component anyone talks to.

# %% tags=["nbval-ignore-output"]
fig = control_plane_timeline(lab, mark, "deployment/test-web-deployment")
fig

# %%
lanes = [trace.name for trace in fig.data[2:]]
assert lanes[:4] == ["kubectl", "deployment-controller", "replicaset-controller",
                     "default-scheduler"], lanes
assert lanes[-1].startswith("kubelet/"), lanes

# %% [markdown]
# kube-proxy and DNS did nothing: they only act on Services, which come in chapter 04.

# %% [markdown]
# ## Follow another object
#
# Choose which object's journey to draw: the Deployment, its ReplicaSet, or the Pod. (The list
# holds what was created after `mark`; after you create more objects, run the cell again.)

# %% tags=["nbval-ignore-output"]
follow = FollowControl(lab, mark)
follow

# %%
assert follow.follow.value == "deployment/test-web-deployment"
assert "default-scheduler" in follow.table.value

# %% [markdown]
# ## Exercise 1
#
# **1.1** Put the components that acted on your apply in the order in which they first wrote
# to the apiserver, leaving out kubectl and writing any kubelet as `"kubelet"`.
#
# **1.2** Create a second Deployment, `hello`, with the talk's command
# `kubectl create deployment --image nginx:1.10 hello`, and find out which node its pod was
# bound to (the timeline or `kubectl get pods -o wide` will tell you). Put the node's name in
# `hello_node`.

# %%
order = []          # e.g. ["...", "..."]
hello_node = ""     # e.g. "t.cs.9"

# %%
check_chapter01(lab, order, hello_node, since=mark)

# %% [markdown]
# A solution (collapsed; click its left edge to open it):

# %% tags=["solution"]
order = ["deployment-controller", "replicaset-controller", "default-scheduler", "kubelet"]

# %% tags=["solution"]
%%sh
kubectl create deployment --image nginx:1.10 hello
sleep 10
kubectl get pods -l app=hello -o wide

# %% tags=["solution"]
hello_node = lab.kubectl("get pods -l app=hello -o jsonpath={.items[0].spec.nodeName}").stdout
hello_node

# %%
check_chapter01(lab, order, hello_node, since=mark)

# %% [markdown]
# ## Summary
#
# - The apiserver is the only component anyone talks to; etcd behind it holds every object.
# - Controllers, the scheduler and the kubelets each *watch* the objects they care about and
#   write their part: Deployment → ReplicaSet → Pod → binding → running container → status.
# - Nobody orchestrates the whole: each component reconciles what it sees with what is asked.
#   That is why Kubernetes keeps working when one part is slow or restarts.
#
# Next: [02 · Nodes: join, drop, fail](02-nodes.ipynb).
