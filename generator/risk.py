"""Rate each hazard for one company: before controls from its data and the answers, then with controls.

The rules are data (``manual_templates/risk_matrix.yaml``): ``answers`` move the rating before
controls (a lone worker waits longer for help; a hired electrician leaves only cord hazards),
``residual`` says how far controls lower it. Residual risk is never above the initial risk.
"""

from __future__ import annotations

from generator.content_models import Hazard, Risk, RiskMatrix, RiskRule
from generator.operations import holds


def _clamp(value: int) -> int:
    return max(1, min(5, value))


def _matches(rule: RiskRule, hazard: Hazard) -> bool:
    if rule.hazards and hazard.id not in rule.hazards:
        return False
    return not (rule.categories and hazard.category not in rule.categories)


def rated(hazard: Hazard, matrix: RiskMatrix, flags: frozenset[str]) -> Hazard:
    """The hazard with ``risk`` adjusted to the company and ``residual`` set."""
    severity, likelihood = hazard.risk.severity, hazard.risk.likelihood
    for rule in matrix.answers:
        if _matches(rule, hazard) and holds(rule.when, flags):
            severity += rule.severity
            likelihood += rule.likelihood
    initial = Risk(severity=_clamp(severity), likelihood=_clamp(likelihood))
    step = next((r for r in matrix.residual if _matches(r, hazard)), matrix.residual_default)
    residual = Risk(
        severity=min(initial.severity, _clamp(initial.severity + min(step.severity, 0))),
        likelihood=min(initial.likelihood, _clamp(initial.likelihood + min(step.likelihood, 0))),
    )
    return hazard.model_copy(update={"risk": initial, "residual": residual})


def score(risk: Risk) -> int:
    """Severity times likelihood."""
    return risk.severity * risk.likelihood


def by_risk(hazards: list[Hazard]) -> list[Hazard]:
    """Highest risk first: by initial score, then residual score, then name."""
    return sorted(
        hazards,
        key=lambda h: (-score(h.risk), -score(h.residual or h.risk), h.name.lower()),
    )
