from axes.signals import user_locked_out
from django.dispatch import receiver

from .models import AccessLog, Action, Purpose
from .services import path_only


@receiver(user_locked_out, dispatch_uid="haven.audit.lockout")
def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    AccessLog.objects.create(username=(username or "")[:150], action=Action.LOCKOUT, purpose=Purpose.SECURITY,
                             ip=ip_address or None, path=path_only(request.get_full_path()) if request else "")
