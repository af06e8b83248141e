"""The demo's tables: partner enterprises, suppliers (name, region code) and the product templates the
demo certifies and lists. ``catalog.demo`` loads them; ``bench.generate`` borrows the templates' words.
"""

from dataclasses import dataclass

from certification.models import Region

PARTNERS = [
    ("한빛전자", "Hanbit Electronics", "41"),
    ("대성중공업", "Daesung Heavy Industries", "48"),
    ("미래통신", "Mirae Telecom", "11"),
    ("동해건설", "Donghae E&C", "26"),
    ("새솔에너지", "Saesol Energy", "31"),
    ("누리소프트", "Nuri Soft", "11"),
]
SUPPLIERS = [
    ("가온조명", "11"),
    ("푸른공기", "41"),
    ("한결가구", "43"),
    ("다온시스템", "30"),
    ("세움안전", "28"),
    ("바른환경", "44"),
    ("이룸건축", "27"),
    ("하늘정보통신", "29"),
    ("온누리클린", "26"),
    ("새빛에너지", "47"),
    ("미르보안", "11"),
    ("참좋은급식", "46"),
    ("나래기술", "48"),
    ("든든설비", "52"),
    ("한울교육", "36"),
]


@dataclass(frozen=True)
class ProductTemplate:
    sector: str
    code: str
    name: str
    name_en: str
    unit: str
    price: tuple[int, int]
    specs: tuple[str, ...]
    keywords: str


TEMPLATES = [
    ProductTemplate(
        "goods",
        "3911160501",
        "LED 평판조명",
        "LED flat panel light",
        "EA",
        (80_000, 240_000),
        ("640x640mm 40W", "1280x320mm 50W", "600x600mm 36W 조광형"),
        "LED,조명,절전,평판등",
    ),
    ProductTemplate(
        "goods",
        "3910162801",
        "LED 투광등",
        "LED floodlight",
        "EA",
        (150_000, 900_000),
        ("100W IP66", "200W IP66", "300W 스마트제어"),
        "LED,투광등,가로등",
    ),
    ProductTemplate(
        "goods",
        "4016150501",
        "공기청정기",
        "Air purifier",
        "EA",
        (300_000, 2_500_000),
        ("교실용 66㎡ H13 헤파", "사무실용 99㎡ IoT", "다중이용시설용 150㎡"),
        "공기청정기,미세먼지,헤파필터",
    ),
    ProductTemplate(
        "goods",
        "4010170101",
        "시스템 냉난방기",
        "System air conditioner",
        "SET",
        (1_800_000, 7_500_000),
        ("천장형 4방향 18kW", "스탠드형 15kW 인버터"),
        "냉난방기,에어컨,인버터",
    ),
    ProductTemplate(
        "goods",
        "5610170301",
        "학생용 책상",
        "Student desk",
        "EA",
        (90_000, 260_000),
        ("높이조절 1인용 700x500", "2인용 1200x500"),
        "책상,학생,교구",
    ),
    ProductTemplate(
        "goods",
        "5610150401",
        "사무용 의자",
        "Office chair",
        "EA",
        (120_000, 480_000),
        ("메쉬 등받이 팔걸이형", "인체공학 헤드레스트형"),
        "의자,사무용,인체공학",
    ),
    ProductTemplate(
        "goods",
        "4617161001",
        "지능형 CCTV 카메라",
        "Intelligent CCTV camera",
        "EA",
        (350_000, 1_900_000),
        ("4MP 적외선 IP67", "8MP AI 객체인식"),
        "CCTV,감시카메라,영상분석",
    ),
    ProductTemplate(
        "goods",
        "3912101101",
        "무정전전원장치",
        "UPS",
        "EA",
        (900_000, 12_000_000),
        ("3kVA 온라인", "10kVA 리튬배터리"),
        "UPS,무정전,전원",
    ),
    ProductTemplate(
        "goods",
        "4619160101",
        "자동소화장치",
        "Automatic fire extinguisher",
        "EA",
        (60_000, 450_000),
        ("주방용 K급", "전기실용 가스식"),
        "소화기,소방,안전",
    ),
    ProductTemplate(
        "goods",
        "4322261201",
        "네트워크 스위치",
        "Network switch",
        "EA",
        (400_000, 6_000_000),
        ("L2 24포트 PoE", "L3 48포트 10G"),
        "스위치,네트워크,PoE",
    ),
    ProductTemplate(
        "services",
        "8111150001",
        "공공 SW 개발 용역",
        "Public software development",
        "MM",
        (7_000_000, 12_000_000),
        ("웹 표준 준수 전자정부프레임워크", "클라우드 네이티브 전환"),
        "소프트웨어,개발,클라우드",
    ),
    ProductTemplate(
        "services",
        "8111220001",
        "정보시스템 유지관리",
        "IT system maintenance",
        "월",
        (3_000_000, 15_000_000),
        ("서버·DB 유지관리 월 정기점검", "보안관제 포함 24시간"),
        "유지보수,정보시스템,보안",
    ),
    ProductTemplate(
        "services",
        "7611150101",
        "공공청사 청소 용역",
        "Public building cleaning",
        "월",
        (8_000_000, 30_000_000),
        ("연면적 1만㎡ 기준", "친환경 세제 사용"),
        "청소,미화,시설관리",
    ),
    ProductTemplate(
        "services",
        "9010160001",
        "학교 급식 위탁 용역",
        "School catering",
        "식",
        (3_500, 6_000),
        ("1식 기준 영양사 배치", "친환경 식재료"),
        "급식,학교,위탁",
    ),
    ProductTemplate(
        "services",
        "8611160001",
        "직무 교육훈련",
        "Job training",
        "건",
        (1_500_000, 9_000_000),
        ("공무원 디지털 역량 40시간", "안전관리자 실무과정"),
        "교육,훈련,역량강화",
    ),
    ProductTemplate(
        "construction",
        "CS02",
        "학교 실내건축 공사",
        "School interior works",
        "식",
        (30_000_000, 400_000_000),
        ("교실 리모델링 표준안", "도서관 환경개선"),
        "실내건축,리모델링,학교",
    ),
    ProductTemplate(
        "construction",
        "CE01",
        "태양광 발전설비 공사",
        "Solar power installation",
        "식",
        (50_000_000, 900_000_000),
        ("옥상형 100kW", "주차장 캐노피형 200kW"),
        "태양광,신재생,전기공사",
    ),
    ProductTemplate(
        "construction",
        "CE02",
        "스마트 방송설비 공사",
        "Smart PA system works",
        "식",
        (20_000_000, 150_000_000),
        ("학교 디지털 방송", "재난 경보 연동"),
        "방송,정보통신,재난",
    ),
    ProductTemplate(
        "construction",
        "CS08",
        "상수도 관로 개량 공사",
        "Water main rehabilitation",
        "m",
        (150_000, 600_000),
        ("PE관 D100~D300", "비굴착 갱생"),
        "상수도,관로,갱생",
    ),
]

# in code order, so the seeded random picks stay the same whatever order the region table lists
REGIONS = sorted(Region.values)
