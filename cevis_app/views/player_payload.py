"""The players' payloads (descent, training): frames computed by cevis, as fixed-point arrays.

The same packing as :mod:`cevis_app.views.live_payload` (integers in units of the shown
precision, byte planes, deflate, base64); the browser plays the frames and computes nothing.
Pure numpy + stdlib; no streamlit.
"""

from __future__ import annotations

import math
import zlib

import numpy as np

from cevis_app.views.descent import MAX_STEPS
from cevis_app.views.descent_player import PlayerRun
from cevis_app.views.live_payload import PAYLOAD_VERSION
from cevis_app.views.live_payload import Blob
from cevis_app.views.live_payload import fixed
from cevis_app.views.training import MAX_EPOCHS
from cevis_app.views.training_player import TrainingPlay
from cevis_app.views.training_player import region_frames


def encode_descent(run: PlayerRun, names, at: int, playing: bool) -> dict:
    """The descent player's payload: frames ``0 .. N`` (z in 1e-2; p, dL/dz, loss in 1e-4),
    where each setting began, the step to show (``at``) and the loss axis' top."""
    blob = Blob()
    blob.add("z", fixed(run.logits, 2).T, "i4")
    blob.add("p", fixed(run.probs, 4).T)
    blob.add("g", fixed(run.grads, 4).T, "i4")
    blob.add("l", fixed(run.losses, 4), "i4")
    top = max(1, math.ceil(float(np.max(run.losses))))  # a whole number of loss units
    segments = [{"start": seg.start, "eta": f"{seg.settings.learning_rate:g}",
                 "loss": seg.settings.loss, "eps": f"{seg.settings.label_smoothing:g}",
                 "T": f"{seg.settings.temperature:g}"} for seg in run.segments]
    return {"v": PAYLOAD_VERSION, "kind": "descent", "names": [str(n) for n in names],
            "y": run.true_index, "last": run.last, "max_steps": MAX_STEPS,
            "at": max(0, min(int(at), run.last)), "playing": bool(playing),
            "ltop": top * 10_000, "ltop_text": str(top), "segments": segments,
            # the run's identity: a new start or a continued change moves the playhead to "at"
            "run": f"{zlib.crc32(repr((run.start_logits, run.true_index, run.segments)).encode()):08x}",
            "index": blob.index, "blob": blob.encoded()}


def encode_training(play: TrainingPlay, split, samples, species, at: int, playing: bool) -> dict:
    """The training player's payload: per epoch the four curves (losses in 1e-4, accuracies in
    0.1 %) and the decision regions (class per grid point, ``[E + 1, G * G]``); the flowers
    (standardised x, y in 1e-3, label, held out) and where each setting began."""
    gx, gy, regions = region_frames(play, split)
    r = play.run
    blob = Blob()
    blob.add("tl", fixed(r.train_loss, 4), "i4")
    blob.add("vl", fixed(r.test_loss, 4), "i4")
    blob.add("ta", fixed(r.train_accuracy * 100, 1), "i2")
    blob.add("va", fixed(r.test_accuracy * 100, 1), "i2")
    blob.add("regions", regions, "i1")
    blob.add("sx", fixed(samples["x"] / 10, 4), "i2")  # 1e-3 units of the standardised value
    blob.add("sy", fixed(samples["y"] / 10, 4), "i2")
    blob.add("sl", samples["label"], "i1")
    blob.add("sh", samples["held_out"].astype(np.int8), "i1")
    top = max(1, math.ceil(float(np.max(r.train_loss[np.isfinite(r.train_loss)]))))
    segments = [{"start": s.start, "eta": f"{s.settings.learning_rate:g}", "l2": f"{s.settings.l2:g}"}
                for s in play.segments]
    return {"v": PAYLOAD_VERSION, "kind": "training", "species": [str(s) for s in species],
            "last": play.last, "max_epochs": MAX_EPOCHS, "at": max(0, min(int(at), play.last)),
            "playing": bool(playing), "grid": int(gx.size),
            "extent": [int(v) for v in fixed([gx[0] / 10, gx[-1] / 10, gy[0] / 10, gy[-1] / 10], 4)],
            "ltop": top * 10_000, "ltop_text": str(top), "segments": segments,
            "run": f"{zlib.crc32(repr((play.key, play.segments)).encode()):08x}",
            "index": blob.index, "blob": blob.encoded()}
