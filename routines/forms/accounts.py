"""The account: signing up, the e-mail address for password resets, and closing it."""

from django import forms
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

EMAIL_LABEL = gettext_lazy("E-mail address")
EMAIL_HELP = gettext_lazy("Optional. Only used to send you a link if you forget your password.")


class SignupForm(UserCreationForm):
    email = forms.EmailField(label=EMAIL_LABEL, required=False, help_text=EMAIL_HELP)

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")


class EmailForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ("email",)
        labels = {"email": EMAIL_LABEL}
        help_texts = {
            "email": gettext_lazy(
                "Optional. Only used to send you a link if you forget your password. "
                "Leave empty to remove it."
            )
        }


class AccountDeleteForm(forms.Form):
    """The password again, checked through authenticate() so wrong guesses count as failed
    logins: a borrowed session cannot try passwords here without being locked out."""

    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, request: HttpRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        user = self.request.user
        checked = authenticate(self.request, username=user.get_username(), password=password)
        if checked is None or checked.pk != user.pk:
            raise forms.ValidationError(
                _("That is not your password. Nothing was deleted."),
                code="wrong_password",
            )
        return password
