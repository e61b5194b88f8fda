"""The sentences of the events app said in more than one place (services, pages), written once."""

CANNOT_CHANGE_PROGRAMME = "Vous ne pouvez pas modifier le programme de cet événement."
