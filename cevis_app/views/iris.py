"""The Iris data set (Fisher, 1936; 150 flowers), read from cevis_app/data/iris.csv as numpy arrays.

The CSV is a copy of the one plotly ships (plotly.express.data.iris), trimmed to the five
columns used here, so views need neither plotly nor a download.
"""

from __future__ import annotations

import functools
import pathlib
from dataclasses import dataclass

import numpy as np

FEATURES = ("sepal_length", "sepal_width", "petal_length", "petal_width")
SPECIES = ("setosa", "versicolor", "virginica")
DATA = pathlib.Path(__file__).resolve().parent.parent / "data" / "iris.csv"


@dataclass(frozen=True)
class Iris:
    features: np.ndarray  # [150, 4] in cm, columns in the order of FEATURES
    species: np.ndarray  # [150] index into SPECIES


@functools.lru_cache(maxsize=1)
def load_iris() -> Iris:
    """150 flowers, 4 measurements, 3 species (50 each).

    >>> iris = load_iris()
    >>> iris.features.shape, iris.features[0].tolist(), int(iris.species[-1])
    ((150, 4), [5.1, 3.5, 1.4, 0.2], 2)
    """
    rows = [line.split(",") for line in DATA.read_text().splitlines()[1:]]
    x = np.array([r[:4] for r in rows], dtype=np.float64)
    y = np.array([SPECIES.index(r[4]) for r in rows], dtype=np.int64)
    x.setflags(write=False)
    y.setflags(write=False)
    return Iris(x, y)


@dataclass(frozen=True)
class IrisSubset:
    """Chosen measurements of the flowers of chosen species; labels renumbered 0..K-1."""

    features: np.ndarray  # [N, F]
    labels: np.ndarray  # [N] index into the chosen species
    rows: np.ndarray  # [N] row of each flower in the full data set (0..149)


def subset(iris: Iris, feature_columns, species_names) -> IrisSubset:
    """The flowers of ``species_names`` (in that order), with the columns ``feature_columns``.

    >>> s = subset(load_iris(), [2, 3], ["versicolor", "setosa"])
    >>> s.features.shape, sorted(set(s.labels.tolist())), int(s.rows[s.labels == 1][0])
    ((100, 2), [0, 1], 0)
    """
    wanted = [SPECIES.index(name) for name in species_names]
    keep = np.isin(iris.species, wanted)
    remap = {k: i for i, k in enumerate(wanted)}
    labels = np.array([remap[k] for k in iris.species[keep]], dtype=np.int64)
    return IrisSubset(iris.features[keep][:, list(feature_columns)], labels, np.flatnonzero(keep))
