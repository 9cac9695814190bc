"""The spellings the press uses for the region's places, as plain data the Gazetteer compiles.

pycountry gives every ISO 3166-2 subdivision under its official romanisation ("Siem Reab",
"Kandaal", "Banteay Mean Choăy"); reports write "Siem Reap", "Kandal", "Banteay Meanchey", name
towns, districts and border crossings rather than provinces ("Poipet", "Bavet", "Mae Sot"), and
write in Khmer, Thai, Lao, Burmese, Vietnamese and Chinese too. Each row here adds such spellings.
A town, district or crossing resolves to its province's code. Curators may edit these tables:
keep them plain.
"""

from __future__ import annotations

PROVINCE, DISTRICT, TOWN, CROSSING = "province", "district", "town", "crossing"

# The countries whose subdivisions the gazetteer holds: the region the archive covers.
COUNTRIES = ("KH", "TH", "VN", "LA", "MM")

# ISO 3166-2 code -> (the name the press uses, other spellings in any script).
PROVINCES: dict[str, tuple[str, tuple[str, ...]]] = {
    # Cambodia: the 24 provinces and the capital.
    "KH-1": ("Banteay Meanchey", ("Banteay Mean Chey", "បន្ទាយមានជ័យ")),
    "KH-2": ("Battambang", ("Battambong", "បាត់ដំបង")),
    "KH-3": ("Kampong Cham", ("Kompong Cham", "កំពង់ចាម")),
    "KH-4": ("Kampong Chhnang", ("Kompong Chhnang", "កំពង់ឆ្នាំង")),
    "KH-5": ("Kampong Speu", ("Kompong Speu", "កំពង់ស្ពឺ")),
    "KH-6": ("Kampong Thom", ("Kompong Thom", "កំពង់ធំ")),
    "KH-7": ("Kampot", ("កំពត",)),
    "KH-8": ("Kandal", ("កណ្ដាល", "កណ្តាល")),
    "KH-9": ("Koh Kong", ("Kaoh Kong", "កោះកុង")),
    "KH-10": ("Kratie", ("Kratié", "ក្រចេះ")),
    "KH-11": ("Mondulkiri", ("Mondul Kiri", "Mondolkiri", "មណ្ឌលគិរី")),
    "KH-12": ("Phnom Penh", ("ភ្នំពេញ", "金边")),
    "KH-13": ("Preah Vihear", ("ព្រះវិហារ",)),
    "KH-14": ("Prey Veng", ("ព្រៃវែង",)),
    "KH-15": ("Pursat", ("Pouthisat", "ពោធិ៍សាត់")),
    "KH-16": ("Ratanakiri", ("Rattanakiri", "Ratanak Kiri", "Ratanakkiri", "រតនគិរី")),
    "KH-17": ("Siem Reap", ("Siem Riep", "សៀមរាប", "暹粒")),
    "KH-18": ("Preah Sihanouk", ("Sihanouk", "ព្រះសីហនុ")),
    "KH-19": ("Stung Treng", ("Steung Treng", "Stueng Treng", "ស្ទឹងត្រែង")),
    "KH-20": ("Svay Rieng", ("ស្វាយរៀង",)),
    "KH-21": ("Takeo", ("Takéo", "តាកែវ")),
    "KH-22": ("Oddar Meanchey", ("Oddar Mean Chey", "Otdar Meanchey", "ឧត្តរមានជ័យ")),
    "KH-23": ("Kep", ("កែប",)),
    "KH-24": ("Pailin", ("ប៉ៃលិន",)),
    "KH-25": ("Tbong Khmum", ("Tboung Khmum", "Tbaung Khmum", "ត្បូងឃ្មុំ")),
    # Thailand: press spellings where they differ from ISO's, and Thai names of the provinces
    # the archive's reports name most (borders with Cambodia, Laos and Myanmar, Bangkok).
    "TH-10": ("Bangkok", ("กรุงเทพมหานคร", "กรุงเทพฯ", "曼谷")),
    "TH-S": ("Pattaya", ("พัทยา", "芭提雅")),
    "TH-23": ("Trat", ("ตราด",)),
    "TH-22": ("Chanthaburi", ("จันทบุรี",)),
    "TH-27": ("Sa Kaeo", ("Sa Kaew", "Sra Kaeo", "สระแก้ว")),
    "TH-31": ("Buriram", ("Buri Ram", "บุรีรัมย์")),
    "TH-32": ("Surin", ("สุรินทร์",)),
    "TH-33": ("Sisaket", ("Si Sa Ket", "ศรีสะเกษ")),
    "TH-43": ("Nong Khai", ("หนองคาย",)),
    "TH-48": ("Nakhon Phanom", ("นครพนม",)),
    "TH-49": ("Mukdahan", ("มุกดาหาร",)),
    "TH-50": ("Chiang Mai", ("เชียงใหม่", "清迈")),
    "TH-57": ("Chiang Rai", ("เชียงราย", "清莱")),
    "TH-58": ("Mae Hong Son", ("แม่ฮ่องสอน",)),
    "TH-63": ("Tak", ("ตาก",)),
    "TH-90": ("Songkhla", ("สงขลา",)),
    # Vietnam: names without their tone marks, as English reports write them.
    "VN-HN": ("Hanoi", ("Ha Noi", "Hà Nội", "河内")),
    "VN-SG": ("Ho Chi Minh City", ("Ho Chi Minh", "Saigon", "HCM City", "胡志明市")),
    "VN-DN": ("Da Nang", ("Danang",)),
    "VN-HP": ("Hai Phong", ("Haiphong",)),
    "VN-44": ("An Giang", ()),
    "VN-37": ("Tay Ninh", ()),
    "VN-47": ("Kien Giang", ()),
    "VN-45": ("Dong Thap", ()),
    "VN-41": ("Long An", ()),
    "VN-58": ("Binh Phuoc", ()),
    "VN-25": ("Quang Tri", ()),
    "VN-23": ("Ha Tinh", ()),
    "VN-22": ("Nghe An", ()),
    "VN-02": ("Lao Cai", ()),
    "VN-28": ("Kon Tum", ()),
    # Laos: the press's romanisation and Lao names.
    "LA-VT": ("Vientiane Capital", ("Vientiane", "Viangchan", "ວຽງຈັນ", "ນະຄອນຫຼວງວຽງຈັນ", "万象")),
    "LA-VI": ("Vientiane Province", ("ແຂວງວຽງຈັນ",)),
    "LA-BK": ("Bokeo", ("ບໍ່ແກ້ວ",)),
    "LA-LM": ("Luang Namtha", ("Luangnamtha", "ຫຼວງນ້ຳທາ")),
    "LA-LP": ("Luang Prabang", ("Luangprabang", "ຫຼວງພະບາງ")),
    "LA-OU": ("Oudomxay", ("Oudomxai", "Udomxay")),
    "LA-SV": ("Savannakhet", ("ສະຫວັນນະເຂດ",)),
    "LA-CH": ("Champasak", ("Champassak", "ຈຳປາສັກ")),
    "LA-KH": ("Khammouane", ("Khammouan", "Khammuan")),
    "LA-BL": ("Bolikhamxay", ("Bolikhamsai", "Borikhamxay")),
    "LA-AT": ("Attapeu", ("Attapu",)),
    "LA-XA": ("Xayaboury", ("Sainyabuli", "Xaignabouli")),
    "LA-PH": ("Phongsaly", ("Phongsali",)),
    "LA-HO": ("Houaphanh", ("Houaphan",)),
    "LA-XE": ("Sekong", ("Xekong",)),
    "LA-XI": ("Xiengkhouang", ("Xieng Khouang",)),
    # Myanmar: states and regions, and their Burmese and Chinese names.
    "MM-17": ("Shan State", ("Shan", "ရှမ်းပြည်နယ်", "掸邦")),
    "MM-13": ("Kayin State", ("Kayin", "Karen State", "ကရင်ပြည်နယ်", "克伦邦")),
    "MM-11": ("Kachin State", ("Kachin", "ကချင်ပြည်နယ်")),
    "MM-12": ("Kayah State", ("Kayah", "Karenni State")),
    "MM-14": ("Chin State", ("Chin",)),
    "MM-15": ("Mon State", ("Mon",)),
    "MM-16": ("Rakhine State", ("Rakhine", "ရခိုင်ပြည်နယ်")),
    "MM-06": ("Yangon Region", ("Yangon", "Rangoon", "ရန်ကုန်", "仰光")),
    "MM-04": ("Mandalay Region", ("Mandalay", "မန္တလေး", "曼德勒")),
    "MM-05": ("Tanintharyi Region", ("Tanintharyi", "Tenasserim")),
    "MM-18": ("Nay Pyi Taw", ("Naypyitaw", "Naypyidaw", "Nay Pyi Daw", "နေပြည်တော်")),
}

# Places within a province: (name the press uses, level, the province's ISO code, other spellings).
PLACES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    # Cambodia's border crossings and border towns.
    ("Poipet", TOWN, "KH-1", ("Poi Pet", "Paoy Paet", "ប៉ោយប៉ែត", "波贝")),
    ("Bavet", TOWN, "KH-20", ("បាវិត", "巴域")),
    ("Cham Yeam", CROSSING, "KH-9", ("Cham Yiem", "ចាំយាម")),
    ("O'Smach", CROSSING, "KH-22", ("O Smach", "Osmach", "O'Smarch", "អូរស្មាច់")),
    ("Trapeang Kriel", CROSSING, "KH-19", ("Trapeang Kreal", "Tropeang Kriel")),
    ("Dong Kralor", CROSSING, "KH-19", ("Dong Kralo",)),
    ("Prek Chak", CROSSING, "KH-7", ("Preak Chak",)),
    ("Phnom Den", CROSSING, "KH-21", ()),
    ("Kaam Samnor", CROSSING, "KH-8", ("Kaam Samnar",)),
    ("Trapeang Phlong", CROSSING, "KH-25", ("Trapeang Plong",)),
    ("Oyadav", CROSSING, "KH-16", ("O Yadav", "Ou Yadav")),
    ("Choam", CROSSING, "KH-22", ("Choam Sa-ngam",)),
    ("Daung", CROSSING, "KH-2", ()),
    ("Psar Prum", CROSSING, "KH-24", ("Phsar Prum",)),
    # Cambodia's towns and districts the press names.
    ("Sihanoukville", TOWN, "KH-18", ("Kampong Som", "Kompong Som", "ក្រុងព្រះសីហនុ", "西港")),
    ("Anlong Veng", DISTRICT, "KH-22", ("អន្លង់វែង",)),
    ("Samraong", TOWN, "KH-22", ("Samrong",)),
    ("Serei Saophoan", TOWN, "KH-1", ("Sisophon", "Serey Sophorn")),
    ("Malai", DISTRICT, "KH-1", ()),
    ("Ta Khmau", TOWN, "KH-8", ("Takhmao", "Takhmau", "តាខ្មៅ")),
    ("Kien Svay", DISTRICT, "KH-8", ("Kean Svay",)),
    ("Kandal Stung", DISTRICT, "KH-8", ("Kandal Steung", "Kandal Stueng")),
    ("Ponhea Leu", DISTRICT, "KH-8", ("Ponhea Lueu",)),
    ("Sen Monorom", TOWN, "KH-11", ("Senmonorom",)),
    ("Banlung", TOWN, "KH-16", ()),
    ("Chbar Mon", TOWN, "KH-5", ("ច្បារមន",)),
    ("Koh Rong", DISTRICT, "KH-18", ()),
    ("Stueng Hav", DISTRICT, "KH-18", ("Steung Hav", "Stung Hav")),
    ("Prey Nob", DISTRICT, "KH-18", ()),
    ("Kampong Trach", DISTRICT, "KH-7", ("Kampong Trach",)),
    # Phnom Penh's 14 khans.
    ("Chamkar Mon", DISTRICT, "KH-12", ("Chamkarmon", "ចំការមន")),
    ("Daun Penh", DISTRICT, "KH-12", ("Doun Penh", "ដូនពេញ")),
    ("Prampir Makara", DISTRICT, "KH-12", ("7 Makara", "7 January Makara", "៧មករា")),
    ("Tuol Kouk", DISTRICT, "KH-12", ("Toul Kork", "Tuol Kork", "Toul Kouk", "ទួលគោក")),
    ("Dangkao", DISTRICT, "KH-12", ("Dangkor", "ដង្កោ")),
    ("Mean Chey", DISTRICT, "KH-12", ("Meanchey", "មានជ័យ")),
    ("Russey Keo", DISTRICT, "KH-12", ("Russei Keo", "Ruessei Kaev", "ឫស្សីកែវ")),
    ("Sen Sok", DISTRICT, "KH-12", ("Sensok", "Sen Sock", "សែនសុខ")),
    ("Pou Senchey", DISTRICT, "KH-12", ("Por Sen Chey", "Pur SenChey", "ពោធិ៍សែនជ័យ")),
    ("Chroy Changvar", DISTRICT, "KH-12", ("Chroy Changva", "ជ្រោយចង្វារ")),
    ("Prek Pnov", DISTRICT, "KH-12", ("Preaek Pnov", "ព្រែកព្នៅ")),
    ("Chbar Ampov", DISTRICT, "KH-12", ("ច្បារអំពៅ",)),
    ("Boeng Keng Kang", DISTRICT, "KH-12", ("Boeung Keng Kang", "BKK", "បឹងកេងកង")),
    ("Kamboul", DISTRICT, "KH-12", ("កំបូល",)),
    # Thailand's border towns and crossings.
    ("Aranyaprathet", DISTRICT, "TH-27", ("Aranya Prathet", "อรัญประเทศ")),
    ("Khlong Luek", CROSSING, "TH-27", ("Klong Luek", "Rong Kluea")),
    ("Ban Hat Lek", CROSSING, "TH-23", ("Hat Lek", "Had Lek")),
    ("Khlong Yai", DISTRICT, "TH-23", ("Klong Yai",)),
    ("Chong Chom", CROSSING, "TH-32", ()),
    ("Chong Sa-ngam", CROSSING, "TH-33", ("Chong Sangam",)),
    ("Mae Sot", DISTRICT, "TH-63", ("Maesot", "แม่สอด", "美索")),
    ("Mae Sai", DISTRICT, "TH-57", ("Maesai", "แม่สาย", "美赛")),
    ("Chiang Saen", DISTRICT, "TH-57", ("เชียงแสน",)),
    ("Chiang Khong", DISTRICT, "TH-57", ("เชียงของ",)),
    ("Hat Yai", DISTRICT, "TH-90", ("Hatyai", "หาดใหญ่")),
    # Vietnam's crossings and border towns.
    ("Moc Bai", CROSSING, "VN-37", ("Mộc Bài",)),
    ("Xa Mat", CROSSING, "VN-37", ("Xa Mát",)),
    ("Tinh Bien", CROSSING, "VN-44", ("Tịnh Biên",)),
    ("Vinh Xuong", CROSSING, "VN-44", ("Vĩnh Xương",)),
    ("Chau Doc", TOWN, "VN-44", ("Châu Đốc",)),
    ("Ha Tien", TOWN, "VN-47", ("Hà Tiên",)),
    ("Lao Bao", CROSSING, "VN-25", ("Lao Bảo",)),
    ("Cau Treo", CROSSING, "VN-23", ("Cầu Treo",)),
    # Laos.
    (
        "Golden Triangle Special Economic Zone",
        TOWN,
        "LA-BK",
        ("Golden Triangle SEZ", "金三角经济特区"),
    ),
    ("Ton Pheung", DISTRICT, "LA-BK", ("Tonpheung", "Tonpheung district")),
    ("Houayxay", TOWN, "LA-BK", ("Huay Xai", "Houay Xay", "Houayxai")),
    # Myanmar's border towns.
    ("Myawaddy", TOWN, "MM-13", ("Myawadi", "မြဝတီ", "妙瓦底")),
    ("Shwe Kokko", TOWN, "MM-13", ("Shwe Ko Ko", "KK Park")),
    ("Hpa-an", TOWN, "MM-13", ("Hpa-An", "Pa-an")),
    ("Tachileik", TOWN, "MM-17", ("Tachilek", "တာချီလိတ်", "大其力")),
    ("Laukkaing", TOWN, "MM-17", ("Laukkai", "老街")),
    ("Kokang", DISTRICT, "MM-17", ("果敢",)),
    ("Lashio", TOWN, "MM-17", ("လားရှိုး",)),
)

# Spellings that are also people's names, ethnic groups or everyday words ("Chin", "Mon",
# "Nan", "Tak", "Trang", King "Sihanouk", "Kandal" = "middle" in Khmer): they name a place only
# beside a word for a province, state, town or district ("Trang province", "ខេត្តកណ្ដាល").
QUALIFIED_ONLY = frozenset(
    {
        "Sihanouk", "Tak", "Nan", "Trang", "Surin", "Chin", "Mon", "Shan", "Kachin", "Kayah",
        "Kayin", "Rakhine", "Loei", "Phrae", "Satun", "Yala", "Daung", "Choam", "Malai",
        "កណ្ដាល", "កណ្តាល", "ព្រះសីហនុ", "កែប", "មានជ័យ", "ตาก", "ตราด", "สุรินทร์",
    }
)  # fmt: skip

# Spellings holding a place's name that mean something else: matched, then dropped, so that the
# shorter name inside them is not read ("Phsar Kandal" is a market in Phnom Penh).
NOT_PLACES = (
    "Phsar Kandal", "Psar Kandal", "Kandal Market", "Norodom Sihanouk", "King Sihanouk",
    "Sihanouk Boulevard", "Sihanouk Blvd", "Preah Sihanouk Hospital", "Mon-Khmer",
    "ផ្សារកណ្ដាល", "ផ្សារកណ្តាល", "ព្រះបាទនរោត្តមសីហនុ", "នរោត្តម សីហនុ", "នរោត្តមសីហនុ",
)  # fmt: skip

# Spellings that name one place alone and another beside the word for province: "Vientiane" is
# the capital, "Vientiane province" the province around it.
WITH_PROVINCE_WORD = {"Vientiane": "LA-VI", "Viangchan": "LA-VI", "ວຽງຈັນ": "LA-VI"}

# Words for a province, state, region, town or district, before or after a name, in the
# archive's languages; they make a QUALIFIED_ONLY spelling a place and raise confidence.
PROVINCE_WORDS_AFTER = (
    "province", "provincial", "state", "region", "municipality", "municipal", "prefecture",
    "district", "town", "city", "township", "capital", "governor", "police", "border",
    "ပြည်နယ်", "တိုင်း", "省", "邦", "市",
)  # fmt: skip
PROVINCE_WORDS_BEFORE = (
    "province of", "state of", "ខេត្ត", "ក្រុង", "ស្រុក", "ខណ្ឌ", "រាជធានី", "จังหวัด", "จ.",
    "อำเภอ", "ແຂວງ", "ເມືອງ", "tỉnh", "thành phố", "huyện",
)  # fmt: skip
# Of those, the ones that make a name the province itself (for WITH_PROVINCE_WORD).
PROVINCE_ONLY_WORDS = ("province", "provincial", "province of", "ខេត្ត", "จังหวัด", "ແຂວງ", "tỉnh")
# Words after a name that make it the town rather than the province of the same name.
TOWN_WORDS = ("town", "city")
# Words after a town's name that make it the border crossing there ("Poipet checkpoint").
CROSSING_WORDS = (
    "checkpoint", "border gate", "border crossing", "border checkpoint", "crossing",
    "international checkpoint", "international border",
)  # fmt: skip
