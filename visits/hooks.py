"""Where apps above ``visits`` act on a visit (filled in their ``AppConfig.ready``).

- ``visit_finished(visit)``: called in the transaction that finishes the service
  (feedback creates the visit's survey invitation);
- ``survey_path(visit)``: the path of the visit's survey, or None (the visit page and
  its QR code show it; feedback answers);
- ``ticket_called(ticket=)``: called in the transaction that calls a ticket (channels
  tells the visitors who asked, when their ticket is near the front);
- ``ticket_panels(ticket=, request=)``: HTML fragments for the public ticket page
  (channels: "tell me on WhatsApp").
"""

from core.hooks import Hook

visit_finished = Hook("visits.visit_finished")
survey_path = Hook("visits.survey_path")
ticket_called = Hook("visits.ticket_called")
ticket_panels = Hook("visits.ticket_panels")
