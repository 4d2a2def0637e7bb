"""Generate tests/lib/fixtures/torch_reference.json, the stored PyTorch reference.

How to run (from the repository root):

    python -m venv /tmp/torchenv && /tmp/torchenv/bin/pip install torch==2.13.0 numpy && /tmp/torchenv/bin/python tests/lib/make_torch_reference.py

torch is needed only to regenerate the fixture. The test suite never imports
torch: tests/lib/test_torch_parity.py reads the JSON file written here.

Everything is seeded, so running the script twice writes a byte-identical file.

Format of the fixture::

    {"torch_version": "...", "seed": ..., "cases": [
        {"id": "ce-index-weight-smooth-mean-f64-017",
         "fn": "cross_entropy",                 # name of the cevis function
         "dtype": "float64",                    # dtype of every float array
         "args": {"logits": [...], "target": [...]},   # positional args, in order
         "int_args": ["target"],                # args that are int64, not `dtype`
         "kwargs": {"reduction": "mean", "axis": -1, "weight": [...], ...},
         "expected": ...,                       # torch's output
         "expected_grad": ...},                 # only for fns that have a *_grad twin
        ...]}

Floats are written with Python's repr of the float64 value, which is exact
(float32 values convert to float64 exactly). JSON has no inf/nan, so they are
written as the strings "inf", "-inf" and "nan". "weight" and "pos_weight" in
kwargs are arrays of `dtype`; other kwargs are plain values. "expected_grad"
is the gradient (autograd) of the reduced loss w.r.t. the first argument;
for reduction="none" it is the gradient of loss.sum().
"""

import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

SEED = 20250101
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "torch_reference.json")

DTYPES = {"float32": (np.float32, "f32"), "float64": (np.float64, "f64")}
REDUCTIONS = ("none", "mean", "sum")

torch.set_num_threads(1)
cases = []
rng = None


def reseed(section):
    """Each section has its own random stream, so adding cases to one
    section leaves the others' inputs unchanged."""
    global rng
    rng = np.random.default_rng([SEED, section])


# ----------------------------------------------------------------- encoding

def enc(a):
    """numpy array / scalar -> JSON-able nested lists; inf/nan become strings."""
    a = np.asarray(a)
    if a.dtype.kind == "f":
        a = a.astype(np.float64)
    return _fix(a.tolist())


def _fix(x):
    if isinstance(x, list):
        return [_fix(v) for v in x]
    if isinstance(x, float) and not math.isfinite(x):
        return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")
    return x


def t(a):
    return torch.from_numpy(np.array(a, copy=True))


def add(prefix, parts, fn, dtype, args, kwargs, expected, expected_grad=None, int_args=()):
    cid = "-".join([prefix, *parts, DTYPES[dtype][1], "%03d" % len(cases)])
    case = {
        "id": cid,
        "fn": fn,
        "dtype": dtype,
        "args": {k: enc(v) for k, v in args.items()},
    }
    if int_args:
        case["int_args"] = list(int_args)
    case["kwargs"] = {k: (enc(v) if isinstance(v, np.ndarray) else v) for k, v in kwargs.items()}
    case["expected"] = enc(expected.detach().numpy())
    if expected_grad is not None:
        case["expected_grad"] = enc(expected_grad.numpy())
    # Sanity: torch kept the dtype we asked for.
    assert str(expected.dtype) == "torch." + dtype, (cid, expected.dtype)
    cases.append(case)


# ------------------------------------------------------------ cross entropy

def ce_shape(kind):
    C = int(rng.integers(2, 11))
    if kind == "1d":
        return (C,), -1
    N = int(rng.integers(1, 9))
    if kind == "2d":
        return (N, C), -1
    return (int(rng.integers(1, 4)), C, int(rng.integers(1, 4))), 1


def class_axis_to_last(shape, axis):
    """Shape of the logits without the class axis."""
    ax = axis % len(shape)
    return shape[:ax] + shape[ax + 1:]


def ce_case(dtype, shape, axis, target_kind, reduction, use_weight, ls,
            ignore_mode="none", extreme=None, ties=False, tag=()):
    """target_kind: index | soft | onehot.
    ignore_mode (index targets only): none | default (targets contain -100) |
    custom (a custom ignore_index present in targets) | all (every target ignored)."""
    np_dt = DTYPES[dtype][0]
    C = shape[axis]
    logits = rng.normal(0.0, 3.0, size=shape)
    if extreme is not None:
        mask = rng.random(shape) < 0.4
        logits[mask] = extreme * rng.choice([-1.0, 1.0], size=int(mask.sum()))
    tshape = class_axis_to_last(shape, axis)
    tied = None
    if ties:
        # Two or more classes share the (huge) maximum in every slice; the
        # target is one of them, so its log-probability is -log(k): computing
        # x - (max + log(sum)) instead of (x - max) - log(sum) loses it.
        view = np.moveaxis(logits, axis, -1)          # a view: writes go through
        tied = np.zeros(tshape, dtype=np.int64)
        for pos in np.ndindex(*tshape):
            a, b = rng.choice(C, size=2, replace=False)
            view[pos + (a,)] = view[pos + (b,)] = extreme
            tied[pos] = a
    logits = logits.astype(np_dt)

    kwargs = {}
    int_args = ()
    if target_kind == "index":
        int_args = ("target",)
        target = rng.integers(0, C, size=tshape).astype(np.int64) if tied is None else tied
        ignore = -100
        if ignore_mode == "custom":
            ignore = int(rng.choice([-1, 255, int(rng.integers(0, C))]))
            kwargs["ignore_index"] = ignore
        if ignore_mode in ("default", "custom"):
            if target.ndim == 0:
                # A scalar target is either ignored (all-ignored) or not.
                if reduction != "mean":
                    target = np.array(ignore, dtype=np.int64)
                elif int(target) == ignore:
                    target = np.array((ignore + 1) % C, dtype=np.int64)
            else:
                target[rng.random(tshape) < 0.35] = ignore
                flat = target.reshape(-1)
                flat[0] = (ignore + 1) % C if 0 <= ignore < C else 0   # at least one kept
                if flat.size > 1:
                    flat[-1] = ignore                                   # at least one ignored
        if ignore_mode == "all":
            target = np.full(tshape, ignore, dtype=np.int64)
    else:
        if target_kind == "soft":
            z = rng.normal(0.0, 2.0, size=shape)
            z = np.exp(z - z.max(axis=axis, keepdims=True))
            target = z / z.sum(axis=axis, keepdims=True)
        else:  # onehot
            idx = rng.integers(0, C, size=tshape)
            target = np.moveaxis(np.eye(C)[idx], -1, axis % len(shape))
        target = target.astype(np_dt)

    weight = None
    if use_weight:
        weight = rng.uniform(0.1, 3.0, size=C).astype(np_dt)
        kwargs["weight"] = weight
    kwargs["reduction"] = reduction
    if ls:
        kwargs["label_smoothing"] = ls
    kwargs["axis"] = axis

    x = t(logits).requires_grad_(True)
    loss = F.cross_entropy(
        x, t(target), weight=None if weight is None else t(weight),
        ignore_index=kwargs.get("ignore_index", -100), reduction=reduction,
        label_smoothing=ls,
    )
    (loss.sum() if reduction == "none" else loss).backward()

    parts = [{"index": "index", "soft": "prob", "onehot": "onehot"}[target_kind]]
    if use_weight:
        parts.append("weight")
    if ignore_mode == "default":
        parts.append("ignore100")
    elif ignore_mode == "custom":
        parts.append("ignore")
    elif ignore_mode == "all":
        parts.append("allignored")
    if ls:
        parts.append("smooth")
    parts += list(tag) + [reduction]
    add("ce", parts, "cross_entropy", dtype, {"logits": logits, "target": target},
        kwargs, loss, x.grad, int_args)


def gen_cross_entropy():
    reseed(1)
    shapes = ("1d", "2d", "3d")
    i = 0
    # Integer targets: full grid, ignore mode cycles.
    for dtype in DTYPES:
        for kind in shapes:
            for reduction in REDUCTIONS:
                for use_weight in (False, True):
                    for ls in (0.0, 0.1, 0.3):
                        shape, axis = ce_shape(kind)
                        mode = ("none", "default", "custom")[i % 3]
                        i += 1
                        ce_case(dtype, shape, axis, "index", reduction, use_weight, ls, mode)
    # Probability targets (soft and one-hot): shape cycles.
    for dtype in DTYPES:
        for target_kind in ("soft", "onehot"):
            for reduction in REDUCTIONS:
                for use_weight in (False, True):
                    for ls in (0.0, 0.1, 0.3):
                        shape, axis = ce_shape(shapes[i % 3])
                        i += 1
                        ce_case(dtype, shape, axis, target_kind, reduction, use_weight, ls)
    # Every target ignored: mean is 0/0 = nan in torch; sum is 0.
    for dtype, kind, use_weight, ls, reduction in [
        ("float64", "2d", False, 0.0, "mean"),
        ("float64", "3d", True, 0.0, "mean"),
        ("float32", "2d", True, 0.1, "mean"),
        ("float64", "1d", False, 0.3, "mean"),
        ("float64", "2d", True, 0.1, "sum"),
        ("float32", "3d", False, 0.0, "none"),
    ]:
        shape, axis = ce_shape(kind)
        ce_case(dtype, shape, axis, "index", reduction, use_weight, ls, "all")
    # Extreme logits: +-1e4 (both dtypes) and +-1e30 (float64).
    j = 0
    for dtype, ext in [("float32", 1e4), ("float64", 1e4), ("float64", 1e30)]:
        for target_kind in ("index", "soft"):
            for reduction in REDUCTIONS:
                shape, axis = ce_shape(shapes[j % 3])
                ce_case(dtype, shape, axis, target_kind, reduction, j % 2 == 0,
                        (0.0, 0.1)[(j // 2) % 2], extreme=ext,
                        tag=("ext1e4" if ext == 1e4 else "ext1e30",))
                j += 1
    for dtype, ext, kind, reduction in [("float64", 1e30, "2d", "none"), ("float64", 1e30, "3d", "none"),
                                        ("float64", 1e30, "2d", "mean"), ("float32", 1e4, "2d", "none")]:
        shape, axis = ce_shape(kind)
        ce_case(dtype, shape, axis, "index", reduction, False, 0.0, extreme=ext, ties=True,
                tag=("ext1e4" if ext == 1e4 else "ext1e30", "ties"))


# ------------------------------------------------------------------ binary

def bce_shape(kind):
    C = int(rng.integers(1, 7))
    if kind == "1d":
        return (C,)
    if kind == "2d":
        return (int(rng.integers(1, 7)), C)
    return (int(rng.integers(1, 4)), int(rng.integers(1, 4)), C)


def make_weight(mode, shape, np_dt):
    if mode == "full":
        return rng.uniform(0.1, 3.0, size=shape).astype(np_dt)
    if mode == "last":  # broadcast over the last dim
        return rng.uniform(0.1, 3.0, size=shape[-1:]).astype(np_dt)
    return None


def bce_case(dtype, shape, reduction, wmode, target_kind, clamp=False):
    np_dt = DTYPES[dtype][0]
    probs = rng.uniform(0.0, 1.0, size=shape)
    if target_kind == "hard":
        target = (rng.random(shape) < 0.5).astype(np.float64)
    else:
        target = rng.uniform(0.0, 1.0, size=shape)
    if clamp:
        # Exact 0 and 1 probabilities; where the target disagrees, torch's
        # log is clamped at -100 (loss 100 per element for hard targets).
        m = rng.random(shape) < 0.6
        probs[m] = rng.choice([0.0, 1.0], size=int(m.sum()))
        if target_kind == "hard":
            flip = m & (rng.random(shape) < 0.7)
            target[flip] = 1.0 - probs[flip]
    probs = probs.astype(np_dt)
    target = target.astype(np_dt)
    weight = make_weight(wmode, shape, np_dt)
    kwargs = {}
    if weight is not None:
        kwargs["weight"] = weight
    kwargs["reduction"] = reduction
    loss = F.binary_cross_entropy(t(probs), t(target),
                                  weight=None if weight is None else t(weight),
                                  reduction=reduction)
    parts = [target_kind]
    if weight is not None:
        parts.append("weight" if wmode == "full" else "weightlast")
    if clamp:
        parts.append("clamp")
    parts.append(reduction)
    add("bce", parts, "binary_cross_entropy", dtype, {"probs": probs, "target": target},
        kwargs, loss)


def bcel_case(dtype, shape, reduction, wmode, use_pw, target_kind, extreme=None):
    np_dt = DTYPES[dtype][0]
    logits = rng.normal(0.0, 4.0, size=shape)
    if extreme is not None:
        m = rng.random(shape) < 0.5
        logits[m] = extreme * rng.choice([-1.0, 1.0], size=int(m.sum()))
    if target_kind == "hard":
        target = (rng.random(shape) < 0.5).astype(np.float64)
    else:
        target = rng.uniform(0.0, 1.0, size=shape)
    logits = logits.astype(np_dt)
    target = target.astype(np_dt)
    weight = make_weight(wmode, shape, np_dt)
    pos_weight = rng.uniform(0.2, 5.0, size=shape[-1:]).astype(np_dt) if use_pw else None
    kwargs = {}
    if weight is not None:
        kwargs["weight"] = weight
    if pos_weight is not None:
        kwargs["pos_weight"] = pos_weight
    kwargs["reduction"] = reduction
    x = t(logits).requires_grad_(True)
    loss = F.binary_cross_entropy_with_logits(
        x, t(target), weight=None if weight is None else t(weight),
        pos_weight=None if pos_weight is None else t(pos_weight), reduction=reduction)
    (loss.sum() if reduction == "none" else loss).backward()
    parts = [target_kind]
    if weight is not None:
        parts.append("weight" if wmode == "full" else "weightlast")
    if use_pw:
        parts.append("posweight")
    if extreme is not None:
        parts.append("ext1e4")
    parts.append(reduction)
    add("bcel", parts, "binary_cross_entropy_with_logits", dtype,
        {"logits": logits, "target": target}, kwargs, loss, x.grad)


def gen_binary():
    reseed(2)
    kinds = ("1d", "2d", "3d")
    i = 0
    for dtype in DTYPES:
        for reduction in REDUCTIONS:
            for wmode in (None, "full", "last"):
                for target_kind in ("hard", "soft"):
                    bce_case(dtype, bce_shape(kinds[i % 3]), reduction, wmode, target_kind)
                    i += 1
    for dtype in DTYPES:
        for reduction in REDUCTIONS:
            for target_kind in ("hard", "soft"):
                bce_case(dtype, bce_shape(kinds[i % 3]), reduction, (None, "full", "last")[i % 3],
                         target_kind, clamp=True)
                i += 1
    for dtype in DTYPES:
        for reduction in REDUCTIONS:
            for wmode in (None, "full", "last"):
                for use_pw in (False, True):
                    bcel_case(dtype, bce_shape(kinds[i % 3]), reduction, wmode, use_pw,
                              ("hard", "soft")[i % 2])
                    i += 1
    for dtype in DTYPES:
        for reduction in REDUCTIONS:
            for use_pw in (False, True):
                bcel_case(dtype, bce_shape(kinds[i % 3]), reduction, (None, "full", "last")[i % 3],
                          use_pw, ("hard", "soft")[i % 2], extreme=1e4)
                i += 1


# ------------------------------------------------------------- activations

# No input holds inf or nan: cevis refuses non-finite inputs by design.

def act_input(shape, np_dt, extreme=None):
    x = rng.normal(0.0, 3.0, size=shape)
    if extreme is not None:
        m = rng.random(shape) < 0.4
        x[m] = extreme * rng.choice([-1.0, 1.0], size=int(m.sum()))
    return x.astype(np_dt)


SOFTMAX_SHAPES = [((7,), -1), ((4, 6), -1), ((4, 6), 0), ((3, 5, 2), 1), ((2, 3, 4), -1), ((5, 1), -1)]


def gen_activations():
    reseed(3)
    for name, fn, prefix in [("softmax", torch.softmax, "softmax"),
                             ("log_softmax", torch.log_softmax, "logsoftmax")]:
        for dtype in DTYPES:
            np_dt = DTYPES[dtype][0]
            for k, (shape, axis) in enumerate(SOFTMAX_SHAPES):
                for T in (1.0, (0.5, 2.0, 0.7, 3.0)[k % 4]):
                    x = act_input(shape, np_dt)
                    kwargs = {"axis": axis}
                    if T != 1.0:
                        kwargs["temperature"] = T
                    y = fn(t(x) / T if T != 1.0 else t(x), dim=axis)
                    add(prefix, ["T" if T != 1.0 else "plain", "axis%d" % axis], name,
                        dtype, {"logits": x}, kwargs, y)
            for ext, shape, axis, T in [(1e4, (3, 5), -1, 1.0), (1e4, (2, 4, 3), 1, 0.5)] + (
                    [(1e30, (3, 5), -1, 1.0), (1e30, (4, 3), 0, 2.0)] if dtype == "float64" else []):
                x = act_input(shape, np_dt, extreme=ext)
                kwargs = {"axis": axis}
                if T != 1.0:
                    kwargs["temperature"] = T
                y = fn(t(x) / T if T != 1.0 else t(x), dim=axis)
                add(prefix, ["ext1e4" if ext == 1e4 else "ext1e30", "axis%d" % axis], name,
                    dtype, {"logits": x}, kwargs, y)
            # Tied huge maxima: log_softmax of a tied entry is -log(k), which
            # x - logsumexp(x) rounds away.
            ext = 1e4 if dtype == "float32" else 1e30
            x = np.array([[ext, ext, -ext, 1.0], [ext, 0.5, ext, ext], [2.0, -ext, ext, ext]], dtype=np_dt)
            add(prefix, ["ties", "axis-1"], name, dtype, {"logits": x}, {"axis": -1}, fn(t(x), dim=-1))

    for dtype in DTYPES:
        np_dt = DTYPES[dtype][0]
        for shape, axis in SOFTMAX_SHAPES:
            x = act_input(shape, np_dt)
            add("logsumexp", ["axis%d" % axis], "logsumexp", dtype, {"logits": x},
                {"axis": axis}, torch.logsumexp(t(x), dim=axis))
        exts = [1e4] + ([1e30] if dtype == "float64" else [])
        for ext in exts:
            x = act_input((3, 5), np_dt, extreme=ext)
            add("logsumexp", ["ext1e4" if ext == 1e4 else "ext1e30", "axis-1"], "logsumexp",
                dtype, {"logits": x}, {"axis": -1}, torch.logsumexp(t(x), dim=-1))

    for name, fn, prefix in [("sigmoid", torch.sigmoid, "sigmoid"),
                             ("log_sigmoid", F.logsigmoid, "logsigmoid")]:
        for dtype in DTYPES:
            np_dt = DTYPES[dtype][0]
            for shape in [(9,), (3, 4), (2, 3, 2)]:
                x = act_input(shape, np_dt)
                add(prefix, ["plain"], name, dtype, {"x": x}, {}, fn(t(x)))
            x = act_input((4, 5), np_dt, extreme=1e4)
            add(prefix, ["ext1e4"], name, dtype, {"x": x}, {}, fn(t(x)))
            # Large but finite magnitudes around where exp over/underflows.
            lim = 80.0 if dtype == "float32" else 700.0
            big = 1e38 if dtype == "float32" else 1e300
            x = np.array([-big, -2 * lim, -lim, -lim / 2, -20.0, -1e-8, 0.0, 1e-8,
                          20.0, lim / 2, lim, 2 * lim, big]).astype(np_dt)
            add(prefix, ["edges"], name, dtype, {"x": x}, {}, fn(t(x)))


def main():
    gen_cross_entropy()
    gen_binary()
    gen_activations()
    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids))
    header = {"torch_version": torch.__version__, "seed": SEED,
              "generator": "tests/make_torch_reference.py"}
    head = json.dumps(header, allow_nan=False)[:-1]
    body = ",\n".join(json.dumps(c, allow_nan=False, separators=(",", ":")) for c in cases)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        f.write(head + ', "cases": [\n' + body + "\n]}\n")
    counts = {}
    for c in cases:
        counts[c["fn"]] = counts.get(c["fn"], 0) + 1
    print("wrote %d cases to %s (%d bytes)" % (len(cases), OUT, os.path.getsize(OUT)),
          file=sys.stderr)
    for fn, n in counts.items():
        print("  %-34s %d" % (fn, n), file=sys.stderr)


if __name__ == "__main__":
    main()
