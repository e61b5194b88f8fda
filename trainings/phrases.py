"""The sentences of the trainings app said in more than one place (services, forms, pages), written once."""

NO_HALF_DAY = "Indiquez au moins une demi-journée."
CAPACITY_AT_LEAST_ONE = "Le nombre de places doit être d'au moins 1."
CANNOT_REGISTER_TO_SESSION = "Vous ne pouvez pas inscrire d'agent à cette session."
