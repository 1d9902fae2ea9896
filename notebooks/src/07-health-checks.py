# %% [markdown]
# # 07 · Health checks
#
# **Goal.** Let the kubelet watch your containers: run the talk's two liveness probes (a
# command and an HTTP request), see a failing container restarted with a growing back-off,
# and see readiness probes take a pod out of its Service without restarting anything.
#
# > 健康检查
# >
# > *Health checks*, the last feature on the talk's list. The kubelet runs them: a
# > **liveness** probe that keeps failing gets the container restarted; a **readiness** probe
# > that fails takes the pod out of its Services' endpoints until it passes again.

# %%
from k8slab import Lab
from k8slab.notebook.charts import mark, ready_and_restarts, ready_and_restarts_series
from k8slab.notebook.checks import check_chapter07
from k8slab.notebook.widgets import HealthControl

%load_ext k8slab
lab = Lab(seed=0, workdir="../manifests/07-health")
start = mark(lab)

# %% [markdown]
# ## A command as probe: `liveness-exec`
#
# "执行命令检查", *check by running a command*. The talk's pod runs a busybox shell script:
# it prints when it started, creates `/tmp/healthy`, waits 30 s, deletes the file, and sleeps.
# The probe runs `cat /tmp/healthy` in the container; exit status 0 means healthy.

# %%
%%sh
cat liveness-exec.yaml
kubectl apply -f liveness-exec.yaml
sleep 10
kubectl logs liveness-exec
kubectl get pod liveness-exec

# %% [markdown]
# > 我们使用存活探针 livenessProbe 每隔 3 秒执行一次上面的 cat /tmp/healthy 命令
# >
# > *We use a liveness probe that runs the `cat /tmp/healthy` command above every 3 seconds.*
#
# The manifest says `periodSeconds: 5`, so it is every 5 s, after `initialDelaySeconds: 5`.
# The describe line `Liveness:` spells out all the probe's settings, with the defaults
# (`timeout=1s`, `successThreshold=1`, `failureThreshold=3`). Forty seconds later the file is
# gone:

# %%
%%sh
sleep 40
kubectl describe pod liveness-exec

# %% [markdown]
# Three failures in a row (`x3 over 15s`, the default `failureThreshold` of 3), then
# `Killing`: the kubelet stops the container to restart it. It sends SIGTERM first; the
# busybox shell running the script ignores it, so after the 30 s grace period it gets
# SIGKILL (exit code 137 = 128 + 9). Watch the pod for five minutes with `-w` (which never
# ends by itself; the lab presses Ctrl-C after 5 minutes here):

# %%
%%sh --for 5m
kubectl get pod liveness-exec -w

# %% [markdown]
# `RESTARTS` counts up. After the first restart, which is immediate, the kubelet waits before
# each new start, longer each time: 10 s, 20 s, 40 s… up to 5 minutes. While it waits the
# pod shows `CrashLoopBackOff` (compare the `AGE` of each `CrashLoopBackOff` line with the
# `Running` line after it). Every run writes a new `Exec-Started` line; `--previous` shows the
# log of the run before:

# %%
%%sh
kubectl describe pod liveness-exec | grep -A9 '    State:'
kubectl logs liveness-exec --previous

# %% [markdown]
# ## An HTTP request as probe: `liveness-http`
#
# "httpGet 请求检测", *check with an HTTP GET request*:
#
# > 我们使用存活探针 livenessProbe 每隔 3 秒请求一次 https://w.nocs.cn:443/pi.php
# >
# > *We use a liveness probe that requests https://w.nocs.cn:443/pi.php every 3 seconds.*

# %%
%%sh
cat liveness-http.yaml
kubectl apply -f liveness-http.yaml
sleep 30
kubectl describe pod liveness-http | sed -n '/^Events/,$p'

# %% [markdown]
# The lab has no Internet, so the node cannot even resolve `w.nocs.cn`; the kubelet reports
# Go's DNS error, and after three failures restarts the container. On the talk's cluster the
# probe succeeded only while that web site answered. That is the other lesson: `host:` sends
# the probe to another machine, so the pod's health depends on a site it does not control. If
# that site goes down, every pod probing it restarts.
#
# A liveness probe should ask the container itself. Two nginx pods with the talk's
# `httpGet` settings and no `host`, so the kubelet connects to the pod's own IP: one asks for
# `/`, the other for the talk's `/pi.php`, which this nginx does not have:

# %%
%%sh
grep -A4 'httpGet:' liveness-http-ok.yaml liveness-http-404.yaml
kubectl apply -f liveness-http-ok.yaml -f liveness-http-404.yaml
sleep 40
kubectl get pods
kubectl describe pod liveness-http-404 | grep -E 'Liveness:|Unhealthy|Killing'

# %% [markdown]
# Any status from 200 to 399 passes; nginx's 404 does not. `liveness-http-ok` never restarts.

# %% [markdown]
# ## Readiness: out of the Service, not restarted
#
# `test-web-health.yaml` is the talk's nginx Deployment (3 replicas) and NodePort Service,
# with both kinds of probe. Both run `test ! -e /tmp/broken`: the app counts as healthy as long
# as that file does not exist, so creating it "breaks" a pod (the talk's `/tmp/healthy`
# trick, turned around). Readiness is checked every 2 s and reacts to one failure; liveness
# every 5 s and needs three.

# %%
%%sh
grep -B1 -A5 Probe: test-web-health.yaml
kubectl apply -f test-web-health.yaml
sleep 20
kubectl get pods -l app=test-web-deployment
kubectl get endpointslices -l kubernetes.io/service-name=test-web-svc

# %% [markdown]
# The EndpointSlice of `test-web-svc` lists the three pod addresses (`kubectl get endpoints`
# would show the same, with a warning that v1 Endpoints is deprecated since 1.33). Break the
# first pod, and look again three seconds later:

# %%
broken = mark(lab)

# %%
%%sh
POD=$(kubectl get pods -l app=test-web-deployment -o name | head -1)
kubectl exec $POD -- touch /tmp/broken
sleep 3
kubectl get pods -l app=test-web-deployment
kubectl get endpointslices -l kubernetes.io/service-name=test-web-svc
for i in $(seq 20); do curl -s -o /dev/null -w '%{http_code} ' http://ms.iirii.com:30044; done; echo

# %% [markdown]
# The readiness probe failed: the pod is `0/1` but still `Running` with 0 restarts, and it left
# the Service's endpoints, so every request went to the two healthy pods. Fifteen seconds
# later the liveness probe has failed three times:

# %%
%%sh
sleep 15
kubectl get pods -l app=test-web-deployment
kubectl get endpointslices -l kubernetes.io/service-name=test-web-svc

# %% [markdown]
# The container was restarted. A new container starts from the image again, without
# `/tmp/broken`, so both probes pass and the pod is back in the Service. The chart shows the
# same story for every pod: green while Ready, red while not; restarts below.

# %% tags=["nbval-ignore-output"]
fig = ready_and_restarts(lab, broken, prefix="test-web-deployment-")
fig

# %%
xs, ready, restarts = ready_and_restarts_series(lab, broken, prefix="test-web-deployment-")
first = sorted(ready)[0]   # the pod `head -1` picked
assert 0 in ready[first] and ready[first][-1] == 1 and restarts[first][-1] == 1
assert all(r[-1] == 0 for name, r in restarts.items() if name != first)
assert [trace.name for trace in fig.data][:2] == ["Ready", "not Ready"]

# %% [markdown]
# ## Break things yourself
#
# The control below can **break the app** in a pod (it runs the `kubectl exec … touch
# /tmp/broken` above), **fail** or **restore** a node, and change the liveness probe's
# `periodSeconds` and `failureThreshold` (**apply** writes the manifest with your values to
# `/tmp` and applies it: a new pod template, so the Deployment rolls out new pods). Then let
# time pass and read the chart.

# %% tags=["nbval-ignore-output"]
health = HealthControl(lab)
health

# %% [markdown]
# What does a node failure do to readiness? Switch off the node of the first pod and wait a
# minute:

# %%
%kubectl get pods -l app=test-web-deployment -o wide

# %%
health.fail_node("t.cs.2")
health.let_time_pass(60)

# %%
%%sh
kubectl get nodes
kubectl get pods -l app=test-web-deployment -o wide
kubectl get endpointslices -l kubernetes.io/service-name=test-web-svc

# %% [markdown]
# The pod on `t.cs.2` still says `1/1 Running`: that is the last status its kubelet reported,
# and its kubelet is off. But when the node turned `NotReady` (no heartbeat for 50 s), the
# node lifecycle controller set the pod's `Ready` condition to False, and the EndpointSlice
# controller took it out of the Service. No probe ran and nothing restarted: nobody can
# restart a container on a machine that is off. (After 5 minutes the pod would be evicted and
# replaced, as in chapter 02.) Power the node on again:

# %%
health.restore_node("t.cs.2")
health.let_time_pass(30)

# %%
%%sh
kubectl get pods -l app=test-web-deployment -o wide
kubectl get endpointslices -l kubernetes.io/service-name=test-web-svc

# %% [markdown]
# The pod on `t.cs.2` is back in the Service, with `RESTARTS 1` and a new IP address: the
# power cut killed its container, and the kubelet, starting again, made the pod a new sandbox
# (hence the new address) and restarted the container. It was never evicted: the node came
# back within the pods' 300 s toleration.

# %%
slices = lab.kubectl("get endpointslices -l kubernetes.io/service-name=test-web-svc")
assert len(slices.stdout.split()[-2].split(",")) == 3
assert "t.cs.2" in lab.kubectl("get nodes").stdout

# %% [markdown]
# ## Exercise 7
#
# With `periodSeconds: 5` and `failureThreshold: 3`, a broken pod serves nothing for up to
# 15 s before it is restarted. Make the liveness probe give up within **6 seconds**
# (periodSeconds × failureThreshold ≤ 6), let the rollout finish, then break a pod of the new
# ReplicaSet and let it recover. The check wants the new settings rolled out, a restart by the
# liveness probe under them, and every pod Ready at the end.

# %%
# your commands here

# %%
check_chapter07(lab)

# %% [markdown]
# A solution (collapsed; click its left edge to open it):

# %% tags=["solution"]
health.set_probe(period=2, threshold=3)
health.break_app(health.pod.value)
health.let_time_pass(20)

# %%
check_chapter07(lab)

# %% [markdown]
# ## Summary
#
# - A **liveness** probe (exec, httpGet, tcpSocket or grpc) that fails `failureThreshold`
#   times in a row gets the container killed and restarted; restarts back off 10 s, 20 s,
#   40 s… up to 5 minutes (`CrashLoopBackOff`).
# - An httpGet probe passes on 200–399. Aim it at the container itself, not at another site.
# - A **readiness** probe never restarts anything: a failing pod only leaves the Services'
#   endpoints until it passes again.
# - A node that stops heart-beating gets its pods marked not Ready, and out of the Services,
#   long before they are evicted.
#
# Next: [08 · Ingress](08-ingress.ipynb).
