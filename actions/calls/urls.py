"""Twilio's webhooks, mounted under ``calls/twilio/`` by ``advocacy/urls.py``."""

from django.urls import path

from . import views

urlpatterns = [
    path("<uuid:session_id>/answer/", views.answer, name="calls_twilio_answer"),
    path("<uuid:session_id>/status/", views.status, name="calls_twilio_status"),
    path("<uuid:session_id>/leg/<int:position>/", views.leg, name="calls_twilio_leg"),
    path("<uuid:session_id>/leg/<int:position>/key/", views.key, name="calls_twilio_key"),
    path("<uuid:session_id>/leg/<int:position>/dial/", views.dial, name="calls_twilio_dial"),
    path("<uuid:session_id>/leg/<int:position>/done/", views.done, name="calls_twilio_done"),
]
