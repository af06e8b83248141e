"""The forms of sign-in, sign-up, company registration and invitations. Rules stay in the services."""

from allauth.account.forms import LoginForm, SignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import MemberRole
from accounts.services import clean_business_number
from certification.models import Company
from certification.services.companies import COMPANY_FIELDS, SME_FIELDS
from core.domain import RuleViolation

SUPPLIER, OFFICER = "supplier", "officer"


class SignInForm(LoginForm):
    """allauth's sign-in by e-mail or username. Also takes the ``username`` field the sign-in form posted
    before allauth, so scripts and bookmarks that post it keep working."""

    def __init__(self, *args, **kwargs) -> None:
        data = kwargs.get("data")
        if data is not None and "login" not in data and "username" in data:
            data = data.copy()
            data["login"] = data["username"]
            kwargs["data"] = data
        super().__init__(*args, **kwargs)


class SignUpForm(SignupForm):
    kind = forms.ChoiceField(
        label=_("가입 유형"),
        choices=[(SUPPLIER, _("공급기업 (supplier)")), (OFFICER, _("조달 담당자 (procurement officer)"))],
        initial=SUPPLIER,
        widget=forms.RadioSelect,
    )
    organisation = forms.CharField(label=_("소속 기관 (조달 담당자)"), max_length=200, required=False)

    def save(self, request):
        from accounts.services import request_officer_role

        user = super().save(request)
        if self.cleaned_data.get("kind") == OFFICER:
            request_officer_role(user, organisation=self.cleaned_data.get("organisation", ""))
        return user


class CompanyForm(forms.ModelForm):
    # room for what people type (separators, full-width digits); the service keeps the 10 digits
    business_number = forms.CharField(
        label=_("사업자등록번호"), max_length=40, help_text=_("예: 123-45-67890")
    )

    class Meta:
        model = Company
        # the registry's company fields, less the English name and the SME confirmation (the dashboard's)
        fields = [name for name in COMPANY_FIELDS if name != "name_en" and name not in SME_FIELDS]
        labels = {
            "name": _("회사명"),
            "business_number": _("사업자등록번호"),
            "size": _("기업 규모"),
            "region": _("지역"),
            "representative": _("대표자"),
            "contact_email": _("연락 이메일"),
            "contact_phone": _("연락처"),
            "address": _("주소"),
        }

    def clean_business_number(self) -> str:
        try:
            return clean_business_number(self.cleaned_data.get("business_number", ""))
        except RuleViolation as exc:
            raise forms.ValidationError(str(exc), code=exc.code) from exc

    def validate_unique(self) -> None:
        # a number already registered gets the service's answer ("ask your administrator"), not Django's
        return None


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("이메일"))
    role = forms.ChoiceField(label=_("역할"), choices=MemberRole.choices, initial=MemberRole.MEMBER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=MemberRole.choices)
