"""Where apps above ``visits`` act on a visit (filled in their ``AppConfig.ready``).

- ``visit_finished(visit)``: called in the transaction that finishes the service
  (feedback creates the visit's survey invitation);
- ``survey_path(visit)``: the path of the visit's survey, or None (the visit page and
  its QR code show it; feedback answers).
"""

from core.hooks import Hook

visit_finished = Hook("visits.visit_finished")
survey_path = Hook("visits.survey_path")
