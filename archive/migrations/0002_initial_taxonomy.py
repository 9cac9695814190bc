"""The initial taxonomy: countries, ministries and agencies, crime types and publications.

It covers every country, ministry/agency and crime type named in the seed reports, plus the
neighbours and regional bodies that enforcement reporting about Cambodia names most. Curators
extend it in admin; this migration only adds entries that are missing, so re-running it after
edits changes nothing.
"""

import re
import unicodedata

from django.db import migrations

# (ISO code, name, aliases, places)
COUNTRIES = [
    ("KH", "Cambodia", "Cambodian\nCambodians\nKingdom of Cambodia\nKampuchea",
     "Phnom Penh\nSihanoukville\nPreah Sihanouk\nKampot\nKandal\nKampong Speu\nSiem Reap\n"
     "Battambang\nBanteay Meanchey\nPoipet\nKoh Kong\nSvay Rieng\nBavet\nTakeo\nKep\n"
     "Kampong Cham\nKampong Chhnang\nKampong Thom\nKratie\nMondulkiri\nRatanakiri\nStung Treng\n"
     "Preah Vihear\nOddar Meanchey\nPailin\nPursat\nPrey Veng\nTbong Khmum"),
    ("VN", "Vietnam", "Viet Nam\nVietnamese\nSocialist Republic of Vietnam",
     "Hanoi\nHo Chi Minh City\nSaigon\nDa Nang\nHai Phong\nCan Tho\nAn Giang\nTay Ninh\nLong An\n"
     "Kien Giang\nDong Thap\nQuang Ninh\nLang Son\nDien Bien\nSon La\nNghe An"),
    ("TH", "Thailand", "Thai\nKingdom of Thailand",
     "Bangkok\nChiang Mai\nChiang Rai\nPattaya\nPhuket\nSa Kaeo\nTrat\nSurin\nMae Sot\n"
     "Aranyaprathet"),
    ("LA", "Laos", "Lao\nLaotian\nLao PDR\nLao People's Democratic Republic",
     "Vientiane\nLuang Prabang\nSavannakhet\nChampasak\nBokeo"),
    ("MM", "Myanmar", "Burma\nBurmese", "Yangon\nRangoon\nNaypyidaw\nMandalay\nShan State\n"
     "Myawaddy\nTachileik\nKayin State\nKaren State"),
    ("CN", "China", "Chinese\nPeople's Republic of China\nPRC",
     "Beijing\nShanghai\nYunnan\nGuangdong\nGuangxi\nKunming\nShenzhen"),
    ("TW", "Taiwan", "Taiwanese", "Taipei\nKaohsiung"),
    ("AU", "Australia", "Australian\nAustralians", "Canberra\nSydney\nMelbourne\nPerth"),
    ("MY", "Malaysia", "Malaysian\nMalaysians", "Kuala Lumpur\nPenang\nJohor\nSabah"),
    ("ID", "Indonesia", "Indonesian\nIndonesians", "Jakarta\nBali"),
    ("PH", "Philippines", "Philippine\nFilipino\nFilipinos", "Manila"),
    ("SG", "Singapore", "Singaporean\nSingaporeans", ""),
    ("BN", "Brunei", "Bruneian\nBrunei Darussalam", "Bandar Seri Begawan"),
    ("KR", "South Korea", "South Korean\nSouth Koreans\nRepublic of Korea", "Seoul\nBusan"),
    ("JP", "Japan", "Japanese", "Tokyo\nOsaka"),
    ("IN", "India", "Indian\nIndians", "New Delhi\nMumbai"),
    ("US", "United States", "United States of America\nU.S.\nUSA\nAmerican\nAmericans",
     "Washington"),
]

# (country code or None, name, kind, parent name or None, aliases). Parents come first.
MINISTRIES = [
    ("KH", "Ministry of Interior", "ministry", None,
     "Interior Ministry\nMinistry of the Interior\nMoI\nCambodian Interior Ministry\n"
     "Interior Minister\nMinister of Interior"),
    ("KH", "General Commissariat of National Police", "police", "Ministry of Interior",
     "National Police\nCambodian National Police\nNational Police Commissariat"),
    ("KH", "Phnom Penh Municipal Police", "police", "General Commissariat of National Police",
     "Phnom Penh police\nmunicipal police\nPhnom Penh Municipal Police Commissariat"),
    ("KH", "Preah Sihanouk Provincial Police", "police", "General Commissariat of National Police",
     "Preah Sihanouk police\nSihanoukville police\nSihanouk provincial police"),
    ("KH", "Anti-Drug Department", "police", "General Commissariat of National Police",
     "Anti-Drug Police\nDepartment of Anti-Drug Crimes\nanti-drug police department"),
    ("KH", "Anti-Human Trafficking and Juvenile Protection Department", "police",
     "General Commissariat of National Police",
     "Anti-Human Trafficking Department\nanti-trafficking police"),
    ("KH", "General Department of Immigration", "agency", "General Commissariat of National Police",
     "Immigration Department\nimmigration department\nGDI"),
    ("KH", "National Authority for Combating Drugs", "agency", None,
     "NACD\nNational Authority for Combatting Drugs"),
    ("KH", "National Committee for Counter Trafficking", "commission", None,
     "NCCT\nNational Committee for Counter Trafficking in Persons"),
    ("KH", "Ministry of Economy and Finance", "ministry", None,
     "Finance Ministry\nMinistry of Finance\nMEF\nFinance Minister\n"
     "Minister of Economy and Finance"),
    ("KH", "Commercial Gambling Management Commission of Cambodia", "commission",
     "Ministry of Economy and Finance",
     "CGMC\nCommercial Gambling Management Commission\nGambling Management Commission"),
    ("KH", "Cambodia Financial Intelligence Unit", "agency", None, "CAFIU\nFinancial Intelligence Unit"),
    ("KH", "Ministry of Justice", "ministry", None, "Justice Ministry"),
    ("KH", "Phnom Penh Municipal Court", "court", None,
     "Phnom Penh court\nPhnom Penh Municipal Court of First Instance"),
    ("KH", "Kampot Provincial Court", "court", None, "Kampot court"),
    ("KH", "Ministry of National Defence", "ministry", None,
     "Defence Ministry\nMinistry of Defence\nDefense Ministry"),
    ("KH", "Royal Gendarmerie of Cambodia", "police", "Ministry of National Defence",
     "Military Police\nRoyal Gendarmerie\nprovincial Military Police\nGendarmerie"),
    ("KH", "Preah Sihanouk Provincial Administration", "administration", "Ministry of Interior",
     "Preah Sihanouk provincial administration\nSihanoukville provincial administration\n"
     "Preah Sihanouk Provincial Hall"),
    ("KH", "Kandal Provincial Administration", "administration", "Ministry of Interior",
     "Kandal provincial administration"),
    ("KH", "Kampong Speu Provincial Administration", "administration", "Ministry of Interior",
     "Kampong Speu provincial administration"),
    ("KH", "Anti-Corruption Unit", "agency", None, "ACU"),
    ("VN", "Ministry of Public Security", "ministry", None,
     "Public Security Ministry\nVietnamese Ministry of Public Security\nVietnamese police"),
    ("VN", "National Steering Committee for Drug, AIDS and Prostitution Prevention and Control",
     "commission", None,
     "National Committee for AIDS, Drugs and Prostitution Prevention and Control\n"
     "National Steering Committee for Drug, AIDS and Prostitution Prevention"),
    ("VN", "Vietnam Border Guard", "police", None, "Border Guard Command\nVietnamese border guards"),
    ("TH", "Royal Thai Police", "police", None, "Thai police\nRTP"),
    ("TH", "Office of the Narcotics Control Board", "agency", None, "ONCB\nNarcotics Control Board"),
    ("TH", "Ministry of Interior", "ministry", None, "Thai Interior Ministry"),
    ("LA", "Ministry of Public Security", "ministry", None, "Lao Ministry of Public Security\nLao police"),
    ("LA", "Lao National Commission for Drug Control and Supervision", "commission", None, "LCDC"),
    ("CN", "Ministry of Public Security", "ministry", None,
     "Chinese Ministry of Public Security\nChinese police\nChinese authorities"),
    ("MM", "Central Committee for Drug Abuse Control", "commission", None, "CCDAC"),
    (None, "ASEAN Ministerial Meeting on Transnational Crime", "international", None,
     "AMMTC\nASEAN Ministerial Meeting on Transnational Crime and Related Meetings"),
    (None, "ASEAN Senior Officials on Drug Matters", "international", None, "ASOD"),
    (None, "ASEANAPOL", "international", None, "ASEAN Chiefs of Police\nAseanapol"),
    (None, "United Nations Office on Drugs and Crime", "international", None, "UNODC"),
    (None, "Interpol", "international", None, "International Criminal Police Organization\nINTERPOL"),
]

# (name, parent name or None, aliases). Parents come first.
CRIME_TYPES = [
    ("Drug offences", None, "drug crime\ndrug crimes\ndrug-related crime\nnarcotics\nillegal drugs"),
    ("Drug trafficking", "Drug offences",
     "drug trafficking\ndrug smuggling\nnarcotics trafficking\ndrug distribution\ndrug dealing\n"
     "drug dealers\ndrug traffickers\ndrug rings\ndrug trafficking rings"),
    ("Methamphetamine trafficking", "Drug trafficking",
     "methamphetamine\ncrystal meth\ncrystal methamphetamine\nmeth\nyaba\nmethamphetamine tablets"),
    ("Heroin trafficking", "Drug trafficking", "heroin"),
    ("Cannabis trafficking", "Drug trafficking", "cannabis\nmarijuana"),
    ("Ketamine trafficking", "Drug trafficking", "ketamine"),
    ("Drug use", "Drug offences",
     "drug use\ndrug users\ndrug abuse\ndrug addiction\ndrug addicts\ndrug detoxification\n"
     "drug rehabilitation"),
    ("Drug production", "Drug offences",
     "drug production\ndrug labs\ndrug laboratory\nprecursor chemicals\ndrug manufacturing"),
    ("Human trafficking", None,
     "trafficking in persons\npeople trafficking\nhuman trafficking\ntrafficking of people"),
    ("Sexual exploitation", "Human trafficking",
     "sexual exploitation\nsex trafficking\nforced prostitution\nprostitution"),
    ("Forced labour", "Human trafficking",
     "forced labor\nforced labour\nlabour exploitation\nlabor exploitation\ndebt bondage"),
    ("Organ trafficking", "Human trafficking",
     "organ trafficking\norgan harvesting\nblood harvesting\nblood-harvesting"),
    ("Gambling", None, "illegal gambling\ngambling\ncasinos\ncasino\nbetting"),
    ("Online gambling", "Gambling", "online gambling\nonline betting\nonline casino"),
    ("Illegal lottery", "Gambling", "lottery\nillegal lottery"),
    ("Fraud", None, "fraud\nscam\nscams\nswindling"),
    ("Online scams", "Fraud",
     "online scam\nonline scams\nonline fraud\nscam compounds\nscam centres\nscam centers\n"
     "pig butchering\nromance scam\ninvestment scam"),
    ("Cybercrime", None, "cybercrime\ncyber crime\ncybercrimes\nonline crime\nhacking\ncyber attacks"),
    ("Financial crime", None, "financial crime\nfinancial crimes"),
    ("Money laundering", "Financial crime", "money laundering\nanti-money laundering\nlaundering"),
    ("Terrorist financing", "Financial crime",
     "terrorist financing\nterrorism financing\nfinancing of terrorism"),
    ("Violent crime", None, "violent crime\narmed violence"),
    ("Kidnapping", "Violent crime",
     "kidnapping\nkidnappings\nabduction\nillegal detention\nhostage taking"),
    ("Homicide", "Violent crime", "homicide\nhomicides\nmurder\nmurders\nkilling\nkillings"),
    ("Robbery", "Violent crime", "robbery\nrobberies\narmed robbery"),
    ("Torture", "Violent crime", "torture"),
    ("Extortion", None, "extortion\nblackmail"),
    ("Weapons offences", None,
     "illegal weapons\nillegal weapon possession\nillegal firearms\nweapons smuggling\n"
     "arms trafficking\nexplosive weapons"),
    ("Weapons proliferation", "Weapons offences",
     "proliferation of weapons of mass destruction\nweapons of mass destruction"),
    ("Smuggling", None, "smuggling\ncontraband"),
    ("Transnational crime", None,
     "transnational crime\ncross-border crime\ncross-border crimes\norganised crime\norganized crime"),
    ("Corruption", None, "corruption\nbribery\nbribes"),
    ("Terrorism", None, "terrorism\nterrorist attack"),
    ("Environmental crime", None, "environmental crime"),
    ("Wildlife trafficking", "Environmental crime",
     "wildlife trafficking\nillegal wildlife trade\npoaching"),
    ("Illegal logging", "Environmental crime", "illegal logging\ntimber smuggling"),
    ("Traffic offences", None, "drink driving\ndrunk driving\ntraffic violations"),
]

# (name, aliases, homepage, country code)
SOURCES = [
    ("Khmer Times", "Khmer Times Cambodia", "https://www.khmertimeskh.com", "KH"),
    ("VOD", "Voice of Democracy\nVOD English\nVOD News", "https://vodenglish.news", "KH"),
    ("The Phnom Penh Post", "Phnom Penh Post", "https://www.phnompenhpost.com", "KH"),
    ("The Cambodia Daily", "Cambodia Daily", "https://english.cambodiadaily.com", "KH"),
    ("CamboJA News", "CamboJA", "https://cambojanews.com", "KH"),
    ("Cambodianess", "", "https://cambodianess.com", "KH"),
    ("Kiripost", "", "https://kiripost.com", "KH"),
    ("Agence Kampuchea Presse", "AKP", "https://www.akp.gov.kh", "KH"),
    ("Vietnam News Agency", "VNA\nVietnamPlus", "https://en.vietnamplus.vn", "VN"),
    ("Viet Nam News", "Vietnam News", "https://vietnamnews.vn", "VN"),
    ("Bangkok Post", "", "https://www.bangkokpost.com", "TH"),
    ("Xinhua", "Xinhua News Agency", "https://english.news.cn", "CN"),
    ("Radio Free Asia", "RFA", "https://www.rfa.org", None),
    ("Voice of America", "VOA", "https://www.voanews.com", None),
    ("Reuters", "", "https://www.reuters.com", None),
    ("Agence France-Presse", "AFP", "https://www.afp.com", None),
    ("Associated Press", "AP", "https://apnews.com", None),
]


def _slug(text):
    # Frozen here rather than imported: a migration must not change when app code does.
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:200]


def add_taxonomy(apps, schema_editor):
    Country = apps.get_model("archive", "Country")
    Ministry = apps.get_model("archive", "Ministry")
    CrimeType = apps.get_model("archive", "CrimeType")
    Source = apps.get_model("archive", "Source")

    countries = {}
    for code, name, aliases, places in COUNTRIES:
        countries[code], _ = Country.objects.get_or_create(
            code=code,
            defaults={"name": name, "slug": _slug(name), "aliases": aliases, "places": places},
        )

    ministries = {}
    for code, name, kind, parent, aliases in MINISTRIES:
        country = countries[code] if code else None
        slug = _slug(f"{name} {code}") if code else _slug(name)
        ministries[(code, name)], _ = Ministry.objects.get_or_create(
            country=country,
            name=name,
            defaults={
                "slug": slug,
                "kind": kind,
                "aliases": aliases,
                "parent": ministries[(code, parent)] if parent else None,
            },
        )

    crime_types = {}
    for name, parent, aliases in CRIME_TYPES:
        crime_types[name], _ = CrimeType.objects.get_or_create(
            name=name,
            defaults={
                "slug": _slug(name),
                "aliases": aliases,
                "parent": crime_types[parent] if parent else None,
            },
        )

    for name, aliases, homepage, code in SOURCES:
        Source.objects.get_or_create(
            name=name,
            defaults={
                "slug": _slug(name),
                "aliases": aliases,
                "homepage": homepage,
                "country": countries[code] if code else None,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial")]

    operations = [migrations.RunPython(add_taxonomy, migrations.RunPython.noop)]
