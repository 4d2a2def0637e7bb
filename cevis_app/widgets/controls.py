"""Where the controls pages call as ``controls.X`` live (one idea per module); kept so that the
pages' calls read as before. New code imports from the modules themselves:

- chart.py: ``chart``, the plotly wrapper;
- url_values.py: ``start_page``, ``usable`` (a bound widget's unusable URL value);
- url_index.py: ``seed_index_from_url``, ``write_index_to_url``, ``clicked_row_in_url``;
- shared_sample.py: ``sample_controls``, ``sample_columns`` and the sample's persistence across pages;
- presets.py: ``preset_row``, ``show_preset_lesson``, ``apply_preset``.
"""

from cevis_app.widgets.chart import chart  # noqa: F401
from cevis_app.widgets.presets import apply_preset  # noqa: F401
from cevis_app.widgets.presets import preset_row  # noqa: F401
from cevis_app.widgets.presets import show_preset_lesson  # noqa: F401
from cevis_app.widgets.shared_sample import sample_columns  # noqa: F401
from cevis_app.widgets.shared_sample import sample_controls  # noqa: F401
from cevis_app.widgets.url_index import clicked_row_in_url  # noqa: F401
from cevis_app.widgets.url_index import seed_index_from_url  # noqa: F401
from cevis_app.widgets.url_index import write_index_to_url  # noqa: F401
from cevis_app.widgets.url_values import start_page  # noqa: F401
from cevis_app.widgets.url_values import usable  # noqa: F401
