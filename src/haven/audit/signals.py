from axes.signals import user_locked_out
from django.dispatch import receiver

from .models import AccessLog, Action, Purpose


@receiver(user_locked_out, dispatch_uid="haven.audit.lockout")
def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    AccessLog.objects.create(username=(username or "")[:150], action=Action.LOCKOUT, purpose=Purpose.SECURITY,
                             ip=ip_address or None, path=request.get_full_path()[:300] if request else "")
