"""Names in the region's scripts for the taxonomy the tagger matches: Khmer, Thai, Vietnamese,
Chinese, and Lao and Burmese where the press of those countries names them.

Each is added to an entry's aliases (or its demonyms and places), one per line, where it is not
there yet; curators edit them in the admin like the English ones. Undoing the migration removes
the lines it added. Names are written as each language's press writes them; a name that is also
an everyday word was left out (Lao ລາວ is also "he", Khmer កណ្ដាល also "middle").
"""

from django.db import migrations

# code: (aliases, demonyms, places)
COUNTRIES = {
    "KH": (
        "កម្ពុជា\nព្រះរាជាណាចក្រកម្ពុជា\nกัมพูชา\nCampuchia\n柬埔寨\nກຳປູເຈຍ\nကမ္ဘောဒီးယား",
        "ជនជាតិខ្មែរ\nពលរដ្ឋខ្មែរ\nชาวกัมพูชา\nngười Campuchia\n柬埔寨人",
        "ភ្នំពេញ\nរាជធានីភ្នំពេញ\nប៉ោយប៉ែត\nក្រុងព្រះសីហនុ\nខេត្តព្រះសីហនុ\nសៀមរាប\nបាត់ដំបង\n"
        "កោះកុង\nស្វាយរៀង\nបន្ទាយមានជ័យ\nកំពត\nតាកែវ\nព្រៃវែង\nកំពង់ចាម\nរតនគិរី\nស្ទឹងត្រែង\n"
        "ឧត្ដរមានជ័យ\nឧត្តរមានជ័យ\nបាវិត\nខេត្តកណ្ដាល\nខេត្តកំពង់ស្ពឺ\nខេត្តកំពង់ឆ្នាំង\nខេត្តកំពង់ធំ\n"
        "ខេត្តពោធិ៍សាត់\nខេត្តព្រះវិហារ\nខេត្តមណ្ឌលគិរី\nខេត្តក្រចេះ\nខេត្តកែប\nខេត្តប៉ៃលិន\nខេត្តត្បូងឃ្មុំ\nพนมเปญ\nปอยเปต\nสีหนุวิลล์\nเสียมราฐ\nPhnôm Pênh\n金边\n西港\n"
        "西哈努克港\n西哈努克省\n波贝\n暹粒\n马德望",
    ),
    "TH": (
        "ថៃ\nប្រទេសថៃ\nประเทศไทย\nไทย\nThái Lan\n泰国\nປະເທດໄທ\nထိုင်း\nထိုင်းနိုင်ငံ",
        "ជនជាតិថៃ\nคนไทย\nชาวไทย\nngười Thái\n泰国人",
        "បាងកក\nกรุงเทพฯ\nกรุงเทพมหานคร\nเชียงราย\nเชียงใหม่\nแม่สอด\nสระแก้ว\nอรัญประเทศ\n"
        "ภูเก็ต\nพัทยา\nขอนแก่น\nสงขลา\nสะเดา\nจังหวัดตาก\nกาญจนบุรี\nหนองคาย\nนครพนม\n"
        "มุกดาหาร\nอุบลราชธานี\nนราธิวาส\nระนอง\nแม่สาย\nสุวรรณภูมิ\nดอนเมือง\nชลบุรี\nแหลมฉบัง\nBăng Cốc\n曼谷\n清迈\n清莱",
    ),
    "VN": (
        "វៀតណាម\nប្រទេសវៀតណាម\nเวียดนาม\nViệt Nam\n越南\nຫວຽດນາມ\nဗီယက်နမ်",
        "ជនជាតិវៀតណាម\nชาวเวียดนาม\nngười Việt\nngười Việt Nam\n越南人",
        "ហាណូយ\nហូជីមិញ\nฮานอย\nโฮจิมินห์\nHà Nội\nThành phố Hồ Chí Minh\nTP.HCM\nQuảng Ninh\n"
        "Tây Ninh\nAn Giang\nMóng Cái\nLạng Sơn\nHải Phòng\nĐà Nẵng\nĐắk Lắk\nLào Cai\nĐiện Biên\n"
        "Sơn La\nNghệ An\nHà Tĩnh\nKiên Giang\nCà Mau\nĐồng Tháp\nBình Phước\nHà Giang\nCao Bằng\n"
        "Quảng Trị\nNội Bài\nTân Sơn Nhất\n河内\n胡志明市",
    ),
    "LA": (
        "ឡាវ\nប្រទេសឡាវ\nประเทศลาว\nลาว\nLào\n老挝\nສປປ ລາວ\nປະເທດລາວ\nလာအို",
        "ជនជាតិឡាវ\nชาวลาว\nngười Lào\n老挝人",
        "វៀងចន្ទ\nเวียงจันทน์\nViêng Chăn\nວຽງຈັນ\nນະຄອນຫຼວງວຽງຈັນ\nບໍ່ແກ້ວ\nແຂວງບໍ່ແກ້ວ\n"
        "ຫຼວງນ້ຳທາ\nສະຫວັນນະເຂດ\n万象",
    ),
    "MM": (
        "មីយ៉ាន់ម៉ា\nភូមា\nเมียนมา\nพม่า\nMiến Điện\n缅甸\nມຽນມາ\nမြန်မာ\nမြန်မာနိုင်ငံ",
        "ជនជាតិភូមា\nชาวเมียนมา\nชาวพม่า\nngười Myanmar\n缅甸人",
        "เมียวดี\nท่าขี้เหล็ก\n妙瓦底\n掸邦\n果敢\nမြဝတီ\nရန်ကုန်\nရှမ်းပြည်နယ်\nတာချီလိတ်\nမန္တလေး",
    ),
    "CN": (
        "ចិន\nប្រទេសចិន\nจีน\nประเทศจีน\nTrung Quốc\n中国\n中华人民共和国\nຈີນ\nတရုတ်",
        "ជនជាតិចិន\nชาวจีน\nngười Trung Quốc\n中国人\n中国籍",
        "云南\n昆明\n北京\n上海\n广州\n深圳\n广西\n南宁\n凭祥\n东兴\n瑞丽\n西双版纳\n景洪\n广东\n福建\n"
        "ยูนนาน\nVân Nam",
    ),
    "MY": ("ម៉ាឡេស៊ី\nมาเลเซีย\n马来西亚\nມາເລເຊຍ\nမလေးရှား", "ជនជាតិម៉ាឡេស៊ី\n马来西亚人", "吉隆坡"),
    "ID": ("ឥណ្ឌូនេស៊ី\nอินโดนีเซีย\n印度尼西亚\n印尼", "ជនជាតិឥណ្ឌូនេស៊ី\n印尼人", "雅加达"),
    "PH": ("ហ្វីលីពីន\nฟิลิปปินส์\nPhilippines\n菲律宾", "ជនជាតិហ្វីលីពីន\n菲律宾人", "马尼拉"),
    "SG": ("សិង្ហបុរី\nสิงคโปร์\nSingapore\n新加坡", "", ""),
    "TW": ("តៃវ៉ាន់\nไต้หวัน\nĐài Loan\n台湾", "ជនជាតិតៃវ៉ាន់\n台湾人", "台北"),
    "KR": ("កូរ៉េខាងត្បូង\nเกาหลีใต้\nHàn Quốc\n韩国", "ជនជាតិកូរ៉េ\n韩国人", "首尔"),
    "JP": ("ជប៉ុន\nญี่ปุ่น\nNhật Bản\n日本", "ជនជាតិជប៉ុន\n日本人", "东京"),
    "IN": ("ឥណ្ឌា\nอินเดีย\nẤn Độ\n印度", "ជនជាតិឥណ្ឌា\n印度人", ""),
    "US": ("សហរដ្ឋអាមេរិក\nអាមេរិក\nสหรัฐอเมริกา\nสหรัฐฯ\nHoa Kỳ\nMỹ\n美国", "ជនជាតិអាមេរិក\n美国人", ""),
    "AU": ("អូស្ត្រាលី\nออสเตรเลีย\nÚc\n澳大利亚", "ជនជាតិអូស្ត្រាលី\n澳大利亚人", ""),
}

# crime type name: aliases
CRIME_TYPES = {
    "Drug offences": "គ្រឿងញៀន\nថ្នាំញៀន\nยาเสพติด\nma túy\nchất ma túy\n毒品\nຢາເສບຕິດ\nမူးယစ်ဆေးဝါး",
    "Drug trafficking": "ការជួញដូរគ្រឿងញៀន\nជួញដូរគ្រឿងញៀន\nការចែកចាយគ្រឿងញៀន\nค้ายาเสพติด\n"
    "buôn bán ma túy\nmua bán trái phép chất ma túy\nvận chuyển trái phép chất ma túy\n贩毒\n"
    "毒品走私\nຄ້າຢາເສບຕິດ",
    "Methamphetamine trafficking": "ម៉ាទឹកកក\nមេតំហ្វេតាមីន\nថ្នាំយ៉ាម៉ា\nយ៉ាម៉ា\nยาบ้า\nยาไอซ์\n"
    "เมทแอมเฟตามีน\nma túy đá\nhồng phiến\n冰毒\n甲基苯丙胺\n麻古\nຢາບ້າ\nຢາໄອສ໌\nယာဘ\n"
    "မက်သာဖက်တမင်း",
    "Heroin trafficking": "ហេរ៉ូអ៊ីន\nเฮโรอีน\nheroin\n海洛因\nເຮໂຣອີນ\nဘိန်းဖြူ",
    "Ketamine trafficking": "កេតាមីន\nเคตามีน\nketamine\n氯胺酮\nK粉",
    "Cannabis trafficking": "កញ្ឆា\nกัญชา\ncần sa\n大麻\nກັນຊາ",
    "Human trafficking": "ការជួញដូរមនុស្ស\nជួញដូរមនុស្ស\nค้ามนุษย์\nmua bán người\n人口贩卖\n拐卖人口\n"
    "ຄ້າມະນຸດ\nလူကုန်ကူး",
    "Forced labour": "ពលកម្មដោយបង្ខំ\nแรงงานบังคับ\nlao động cưỡng bức\n强迫劳动",
    "Gambling": "ល្បែងស៊ីសង\nល្បែងជល់មាន់\nការលេងល្បែង\nល្បែងបៀ\nកាស៊ីណូ\nการพนัน\nบ่อนการพนัน\n"
    "เล่นพนัน\ncờ bạc\nđánh bạc\nsòng bạc\n赌博\n赌场\n"
    "ການພະນັນ\nလောင်းကစား",
    "Online gambling": "ល្បែងស៊ីសងតាមអនឡាញ\nល្បែងអនឡាញ\nพนันออนไลน์\ncờ bạc trực tuyến\n"
    "đánh bạc qua mạng\n网络赌博\n网赌",
    "Illegal lottery": "ឆ្នោតខុសច្បាប់\nหวยเถื่อน\nหวยใต้ดิน\nlô đề\n非法彩票",
    "Fraud": "ការឆបោក\nឆបោក\nฉ้อโกง\nlừa đảo\n诈骗\nສໍ້ໂກງ\nလိမ်လည်",
    "Online scams": "ការឆបោកតាមអនឡាញ\nឆបោកតាមប្រព័ន្ធអនឡាញ\nមជ្ឈមណ្ឌលឆបោក\nหลอกลวงออนไลน์\n"
    "แก๊งคอลเซ็นเตอร์\nlừa đảo trực tuyến\nlừa đảo qua mạng\n电信诈骗\n网络诈骗\n电诈\n诈骗园区",
    "Money laundering": "ការលាងលុយ\nលាងលុយកខ្វក់\nฟอกเงิน\nrửa tiền\n洗钱",
    "Kidnapping": "ចាប់ជំរិត\nការចាប់ពង្រត់\nลักพาตัว\nbắt cóc\n绑架",
    "Homicide": "ឃាតកម្ម\nฆาตกรรม\ngiết người\n谋杀\n杀人",
    "Robbery": "ប្លន់\nការប្លន់\nปล้น\ncướp tài sản\n抢劫",
    "Extortion": "ជំរិតទារប្រាក់\nรีดไถ\ntống tiền\n敲诈勒索",
    "Weapons offences": "អាវុធខុសច្បាប់\nកាំភ្លើងខុសច្បាប់\nអាវុធយុទ្ធភណ្ឌ\nอาวุธปืนเถื่อน\nอาวุธสงคราม\n"
    "อาวุธปืนสงคราม\nvũ khí trái phép\nvũ khí quân dụng\n非法枪支\n枪支弹药",
    "Smuggling": "រត់ពន្ធ\nការរត់ពន្ធ\nលក់ឆ្លងដែនខុសច្បាប់\nลักลอบขน\nลักลอบนำเข้า\nของเถื่อน\n"
    "buôn lậu\nhàng lậu\nthuốc lá lậu\n走私",
    "Corruption": "អំពើពុករលួយ\nពុករលួយ\nทุจริต\nคอร์รัปชัน\ntham nhũng\n腐败\n贪污",
    "Wildlife trafficking": "ជួញដូរសត្វព្រៃ\nសត្វព្រៃ\nค้าสัตว์ป่า\nสัตว์ป่า\n"
    "buôn bán động vật hoang dã\nđộng vật hoang dã\nsừng tê giác\nngà voi\n野生动物走私\n野生动物\n穿山甲\n象牙",
    "Illegal logging": "បទល្មើសព្រៃឈើ\nកាប់ឈើខុសច្បាប់\nឈើប្រណីត\nไม้พะยูง\nลักลอบตัดไม้\nตัดไม้ทำลายป่า\n"
    "khai thác gỗ trái phép\nphá rừng\n非法采伐\n盗伐",
    "Cybercrime": "ឧក្រិដ្ឋកម្មបច្ចេកវិទ្យា\nอาชญากรรมทางไซเบอร์\ntội phạm mạng\n网络犯罪",
}

# (country code, ministry name): aliases
MINISTRIES = {
    ("KH", "Ministry of Interior"): "ក្រសួងមហាផ្ទៃ\n柬埔寨内政部",
    ("KH", "General Commissariat of National Police"): "អគ្គស្នងការដ្ឋាននគរបាលជាតិ\n"
    "នគរបាលជាតិកម្ពុជា\n柬埔寨国家警察总署",
    ("KH", "Phnom Penh Municipal Police"): "ស្នងការដ្ឋាននគរបាលរាជធានីភ្នំពេញ",
    ("KH", "Preah Sihanouk Provincial Police"): "ស្នងការដ្ឋាននគរបាលខេត្តព្រះសីហនុ",
    ("KH", "Anti-Drug Department"): "នាយកដ្ឋានប្រឆាំងគ្រឿងញៀន",
    ("KH", "Anti-Human Trafficking and Juvenile Protection Department"): (
        "នាយកដ្ឋានប្រឆាំងការជួញដូរមនុស្ស"
    ),
    ("KH", "General Department of Immigration"): "អគ្គនាយកដ្ឋានអន្តោប្រវេសន៍\n柬埔寨移民总局",
    ("KH", "National Authority for Combating Drugs"): "អាជ្ញាធរជាតិប្រយុទ្ធប្រឆាំងគ្រឿងញៀន",
    ("KH", "National Committee for Counter Trafficking"): ("គណៈកម្មាធិការជាតិប្រយុទ្ធប្រឆាំងការជួញដូរមនុស្ស"),
    ("KH", "Ministry of Justice"): "ក្រសួងយុត្តិធម៌",
    ("KH", "Phnom Penh Municipal Court"): "សាលាដំបូងរាជធានីភ្នំពេញ",
    ("KH", "Ministry of National Defence"): "ក្រសួងការពារជាតិ",
    (
        "KH",
        "Royal Gendarmerie of Cambodia",
    ): "កងរាជអាវុធហត្ថ\nកងរាជអាវុធហត្ថលើផ្ទៃប្រទេសទាំងមូល\n柬埔寨宪兵",
    ("KH", "Anti-Corruption Unit"): "អង្គភាពប្រឆាំងអំពើពុករលួយ",
    ("VN", "Ministry of Public Security"): "Bộ Công an\n越南公安部",
    ("VN", "Vietnam Border Guard"): "Bộ đội Biên phòng\nBộ Tư lệnh Bộ đội Biên phòng",
    ("TH", "Royal Thai Police"): "สำนักงานตำรวจแห่งชาติ\n泰国警方\n泰国皇家警察",
    ("TH", "Office of the Narcotics Control Board"): (
        "สำนักงานคณะกรรมการป้องกันและปราบปรามยาเสพติด\nป.ป.ส."
    ),
    ("TH", "Ministry of Interior"): "กระทรวงมหาดไทย",
    ("LA", "Ministry of Public Security"): "ກະຊວງປ້ອງກັນຄວາມສະຫງົບ",
    ("CN", "Ministry of Public Security"): "公安部\n中国公安部",
}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _added(current: str, new: str) -> str:
    have = {line.casefold() for line in _lines(current)}
    extra = [line for line in _lines(new) if line.casefold() not in have]
    return "\n".join([*_lines(current), *extra])


def _removed(current: str, new: str) -> str:
    drop = set(_lines(new))
    return "\n".join(line for line in _lines(current) if line not in drop)


def _change(apps, combine) -> None:
    Country = apps.get_model("archive", "Country")
    Ministry = apps.get_model("archive", "Ministry")
    CrimeType = apps.get_model("archive", "CrimeType")
    for code, (aliases, demonyms, places) in COUNTRIES.items():
        for country in Country.objects.filter(code=code):
            country.aliases = combine(country.aliases, aliases)
            country.demonyms = combine(country.demonyms, demonyms)
            country.places = combine(country.places, places)
            country.save(update_fields=["aliases", "demonyms", "places", "updated_at"])
    for name, aliases in CRIME_TYPES.items():
        for crime_type in CrimeType.objects.filter(name=name):
            crime_type.aliases = combine(crime_type.aliases, aliases)
            crime_type.save(update_fields=["aliases", "updated_at"])
    for (code, name), aliases in MINISTRIES.items():
        for ministry in Ministry.objects.filter(country__code=code, name=name):
            ministry.aliases = combine(ministry.aliases, aliases)
            ministry.save(update_fields=["aliases", "updated_at"])


def add_names(apps, schema_editor):
    _change(apps, _added)


def remove_names(apps, schema_editor):
    _change(apps, _removed)


class Migration(migrations.Migration):
    dependencies = [("archive", "0007_article_language_index")]

    operations = [migrations.RunPython(add_names, remove_names)]
