"""The lab's network: what happens between a client tool and a container's app.

- :mod:`.http` — the contract with the client tools (Request, Response, Exchange, NetError,
  LoadSpec, Sample, Transport);
- :mod:`.model` — ``cluster.network``: routing of each connection (kube-proxy rules, flannel,
  the workstation's VPN), serving, DNS queries, probes' hooks, ``cpu_usage``;
- :mod:`.proxy` — kube-proxy (iptables mode) rule tables and their sync pacing;
- :mod:`.dns` — CoreDNS, the lab network's DNS, stub resolvers;
- :mod:`.transport` — the workstation's, nodes' and pods' transports;
- :mod:`.load` — the concurrent load engine behind ``Transport.run_load``;
- :mod:`.cpu` — server-side CPU queueing and usage counters;
- :mod:`.log` — the request log the traffic charts read;
- :mod:`.lb` — a MetalLB-like LoadBalancer implementation (layer 2);
- :mod:`.ingress` — Traefik's Kubernetes Ingress provider.
"""
