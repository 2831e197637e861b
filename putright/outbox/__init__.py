"""The outbox: every email PutRight sends is saved first and sent by the worker, with retries."""
