from django import template

from core.fields import mask_email, mask_name, mask_phone

register = template.Library()
register.filter("mask_email", mask_email)
register.filter("mask_phone", mask_phone)
register.filter("mask_name", mask_name)
