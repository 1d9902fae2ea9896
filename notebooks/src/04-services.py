# %% [markdown]
# # 04 · Services and discovery
#
# **Goal.** Give the nginx pods one stable address. Expose them the way the talk does, with a
# `LoadBalancer` Service and with a `NodePort` Service, reach them from your laptop and from
# inside the cluster by name, and watch kube-proxy spread the requests over the pods.
#
# > Service: 集群内负载均衡与服务发现
# >
# > *Service: load balancing and service discovery inside the cluster.*
#
# > kube-proxy: 每台机器上都运行一个 kube-proxy 服务,它监听 API server 中 service 和 endpoint
# > 的变化情况,并通过 iptables 等来为服务配置负载均衡.
# >
# > *Every machine runs kube-proxy. It watches the apiserver for changes to services and
# > endpoints and configures load balancing for them with iptables and the like.*

# %%
from k8slab import Lab
from k8slab.notebook.charts import mark, requests_per_pod, requests_per_pod_counts
from k8slab.notebook.checks import check_chapter04
from k8slab.notebook.widgets import TrafficControl

%load_ext k8slab
lab = Lab(seed=0, workdir="../manifests/04-services")

# %% [markdown]
# ## Something to expose
#
# The talk's Deployment from chapter 03, scaled to three replicas:

# %%
%%sh
kubectl create -f test-web-deployment.yaml
kubectl scale deployment --replicas 3 test-web-deployment
sleep 15
kubectl get pods -o wide

# %% [markdown]
# Every pod has its own IP address (the `IP` column), from its node's pod network. Those
# addresses are no good to a client: a pod that is replaced comes back with another name and
# another address, and a client would have to pick one of the three itself. A **Service**
# gives the set of pods one name and one virtual address, and spreads the connections.

# %% [markdown]
# ## `kubectl expose … --type=LoadBalancer`
#
# "创建 Service 服务发现", *create a Service for service discovery*:
#
# ```
# kubectl expose deployment test-web-deployment --port=80 --type=LoadBalancer
# ```
#
# A `LoadBalancer` Service asks for an address reachable from outside the cluster. On a cloud,
# the cloud controller creates a load balancer and writes its address into the Service. A
# kubeadm cluster on bare metal, like the talk's, has no such controller. This lab ships one
# (a built-in copy of MetalLB, the usual choice on bare metal), but first let's switch it off
# to see what a bare kubeadm cluster does:

# %%
lab.cluster.network.lb.enabled = False

# %%
%%sh
kubectl expose deployment test-web-deployment --port=80 --type=LoadBalancer
sleep 5
kubectl get svc

# %% [markdown]
# `EXTERNAL-IP` stays `<pending>`, forever: nobody is there to hand out an address. The
# Service still works inside the cluster (it got a `CLUSTER-IP`) and on every node (it got a
# node port, the `31357` in `80:31357/TCP`). Switch MetalLB back on and expose again:

# %%
lab.cluster.network.lb.enabled = True

# %%
%%sh
kubectl delete service test-web-deployment
kubectl expose deployment test-web-deployment --port=80 --type=LoadBalancer
sleep 2
kubectl get svc

# %% [markdown]
# This time the Service got `172.16.0.240`, the first address of MetalLB's pool (the lab's
# node network is `172.16.0.0/24`). `describe` tells who did what: the MetalLB controller
# assigned the address and one node answers for it on the network:

# %%
%kubectl describe service test-web-deployment

# %% [markdown]
# A `LoadBalancer` Service is a `NodePort` Service (which is a `ClusterIP` Service) plus an
# outside address. `kubectl expose` copied the Deployment's selector `app=test-web-deployment`;
# `Endpoints` lists the three pods behind it. Your laptop can reach the address:

# %%
%sh curl -s -I http://172.16.0.240

# %% [markdown]
# ## The same Service as YAML
#
# "以下配置等价", *the following configuration is equivalent*. Here is the talk's manifest,
# exactly as written:

# %%
%%apply
apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  type: LoadBalancer
  ports:
    - name: http
      targetPort: 80
      protocol: TCP
  selector:
    app: test-web-deployment

# %% [markdown]
# A real apiserver rejects it, and so does the lab: a Service port must say which `port` the
# Service itself listens on. `targetPort` is the pod's port; `port` has no default, so it
# arrives as 0. The fixed manifest in this chapter's folder adds `port: 80`, what `--port=80`
# set:

# %%
%%sh
cat nginx-lb.yaml
kubectl apply -f nginx-lb.yaml
sleep 2
kubectl get svc nginx

# %% [markdown]
# Almost equivalent: it is called `nginx` instead of `test-web-deployment`, so both exist side
# by side and MetalLB gave it the next address. Both select the same three pods.

# %% [markdown]
# ## The NodePort Service of the demo
#
# "创建服务", *create the service*. The demo part of the talk uses a `NodePort` Service with
# three ports:
#
# - `port: 8080`, where the Service listens on its cluster IP;
# - `targetPort: 80`, where the pods listen (nginx);
# - `nodePort: 30044`, which every node opens to the outside (30000–32767 is the node port
#   range).

# %%
%%sh
cat test-web-svc.yaml
kubectl apply -f test-web-svc.yaml
sleep 2
kubectl get svc,endpoints,endpointslices

# %% [markdown]
# The Service's selector picks the pods; the **EndpointSlice** controller writes their
# addresses into an EndpointSlice; every node's kube-proxy reads those and programs iptables so
# that a connection to the cluster IP or the node port goes to one of them. The older
# `Endpoints` objects are still written for old clients, but the apiserver warns that they are
# deprecated since 1.33: read EndpointSlices.
#
# "测试", *test*. The talk reaches its nodes as `ms.iirii.com` (in the lab, the control-plane
# node):

# %%
%sh curl -s -I http://ms.iirii.com:30044

# %% [markdown]
# The talk also tests with HTTPie, on another port:

# %%
%sh http HEAD http://ms.iirii.com:30066

# %% [markdown]
# Refused: no Service uses node port 30066 in this cluster (the talk's cluster had one; you
# will make it in the exercise), so no iptables rule catches the connection and nothing on the
# node listens there. The kernel answers with a reset, which HTTPie reports through its
# Python libraries. On the right port HTTPie shows the same response as curl, headers sorted
# by name as it does on a terminal:

# %%
%sh http HEAD http://ms.iirii.com:30044

# %%
%kubectl describe service test-web-svc

# %% [markdown]
# ## Discovery by name: cluster DNS
#
# > kube-dns: 提供集群中的 dns 服务,可以解析 service 的 cluster ip,实现服务发现
# >
# > *kube-dns provides DNS inside the cluster: it resolves a service's cluster IP, which is
# > how services find each other.*
#
# Names like `test-web-svc` only exist inside the cluster. Your laptop asks the lab network's
# DNS, which has never heard of it (curl's exit status 6 means "could not resolve host"):

# %%
%sh curl -sS http://test-web-svc:8080

# %% [markdown]
# Start a client pod from the busybox image and ask from there. Its `/etc/resolv.conf`, written
# by the kubelet, points at the cluster DNS (the `kube-dns` Service, `10.96.0.10`) and lists
# search domains, so a short name is tried as `test-web-svc.default.svc.cluster.local` first:

# %%
%%sh
kubectl run client --image=busybox --restart=Never -- sleep 3600
sleep 10
kubectl exec client -- cat /etc/resolv.conf

# %%
%%sh
kubectl exec client -- wget -S -O /dev/null http://test-web-svc:8080
kubectl exec client -- wget -q -O- http://test-web-svc.default.svc.cluster.local:8080 | head -4

# %% [markdown]
# busybox's `wget` shows the address it connected to: the Service's cluster IP, not a pod.
# A name that is not a Service does not resolve. And the cluster IP only answers on the
# Service's `port` (8080): on port 80 no iptables rule matches, the packets go nowhere, and
# `wget` would wait for minutes (the lab presses Ctrl-C for you after 20 s here):

# %%
%%sh --for 20s
kubectl exec client -- wget -q -O- http://nosuch-svc:8080
kubectl exec client -- wget -q -O- http://test-web-svc

# %% [markdown]
# ## Who answers? kube-proxy's random pick
#
# For every new connection, the iptables rules kube-proxy wrote pick one of the ready
# endpoints **at random**, each with the same probability (`-m statistic --mode random`). Send
# 90 requests and count, from nginx's own access logs, which pod served them:

# %%
batch = mark(lab)

# %%
%%sh
for i in $(seq 90); do curl -s -o /dev/null http://ms.iirii.com:30044; done
kubectl logs -l app=test-web-deployment --prefix --tail=-1 | grep -c curl/
kubectl logs -l app=test-web-deployment --prefix --tail=-1 | grep curl/ | cut -d' ' -f1 | sort | uniq -c

# %% [markdown]
# (The logs also hold the requests of the cells above; `--prefix` names the pod of each line.)
# The lab keeps its own log of every request, which gives the same picture for just this
# batch. The dashed line is the fair share, 90 / 3 = 30; the grey band is where a fair coin
# puts about 95 % of the counts:

# %% tags=["nbval-ignore-output"]
fig = requests_per_pod(lab, batch, service="test-web-svc", client="workstation")
fig

# %%
counts = requests_per_pod_counts(lab, batch, service="test-web-svc", client="workstation")
assert sum(counts.values()) == 90 and len(counts) == 3
assert all(15 <= n <= 45 for n in counts.values())
assert [bar.y for bar in fig.data][0] == tuple(counts.values())

# %% [markdown]
# Random is not round robin: the counts differ from pod to pod, and they differ more, relative
# to the share, when there are few requests. Try it with the sliders: **replicas** scales the
# Deployment (the talk's `kubectl scale`) and waits 20 s; **requests** sends a new batch.
# The chart shows the last batch only.

# %% tags=["nbval-ignore-output"]
traffic = TrafficControl(lab, "test-web-deployment", "test-web-svc", requests=60)
traffic

# %%
traffic.replicas.value = 6

# %%
counts = requests_per_pod_counts(lab, traffic.batch, service="test-web-svc",
                                 client="workstation")
assert len(counts) == 6 and sum(counts.values()) == 60
assert "READY 6/6" in traffic.status.value

# %% [markdown]
# Six pods now share the requests: the Service noticed the new pods without anyone touching
# it, because its selector matches them and they became ready.

# %% [markdown]
# ## Only ready pods get traffic
#
# "Ready" matters. `not-ready-pod.yaml` is an nginx pod with the Service's label, but its
# readiness probe asks for `/healthz`, which this nginx answers with 404. The Service selects
# it, and the EndpointSlice lists it, but marked not ready:

# %%
%%sh
cat not-ready-pod.yaml
kubectl apply -f not-ready-pod.yaml
sleep 20
kubectl get pod not-ready
kubectl get endpointslices -l kubernetes.io/service-name=test-web-svc -o jsonpath='{range .items[*].endpoints[*]}{.targetRef.name}{"\t"}{.conditions.ready}{"\n"}{end}'

# %% [markdown]
# kube-proxy only sends connections to ready endpoints, so `not-ready` gets none:

# %%
traffic.send_requests(120)
counts = requests_per_pod_counts(lab, traffic.batch, service="test-web-svc",
                                 client="workstation")
counts.get("not-ready")

# %%
assert counts["not-ready"] == 0 and sum(counts.values()) == 120

# %% [markdown]
# This is what readiness probes are for (chapter 07): a pod that is starting, overloaded or
# broken says "not ready" and leaves the Service until it is ready again.

# %% [markdown]
# ## Exercise 4
#
# Make the talk's second test work as written: `http HEAD http://ms.iirii.com:30066`. Create
# a Service that opens **node port 30066** and leads to the nginx pods of
# `test-web-deployment`, then run the talk's command.
#
# Tip: `kubectl expose` cannot choose the node port; write the Service in a `%%apply` cell
# (`test-web-svc.yaml` is a good model; a new Service needs a new name).

# %%
# your commands here

# %%
check_chapter04(lab)

# %% [markdown]
# A solution (collapsed; click its left edge to open it):

# %% tags=["solution"]
%%apply
apiVersion: v1
kind: Service
metadata:
  name: test-web-talk
spec:
  type: NodePort
  ports:
    - name: http
      port: 80
      targetPort: 80
      nodePort: 30066
  selector:
    app: test-web-deployment

# %% tags=["solution"]
%sh http HEAD http://ms.iirii.com:30066

# %%
check_chapter04(lab)

# %% [markdown]
# ## Summary
#
# - A Service gives a set of pods (its selector) one stable name, a cluster IP and a `port`;
#   `targetPort` is where the pods listen.
# - `NodePort` adds a port on every node (30000–32767); `LoadBalancer` adds an outside address,
#   which needs a controller (a cloud, or MetalLB on bare metal), else `<pending>`.
# - The talk's Service YAML lacks `port`: a real apiserver rejects it.
# - Inside the cluster, `test-web-svc` resolves through the cluster DNS to the cluster IP;
#   outside, it does not resolve at all.
# - kube-proxy picks a **ready** endpoint at random for every new connection.
#
# Next: [05 · Rolling update](05-rolling-update.ipynb).
