"""Company names and business registration numbers that look like the registry's.

Suppliers are SMEs named the way Korean SMEs are: a name word (한빛, 가온, 대성) and a trade word (조명,
퍼니처, 정보통신, 이앤씨), often with the legal form (주식회사, (주), ㈜). Some trade words are product
words too (체어, 에어, 클린): that is real, and it is what makes a company-name match look like a product
match. Partner enterprises are large companies from a fixed list.
"""

import random

from certification.validators import business_number_check_digit

# (Hangul, romanised) name words
NAME_WORDS = [
    ("한빛", "Hanbit"),
    ("가온", "Gaon"),
    ("대성", "Daesung"),
    ("세움", "Seum"),
    ("푸른", "Pureun"),
    ("한결", "Hangyeol"),
    ("다온", "Daon"),
    ("미르", "Mir"),
    ("누리", "Nuri"),
    ("새빛", "Saebit"),
    ("나래", "Narae"),
    ("든든", "Deunden"),
    ("온누리", "Onnuri"),
    ("하늘", "Haneul"),
    ("바른", "Bareun"),
    ("이룸", "Irum"),
    ("동양", "Dongyang"),
    ("삼정", "Samjung"),
    ("태성", "Taesung"),
    ("우리", "Woori"),
    ("한솔", "Hansol"),
    ("금강", "Geumgang"),
    ("대한", "Daehan"),
    ("경인", "Gyeongin"),
    ("영남", "Yeongnam"),
    ("호남", "Honam"),
    ("중앙", "Jungang"),
    ("신성", "Shinsung"),
    ("일진", "Iljin"),
    ("동아", "Donga"),
    ("정우", "Jungwoo"),
    ("보광", "Bokwang"),
    ("청솔", "Cheongsol"),
    ("해오름", "Haeoreum"),
    ("다산", "Dasan"),
    ("에코", "Eco"),
    ("그린", "Green"),
    ("스마트", "Smart"),
    ("제일", "Jeil"),
    ("성진", "Sungjin"),
    ("대명", "Daemyung"),
    ("한마음", "Hanmaeum"),
    ("은하", "Eunha"),
    ("솔빛", "Solbit"),
    ("아름", "Areum"),
    ("한울", "Hanul"),
    ("큰길", "Keungil"),
    ("서광", "Seogwang"),
    ("유진", "Yujin"),
    ("세종", "Sejong"),
    ("백두", "Baekdu"),
    ("한라", "Halla"),
    ("동진", "Dongjin"),
    ("명성", "Myungsung"),
    ("태양", "Taeyang"),
    ("코리아", "Korea"),
    ("케이", "K"),
    ("지엘", "GL"),
    ("에스티", "ST"),
    ("제이에스", "JS"),
]
# the trade words companies of a trade put after their name word: (Hangul, English)
TRADES: dict[str, list[tuple[str, str]]] = {
    "lighting": [("조명", "Lighting"), ("라이팅", "Lighting"), ("전기", "Electric"), ("엘이디", "LED")],
    "air": [("에어", "Air"), ("공조", "HVAC"), ("환경", "Environment"), ("에어텍", "Airtech")],
    "it": [("정보통신", "ICT"), ("시스템", "Systems"), ("테크", "Tech"), ("아이티", "IT")],
    "security": [("보안", "Security"), ("시큐리티", "Security"), ("텔레콤", "Telecom"), ("비전", "Vision")],
    "fire": [("소방", "Fire"), ("방재", "Fire Safety"), ("안전", "Safety")],
    "cleaning": [("클린", "Clean"), ("환경", "Environment"), ("크린텍", "Cleantech")],
    "appliance": [("전자", "Electronics"), ("가전", "Appliance"), ("냉동", "Refrigeration")],
    "furniture": [("가구", "Furniture"), ("퍼니처", "Furniture"), ("체어", "Chair"), ("디자인", "Design")],
    "power": [("에너지", "Energy"), ("파워", "Power"), ("전력", "Power"), ("전지", "Battery")],
    "materials": [("산업", "Industries"), ("소재", "Materials"), ("화학", "Chemical"), ("철강", "Steel")],
    "vehicle": [("모빌리티", "Mobility"), ("모터스", "Motors"), ("자동차", "Auto")],
    "measure": [("계측", "Instruments"), ("사이언스", "Science"), ("기기", "Instruments")],
    "safety": [("안전", "Safety"), ("세이프", "Safe"), ("메디칼", "Medical")],
    "it_services": [("소프트", "Soft"), ("정보기술", "IT"), ("아이앤씨", "I&C"), ("데이터", "Data")],
    "engineering": [("엔지니어링", "Engineering"), ("기술단", "Engineering"), ("종합기술", "Engineering")],
    "facility": [("시설관리", "Facility"), ("에프엠", "FM"), ("설비", "Facilities")],
    "guard": [("경비", "Guard"), ("시큐리티", "Security"), ("안전관리", "Safety")],
    "education": [("교육", "Education"), ("에듀", "Edu"), ("아카데미", "Academy"), ("인재개발원", "HRD")],
    "consulting": [("컨설팅", "Consulting"), ("경영연구소", "Management"), ("파트너스", "Partners")],
    "food": [("푸드", "Food"), ("급식", "Catering"), ("에프앤비", "F&B")],
    "logistics": [("물류", "Logistics"), ("익스프레스", "Express"), ("운수", "Transport")],
    "media": [("미디어", "Media"), ("기획", "Planning"), ("커뮤니케이션", "Communications")],
    "construction": [
        ("건설", "Construction"),
        ("종합건설", "Construction"),
        ("이앤씨", "E&C"),
        ("건축", "Architecture"),
    ],
    "electrical_works": [("전기", "Electric"), ("전기공사", "Electric Works"), ("에너지", "Energy")],
    "telecom_works": [("정보통신", "ICT"), ("통신", "Telecom"), ("네트웍스", "Networks")],
    "fire_works": [("소방", "Fire"), ("소방설비", "Fire Systems"), ("방재", "Fire Safety")],
    "civil_works": [
        ("토건", "Civil"),
        ("개발", "Development"),
        ("건설", "Construction"),
        ("산업개발", "Development"),
    ],
    "finishing_works": [("방수", "Waterproofing"), ("창호", "Windows"), ("건업", "Construction")],
    "mechanical_works": [("설비", "Mechanical"), ("기계설비", "Mechanical"), ("공조", "HVAC")],
}
LEGAL_FORMS = ["주식회사 {}", "(주){}", "{}", "㈜{}", "{} 주식회사"]

# large partner enterprises: (name, English name)
PARTNER_NAMES = [
    ("한빛전자", "Hanbit Electronics"),
    ("대성중공업", "Daesung Heavy Industries"),
    ("미래통신", "Mirae Telecom"),
    ("동해건설", "Donghae E&C"),
    ("새솔에너지", "Saesol Energy"),
    ("누리소프트", "Nuri Soft"),
    ("대한케미칼", "Daehan Chemical"),
    ("삼정모터스", "Samjung Motors"),
    ("태성철강", "Taesung Steel"),
    ("한국스마트전력", "Korea Smart Power"),
    ("금강종합건설", "Geumgang Construction"),
    ("제일정보", "Jeil Information"),
]


def company_name(rng: random.Random, trade: str) -> tuple[str, str]:
    """A supplier name in ``trade`` and its English name."""
    word, word_en = rng.choice(NAME_WORDS)
    trade_word, trade_en = rng.choice(TRADES[trade])
    return rng.choice(LEGAL_FORMS).format(word + trade_word), f"{word_en} {trade_en} Co., Ltd."


def business_number(rng: random.Random, taken: set[str]) -> str:
    """A valid 사업자등록번호 of a corporation (type code 81, 86, 87 or 88) not in ``taken``.

    Tax-office codes start at 301, so these never meet the demo's own 210-81-… companies."""
    while True:
        first_nine = (
            f"{rng.randint(301, 899):03d}{rng.choice((81, 86, 87, 88)):02d}{rng.randint(0, 9999):04d}"
        )
        number = first_nine + str(business_number_check_digit(first_nine))
        if number not in taken:
            taken.add(number)
            return number
