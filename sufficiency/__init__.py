"""sufficiency: placement matching, sufficiency forecasting and spend projection
for children's services in England."""

from sufficiency.errors import InputDataError, Problem, SufficiencyError

__version__ = "0.1.0"

__all__ = ["InputDataError", "Problem", "SufficiencyError", "__version__"]
