"""Where views/explain.py's names live now (one idea per module); kept so that code written
against the old module still imports. New code imports from the modules themselves.
"""

from cevis_app.views.binary import BinaryBreakdown  # noqa: F401
from cevis_app.views.binary import explain_binary  # noqa: F401
from cevis_app.views.ce_vs_mse import gradient_magnitude_sweep  # noqa: F401
from cevis_app.views.ce_vs_mse import gradient_magnitudes  # noqa: F401
from cevis_app.views.ce_vs_mse import gradient_pair  # noqa: F401
from cevis_app.views.gradient_check import chain_rule  # noqa: F401
from cevis_app.views.gradient_check import gradient_check  # noqa: F401
from cevis_app.views.gradient_check import gradient_check_sweep  # noqa: F401
from cevis_app.views.sample import SampleBreakdown  # noqa: F401
from cevis_app.views.sample import checked_sample  # noqa: F401
from cevis_app.views.sample import explain_sample  # noqa: F401
