"""The outgoing part of the demo province (loaded when ``vanthu.org.demo.demo_load`` sends
``demo_province_loaded``, after the signing part): documents of Sở Tài chính in every state, so every
queue of every demo role has work — drafts (one sent back with a reason), drafts under review at
each kind of step, drafts awaiting the Director's and the Deputy Director's signature, one signed and
waiting for its number, issued ones delivered to UBND tỉnh, Sở KH&CN and Phường Hạc Thành (their
clerks find them among the arrivals), a recalled one, a reserved and a cancelled number in the
register — plus a draft of UBND tỉnh awaiting the Chairman and one of Phường Hạc Thành.

Everything goes through the services, acted by the demo people themselves. The leaders' personal
signatures are made as their signing token would (the remote-hash method with the demo key the
signing part issued them); the seal is the server-held demo seal of Sở Tài chính. Loaded once: if
Sở Tài chính already has an outgoing document, nothing is added."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from vanthu.core.clock import vietnam_year
from vanthu.documents.models import Channel
from vanthu.documents.models import DocumentType
from vanthu.documents.models import RecipientKind
from vanthu.documents.models import RegisterScope
from vanthu.documents.models import Urgency
from vanthu.documents.services import numbering
from vanthu.documents.uploads import Upload
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.org.models import Unit
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import StepKind
from vanthu.outgoing.services.after_issuance import outgoing_recall
from vanthu.outgoing.services.drafting import RecipientInput
from vanthu.outgoing.services.drafting import outgoing_create
from vanthu.outgoing.services.issuance import outgoing_issue
from vanthu.outgoing.services.review import StepInput
from vanthu.outgoing.services.review import outgoing_review
from vanthu.outgoing.services.review import outgoing_send_back
from vanthu.outgoing.services.review import outgoing_submit
from vanthu.outgoing.services.signing import outgoing_sign_finish
from vanthu.outgoing.services.signing import outgoing_sign_prepare
from vanthu.signing.models import Certificate
from vanthu.signing.models import CertificateKind
from vanthu.signing.models import SigningMethod
from vanthu.signing.sessions import signature_apply
from vanthu.signing.testing import pdfs
from vanthu.signing.testing import pki as test_pki

DIRECTOR_TITLE = "GIÁM ĐỐC"
DEPUTY_TITLE = "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"


@dataclass
class _Finance:
    agency: Agency
    budget: Unit
    officer: Person
    budget_head: Person
    office_head: Person
    prices_head: Person
    inspection_head: Person
    director: Person
    deputy: Person
    clerk: Person


def _person(username: str) -> Person | None:
    return Person.objects.filter(username=username).first()


def _agency(abbreviation: str, *, root: bool = False) -> Agency | None:
    agencies = Agency.objects.filter(abbreviation=abbreviation, valid_to__isnull=True)
    agencies = agencies.filter(parent__isnull=True) if root else agencies.filter(parent__isnull=False)
    return agencies.order_by("id").first()


def _finance() -> _Finance | None:
    agency = _agency("STC")
    budget = Unit.objects.filter(agency=agency, abbreviation="QLNS").first() if agency else None
    names = {
        "officer": "chuyenvien.qlns.stc",
        "budget_head": "truongphong.qlns.stc",
        "office_head": "truongphong.vp.stc",
        "prices_head": "truongphong.qlgcs.stc",
        "inspection_head": "truongphong.ttr.stc",
        "director": "giamdoc.stc",
        "deputy": "phogiamdoc.stc",
        "clerk": "vanthu.stc",
    }
    people = {key: _person(username) for key, username in names.items()}
    if agency is None or budget is None or any(person is None for person in people.values()):
        return None
    return _Finance(agency=agency, budget=budget, **people)  # type: ignore[arg-type]


def _pdf(*, subject: str, type_title: str, signer: Person, title: str, agency_name: str = "SỞ TÀI CHÍNH") -> Upload:
    issuer_line = "GIÁM ĐỐC SỞ TÀI CHÍNH TỈNH THANH HÓA" if agency_name == "SỞ TÀI CHÍNH" else agency_name
    parent = "UBND TỈNH THANH HÓA" if agency_name != "ỦY BAN NHÂN DÂN TỈNH THANH HÓA" else ""
    data = pdfs.decision_pdf(
        signer_name=signer.full_name,
        signer_title=title,
        subject=subject,
        type_title=type_title,
        agency_name=agency_name,
        parent_name=parent,
        issuer_line=issuer_line,
        number_placeholder="",
    )
    return Upload(name=f"{type_title.lower() or 'cong-van'}.pdf", content=io.BytesIO(data))


def _type(code: str) -> DocumentType:
    return DocumentType.objects.get(code=code, agency__isnull=True)


def _recipients(*abbreviations: str) -> list[RecipientInput]:
    lines = []
    for abbreviation in abbreviations:
        agency = _agency(abbreviation, root=abbreviation == "UBND")
        if agency is not None:
            lines.append(RecipientInput(kind=RecipientKind.AGENCY, agency_id=agency.pk))
    lines.append(
        RecipientInput(
            kind=RecipientKind.EXTERNAL,
            name="Kho bạc Nhà nước khu vực XI",
            channel=Channel.POST,
            address="Số 25 Đại lộ Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa",
        )
    )
    return lines


def _demo_key(certificate: Certificate) -> ec.EllipticCurvePrivateKey | None:
    """The demo person's key, as the signing part derived it on the day it issued the certificate
    (the test PKI is per day: the certificate starts 30 days before that day)."""
    if certificate.person is None:
        return None
    cert = x509.load_der_x509_certificate(bytes(certificate.der))
    day = cert.not_valid_before_utc + timedelta(days=30)
    pki = test_pki.build_test_pki(datetime(day.year, day.month, day.day, 12, tzinfo=UTC))
    issued = test_pki.issue_signing_certificate(
        pki, key_name=f"demo/{certificate.person.username}", common_name=certificate.person.full_name, organisation="-"
    )
    key = issued.key
    if key.public_key().public_numbers() != cert.public_key().public_numbers():  # type: ignore[union-attr]
        return None
    return key


def _sign(outgoing: Outgoing, signer: Person, now: datetime) -> bool:
    """The signer approves and signs, as their token would (remote hash)."""
    certificate = (
        Certificate.objects.filter(person=signer, kind=CertificateKind.PERSONAL, disabled_at__isnull=True)
        .order_by("-id")
        .first()
    )
    key = _demo_key(certificate) if certificate is not None else None
    if certificate is None or key is None:
        return False
    prepared = outgoing_sign_prepare(
        outgoing=outgoing, certificate=certificate, method=SigningMethod.REMOTE_HASH, actor=signer, now=now
    )
    digest = bytes.fromhex(prepared.digest_hex or "")
    value = key.sign(digest, ec.ECDSA(Prehashed(hashes.SHA256())))
    session = signature_apply(session=prepared.session, actor=signer, now=now, signature_value=value)
    outgoing_sign_finish(outgoing=outgoing, session=session, actor=signer, now=now)
    return True


class _Loader:
    def __init__(self, finance: _Finance, now: datetime) -> None:
        self.f = finance
        self.now = now
        self.tick = 0

    def at(self, minutes: int = 7) -> datetime:
        """Each demo step a few minutes after the previous one, ending before ``now``."""
        self.tick += minutes
        return self.now - timedelta(hours=30) + timedelta(minutes=self.tick)

    def draft(
        self, *, code: str, subject: str, type_title: str, signer: Person, title: str, **fields: object
    ) -> Outgoing:
        deputy = signer.pk == self.f.deputy.pk
        return outgoing_create(
            agency=self.f.agency,
            document_type=_type(code),
            subject=subject,
            actor=self.f.officer,
            now=self.at(),
            drafting_unit=self.f.budget,
            signer=signer,
            signer_authority="KT" if deputy else "",
            signer_position="Phó Giám đốc" if deputy else "Giám đốc",
            signer_name=signer.full_name,
            recipients=_recipients("UBND", "SKHCN", "HT"),
            main=_pdf(subject=subject, type_title=type_title, signer=signer, title=title),
            **fields,  # type: ignore[arg-type]
        )

    def circuit(self, signer: Person, *, opinions: bool = False) -> list[StepInput]:
        steps = [
            StepInput(kind=StepKind.UNIT_REVIEW, assignee_id=self.f.budget_head.pk, ordinal=1, working_days=1),
            StepInput(kind=StepKind.FORMAT_CHECK, assignee_id=self.f.office_head.pk, ordinal=2, working_days=1),
        ]
        if opinions:
            steps += [
                StepInput(kind=StepKind.OPINION, assignee_id=self.f.prices_head.pk, ordinal=3, working_days=2),
                StepInput(kind=StepKind.OPINION, assignee_id=self.f.inspection_head.pk, ordinal=3, working_days=2),
            ]
        steps.append(StepInput(kind=StepKind.APPROVAL, assignee_id=signer.pk, ordinal=9, working_days=1))
        return steps

    def submit(self, outgoing: Outgoing, signer: Person, *, opinions: bool = False) -> Outgoing:
        return outgoing_submit(
            outgoing=outgoing, actor=self.f.officer, now=self.at(), steps=self.circuit(signer, opinions=opinions)
        )

    def review(self, outgoing: Outgoing, person: Person, comment: str = "") -> Outgoing:
        return outgoing_review(outgoing=outgoing, actor=person, now=self.at(), comment=comment)

    def to_signer(self, outgoing: Outgoing, signer: Person) -> Outgoing:
        self.submit(outgoing, signer)
        self.review(outgoing, self.f.budget_head, "Nội dung phù hợp, đề nghị trình ký.")
        return self.review(outgoing, self.f.office_head, "Đã kiểm tra thể thức, kỹ thuật trình bày.")

    def load(self) -> None:  # noqa: PLR0915 - one document per state, told in order
        f = self.f
        # Drafts of the officer: one new, one sent back by the unit head with a reason.
        self.draft(
            code="CONG_VAN",
            subject="V/v hướng dẫn xây dựng dự toán ngân sách nhà nước năm 2027",
            type_title="",
            signer=f.director,
            title=DIRECTOR_TITLE,
        )
        returned = self.draft(
            code="BC",
            subject="Báo cáo tình hình thực hiện dự toán ngân sách 10 tháng năm 2026",
            type_title="BÁO CÁO",
            signer=f.director,
            title=DIRECTOR_TITLE,
        )
        self.submit(returned, f.director)
        outgoing_send_back(
            outgoing=returned,
            actor=f.budget_head,
            now=self.at(),
            reason="Bổ sung số liệu thu ngân sách tháng 10 và so sánh cùng kỳ năm 2025.",
        )
        # Under review: at the unit head, at the office's format check, at two units' opinions.
        self.submit(
            self.draft(
                code="KH",
                subject="Kế hoạch kiểm tra công tác quản lý tài chính, ngân sách năm 2027",
                type_title="KẾ HOẠCH",
                signer=f.director,
                title=DIRECTOR_TITLE,
                urgency=Urgency.URGENT,
            ),
            f.director,
        )
        at_format = self.draft(
            code="TB",
            subject="Thông báo kết luận giao ban công tác tài chính quý IV năm 2026",
            type_title="THÔNG BÁO",
            signer=f.deputy,
            title=DEPUTY_TITLE,
        )
        self.submit(at_format, f.deputy)
        self.review(at_format, f.budget_head)
        with_opinions = self.draft(
            code="QĐ",
            subject="Quyết định ban hành Quy chế quản lý tài sản công tại Sở Tài chính",
            type_title="QUYẾT ĐỊNH",
            signer=f.director,
            title=DIRECTOR_TITLE,
        )
        self.submit(with_opinions, f.director, opinions=True)
        self.review(with_opinions, f.budget_head)
        self.review(with_opinions, f.office_head)
        # Awaiting signature: the Director's and the Deputy Director's (KT.).
        self.to_signer(
            self.draft(
                code="QĐ",
                subject="Quyết định phê duyệt dự toán chi thường xuyên năm 2027 của Sở Tài chính",
                type_title="QUYẾT ĐỊNH",
                signer=f.director,
                title=DIRECTOR_TITLE,
            ),
            f.director,
        )
        self.to_signer(
            self.draft(
                code="CONG_VAN",
                subject="V/v đôn đốc quyết toán vốn đầu tư công dự án hoàn thành năm 2026",
                type_title="",
                signer=f.deputy,
                title=DEPUTY_TITLE,
                urgency=Urgency.VERY_URGENT,
            ),
            f.deputy,
        )
        self.signed_and_issued(f)
        self.others()

    def signed(self, *, code: str, subject: str, type_title: str, signer: Person, title: str) -> Outgoing | None:
        outgoing = self.draft(code=code, subject=subject, type_title=type_title, signer=signer, title=title)
        self.to_signer(outgoing, signer)
        if not _sign(outgoing, signer, self.at()):
            return None
        return outgoing

    def issue(self, outgoing: Outgoing | None) -> Outgoing | None:
        seal = (
            Certificate.objects.filter(agency=self.f.agency, kind=CertificateKind.AGENCY, disabled_at__isnull=True)
            .order_by("-id")
            .first()
        )
        if outgoing is None or seal is None or not seal.has_private_key_on_server:
            return None
        return outgoing_issue(outgoing=outgoing, certificate=seal, actor=self.f.clerk, now=self.at())

    def signed_and_issued(self, f: _Finance) -> None:
        self.issue(
            self.signed(
                code="QĐ",
                subject="Quyết định giao dự toán thu, chi ngân sách nhà nước năm 2027",
                type_title="QUYẾT ĐỊNH",
                signer=f.director,
                title=DIRECTOR_TITLE,
            )
        )
        self.issue(
            self.signed(
                code="TB",
                subject="Thông báo thẩm định quyết toán ngân sách năm 2025",
                type_title="THÔNG BÁO",
                signer=f.deputy,
                title=DEPUTY_TITLE,
            )
        )
        register = numbering.register_for(
            agency=f.agency, year=vietnam_year(self.now), scope=RegisterScope.OUTGOING, actor=f.clerk, now=self.at()
        )
        reserved = numbering.number_reserve(
            register=register, count=1, note="Giữ số cho Quyết định khen thưởng", actor=f.clerk, now=self.at()
        )
        numbering.number_cancel(
            entry=reserved[0],
            reason="Quyết định khen thưởng chuyển sang năm 2027, không dùng số đã giữ.",
            actor=f.clerk,
            now=self.at(),
        )
        recalled = self.issue(
            self.signed(
                code="CONG_VAN",
                subject="V/v cung cấp số liệu tài sản công năm 2026 (gửi nhầm phụ lục)",
                type_title="",
                signer=f.deputy,
                title=DEPUTY_TITLE,
            )
        )
        if recalled is not None:
            outgoing_recall(
                outgoing=recalled,
                reason="Văn bản gửi kèm nhầm phụ lục số liệu; sẽ ban hành văn bản thay thế.",
                actor=f.clerk,
                now=self.at(),
            )
        numbering.number_reserve(
            register=register, count=1, note="Giữ số cho Tờ trình dự toán bổ sung", actor=f.clerk, now=self.at()
        )
        # Signed, waiting for its number at the registry.
        self.signed(
            code="QĐ",
            subject="Quyết định điều chỉnh dự toán ngân sách năm 2026 của các đơn vị dự toán",
            type_title="QUYẾT ĐỊNH",
            signer=f.director,
            title=DIRECTOR_TITLE,
        )

    def others(self) -> None:
        """A draft of UBND tỉnh awaiting the Chairman; one of Phường Hạc Thành awaiting its Chairman
        and another its officer is still writing."""
        for abbreviation, drafter_name, signer_name, agency_line in (
            ("UBND", "vanthu.ubnd", "chutich.ubnd", "ỦY BAN NHÂN DÂN TỈNH THANH HÓA"),
            ("HT", "chuyenvien.ht", "chutich.ht", "ỦY BAN NHÂN DÂN PHƯỜNG HẠC THÀNH"),
        ):
            agency = _agency(abbreviation, root=abbreviation == "UBND")
            drafter, signer = _person(drafter_name), _person(signer_name)
            if agency is None or drafter is None or signer is None:
                continue
            local = _LocalDrafts(agency=agency, drafter=drafter, signer=signer, agency_line=agency_line)
            if abbreviation == "UBND":
                outgoing = self.local_draft(
                    local, "CONG_VAN", "", "V/v đẩy mạnh chuyển đổi số trong hoạt động của cơ quan nhà nước năm 2027"
                )
            else:
                outgoing = self.local_draft(
                    local, "CONG_VAN", "", "V/v rà soát hồ sơ thủ tục hành chính tồn đọng tại bộ phận một cửa"
                )
                self.local_draft(
                    local, "BC", "BÁO CÁO", "Báo cáo kết quả giải quyết thủ tục hành chính tháng 11 năm 2026"
                )
            outgoing_submit(
                outgoing=outgoing,
                actor=drafter,
                now=self.at(),
                steps=[StepInput(kind=StepKind.APPROVAL, assignee_id=signer.pk, ordinal=1, working_days=1)],
            )

    def local_draft(self, local: _LocalDrafts, code: str, type_title: str, subject: str) -> Outgoing:
        """A draft of a people's committee, signed "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH"."""
        return outgoing_create(
            agency=local.agency,
            document_type=_type(code),
            subject=subject,
            actor=local.drafter,
            now=self.at(),
            signer=local.signer,
            signer_authority="TM",
            signer_position="Chủ tịch",
            signer_name=local.signer.full_name,
            recipients=_recipients("STC") if local.agency.parent_id is None else _recipients("UBND"),
            main=_pdf(
                subject=subject,
                type_title=type_title,
                signer=local.signer,
                title="TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH",
                agency_name=local.agency_line,
            ),
        )


@dataclass
class _LocalDrafts:
    agency: Agency
    drafter: Person
    signer: Person
    agency_line: str


def demo_outgoing_load(*, now: datetime) -> None:
    finance = _finance()
    if finance is None or Outgoing.objects.filter(agency=finance.agency).exists():
        return
    _Loader(finance, now).load()


def on_demo_province_loaded(sender: object, *, now: datetime, with_passwords: bool, **kwargs: object) -> None:
    """Receiver of ``vanthu.org.signals.demo_province_loaded``."""
    demo_outgoing_load(now=now)
