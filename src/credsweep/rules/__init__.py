"""Rulesets: provider playbooks and detection rules, loaded from TOML data files."""

from credsweep.rules.loader import Playbook, Provider, Rule, Ruleset, load_rulesets

__all__ = ["Playbook", "Provider", "Rule", "Ruleset", "load_rulesets"]
