"""What container images do: their programs, servers, files and tools.

- :mod:`.base` — the :class:`~k8slab.apps.base.App` interface the runtime drives (PID 1,
  signals, listening ports, ``serve_http``) and the HTTP request/response types;
- :mod:`.catalog` / :mod:`.images` — image references, the catalogue (sizes, digests,
  entrypoints, stop signals) and pull errors;
- :mod:`.rootfs` / :mod:`.shells` — a container's filesystem, its executables and ``sh``;
- one module per image family: :mod:`.nginx`, :mod:`.busybox`, :mod:`.httpbin`,
  :mod:`.flaskapp`, :mod:`.sleep`, :mod:`.testweb`, :mod:`.system` (pause, CoreDNS, etcd,
  control-plane components, daemons);
- :mod:`.sh` (the shell language) and :mod:`.textutils` (coreutils/BusyBox text tools).
"""
