"""Seeded random streams, one per component.

Every random choice in the lab (pod name suffixes, UIDs, image pull durations, kube-proxy's
backend pick, request latencies) draws from a named stream derived from the lab seed. Streams are
independent, so adding a draw in the scheduler does not reshuffle the names the ReplicaSet
controller generates. Seeds are derived with SHA-512 through ``random.Random(str)``, never with
``hash()``, so they are the same in every process whatever ``PYTHONHASHSEED`` is.
"""

from __future__ import annotations

import random

__all__ = ["NAME_ALPHABET", "Streams", "name_suffix"]

# k8s.io/apimachinery/pkg/util/rand: consonants and digits that cannot spell words.
NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"

_ALPHABET_SIZE = float(len(NAME_ALPHABET))


def name_suffix(rng: random.Random, length: int = 5) -> str:
    """``length`` characters of :data:`NAME_ALPHABET`, as ``rng.choices(NAME_ALPHABET, k=length)``
    draws them (``int`` of the same product is its ``floor``): every pod name and token
    volume takes one, and ``choices`` is pure Python."""
    draw = rng.random
    return "".join([NAME_ALPHABET[int(draw() * _ALPHABET_SIZE)] for _ in range(length)])


_UUID_CLEAR = ~((0xC000 << 48) | (0xF000 << 64))
_UUID_SET = (0x8000 << 48) | (4 << 76)


class Streams:
    """A family of independent ``random.Random`` generators keyed by name."""

    def __init__(self, seed: int | str) -> None:
        self.seed = seed
        self._streams: dict[str, random.Random] = {}

    def __call__(self, name: str) -> random.Random:
        rng = self._streams.get(name)
        if rng is None:
            rng = random.Random(f"k8slab/{self.seed}/{name}")
            self._streams[name] = rng
        return rng

    def suffix(self, name: str, length: int = 5) -> str:
        """Random suffix from the apiserver's name alphabet (``generateName``)."""
        return name_suffix(self(name), length)

    def uuid(self, name: str = "uid") -> str:
        """A version-4 UUID string, as the apiserver assigns to ``metadata.uid``."""
        # uuid.UUID(int=…, version=4) without building the object: set the variant (10xx) and
        # version (0100) bits, then format 8-4-4-4-12. One is drawn for every stored object.
        # (int.to_bytes().hex() is twice as fast as "%032x" here.)
        rng = self._streams.get(name) or self(name)
        h = ((rng.getrandbits(128) & _UUID_CLEAR) | _UUID_SET).to_bytes(16, "big").hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def hex(self, name: str, length: int) -> str:
        """``length`` lowercase hex digits (container IDs, image digests)."""
        # A container ID takes 64 of them: bytes.hex() formats twice as fast as a format
        # spec, for the even lengths it can give.
        bits = self(name).getrandbits(4 * length)
        if length % 2:
            return f"{bits:0{length}x}"
        return bits.to_bytes(length // 2, "big").hex()
