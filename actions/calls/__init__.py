"""The call bridge: "Call me" rings a supporter through Twilio and connects them to each office.

``models`` (sessions, legs, their stored state changes, the per-campaign switch, blocked numbers),
``states`` (the state machine: forward-only, each change stored once), ``twilio_api`` (the REST
client and webhook signatures), ``services`` (start a session, apply Twilio's reports, close
stale sessions), ``twiml`` (what the supporter hears), ``views`` (the signed webhooks) and
``wagtail_hooks`` (the organiser's controls). See "The life of one bridged call" in
docs/architecture.md.
"""
