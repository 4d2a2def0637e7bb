"""Speed of cevis's cross-entropy against naive numpy, PyTorch and JAX, on one CPU thread.

    PYTHONPATH=. python bench/bench_cevis.py [--quick] [--markdown]

For each shape [N, C] and dtype, two operations on logits ``x [N, C]`` and integer
class targets ``y [N]``:

- ``fwd``: the mean cross-entropy. cevis: ``cevis.cross_entropy(x, y)``; torch:
  ``F.cross_entropy`` on ``torch.from_numpy`` of both arrays; jax: a jitted
  ``-mean(log_softmax(x)[y])``.
- ``fwd+bwd``: the loss and its gradient w.r.t. the logits. cevis:
  ``cevis.cross_entropy_and_grad(x, y)``; torch: a leaf made with
  ``torch.from_numpy(x).requires_grad_()``, ``F.cross_entropy``, ``loss.backward()``;
  jax: a jitted ``jax.value_and_grad``.

The naive numpy version (max-subtracted softmax, log, gather, mean; ``p - onehot``) is
always there; torch and jax join when importable (torch with ``set_num_threads(1)``,
jax on one thread through ``XLA_FLAGS``, with float64 enabled). Every peer's result is
checked against cevis's before it is timed. Times are medians of repeated runs; a ratio
is cevis's time over the peer's, so below 1 means cevis is faster.
"""

import argparse
import gc
import importlib
import math
import os
import pathlib
import platform
import statistics
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHAPES = [(1, 10), (1000, 10), (100000, 10), (10000, 1000), (1000, 50000)]  # [N, C]
QUICK_SHAPES = SHAPES[:3]  # the two largest take most of a full run
DTYPES = (np.float32, np.float64)
CELL_SECONDS = 0.3  # measuring one implementation of one case takes about this long
QUICK_CELL_SECONDS = 0.02  # --quick: a whole run in seconds, noisier numbers
SAMPLES = 15  # timed samples per cell, of which the median is reported ...
MIN_SAMPLES = 3  # ... but at least this many, even for a call slower than the cell's budget
RTOL = {np.float32: 1e-4, np.float64: 1e-9}  # agreement asked of every peer with cevis
XLA_FLAGS = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"  # jax: one thread


# --------------------------------------------------------------------------- implementations
def naive_forward(x, y):
    """The textbook version: softmax with the max subtracted, log, gather, mean."""
    e = np.exp(x - x.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return -np.log(p[np.arange(len(y)), y]).mean()


def naive_forward_backward(x, y):
    """The loss and its gradient ``(p - onehot(y)) / N``."""
    rows = np.arange(len(y))
    e = np.exp(x - x.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    loss = -np.log(p[rows, y]).mean()
    g = p.copy()
    g[rows, y] -= 1
    return loss, g / len(y)


def cevis_ops(cevis):
    grads = importlib.import_module("cevis.grads")
    return {"fwd": cevis.cross_entropy, "fwd+bwd": grads.cross_entropy_and_grad}


def naive_ops():
    return {"fwd": naive_forward, "fwd+bwd": naive_forward_backward}


def torch_ops(torch):
    functional = torch.nn.functional

    def forward(x, y):
        return functional.cross_entropy(torch.from_numpy(x), torch.from_numpy(y))

    def forward_backward(x, y):
        leaf = torch.from_numpy(x).requires_grad_()
        loss = functional.cross_entropy(leaf, torch.from_numpy(y))
        loss.backward()
        return loss, leaf.grad

    return {"fwd": forward, "fwd+bwd": forward_backward}


def jax_ops(jax):
    jnp = jax.numpy

    def loss(x, y):
        return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(x, axis=-1), y[:, None], axis=-1))

    forward_jit = jax.jit(loss)
    forward_backward_jit = jax.jit(jax.value_and_grad(loss))

    def forward(x, y):
        return forward_jit(x, y).block_until_ready()

    def forward_backward(x, y):
        value, grad = forward_backward_jit(x, y)
        return value, grad.block_until_ready()

    return {"fwd": forward, "fwd+bwd": forward_backward}


def load_peers():
    """``{name: (version, ops)}`` for torch and jax, those that import."""
    peers = {}
    try:
        torch = importlib.import_module("torch")
        torch.set_num_threads(1)
        peers["torch"] = (torch.__version__, torch_ops(torch))
    except ImportError:
        pass
    os.environ.setdefault("XLA_FLAGS", XLA_FLAGS)  # read when jax starts its backend
    try:
        jax = importlib.import_module("jax")
        jax.config.update("jax_enable_x64", True)  # else float64 inputs become float32
        peers["jax"] = (jax.__version__, jax_ops(jax))
    except ImportError:
        pass
    return peers


# --------------------------------------------------------------------------- measuring
def median_seconds(call, budget):
    """Median time of one ``call()``, from about ``SAMPLES`` samples within ``budget`` seconds."""
    call()  # warm up: caches, page faults, jit compilation
    start = time.perf_counter()
    call()
    once = max(time.perf_counter() - start, 1e-7)
    inner = max(1, round(budget / SAMPLES / once))  # calls per sample, so the timer's cost vanishes
    samples = max(MIN_SAMPLES, min(SAMPLES, math.ceil(budget / (inner * once))))
    times = []
    gc.disable()  # as timeit: a collection inside a sample is noise
    try:
        for _ in range(samples):
            start = time.perf_counter()
            for _ in range(inner):
                call()
            times.append((time.perf_counter() - start) / inner)
    finally:
        gc.enable()
    return statistics.median(times)


def as_numpy(value):
    """A loss or gradient of any of the implementations as a float64 numpy array."""
    if hasattr(value, "detach"):  # torch
        value = value.detach().numpy()
    return np.asarray(value, dtype=np.float64)


def check_agrees(name, op, got, want, dtype):
    """Stop the bench if a peer's result differs from cevis's: a fast wrong answer is no answer."""
    pairs = zip(got, want) if op == "fwd+bwd" else [(got, want)]
    for g, w in pairs:
        g, w = as_numpy(g), as_numpy(w)
        scale = max(1.0, float(np.abs(w).max()))
        if g.shape != w.shape or not np.allclose(g, w, rtol=RTOL[dtype], atol=RTOL[dtype] * scale):
            raise SystemExit(f"{name} {op} disagrees with cevis for {w.shape} {np.dtype(dtype).name}")


def run_case(shape, dtype, impls, budget, rng):
    """One row per op: ``(shape, dtype, op, cevis seconds, {peer: seconds})``."""
    n, c = shape
    x = (2 * rng.standard_normal(shape)).astype(dtype)
    y = rng.integers(0, c, n)
    rows = []
    for op in ("fwd", "fwd+bwd"):
        cevis_call = impls["cevis"][op]
        want = cevis_call(x, y)
        times = {}
        for name, ops in impls.items():
            if name != "cevis":
                check_agrees(name, op, ops[op](x, y), want, dtype)
            times[name] = median_seconds(lambda f=ops[op]: f(x, y), budget)
        rows.append((shape, np.dtype(dtype).name, op, times.pop("cevis"), times))
    return rows


# --------------------------------------------------------------------------- reporting
def machine_line(peers):
    model = "unknown CPU"
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = [f"Python {platform.python_version()}", f"numpy {np.__version__}"]
    versions += [f"{name} {version}" for name, (version, _) in peers.items()]
    return f"{len(os.sched_getaffinity(0))} cores (nproc), {model}; " + ", ".join(versions)


def format_time(seconds):
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    return f"{seconds * 1e3:.2f} ms"


def table(rows, peer_names):
    """Header and rows of cells: the cevis time, ns per logit, cevis/peer for each peer."""
    header = ["shape", "dtype", "op", "cevis", "ns/elem"] + [f"cevis/{p}" for p in peer_names]
    body = []
    for shape, dtype, op, seconds, times in rows:
        per_elem = seconds / (shape[0] * shape[1]) * 1e9
        body.append([str(shape), dtype, op, format_time(seconds), f"{per_elem:.2f}"]
                    + [f"{seconds / times[p]:.2f}" for p in peer_names])
    return header, body


def print_plain(header, body):
    widths = [max(len(r[i]) for r in [header] + body) for i in range(len(header))]
    for r in [header] + body:
        print("  ".join(cell.rjust(w) if i >= 3 else cell.ljust(w)
                        for i, (cell, w) in enumerate(zip(r, widths))).rstrip())


def print_markdown(header, body):
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join(" --- " if i < 3 else " ---: " for i in range(len(header))) + "|")
    for r in body:
        print("| " + " | ".join(r) + " |")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="the three smaller shapes and short cells: under a minute")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))  # the cevis of this checkout, wherever the bench is run from
    cevis = importlib.import_module("cevis")
    peers = load_peers()
    impls = {"cevis": cevis_ops(cevis), "naive": naive_ops()}
    impls.update({name: ops for name, (_, ops) in peers.items()})
    peer_names = [name for name in impls if name != "cevis"]

    print(machine_line(peers))
    print(f"ratio = cevis time / peer time (< 1: cevis is faster); median of repeated runs, "
          f"~{CELL_SECONDS if not args.quick else QUICK_CELL_SECONDS} s per cell\n", flush=True)
    rng = np.random.default_rng(0)
    rows = []
    for shape in QUICK_SHAPES if args.quick else SHAPES:
        for dtype in DTYPES:
            rows += run_case(shape, dtype, impls, QUICK_CELL_SECONDS if args.quick else CELL_SECONDS,
                             rng)
    header, body = table(rows, peer_names)
    (print_markdown if args.markdown else print_plain)(header, body)


if __name__ == "__main__":
    main()
