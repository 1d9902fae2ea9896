# %% [markdown]
# # 08 · Ingress
#
# **Goal.** Put one entrance in front of several Services: install Traefik, the ingress
# controller the talk names, and write Ingress rules that send each HTTP request to a Service
# by its `Host` header and its path.
#
# > Ingress: 定义反向代理规则,用来规定 HTTP/S 请求应该被转发到哪个 Service 上,比如根据请求中
# > 不同的 Host 和 url 路径让请求落到不同的 Service 上,暴露集群内部 Service 服务
# >
# > *Ingress defines reverse-proxy rules: which Service an HTTP/S request should be forwarded
# > to, for example by the request's Host and URL path, which exposes the cluster's internal
# > Services.*
#
# > Traefik: Ingress Controller 反向代理及负载均衡
# >
# > *Traefik: an ingress controller, reverse proxy and load balancer.*

# %%
from k8slab import Lab
from k8slab.notebook.charts import (
    match_route,
    mark,
    requests_per_service,
    requests_per_service_counts,
    routing_table,
    routing_table_text,
)
from k8slab.notebook.checks import check_chapter08
from k8slab.notebook.widgets import IngressControl

%load_ext k8slab
lab = Lab(seed=0, workdir="../manifests/08-ingress")

# %% [markdown]
# ## Two applications
#
# The talk's nginx Deployment with its NodePort Service, and the talk's httpbin (from its
# circuit-breaking demo), a small HTTP API behind a plain `ClusterIP` Service on port 8000:

# %%
%%sh
kubectl apply -f test-web-deployment.yaml -f test-web-svc.yaml -f httpbin.yaml
sleep 30
kubectl get deployments,services

# %% [markdown]
# ## A rule alone does nothing
#
# An Ingress is only a description. `test-web-ingress.yaml` says: requests for host
# `ms.iirii.com`, any path, go to `test-web-svc` port 8080.

# %%
%%sh
cat test-web-ingress.yaml
kubectl apply -f test-web-ingress.yaml
sleep 5
kubectl get ingress
kubectl get ingressclass

# %% [markdown]
# The apiserver stored it, but nothing reads it: there is no ingress controller, no
# IngressClass named `traefik`, and `ADDRESS` stays empty. Kubernetes ships no ingress
# controller; you pick one and install it.

# %% [markdown]
# ## Installing Traefik
#
# `traefik.yaml` holds what Traefik's Helm chart installs, reduced to what the course uses: a
# namespace, the RBAC rules that let Traefik read Ingresses, Services and EndpointSlices, the
# `traefik` IngressClass (marked as the default class), one Traefik pod, and a `LoadBalancer`
# Service in front of it. Its command line says which ports it listens on and that it reads
# Kubernetes Ingresses:

# %%
%%sh
grep -E 'kind:|image:|- --' traefik.yaml
kubectl apply -f traefik.yaml
sleep 30
kubectl get pods,services -n traefik
kubectl get ingressclass
kubectl get ingress

# %% [markdown]
# Traefik's Service got `172.16.0.240` from MetalLB (chapter 04), and Traefik wrote that address
# into the Ingress's status (`--providers.kubernetesingress.ingressendpoint.publishedservice`),
# so `ADDRESS` is filled now. `describe` shows the rules with the pods behind each backend:

# %%
%kubectl describe ingress test-web

# %% [markdown]
#
# Every request to that address reaches Traefik, which reads its `Host` header and path,
# picks the matching rule and proxies the request **straight to a pod** of the backend Service
# (Traefik reads the EndpointSlices itself; kube-proxy is not involved). With the right `Host`:

# %%
%sh curl -s -I -H 'Host: ms.iirii.com' http://172.16.0.240

# %% [markdown]
# That is nginx answering, through a Go proxy: Traefik rewrote the header names in Go's
# canonical form (`Etag`), sorted them, and dropped `Connection`. Without a `Host` header that
# matches a rule, Traefik answers itself, with its default 404:

# %%
%sh curl -s -i http://172.16.0.240/

# %% [markdown]
# curl sent `Host: 172.16.0.240`, which no rule names. The Traefik Service is a `LoadBalancer`,
# so it also has node ports; through `ms.iirii.com` and the `web` node port, curl sends
# `Host: ms.iirii.com:<port>`, and Traefik ignores the port when it matches hosts:

# %%
%%sh
PORT=$(kubectl get service traefik -n traefik -o jsonpath='{.spec.ports[0].nodePort}')
echo "node port of web: $PORT"
curl -s -I http://ms.iirii.com:$PORT | head -1

# %% [markdown]
# ## Rules by host and by path
#
# `httpbin-ingress.yaml` adds two rules: the host `httpbin.iirii.com` goes to httpbin, and so
# does the path `/ip` on `ms.iirii.com`:

# %%
%%sh
cat httpbin-ingress.yaml
kubectl apply -f httpbin-ingress.yaml
sleep 2
kubectl get ingress

# %% [markdown]
# Traefik turns every path of every Ingress into a *router* with a rule, and tries the
# routers with the longest rule first. So `ms.iirii.com/ip` (longer) wins over
# `ms.iirii.com/` (shorter), even though both match `/ip`:

# %%
print(routing_table_text(lab))

# %%
assert [r.service for r in routing_table(lab)] == [
    "default/httpbin", "default/httpbin", "default/test-web-svc"]
assert match_route(lab, "ms.iirii.com", "/ip/x").service == "default/httpbin"
assert match_route(lab, "ms.iirii.com", "/index.html").service == "default/test-web-svc"
assert match_route(lab, "example.com", "/") is None

# %%
%%sh
curl -s -H 'Host: ms.iirii.com' http://172.16.0.240/ip
curl -s -H 'Host: httpbin.iirii.com' http://172.16.0.240/headers
curl -s -H 'Host: ms.iirii.com' http://172.16.0.240/ | grep title

# %% [markdown]
# httpbin's `/ip` reports the address Traefik says the request came from (its
# `X-Forwarded-For` header): `10.244.2.0`, the flannel address of the node that passed the
# connection from your laptop to the Traefik pod. `/headers` shows what Traefik sent on:
# your `Host`, and `X-Forwarded-Host`/`X-Forwarded-Server` added on the way.

# %% [markdown]
# ## Send requests yourself
#
# Pick a **Host** (or type one) and a **path**, and send a batch. The table shows Traefik's
# routers with the one your host and path match in bold; the chart counts, for every request
# sent since the control was made, which Service answered, or whether Traefik found no rule.

# %% tags=["nbval-ignore-output"]
ingress = IngressControl(lab)
ingress

# %%
ingress.send("ms.iirii.com", "/", 30)
ingress.send("httpbin.iirii.com", "/get", 20)
ingress.send("ms.iirii.com", "/ip", 10)
print(ingress.send("example.com", "/", 5).stdout, end="")

# %% tags=["nbval-ignore-output"]
fig = requests_per_service(lab, ingress.since)
fig

# %%
counts = requests_per_service_counts(lab, ingress.since)
counts

# %%
assert counts == {"default/httpbin": 30, "default/test-web-svc": 30,
                  "404 page not found (no rule)": 5}
assert list(fig.data[0].x) == list(counts)

# %% [markdown]
# ## Exercise 8
#
# Give httpbin its own name: requests for **`api.iirii.com`** (any path) must reach the
# **httpbin** Service on its port **8000**, through Traefik. Write the Ingress in a `%%apply`
# cell (use `httpbin-ingress.yaml` as a model; a new Ingress needs a new name), then try it
# with `curl -s -H 'Host: api.iirii.com' http://172.16.0.240/get`.

# %%
# your commands here

# %%
check_chapter08(lab)

# %% [markdown]
# A solution (collapsed; click its left edge to open it):

# %% tags=["solution"]
%%apply
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api
spec:
  ingressClassName: traefik
  rules:
    - host: api.iirii.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: httpbin
                port:
                  number: 8000

# %% tags=["solution"]
%%sh
sleep 2
kubectl get ingress api
curl -s -H 'Host: api.iirii.com' http://172.16.0.240/get

# %%
check_chapter08(lab)

# %% [markdown]
# ## Summary
#
# - An Ingress is a set of HTTP routing rules (host, path → Service and port); an **ingress
#   controller** such as Traefik does the routing. Without one, nothing happens.
# - Traefik's Service gets an outside address (MetalLB here) and Traefik publishes it in the
#   Ingresses' status, the `ADDRESS` column.
# - Traefik tries the longest rule first and proxies straight to the Service's ready pods; a
#   request no rule matches gets Traefik's `404 page not found`.
# - Headers through a Go proxy look different: canonical names, sorted, no hop-by-hop headers.
#
# Next: 09 · Horizontal Pod Autoscaling.
