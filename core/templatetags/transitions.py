from django import template

register = template.Library()


@register.simple_tag
def allowed_actions(obj, user=None):
    """``{% allowed_actions ticket user as actions %}{% if "recall" in actions %}…``"""
    return obj.allowed_actions(user)
