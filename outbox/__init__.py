"""The outbox: e-mails are written to the database in the transaction of the change they are
about, and sent later, outside any request (see ``outbox.sending``)."""
