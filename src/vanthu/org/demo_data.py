"""The demo province "Tỉnh Thanh Hóa": agencies, units and titles as plain data.

Codes follow QCVN 102:2016 (``000.00.00.H56`` is the Provincial People's Committee). The
department and commune codes below are illustrative for the demo, not the official list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

PLACE = "Thanh Hóa"
PROVINCE = ("Ủy ban nhân dân tỉnh Thanh Hóa", "UBND", "000.00.00.H56")
LOCAL_GOVERNMENT_REFORM = date(2025, 7, 1)
HISTORY_START = date(2015, 1, 1)

# (name, abbreviation, kind, level-2 code)
PROVINCIAL_AGENCIES = [
    ("Văn phòng Ủy ban nhân dân tỉnh", "VPUBND", "PROVINCE_BODY", "01"),
    ("Sở Tài chính", "STC", "DEPARTMENT", "02"),
    ("Sở Nội vụ", "SNV", "DEPARTMENT", "03"),
    ("Sở Tư pháp", "STP", "DEPARTMENT", "04"),
    ("Sở Công Thương", "SCT", "DEPARTMENT", "05"),
    ("Sở Giáo dục và Đào tạo", "SGDĐT", "DEPARTMENT", "06"),
    ("Sở Y tế", "SYT", "DEPARTMENT", "07"),
    ("Sở Khoa học và Công nghệ", "SKHCN", "DEPARTMENT", "08"),
    ("Sở Nông nghiệp và Môi trường", "SNNMT", "DEPARTMENT", "09"),
    ("Sở Xây dựng", "SXD", "DEPARTMENT", "10"),
    ("Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL", "DEPARTMENT", "11"),
    ("Sở Dân tộc và Tôn giáo", "SDTTG", "DEPARTMENT", "12"),
    ("Sở Ngoại vụ", "SNgV", "DEPARTMENT", "13"),
    ("Thanh tra tỉnh", "TTr", "PROVINCE_BODY", "14"),
    ("Ban Quản lý Khu kinh tế Nghi Sơn và các khu công nghiệp", "BQLKKTNS", "PROVINCE_BODY", "15"),
    ("Trung tâm Phục vụ hành chính công tỉnh", "TTPVHCC", "PUBLIC_SERVICE_UNIT", "16"),
]

# Units of every department: (name, abbreviation)
DEPARTMENT_UNITS = [
    ("Văn phòng", "VP"),
    ("Phòng Kế hoạch - Tài chính", "KHTC"),
    ("Thanh tra", "TTr"),
]
SPECIAL_UNITS = {
    "STC": [("Phòng Quản lý Ngân sách", "QLNS"), ("Phòng Quản lý Giá và Công sản", "QLGCS")],
    "SNV": [("Phòng Tổ chức - Biên chế", "TCBC"), ("Phòng Cải cách hành chính", "CCHC")],
    "SKHCN": [("Phòng Chuyển đổi số", "CĐS"), ("Phòng Bưu chính, Viễn thông", "BCVT")],
    "VPUBND": [("Phòng Hành chính - Tổ chức", "HCTC"), ("Phòng Tổng hợp", "TH"), ("Phòng Kinh tế", "KT")],
    "SYT": [("Phòng Nghiệp vụ Y", "NVY")],
    "SGDĐT": [("Phòng Giáo dục phổ thông", "GDPT")],
}

# Communes and wards of the two-level local government (from 1 July 2025): (name, abbreviation, kind, level-3 code)
COMMUNES = [
    ("Phường Hạc Thành", "HT", "WARD", "01"),
    ("Phường Hàm Rồng", "HR", "WARD", "02"),
    ("Phường Nguyệt Viên", "NV", "WARD", "03"),
    ("Phường Đông Quang", "ĐQ", "WARD", "04"),
    ("Phường Quảng Phú", "QP", "WARD", "05"),
    ("Phường Sầm Sơn", "SS", "WARD", "06"),
    ("Phường Nam Sầm Sơn", "NSS", "WARD", "07"),
    ("Phường Bỉm Sơn", "BS", "WARD", "08"),
    ("Phường Quang Trung", "QT", "WARD", "09"),
    ("Phường Nghi Sơn", "NS", "WARD", "10"),
    ("Xã Thọ Xuân", "TX", "COMMUNE", "11"),
    ("Xã Triệu Sơn", "TS", "COMMUNE", "12"),
    ("Xã Hoằng Hóa", "HH", "COMMUNE", "13"),
    ("Xã Hậu Lộc", "HL", "COMMUNE", "14"),
]
COMMUNE_GROUP = "50"  # level-2 group used for the demo communes' codes: 000.<nn>.50.H56
COMMUNE_UNITS = [
    ("Văn phòng HĐND và UBND", "VP"),
    ("Phòng Kinh tế", "PKT"),
    ("Phòng Văn hóa - Xã hội", "PVHXH"),
    ("Trung tâm Phục vụ hành chính công", "TTPVHCC"),
]

# Bodies that existed before 1 July 2025. (name, abbreviation, kind, code, successor abbreviation,
# [(old ward/commune name, abbreviation, code)]) — the old wards merge first, then the district.
HISTORICAL_DISTRICTS = [
    (
        "Ủy ban nhân dân thành phố Thanh Hóa",
        "UBNDTPTH",
        "DISTRICT",
        "000.00.20.H56",
        "HT",
        [
            ("Phường Điện Biên", "ĐB", "000.01.20.H56"),
            ("Phường Lam Sơn", "LS", "000.02.20.H56"),
            ("Phường Ba Đình", "BĐ", "000.03.20.H56"),
            ("Phường Hàm Rồng (cũ)", "HRC", "000.04.20.H56"),
        ],
    ),
    (
        "Ủy ban nhân dân thành phố Sầm Sơn",
        "UBNDTPSS",
        "DISTRICT",
        "000.00.21.H56",
        "SS",
        [("Phường Trường Sơn", "TrS", "000.01.21.H56"), ("Phường Bắc Sơn", "BSn", "000.02.21.H56")],
    ),
    (
        "Ủy ban nhân dân thị xã Bỉm Sơn",
        "UBNDTXBS",
        "DISTRICT",
        "000.00.22.H56",
        "BS",
        [("Phường Ba Đình (Bỉm Sơn)", "BĐBS", "000.01.22.H56")],
    ),
    (
        "Ủy ban nhân dân huyện Thọ Xuân",
        "UBNDHTX",
        "DISTRICT",
        "000.00.23.H56",
        "TX",
        [("Thị trấn Thọ Xuân", "TTTX", "000.01.23.H56"), ("Xã Xuân Hồng", "XH", "000.02.23.H56")],
    ),
]

POSITIONS = [
    ("Chủ tịch", 10),
    ("Phó Chủ tịch", 20),
    ("Chánh Văn phòng", 30),
    ("Giám đốc", 30),
    ("Phó Giám đốc", 40),
    ("Chánh Thanh tra", 40),
    ("Trưởng phòng", 50),
    ("Phó Trưởng phòng", 60),
    ("Chuyên viên", 80),
    ("Văn thư", 85),
    ("Lưu trữ viên", 86),
    ("Công chức một cửa", 87),
    ("Thanh tra viên", 88),
    ("Quản trị hệ thống", 90),
]

# In these agencies the head is not called "Giám đốc".
TITLES_IN_AGENCY = {("VPUBND", "Giám đốc"): "Chánh Văn phòng", ("TTr", "Giám đốc"): "Chánh Thanh tra"}


@dataclass(frozen=True)
class DemoStaff:
    """One account of the demo, made for every agency (or unit) the row applies to.

    ``username`` may name the agency and the unit (``{agency}``, ``{unit}``: their folded
    abbreviations). ``full_name`` and ``describe`` (the account's line in the list printed after
    loading) apply only in the showcase agency; elsewhere the name is drawn at random.
    ``unit`` is the index of the agency's unit the person works in."""

    username: str
    role: str
    position: str
    full_name: str | None = None
    describe: str | None = None
    unit: int | None = None
    staff: bool = False


PROVINCE_STAFF = [
    DemoStaff("quantri", "ADMIN", "Quản trị hệ thống", "Lê Minh Quản", "ADMIN — UBND tỉnh (toàn tỉnh)", staff=True),
    DemoStaff("chutich.ubnd", "AGENCY_LEADER", "Chủ tịch", "Nguyễn Đức Thanh", "AGENCY_LEADER — Chủ tịch UBND tỉnh"),
    DemoStaff("phochutich.ubnd", "AGENCY_LEADER", "Phó Chủ tịch"),
    DemoStaff("vanthu.ubnd", "CLERK", "Văn thư", "Trịnh Thị Thu Hà", "CLERK — Văn thư UBND tỉnh"),
    DemoStaff("luutru.ubnd", "ARCHIVIST", "Lưu trữ viên"),
]

# Every provincial agency; the showcase is Sở Tài chính (STC).
DEPARTMENT_STAFF = [
    DemoStaff(
        "giamdoc.{agency}",
        "AGENCY_LEADER",
        "Giám đốc",
        "Phạm Quang Huy",
        "AGENCY_LEADER — Giám đốc Sở Tài chính",
    ),
    DemoStaff(
        "phogiamdoc.{agency}",
        "AGENCY_LEADER",
        "Phó Giám đốc",
        "Hoàng Thị Ngọc Lan",
        "AGENCY_LEADER — Phó Giám đốc Sở Tài chính",
    ),
    DemoStaff("vanthu.{agency}", "CLERK", "Văn thư", "Đỗ Thị Hương", "CLERK — Văn thư Sở Tài chính"),
    DemoStaff("luutru.{agency}", "ARCHIVIST", "Lưu trữ viên", describe="ARCHIVIST — Lưu trữ Sở Tài chính"),
    DemoStaff("quantri.{agency}", "ADMIN", "Quản trị hệ thống"),
]

# Every unit of a provincial agency; the showcase is the first special unit of STC (Phòng Quản lý Ngân sách).
UNIT_STAFF = [
    DemoStaff(
        "truongphong.{unit}.{agency}",
        "UNIT_LEADER",
        "Trưởng phòng",
        "Vũ Văn Cường",
        "UNIT_LEADER — Trưởng phòng Quản lý Ngân sách, STC",
    ),
    DemoStaff(
        "chuyenvien.{unit}.{agency}",
        "OFFICER",
        "Chuyên viên",
        "Bùi Thị Mai Anh",
        "OFFICER — Chuyên viên Phòng Quản lý Ngân sách, STC",
    ),
    DemoStaff("chuyenvien2.{unit}.{agency}", "OFFICER", "Chuyên viên"),
]

# Every commune and ward; the showcase is Phường Hạc Thành (HT). Units as in COMMUNE_UNITS.
COMMUNE_STAFF = [
    DemoStaff(
        "chutich.{agency}",
        "AGENCY_LEADER",
        "Chủ tịch",
        "Lương Văn Sơn",
        "AGENCY_LEADER — Chủ tịch UBND phường Hạc Thành",
    ),
    DemoStaff("vanthu.{agency}", "CLERK", "Văn thư", describe="CLERK — Văn thư phường Hạc Thành"),
    DemoStaff("chuyenvien.{agency}", "OFFICER", "Chuyên viên", describe="OFFICER — phường Hạc Thành", unit=1),
    DemoStaff(
        "motcua.{agency}",
        "ONESTOP_OFFICER",
        "Công chức một cửa",
        describe="ONESTOP_OFFICER — Một cửa phường Hạc Thành",
        unit=3,
    ),
]

FAMILY_NAMES = [
    "Nguyễn",
    "Lê",
    "Trần",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đỗ",
    "Bùi",
    "Đặng",
    "Ngô",
    "Lê",
    "Trịnh",
    "Mai",
    "Hà",
    "Lương",
]
MIDDLE_NAMES_MALE = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Thanh", "Công", "Đình"]
MIDDLE_NAMES_FEMALE = ["Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Phương", "Thị Minh", "Thúy"]
GIVEN_NAMES_MALE = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hải",
    "Hùng",
    "Khánh",
    "Long",
    "Nam",
    "Phong",
    "Quân",
    "Sơn",
    "Thắng",
    "Tuấn",
    "Việt",
]
GIVEN_NAMES_FEMALE = [
    "Anh",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hoa",
    "Hương",
    "Lan",
    "Linh",
    "Mai",
    "Ngân",
    "Nhung",
    "Thảo",
    "Trang",
    "Yến",
]
