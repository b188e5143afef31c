"""Writes of the incoming app, one module per part of the workflow:

- ``history``: ``trace_add`` — the trace row every service writes;
- ``receipt``: arrivals from the exchange, electronic and paper receipt, signature verification;
- ``registration``: arrival number (số đến), refusal;
- ``direction``: the leader's direction and assignment inside a unit;
- ``handling``: progress, co-operating input, completion, reopening, deadline extensions;
- ``reminders``: warnings before and after deadlines;
- ``recall``: the sender's recall accepted or refused.

The modules are not imported here, so importing ``vanthu.incoming.services.history`` stays light."""
