"""The catalogue's contents: the images the course uses and the ones a kubeadm cluster runs.

Sizes are what containerd reports for the linux/amd64 image (the ``Image size: N bytes.`` of
the kubelet's ``Pulled`` event and ``status.images[].sizeBytes``), rounded from the real images
where known. Entrypoints, commands, environments and stop signals follow each image's
Dockerfile. Control-plane images follow the cluster's Kubernetes version and are registered on
demand by :func:`control_plane_images`.
"""

from __future__ import annotations

from .base import SIGQUIT, SIGTERM
from .catalog import Image, register

__all__ = ["CONTROL_PLANE", "ETCD_VERSION", "PAUSE_IMAGE", "control_plane_images"]

_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
_BUSYBOX_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

# --------------------------------------------------------------------------- nginx
# docker-library/nginx: CMD ["nginx", "-g", "daemon off;"]; images from 1.19 on run
# /docker-entrypoint.sh first and stop with SIGQUIT (graceful), older ones with SIGTERM.

_NGINX_OLD = {"1.10": ("1.10.3", 45_357_340), "1.11": ("1.11.13", 44_714_104),
              "1.12": ("1.12.2", 44_823_010), "1.13": ("1.13.12", 44_554_812),
              "1.14": ("1.14.2", 44_710_393), "1.15": ("1.15.12", 43_989_213),
              "1.16": ("1.16.1", 51_037_519), "1.17": ("1.17.10", 51_931_616),
              "1.18": ("1.18.0", 53_609_863)}
_NGINX_NEW = {"1.19": ("1.19.10", 53_587_921), "1.20": ("1.20.2", 56_734_207),
              "1.21": ("1.21.6", 56_746_981), "1.22": ("1.22.1", 57_007_286),
              "1.23": ("1.23.4", 57_015_032), "1.24": ("1.24.0", 56_999_839),
              "1.25": ("1.25.5", 70_991_742), "1.26": ("1.26.3", 72_175_963),
              "1.27": ("1.27.5", 72_195_292), "1.28": ("1.28.0", 72_223_946),
              "1.29": ("1.29.1", 72_319_182)}
NGINX_LATEST = "1.29.1"

for minor, (full, size) in _NGINX_OLD.items():
    register(Image("docker.io/library/nginx", minor, size, "nginx:Nginx",
                   cmd=("nginx", "-g", "daemon off;"),
                   env=(("PATH", _PATH), ("NGINX_VERSION", f"{full}-1~jessie")),
                   stop_signal=SIGTERM, layout="debian", version=full), full)

for minor, (full, size) in _NGINX_NEW.items():
    aliases = [full]
    if full == NGINX_LATEST:
        aliases += ["latest", "mainline", "1"]
    if minor == "1.28":
        aliases += ["stable"]
    register(Image("docker.io/library/nginx", minor, size, "nginx:Nginx",
                   entrypoint=("/docker-entrypoint.sh",),
                   cmd=("nginx", "-g", "daemon off;"),
                   env=(("PATH", _PATH), ("NGINX_VERSION", full),
                        ("NJS_VERSION", "0.9.1"), ("NJS_RELEASE", "1~trixie"),
                        ("PKG_RELEASE", "1~trixie"), ("DYNPKG_RELEASE", "1~trixie")),
                   stop_signal=SIGQUIT, layout="debian", version=full), *aliases)

# --------------------------------------------------------------------------- busybox
# docker-library/busybox: CMD ["sh"], glibc variant by default.

for tag, full, size in (("1.37", "1.37.0", 4_269_694), ("1.36", "1.36.1", 4_273_000),
                        ("1.35", "1.35.0", 4_855_000)):
    aliases = [full]
    if full == "1.37.0":
        aliases += ["latest", "stable", "glibc", "1.37.0-glibc", "1"]
    register(Image("docker.io/library/busybox", tag, size, "busybox:BusyBox", cmd=("sh",),
                   env=(("PATH", _BUSYBOX_PATH),), layout="busybox", version=full,
                   user=(0, 0, (0, 10))), *aliases)

# --------------------------------------------------------------------------- course apps

register(Image("docker.io/kennethreitz/httpbin", "latest", 206_432_163, "httpbin:HttpBin",
               cmd=("gunicorn", "-b", "0.0.0.0:80", "httpbin:app", "-k", "gevent"),
               env=(("PATH", _PATH), ("LC_ALL", "C.UTF-8"), ("LANG", "C.UTF-8")),
               layout="debian", version="0.9.2"))

register(Image("docker.io/dustise/flaskapp", "latest", 34_110_521, "flaskapp:FlaskApp",
               cmd=("/usr/local/bin/gunicorn", "-b", "0.0.0.0:80", "--workers", "1",
                    "flaskapp:app"),
               env=(("PATH", _PATH), ("LANG", "C.UTF-8"), ("PYTHON_VERSION", "3.7.4")),
               layout="alpine", workdir="/app", version="0.1"))

register(Image("docker.io/dustise/sleep", "latest", 29_782_143, "sleep:SleepApp",
               cmd=("/bin/sleep", "infinity"),
               env=(("PATH", _PATH),), layout="ubuntu", version="0.1"))

register(Image("registry.ioros.com/coam/test.web", "0.0.1", 61_470_211, "testweb:TestWeb",
               cmd=("php-fpm-nginx",), env=(("PATH", _PATH),), layout="alpine",
               version="0.0.1"))

# --------------------------------------------------------------------------- cluster images

PAUSE_IMAGE = "registry.k8s.io/pause:3.10.1"
ETCD_VERSION = "3.6.5-0"
COREDNS_VERSION = "v1.14.4"  # kubeadm 1.37 (kubernetes/kubeadm#3322)

register(Image("registry.k8s.io/pause", "3.10.1", 320_368, "system:Pause",
               entrypoint=("/pause",), env=(), layout="scratch", version="3.10.1",
               user=(65535, 65535, (65535,))), "3.10")
register(Image("registry.k8s.io/coredns/coredns", COREDNS_VERSION, 22_384_805,
               "system:CoreDNS", entrypoint=("/coredns",), env=(), layout="distroless",
               version=COREDNS_VERSION.lstrip("v"), user=(65532, 65532, (65532,))))
register(Image("registry.k8s.io/etcd", ETCD_VERSION, 23_624_108, "system:Etcd",
               entrypoint=(), cmd=("/usr/local/bin/etcd",), env=(("PATH", _PATH),),
               layout="distroless", version=ETCD_VERSION.split("-")[0]))
register(Image("ghcr.io/flannel-io/flannel", "v0.27.4", 32_307_422, "system:Daemon",
               entrypoint=("/opt/bin/flanneld",), layout="alpine", version="0.27.4"))
register(Image("ghcr.io/flannel-io/flannel-cni-plugin", "v1.8.0-flannel1", 4_856_838,
               "system:Daemon", entrypoint=("/flannel",), layout="alpine", version="1.8.0"))
register(Image("registry.k8s.io/metrics-server/metrics-server", "v0.8.0", 20_582_732,
               "system:Daemon", entrypoint=("/metrics-server",), layout="distroless",
               version="0.8.0", extra=(("ports", (10250,)),)))
register(Image("k8s.gcr.io/metrics-server/metrics-server", "v0.3.7", 10_875_114,
               "system:Daemon", entrypoint=("/metrics-server",), layout="distroless",
               version="0.3.7", extra=(("ports", (4443,)),)))

# component → (size in bytes, entrypoint)
CONTROL_PLANE = {
    "kube-apiserver": 30_126_430,
    "kube-controller-manager": 27_436_851,
    "kube-scheduler": 21_770_504,
    "kube-proxy": 31_935_282,
}


# Kubernetes version → its control-plane images and their names, built at the first ask:
# every kubelet start asks, and registering the same Image objects again leaves the catalogue
# (and resolve()'s memo) as it is.
_CONTROL_PLANE_BUILT: dict[str, tuple[tuple[Image, ...], dict[str, str]]] = {}


def control_plane_images(version: str) -> dict[str, str]:
    """Register (once) and name the control-plane images of Kubernetes ``version``."""
    built = _CONTROL_PLANE_BUILT.get(version)
    if built is None:
        images: list[Image] = []
        names: dict[str, str] = {}
        for component, size in CONTROL_PLANE.items():
            images.append(Image(
                f"registry.k8s.io/{component}", version, size, "system:Component",
                entrypoint=(f"/usr/local/bin/{component}",) if component != "kube-proxy"
                else ("/usr/local/bin/kube-proxy",),
                env=(("PATH", _PATH),), layout="distroless",
                version=version.lstrip("v"), extra=(("component", component),)))
            names[component] = f"registry.k8s.io/{component}:{version}"
        names["etcd"] = f"registry.k8s.io/etcd:{ETCD_VERSION}"
        names["pause"] = PAUSE_IMAGE
        names["coredns"] = f"registry.k8s.io/coredns/coredns:{COREDNS_VERSION}"
        built = _CONTROL_PLANE_BUILT[version] = (tuple(images), names)
    # (registered at every ask, as the catalogue may have changed since the last)
    for image in built[0]:
        register(image)
    return dict(built[1])
