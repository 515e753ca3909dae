"""Network files: our JSON format, and PyTorch state dicts saved with safetensors or as numpy `.npz`.

The model class is f(x) = sum_j a_j max(0, <w_j, x>): in PyTorch,

    nn.Sequential(nn.Linear(d, m, bias=...), nn.ReLU(), nn.Linear(m, 1, bias=False))

whose `state_dict` has the keys `0.weight` (m x d, the rows w_j), optionally `0.bias` (m) and `2.weight`
(1 x m, the a_j). A first-layer bias b_j is the weight of a constant-1 feature: the network is read as
w_j' = (w_j, b_j) on the instance with `--bias` (`Instance.load(..., bias=True)`), and `NetworkFile.bias`
says so. Anything the model class does not cover (an output bias `2.bias`, more layers, other shapes) is
refused with an `InputError`. Reading needs numpy and safetensors, never torch. Floats are read by
`numbers.FLOAT_RULE` in their own precision (a float32 0.1 is 1/10). Our JSON format records the same with
``"bias": true`` (`train --bias --out` writes it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import InputError
from .jsonfile import load_json
from .network import Network

__all__ = ["NetworkFile", "read_network", "STATE_DICT_SUFFIXES"]

STATE_DICT_SUFFIXES = (".safetensors", ".npz")
_KEYS = ("0.weight", "0.bias", "2.weight")


@dataclass(frozen=True)
class NetworkFile:
    """A network read from a file: `network` (a, W), and `bias` when W's last column is a first-layer bias
    (the instance must then be read with a constant-1 feature)."""

    network: Network
    bias: bool = False
    format: str = "json"

    def fitted(self, d: int | None, path: str | Path = "network") -> "NetworkFile":
        """Itself, after checking that W has `d` columns (d counts the constant-1 feature of a biased instance)."""
        columns = len(self.network.W[0])
        if d is not None and columns != d:
            fix = (" (the network expects a bias column: add --bias; in Python, load the instance with bias=True)"
                   if self.bias else
                   " (if the network was trained with a bias column, add --bias)" if columns == d + 1 else "")
            raise InputError(f"{path}: W", f"the network takes {columns} inputs but the instance has d = {d}{fix}")
        return self


def read_network(path: str | Path, d: int | None = None) -> NetworkFile:
    """Read a network file: JSON (``{"a": [...], "W": [[...], ...]}``), `.safetensors` or `.npz`.

    Parameters
    ----------
    path : str or Path
        The file; its suffix chooses the reader.
    d : int, optional
        The instance's input dimension (counting the constant-1 feature when the instance has a bias);
        checked against W.

    Returns
    -------
    NetworkFile

    Raises
    ------
    InputError
        A one-line message naming the key or field and the problem.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from safetensors.numpy import save_file
    >>> path = os.path.join(tempfile.mkdtemp(), "model.safetensors")
    >>> save_file({"0.weight": np.array([[0.5]], dtype=np.float32),
    ...            "2.weight": np.array([[0.5]], dtype=np.float32)}, path)
    >>> read_network(path).network
    Network(width=1, d=1, a=(1/2,), W=((1/2,),))
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in STATE_DICT_SUFFIXES:
        return _read_json(path).fitted(d, path)
    tensors = _read_tensors(path, suffix)
    unknown = sorted(set(tensors) - set(_KEYS))
    if "2.bias" in tensors:
        raise InputError(f"{path}: 2.bias", "the output layer has a bias, which the model class sum_j a_j "
                         "relu(<w_j, x>) has not (use nn.Linear(m, 1, bias=False))")
    if unknown:
        raise InputError(f"{path}: {unknown[0]}", "not part of nn.Sequential(nn.Linear(d, m), nn.ReLU(), "
                         f"nn.Linear(m, 1, bias=False)) (expected only {', '.join(_KEYS)})")
    for key in ("0.weight", "2.weight"):
        if key not in tensors:
            raise InputError(f"{path}: {key}", "missing (expected the keys 0.weight, 2.weight and optionally 0.bias)")
    W, a = tensors["0.weight"], tensors["2.weight"]
    if W.ndim != 2:
        raise InputError(f"{path}: 0.weight", f"has shape {W.shape}, expected (m, d)")
    m = W.shape[0]
    if a.shape != (1, m):
        raise InputError(f"{path}: 2.weight", f"has shape {a.shape}, expected (1, {m}) (one output, m = {m} neurons)")
    bias = "0.bias" in tensors
    if bias:
        b = tensors["0.bias"]
        if b.shape != (m,):
            raise InputError(f"{path}: 0.bias", f"has shape {b.shape}, expected ({m},)")
        W = np.concatenate([W, b[:, None].astype(W.dtype)], axis=1)
    return NetworkFile(Network.from_arrays(a[0], W), bias, suffix.lstrip(".")).fitted(d, path)


def _read_json(path: Path) -> NetworkFile:
    """Our JSON format: ``{"a": [...], "W": [[...], ...]}`` and optionally ``"bias": true`` (written by
    `train --bias`: W's last column is the weight of the constant-1 feature)."""
    data = load_json(path)
    if not isinstance(data, dict) or "a" not in data or "W" not in data:
        raise InputError(str(path), "a network file needs keys 'a' (m numbers) and 'W' (m rows)")
    bias = data.get("bias", False)
    if not isinstance(bias, bool):
        raise InputError(f"{path}: bias", "must be true or false (true: W's last column is a bias)")
    return NetworkFile(Network.from_arrays(data["a"], data["W"]), bias)


def _read_tensors(path: Path, suffix: str) -> dict[str, np.ndarray]:
    try:
        if suffix == ".npz":
            with np.load(path, allow_pickle=False) as archive:
                tensors = {key: archive[key] for key in archive.files}
        else:
            from safetensors import SafetensorError
            from safetensors.numpy import load_file

            try:
                tensors = load_file(path)
            except SafetensorError as exc:
                raise InputError(str(path), f"not a safetensors file ({exc})") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot read file ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise InputError(str(path), f"not a readable .npz archive ({exc})") from None
    for key, tensor in tensors.items():
        if tensor.dtype.kind not in "iuf":
            raise InputError(f"{path}: {key}", f"has dtype {tensor.dtype}, expected real numbers")
    return tensors
