"""Charts: plotly figure builders, pure ``make_*_figure(...)`` functions (no streamlit).

Each builder checks its inputs and raises ``cevis.InputError``; it returns a PlainFigure
(see _unvalidated.py). One module per chart family; every builder is re-exported here.
"""

from cevis_app.charts._unvalidated import frozen
from cevis_app.charts.batch import make_entropy_kl_figure
from cevis_app.charts.batch import make_smoothing_figure
from cevis_app.charts.binary import make_binary_curves_figure
from cevis_app.charts.binary import make_log_pair_figure
from cevis_app.charts.binary import make_sigmoid_figure
from cevis_app.charts.descent import make_descent_animation
from cevis_app.charts.descent import make_runs_figure
from cevis_app.charts.descent import make_simplex_figure
from cevis_app.charts.gradients import make_grad_check_figure
from cevis_app.charts.gradients import make_gradient_magnitude_figure
from cevis_app.charts.gradients import make_gradient_pair_figure
from cevis_app.charts.gradients import make_jacobian_figure
from cevis_app.charts.room import ANSWERS_HEIGHT
from cevis_app.charts.room import PROJECTOR_HEIGHT
from cevis_app.charts.room import make_answers_figure
from cevis_app.charts.room_view import make_view_answers_figure
from cevis_app.charts.sample import make_gradient_figure
from cevis_app.charts.sample import make_loss_curve_figure
from cevis_app.charts.sample import make_probability_figure
from cevis_app.charts.stability import make_clamp_figure
from cevis_app.charts.stability import make_entropy_term_figure
from cevis_app.charts.stability import make_overflow_figure
from cevis_app.charts.training import make_decision_regions_figure
from cevis_app.charts.training import make_training_curves_figure

__all__ = [
    "frozen",
    "ANSWERS_HEIGHT",
    "PROJECTOR_HEIGHT",
    "make_answers_figure",
    "make_binary_curves_figure",
    "make_clamp_figure",
    "make_decision_regions_figure",
    "make_descent_animation",
    "make_entropy_kl_figure",
    "make_entropy_term_figure",
    "make_grad_check_figure",
    "make_gradient_figure",
    "make_gradient_magnitude_figure",
    "make_gradient_pair_figure",
    "make_jacobian_figure",
    "make_log_pair_figure",
    "make_loss_curve_figure",
    "make_overflow_figure",
    "make_probability_figure",
    "make_runs_figure",
    "make_sigmoid_figure",
    "make_simplex_figure",
    "make_smoothing_figure",
    "make_training_curves_figure",
    "make_view_answers_figure",
]
