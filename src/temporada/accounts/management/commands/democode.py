from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current TOTP code of a DEMO account (refuses real accounts)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **opts):
        device = TOTPDevice.objects.filter(user__username=opts["username"], user__is_demo=True, confirmed=True).first()
        if device is None:
            raise CommandError("No demo account with a second factor by that name.")
        self.stdout.write(f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}")
