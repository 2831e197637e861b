"""Email in: messages from the complaints mailbox (IMAP) and providers' inbound webhooks, filed
on the complaint they name or held in a triage queue."""
