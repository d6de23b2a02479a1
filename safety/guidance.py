"""Plain-language advice on safety plan rules, from practice.guidance: advice only, it never
stops a rule being saved. The agency's word list is loaded once per page, however many rules."""

from practice.guidance import guidance_for, load_terms

KIND = "safety_plan_rule"


def rule_guidance(texts, *, agency_id: int, terms=None) -> list[str]:
    """Advice on a rule's own words and on how it will be checked, each message once."""
    if isinstance(texts, str):
        texts = [texts]
    texts = [text for text in texts if text and text.strip()]
    if not texts:
        return []
    if terms is None:
        terms = load_terms(agency_id)
    messages = []
    for text in texts:
        for item in guidance_for(text, agency_id=agency_id, kind=KIND, terms=terms):
            if item.message not in messages:
                messages.append(item.message)
    return messages


def rules_guidance(rules, *, agency_id: int) -> dict[int, list[str]]:
    """Advice for every rule of a plan, by rule id, in one query for the word list."""
    if not rules:
        return {}
    terms = load_terms(agency_id)
    return {
        rule.pk: rule_guidance([rule.text, rule.how_checked], agency_id=agency_id, terms=terms)
        for rule in rules
    }
