"""kubectl's printers: how ``get``, ``describe`` and ``-o …`` turn objects into text.

One module per printer of ``k8s.io/cli-runtime/pkg/printers`` and ``k8s.io/kubectl``:
:mod:`.tabwriter` (column layout), :mod:`.table` (the human-readable ``get`` output),
:mod:`.yaml`, :mod:`.json`, :mod:`.jsonpath`, :mod:`.custom_columns`, :mod:`.name`, and
:mod:`.gofmt` (Go's formatting of JSON values, shared by them).

Printers that can fail raise :class:`PrinterError`; ``str(err)`` is Go's ``err.Error()``, which
kubectl prints as ``error: <text>`` (adding a newline only when the text lacks one) with exit
code 1.
"""

from __future__ import annotations

__all__ = ["PrinterError"]


class PrinterError(Exception):
    """A printer could not be built or could not print (bad template, missing column spec…)."""
