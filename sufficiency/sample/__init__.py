"""A seeded synthetic sample authority (fictional children, real postcodes).

``generate_sample(seed, out_dir)`` writes six years of SSDA903 returns for a fictional
Worcestershire population, tonight's placement register and referrals; the output passes
DfE's own 903 validator (see ``scripts/validate_sample.py``).
"""

from sufficiency.sample.generate import SAMPLE_RUN_DATE, generate_sample
from sufficiency.sample.stats import sample_statistics

__all__ = ["SAMPLE_RUN_DATE", "generate_sample", "sample_statistics"]
