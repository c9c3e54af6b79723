"""Gateways that deliver messages: WhatsApp (Cloud API, Twilio), PEC, e-mail, letters."""
