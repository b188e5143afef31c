"""The incoming part of the demo province (loaded when ``vanthu.org.demo.demo_load`` sends
``demo_province_loaded``, after the outgoing part, whose issued documents already arrived at UBND
tỉnh, Sở KH&CN and Phường Hạc Thành): incoming documents in several states, so the registry, the
leaders, the unit heads and the officers of the demo each find work in their queues.

- Sở KH&CN: the Quyết định of Sở Tài chính registered, directed by the Director to Phòng Chuyển đổi
  số (lead), Phòng Bưu chính, Viễn thông (co-operating) and the Văn phòng (for information) within
  5 working days, assigned by the unit head to an officer who reported progress; the other arrival
  awaits registration; a document of the Ministry received by upload, directed 10 days ago with
  3 working days and now overdue; another one handled and completed; a paper invitation scanned
  this morning, awaiting registration.
- Sở Tài chính: a guidance of the Ministry of Finance, directed three days ago to the budget unit
  (lead, assigned to its officer) and the office (for information), due within days.
- Phường Hạc Thành: a paper letter of the power company, scanned two days ago (OCR gives it its
  Vietnamese text layer in the background), registered and directed to the ward's officer; one
  arrival registered and directed by the Chairman to the officer, the other awaiting registration.
- UBND tỉnh: one arrival registered, awaiting the Chairman's direction.

Everything goes through the services, acted by the demo people, with earlier ``now`` values for the
older steps. The scans are drawn at 200 dpi (one page each), so their OCR takes seconds. Loaded
once: if Sở KH&CN already has a registered (or later) incoming document, nothing is added."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from vanthu.core.text import fold
from vanthu.documents.models import DocumentType
from vanthu.documents.scan_pages import render_page
from vanthu.documents.uploads import Upload
from vanthu.incoming.models import AssignmentRole
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import IncomingStatus
from vanthu.incoming.services.direction import AssignmentInput
from vanthu.incoming.services.direction import incoming_assign
from vanthu.incoming.services.direction import incoming_direct
from vanthu.incoming.services.handling import incoming_complete
from vanthu.incoming.services.handling import incoming_report
from vanthu.incoming.services.receipt import incoming_receive_electronic
from vanthu.incoming.services.receipt import incoming_receive_paper
from vanthu.incoming.services.registration import incoming_register
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.org.models import Unit
from vanthu.signing.testing import pdfs

MINISTRY = "Bộ Khoa học và Công nghệ"
MINISTRY_CODE = "000.00.00.G13"
SCAN_DPI = 200  # an office scanner's usual setting, the lowest the digitisation accepts
POWER_COMPANY = "Công ty Điện lực Thanh Hóa"
POWER_LETTER = (
    "Thực hiện kế hoạch bảo dưỡng, sửa chữa lưới điện trung áp năm 2026, Công ty Điện lực Thanh Hóa "
    "trân trọng thông báo lịch tạm ngừng cung cấp điện trên địa bàn phường Hạc Thành như sau: từ 07 giờ 30 "
    "đến 16 giờ 30 ngày thứ Bảy, khu vực các phố Lê Lợi, Trần Phú, Hàng Đồng và khu dân cư lân cận.\n"
    "Đề nghị Ủy ban nhân dân phường thông báo rộng rãi để nhân dân, các cơ quan, doanh nghiệp trên địa bàn "
    "chủ động sắp xếp sản xuất, sinh hoạt. Công ty Điện lực Thanh Hóa rất mong nhận được sự phối hợp của "
    "Quý cơ quan."
)
FARMERS_UNION = "Hội Nông dân tỉnh Thanh Hóa"
FARMERS_LETTER = (
    "Hội Nông dân tỉnh Thanh Hóa trân trọng kính mời đại diện lãnh đạo Sở Khoa học và Công nghệ dự Hội nghị "
    "tập huấn ứng dụng công nghệ số trong sản xuất, tiêu thụ nông sản cho hội viên nông dân.\n"
    "Thời gian: 08 giờ 00, thứ Năm. Địa điểm: Hội trường Hội Nông dân tỉnh, số 27 đường Hạc Thành, "
    "phường Hạc Thành, tỉnh Thanh Hóa. Rất mong đại biểu đến dự đúng giờ."
)


def _slug(abbreviation: str) -> str:
    return fold(abbreviation).replace(" ", "").lower()


def _person(username: str) -> Person | None:
    return Person.objects.filter(username=username).first()


def _agency(abbreviation: str, *, root: bool = False) -> Agency | None:
    agencies = Agency.objects.filter(abbreviation=abbreviation, valid_to__isnull=True)
    agencies = agencies.filter(parent__isnull=True) if root else agencies.filter(parent__isnull=False)
    return agencies.order_by("id").first()


def _unit(agency: Agency, abbreviation: str) -> Unit | None:
    return Unit.objects.filter(agency=agency, abbreviation=abbreviation).first()


def _type(code: str) -> DocumentType:
    return DocumentType.objects.get(code=code, agency__isnull=True)


def _arrivals(agency: Agency) -> list[Incoming]:
    """The arrivals of ``agency`` awaiting registration (without a pending recall), the oldest first."""
    return list(
        Incoming.objects.filter(agency=agency, status=IncomingStatus.ARRIVED, recall_requested_at__isnull=True)
        .select_related("document__document_type")
        .order_by("received_at", "id")
    )


def _arrival_of_type(agency: Agency, code: str) -> Incoming | None:
    return next((item for item in _arrivals(agency) if item.document.document_type.code == code), None)


def _scan(name: str, heading: str, text: str) -> Upload:
    """A paper letter as the clerk's scanner gives it (one greyscale page; OCR makes it searchable)."""
    return Upload(name=name, content=io.BytesIO(render_page(text, heading=heading, dpi=SCAN_DPI)))


def _ministry_pdf(
    subject: str,
    type_title: str,
    *,
    ministry: str = "BỘ KHOA HỌC VÀ CÔNG NGHỆ",
    signer_name: str = "Nguyễn Mạnh Hùng",
    file_name: str = "van-ban-bo-khcn.pdf",
) -> Upload:
    data = pdfs.decision_pdf(
        signer_name=signer_name,
        signer_title="KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG",
        subject=subject,
        type_title=type_title,
        agency_name=ministry,
        parent_name="",
        issuer_line=f"BỘ TRƯỞNG {ministry}",
        number_placeholder="",
        pages=1,
    )
    return Upload(name=file_name, content=io.BytesIO(data))


@dataclass(frozen=True)
class _Science:
    """Sở KH&CN, its units and its demo people."""

    agency: Agency
    digital: Unit
    posts: Unit
    office: Unit
    clerk: Person
    director: Person
    deputy: Person
    digital_head: Person
    digital_officer: Person
    posts_head: Person
    posts_officer: Person
    office_head: Person


def _science(agency: Agency) -> _Science | None:
    """Sở KH&CN with its units and people, or None when the demo province lacks one of them."""
    slug = _slug(agency.abbreviation)
    units = {"digital": "CĐS", "posts": "BCVT", "office": "VP"}
    people = {
        "clerk": f"vanthu.{slug}",
        "director": f"giamdoc.{slug}",
        "deputy": f"phogiamdoc.{slug}",
        "digital_head": f"truongphong.{_slug('CĐS')}.{slug}",
        "digital_officer": f"chuyenvien.{_slug('CĐS')}.{slug}",
        "posts_head": f"truongphong.{_slug('BCVT')}.{slug}",
        "posts_officer": f"chuyenvien.{_slug('BCVT')}.{slug}",
        "office_head": f"truongphong.{_slug('VP')}.{slug}",
    }
    found: dict[str, Unit | Person | None] = {key: _unit(agency, value) for key, value in units.items()}
    found |= {key: _person(value) for key, value in people.items()}
    if any(value is None for value in found.values()):
        return None
    return _Science(agency=agency, **found)  # type: ignore[arg-type]


class _Loader:
    def __init__(self, now: datetime) -> None:
        self.now = now
        self.tick = 0

    def at(self, minutes: int = 9) -> datetime:
        """Today's steps, a few minutes apart, ending before ``now``."""
        self.tick += minutes
        return self.now - timedelta(hours=5) + timedelta(minutes=self.tick)

    def days_ago(self, days: int, hour_offset: int = 0) -> datetime:
        return self.now - timedelta(days=days) + timedelta(hours=hour_offset)

    # --- Sở KH&CN ---------------------------------------------------------------------------------

    def science(self, s: _Science) -> None:
        # Older ones first, so the arrival numbers follow the arrival dates.
        overdue = incoming_receive_electronic(
            agency=s.agency,
            main=_ministry_pdf("Về việc báo cáo kết quả chuyển đổi số năm 2026", "CÔNG VĂN"),
            actor=s.clerk,
            now=self.days_ago(12),
            document_type=_type("CONG_VAN"),
            subject="V/v báo cáo kết quả thực hiện chuyển đổi số, phát triển hạ tầng bưu chính năm 2026",
            number=1875,
            symbol="BKHCN-VP",
            issuer_name=MINISTRY,
            issuer_code=MINISTRY_CODE,
            signer_name="Nguyễn Mạnh Hùng",
            signer_position="Thứ trưởng",
            page_count=1,
        )
        incoming_register(incoming=overdue, actor=s.clerk, now=self.days_ago(12, 1))
        incoming_direct(
            incoming=overdue,
            actor=s.deputy,
            now=self.days_ago(10),
            instruction="Giao Phòng Bưu chính, Viễn thông tổng hợp, tham mưu báo cáo Bộ đúng hạn.",
            assignments=[AssignmentInput(role=AssignmentRole.LEAD, unit_id=s.posts.pk)],
            due_working_days=3,
        )
        unit_part = overdue.assignments.get(unit=s.posts, person__isnull=True)
        incoming_assign(
            incoming=overdue,
            parent=unit_part,
            person=s.posts_officer,
            actor=s.posts_head,
            now=self.days_ago(10, 2),
            instruction="Đồng chí tổng hợp số liệu các doanh nghiệp bưu chính, dự thảo báo cáo.",
        )

        done = incoming_receive_electronic(
            agency=s.agency,
            main=_ministry_pdf("Về việc cử cán bộ tham dự hội nghị trực tuyến", "CÔNG VĂN"),
            actor=s.clerk,
            now=self.days_ago(8),
            document_type=_type("CONG_VAN"),
            subject="V/v cử cán bộ tham dự Hội nghị trực tuyến về an toàn thông tin mạng",
            number=1902,
            symbol="BKHCN-CATTT",
            issuer_name=MINISTRY,
            issuer_code=MINISTRY_CODE,
            page_count=1,
        )
        incoming_register(incoming=done, actor=s.clerk, now=self.days_ago(8, 1))
        incoming_direct(
            incoming=done,
            actor=s.director,
            now=self.days_ago(7),
            instruction="Văn phòng cử cán bộ tham dự, báo cáo kết quả.",
            assignments=[AssignmentInput(role=AssignmentRole.LEAD, unit_id=s.office.pk)],
            due_working_days=5,
        )
        incoming_complete(
            incoming=done,
            actor=s.office_head,
            now=self.days_ago(4),
            result="Đã cử 02 cán bộ tham dự hội nghị; đã báo cáo Giám đốc kết quả.",
        )

        self.science_arrivals(s)
        # A paper invitation, scanned this morning: waits in "Chờ vào sổ" (its text layer is read by OCR).
        incoming_receive_paper(
            agency=s.agency,
            scans=[_scan("giay-moi-hoi-nong-dan.png", "GIẤY MỜI", FARMERS_LETTER)],
            actor=s.clerk,
            now=self.at(),
            document_type=_type("GM"),
            subject="Giấy mời dự Hội nghị tập huấn ứng dụng công nghệ số trong sản xuất, tiêu thụ nông sản",
            number=86,
            symbol="GM-HND",
            issuer_name=FARMERS_UNION,
            page_count=1,
        )

    def science_arrivals(self, s: _Science) -> None:
        """The Quyết định of Sở Tài chính: registered, directed, assigned, in progress."""
        decision = _arrival_of_type(s.agency, "QĐ")
        if decision is None:
            return
        incoming_register(incoming=decision, actor=s.clerk, now=self.at())
        incoming_direct(
            incoming=decision,
            actor=s.director,
            now=self.at(),
            instruction=(
                "Giao Phòng Chuyển đổi số chủ trì, phối hợp Phòng Bưu chính, Viễn thông triển khai thực hiện; "
                "Văn phòng biết, theo dõi."
            ),
            assignments=[
                AssignmentInput(role=AssignmentRole.LEAD, unit_id=s.digital.pk),
                AssignmentInput(role=AssignmentRole.COOPERATE, unit_id=s.posts.pk),
                AssignmentInput(role=AssignmentRole.INFORM, unit_id=s.office.pk),
            ],
            due_working_days=5,
        )
        lead = decision.assignments.get(unit=s.digital, person__isnull=True)
        incoming_assign(
            incoming=decision,
            parent=lead,
            person=s.digital_officer,
            actor=s.digital_head,
            now=self.at(),
            instruction="Đồng chí rà soát dự toán được giao, đề xuất phân bổ kinh phí chuyển đổi số.",
        )
        incoming_report(
            incoming=decision,
            actor=s.digital_officer,
            now=self.at(),
            text="Đã rà soát dự toán được giao; đang lấy ý kiến Phòng Bưu chính, Viễn thông về phương án phân bổ.",
        )

    # --- Sở Tài chính ---------------------------------------------------------------------------------

    def finance(self) -> None:
        """A guidance of the Ministry of Finance: directed to the budget unit (lead) and the office (for
        information), assigned to the unit's officer, due within the reminder window."""
        agency = _agency("STC")
        if agency is None:
            return
        budget, office = _unit(agency, "QLNS"), _unit(agency, "VP")
        clerk, director = _person("vanthu.stc"), _person("giamdoc.stc")
        head, officer = _person("truongphong.qlns.stc"), _person("chuyenvien.qlns.stc")
        if budget is None or office is None or clerk is None or director is None or head is None or officer is None:
            return
        guidance = incoming_receive_electronic(
            agency=agency,
            main=_ministry_pdf(
                "Về việc hướng dẫn xây dựng dự toán ngân sách nhà nước năm 2027",
                "CÔNG VĂN",
                ministry="BỘ TÀI CHÍNH",
                signer_name="Bùi Văn Khắng",
                file_name="van-ban-bo-tai-chinh.pdf",
            ),
            actor=clerk,
            now=self.days_ago(3),
            document_type=_type("CONG_VAN"),
            subject="V/v hướng dẫn xây dựng dự toán ngân sách nhà nước năm 2027 và kế hoạch tài chính 03 năm",
            number=10562,
            symbol="BTC-NSNN",
            issuer_name="Bộ Tài chính",
            issuer_code="000.00.00.G12",
            signer_name="Bùi Văn Khắng",
            signer_position="Thứ trưởng",
            page_count=1,
        )
        incoming_register(incoming=guidance, actor=clerk, now=self.days_ago(3, 1))
        incoming_direct(
            incoming=guidance,
            actor=director,
            now=self.days_ago(3, 3),
            instruction=(
                "Giao Phòng Quản lý Ngân sách chủ trì hướng dẫn các đơn vị dự toán và UBND cấp xã xây dựng dự toán "
                "năm 2027; Văn phòng biết, theo dõi."
            ),
            assignments=[
                AssignmentInput(role=AssignmentRole.LEAD, unit_id=budget.pk),
                AssignmentInput(role=AssignmentRole.INFORM, unit_id=office.pk),
            ],
            due_working_days=4,
        )
        incoming_assign(
            incoming=guidance,
            parent=guidance.assignments.get(unit=budget, person__isnull=True),
            person=officer,
            actor=head,
            now=self.days_ago(2),
            instruction="Đồng chí dự thảo văn bản hướng dẫn, trình trước hạn.",
        )

    # --- Phường Hạc Thành and UBND tỉnh -------------------------------------------------------------

    def ward(self) -> None:
        agency = _agency("HT")
        if agency is None:
            return
        clerk, chairman, officer = _person("vanthu.ht"), _person("chutich.ht"), _person("chuyenvien.ht")
        decision = _arrival_of_type(agency, "QĐ")
        if decision is None or clerk is None or chairman is None or officer is None:
            return
        # Older first: a paper letter of the power company, scanned, registered and given to the officer.
        power = incoming_receive_paper(
            agency=agency,
            scans=[_scan("thong-bao-ngung-cap-dien.png", "THÔNG BÁO LỊCH TẠM NGỪNG CUNG CẤP ĐIỆN", POWER_LETTER)],
            actor=clerk,
            now=self.days_ago(2),
            document_type=_type("CONG_VAN"),
            subject="V/v thông báo lịch tạm ngừng cung cấp điện để bảo dưỡng lưới điện trên địa bàn phường",
            number=4127,
            symbol="PCTH-KT",
            issuer_name=POWER_COMPANY,
            page_count=1,
        )
        incoming_register(incoming=power, actor=clerk, now=self.days_ago(2, 1))
        incoming_direct(
            incoming=power,
            actor=chairman,
            now=self.days_ago(1),
            instruction=(
                "Giao chuyên viên thông báo trên hệ thống loa truyền thanh và trang thông tin điện tử của phường."
            ),
            assignments=[AssignmentInput(role=AssignmentRole.LEAD, person_id=officer.pk)],
            due_working_days=1,
        )
        incoming_register(incoming=decision, actor=clerk, now=self.at())
        incoming_direct(
            incoming=decision,
            actor=chairman,
            now=self.at(),
            instruction="Giao đồng chí chuyên viên Phòng Kinh tế tham mưu triển khai, báo cáo kết quả.",
            assignments=[AssignmentInput(role=AssignmentRole.LEAD, person_id=officer.pk)],
            due_working_days=5,
        )

    def province(self) -> None:
        agency = _agency("UBND", root=True)
        clerk = _person("vanthu.ubnd")
        if agency is None or clerk is None:
            return
        decision = _arrival_of_type(agency, "QĐ")
        if decision is not None:
            incoming_register(incoming=decision, actor=clerk, now=self.at())


def demo_incoming_load(*, now: datetime) -> None:
    """Load the incoming documents of the demo province (once)."""
    agency = _agency("SKHCN")
    if agency is None:
        return
    if Incoming.objects.filter(agency=agency).exclude(status=IncomingStatus.ARRIVED).exists():
        return
    science = _science(agency)
    if science is None:
        return
    loader = _Loader(now)
    loader.science(science)
    loader.finance()
    loader.ward()
    loader.province()


def on_demo_province_loaded(sender: object, *, now: datetime, with_passwords: bool, **kwargs: object) -> None:
    """Receiver of ``vanthu.org.signals.demo_province_loaded`` (after the outgoing part's)."""
    demo_incoming_load(now=now)
