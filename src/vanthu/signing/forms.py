"""HTML forms of the digital-signature pages. A form only parses input into the keyword arguments
of one service; the rules live in the services, whose refusals come back onto the form through
``core.form_base.apply_domain_error``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vanthu.core.form_base import VanthuForm

PDF_ACCEPT = {"accept": "application/pdf,.pdf"}
CERTIFICATE_ACCEPT = {"accept": ".cer,.crt,.pem,.der,.p12,.pfx"}


class UploadForm(VanthuForm):
    """A form whose ``file`` is read by the view (size-checked) and passed as ``data``."""

    def service_kwargs(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "file"}


class VerifyForm(UploadForm):
    file = forms.FileField(
        label=_("Signed PDF file"),
        help_text=_("The file is kept with its verification report."),
        widget=forms.ClearableFileInput(attrs=PDF_ACCEPT),
    )


class PersonalCertificateForm(UploadForm):
    file = forms.FileField(
        label=_("Certificate file"),
        help_text=_("The public certificate only (.cer, .crt or .pem): the private key stays on your token."),
        widget=forms.ClearableFileInput(attrs=CERTIFICATE_ACCEPT),
    )


class AgencyCertificateForm(UploadForm):
    file = forms.FileField(
        label=_("Certificate file"),
        help_text=_("A public certificate (.cer, .crt, .pem), or a PKCS#12 file (.p12) whose key the server keeps."),
        widget=forms.ClearableFileInput(attrs=CERTIFICATE_ACCEPT),
    )
    key_secret_name = forms.CharField(
        label=_("Name of the key password or PIN secret"),
        max_length=64,
        required=False,
        help_text=_("For a key held on the server: the name of the server secret (A–Z, 0–9, _), never the password."),
    )
    pkcs11_token_label = forms.CharField(label=_("PKCS#11 token label"), max_length=64, required=False)
    pkcs11_key_label = forms.CharField(label=_("PKCS#11 key label"), max_length=64, required=False)


class ImageForm(UploadForm):
    file = forms.FileField(
        label=_("PNG image with a transparent background"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,.png"}),
    )
    width_mm = forms.DecimalField(
        label=_("Printed width (mm)"),
        max_digits=5,
        decimal_places=1,
        min_value=1,
        required=False,
        help_text=_("Leave empty for the usual size."),
    )


class TrustAnchorForm(UploadForm):
    file = forms.FileField(
        label=_("CA certificate file"),
        help_text=_("The root or intermediate CA certificate (.cer, .crt or .pem)."),
        widget=forms.ClearableFileInput(attrs=CERTIFICATE_ACCEPT),
    )
    name = forms.CharField(label=_("Display name"), max_length=255, required=False)
    crl_urls = forms.CharField(
        label=_("CRL server addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One address per line."),
    )
    ocsp_urls = forms.CharField(
        label=_("OCSP server addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One address per line."),
    )

    def service_kwargs(self) -> dict[str, Any]:
        return {
            "name": self.cleaned_data["name"],
            "crl_urls": self.cleaned_data["crl_urls"].splitlines(),
            "ocsp_urls": self.cleaned_data["ocsp_urls"].splitlines(),
        }


class DisableCertificateForm(VanthuForm):
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)
    revoked = forms.BooleanField(label=_("The certificate authority revoked it"), required=False)


class Look:
    """How the signature shows on the page (``SignForm.appearance``)."""

    PERSON = "person"
    SEAL = "seal"
    LINE = "line"


class SignForm(UploadForm):
    """ "Sign a document": a PDF, a certificate the signer may use (choices given by the view), and
    how the signature looks. The view turns it into ``sessions.signature_prepare`` arguments."""

    file = forms.FileField(
        label=_("PDF file to sign"),
        help_text=_("The signed file is a new copy: the uploaded file is kept unchanged."),
        widget=forms.ClearableFileInput(attrs=PDF_ACCEPT),
    )
    certificate = forms.TypedChoiceField(label=_("Certificate"), coerce=int, choices=())
    appearance = forms.ChoiceField(
        label=_("Signature appearance"),
        widget=forms.RadioSelect,
        choices=(
            (Look.PERSON, _("My signature (with my signature image)")),
            (Look.SEAL, _("Agency seal")),
            (Look.LINE, _("Copy or annex line (no image)")),
        ),
        initial=Look.PERSON,
    )
    title = forms.CharField(
        label=_("Signer's title as printed on the document"),
        max_length=120,
        required=False,
        help_text=_("For example KT. GIÁM ĐỐC; it helps find where the signature goes."),
    )
    number_symbol = forms.CharField(label=_("Number and symbol (seal only, optional)"), max_length=64, required=False)
    issue_date_text = forms.CharField(
        label=_("Issue date (seal only, optional)"),
        max_length=64,
        required=False,
        help_text=_("For example: ngày 15 tháng 01 năm 2025."),
    )
    line_text = forms.CharField(
        label=_("Text of the copy or annex line"),
        max_length=200,
        required=False,
        help_text=_("For example: SAO Y — UBND tỉnh Thanh Hóa, or the number of the document the annex belongs to."),
    )

    def __init__(self, *args: Any, certificate_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["certificate"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101 - declared above
        field.choices = certificate_choices
        self.fields["appearance"].widget.attrs["class"] = "form-check-input"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        look = cleaned.get("appearance")
        if look == Look.LINE and not (cleaned.get("line_text") or "").strip():
            self.add_error("line_text", _("Enter the text of the line."))
        if look == Look.SEAL and bool(cleaned.get("number_symbol")) != bool(cleaned.get("issue_date_text")):
            self.add_error("issue_date_text", _("Give both the number and the issue date, or neither."))
        return cleaned
