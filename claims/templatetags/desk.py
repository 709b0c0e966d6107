"""The editors' desk on the admin's front page (templates/admin/index.html): computed by claims/desk.py."""

from django import template

from claims.desk import Desk, desk_for

register = template.Library()


@register.simple_tag
def editors_desk(user) -> Desk:
    return desk_for(user)
