"""A labelled evaluation set for the tagger: the five seeds and seventeen short reports written
for this set, each with the tags a careful reader would give it.

Labels were written from the text, not from the tagger's output. Countries are ISO codes;
ministries and agencies are written as the taxonomy shows them ("Ministry of Public Security
(VN)"); `year` is the true publication year where it is known from outside the text (the seeds)
or stated in it, else None. A report's year must never be *stated* wrongly; leaving it unknown
and flagged for review is always acceptable.
"""

from dataclasses import dataclass, field

from tests.conftest import SEEDS_DIR


@dataclass(frozen=True)
class Expected:
    subject: frozenset[str] = frozenset()
    mention: frozenset[str] = frozenset()

    @property
    def all(self) -> frozenset[str]:
        return self.subject | self.mention


def expect(subject=(), mention=()) -> Expected:
    return Expected(frozenset(subject), frozenset(mention))


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    countries: Expected
    ministries: Expected
    crime_types: Expected
    year: int | None = None
    group: str = "written"
    notes: str = field(default="", compare=False)


def _seed(prefix: str) -> str:
    (path,) = SEEDS_DIR.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


SEED_CASES = [
    Case(
        "seed 000: Interior Ministry to focus on small-scale dealers",
        _seed("000"),
        countries=expect(["KH"], ["LA", "VN", "TH"]),
        ministries=expect(
            ["Ministry of Interior (KH)", "Phnom Penh Municipal Police (KH)"],
            ["Kampot Provincial Court (KH)", "Phnom Penh Municipal Court (KH)"],
        ),
        crime_types=expect(["Drug trafficking"], ["Methamphetamine trafficking"]),
        year=2019,
        group="seeds",
        notes="Khmer Times, November 2019; the text gives only 'yesterday' and 'since 2017'.",
    ),
    Case(
        "seed 001: Sar Kheng at the ASEAN ministerial meeting",
        _seed("001"),
        countries=expect(["KH"], ["CN", "TW", "AU"]),
        ministries=expect(
            ["Ministry of Interior (KH)", "ASEAN Ministerial Meeting on Transnational Crime"],
            ["General Commissariat of National Police (KH)"],
        ),
        crime_types=expect(
            ["Drug offences", "Money laundering", "Transnational crime"],
            [
                "Drug trafficking",
                "Human trafficking",
                "Financial crime",
                "Terrorist financing",
                "Weapons proliferation",
            ],
        ),
        year=2020,
        group="seeds",
        notes="14th AMMTC, 26 November 2020; the text says 'November 26' and 'in 2020'.",
    ),
    Case(
        "seed 002: crackdown on Sihanoukville crime",
        _seed("002"),
        countries=expect(["KH"], ["TH", "CN"]),
        ministries=expect(
            [
                "Ministry of Interior (KH)",
                "General Commissariat of National Police (KH)",
                "Preah Sihanouk Provincial Administration (KH)",
            ],
            [
                "Royal Thai Police (TH)",
                "Ministry of Public Security (CN)",
                "Ministry of Economy and Finance (KH)",
                "General Department of Immigration (KH)",
            ],
        ),
        crime_types=expect(
            ["Kidnapping", "Human trafficking"],
            [
                "Robbery",
                "Homicide",
                "Torture",
                "Drug offences",
                "Drug trafficking",
                "Forced labour",
                "Organ trafficking",
                "Gambling",
                "Weapons offences",
                "Extortion",
                "Sexual exploitation",
                "Violent crime",
            ],
        ),
        year=2022,
        group="seeds",
        notes="VOD, February 2022; the caption dates the meeting February 2, 2022.",
    ),
    Case(
        "seed 003: Sar Sokha on gambling, trafficking and cybercrime",
        _seed("003"),
        countries=expect(["KH"]),
        ministries=expect(
            [
                "Ministry of Interior (KH)",
                "General Commissariat of National Police (KH)",
                "Commercial Gambling Management Commission of Cambodia (KH)",
            ],
            [
                "Royal Gendarmerie of Cambodia (KH)",
                "Kandal Provincial Administration (KH)",
                "Kampong Speu Provincial Administration (KH)",
            ],
        ),
        crime_types=expect(
            ["Gambling", "Cybercrime", "Human trafficking"],
            ["Illegal lottery", "Traffic offences", "Weapons offences"],
        ),
        year=2024,
        group="seeds",
        notes="Khmer Times, March 2024; the text has no year at all.",
    ),
    Case(
        "seed 004: Vietnam and Cambodia agree on drug cooperation",
        _seed("004"),
        countries=expect(["VN", "KH"]),
        ministries=expect(
            [
                "National Authority for Combating Drugs (KH)",
                "National Steering Committee for Drug, AIDS and Prostitution Prevention and Control"
                " (VN)",
            ],
        ),
        crime_types=expect(["Drug trafficking"], ["Drug use"]),
        year=2017,
        group="seeds",
        notes="April 2017 (50th anniversary of ties); the text says 'April 19' and 'In 2016'.",
    ),
]

WRITTEN_CASES = [
    Case(
        "Thai police in a Cambodian story",
        "Police in Battambang arrest six over cross-border drug smuggling\n\n"
        "Battambang provincial police arrested six Cambodian men on Tuesday after seizing 12 "
        "kilogrammes of crystal methamphetamine hidden in a truck near the Thai border, officials "
        "said.\n\nThe arrests followed a tip-off from Thai police, a provincial police official "
        "said. The suspects were sent to Battambang Provincial Court on Thursday.\n\n"
        "The Anti-Drug Department of the National Police said seizures along the border had risen "
        "this year.",
        countries=expect(["KH"], ["TH"]),
        ministries=expect(
            [],
            [
                "Anti-Drug Department (KH)",
                "General Commissariat of National Police (KH)",
                "Royal Thai Police (TH)",
            ],
        ),
        crime_types=expect(["Drug trafficking", "Methamphetamine trafficking"]),
        year=None,
    ),
    Case(
        "a year mentioned as history",
        "PHNOM PENH — Hundreds gathered at the Choeung Ek memorial yesterday to mark the 44th "
        "anniversary of the fall of the Khmer Rouge regime on January 7, 1979.\n\n"
        "Separately, Phnom Penh Municipal Police said they had detained 14 people in a raid on an "
        "illegal casino in Chbar Ampov district, seizing cash and betting equipment.\n\n"
        "Police spokesman San Sokseiha said gambling dens were moving into residential areas.",
        countries=expect(["KH"]),
        ministries=expect(["Phnom Penh Municipal Police (KH)"]),
        crime_types=expect(["Gambling"]),
        year=2023,
    ),
    Case(
        "no year at all",
        "Kampot police bust karaoke drug party\n\n"
        "Kampot provincial police detained 23 people, including four foreigners, during a raid on "
        "a karaoke parlour where ketamine and ecstasy were being used, police said on Sunday.\n\n"
        "The suspects tested positive for drugs and were sent for rehabilitation, while the owner "
        "was charged with drug trafficking.",
        countries=expect(["KH"]),
        ministries=expect(),
        crime_types=expect(["Drug use"], ["Drug trafficking", "Ketamine trafficking"]),
        year=None,
    ),
    Case(
        "a wire dateline with a full date",
        "PHNOM PENH, March 3, 2023 (Xinhua) -- Cambodian police have arrested 27 Chinese nationals "
        "suspected of running an online scam operation in the coastal province of Preah Sihanouk, "
        "a police official said on Friday.\n\n"
        "The suspects were detained in a raid on a condominium in Sihanoukville, where police "
        "seized 110 computers and 300 mobile phones, provincial police chief Chuon Narin said.\n\n"
        "The suspects will be deported to China, he said.",
        countries=expect(["KH"], ["CN"]),
        ministries=expect(),
        crime_types=expect(["Online scams"]),
        year=2023,
    ),
    Case(
        "a Thai seizure of pills from Myanmar",
        "Thai police seize 5 million yaba pills in Chiang Rai\n\n"
        "BANGKOK, Jan 14 — Royal Thai Police and the Office of the Narcotics Control Board "
        "seized 5 million methamphetamine pills and arrested three suspects in Chiang Rai's "
        "Mae Sai district, officials said on Tuesday.\n\n"
        "The pills had been smuggled from Myanmar's Shan State across the Mekong, the ONCB "
        "secretary-general said, adding that traffickers were using drones to move drugs.\n\n"
        "Thailand has seized more than 500 million pills since 2020, according to the ONCB.",
        countries=expect(["TH"], ["MM"]),
        ministries=expect(["Royal Thai Police (TH)", "Office of the Narcotics Control Board (TH)"]),
        crime_types=expect(["Methamphetamine trafficking"]),
        year=None,
    ),
    Case(
        "a record haul in Laos",
        "Lao authorities seize record haul in Bokeo\n\n"
        "VIENTIANE — Lao police and the Lao National Commission for Drug Control and Supervision "
        "seized 55 million methamphetamine tablets and 1.5 tonnes of crystal meth in Bokeo "
        "province near the Golden Triangle, state media reported on October 28, 2021.\n\n"
        "The seizure was the largest in the country's history, officials said. Eight suspects, "
        "including two Myanmar nationals, were arrested.",
        countries=expect(["LA"], ["MM"]),
        ministries=expect(
            [
                "Lao National Commission for Drug Control and Supervision (LA)",
                "Ministry of Public Security (LA)",
            ]
        ),
        crime_types=expect(["Methamphetamine trafficking"]),
        year=2021,
    ),
    Case(
        "scam compounds on the Myanmar-Thailand border",
        "Hundreds freed from scam compounds in Myawaddy\n\n"
        "More than 200 people, including 37 Vietnamese and 12 Indonesians, were freed from scam "
        "compounds in Myawaddy on the Myanmar-Thailand border, where they had been forced to "
        "defraud people online, rescuers said.\n\n"
        "Many said they had been lured by fake job offers and held in conditions of forced labour. "
        "Thai authorities helped repatriate the victims through Mae Sot.",
        countries=expect(["MM"], ["TH", "VN", "ID"]),
        ministries=expect(),
        crime_types=expect(["Online scams", "Forced labour"]),
        year=None,
    ),
    Case(
        "online gambling in Ho Chi Minh City",
        "Vietnam busts online gambling ring worth $400 million\n\n"
        "HANOI, August 12, 2022 — Police in Ho Chi Minh City have dismantled an online gambling "
        "ring that handled transactions worth more than 10 trillion dong, the Ministry of Public "
        "Security said on Friday.\n\n"
        "The ring, which ran betting websites hosted in Cambodia, recruited thousands of agents "
        "across southern Vietnam. Police arrested 31 people and froze bank accounts suspected of "
        "money laundering.",
        countries=expect(["VN"], ["KH"]),
        ministries=expect(["Ministry of Public Security (VN)"]),
        crime_types=expect(["Online gambling", "Gambling"], ["Money laundering"]),
        year=2022,
    ),
    Case(
        "China repatriates fraud suspects from Cambodia",
        "China's Ministry of Public Security said on Tuesday that 1,200 suspects in telecom fraud "
        "cases had been repatriated from Cambodia on chartered flights, the largest such operation "
        "this year.\n\n"
        "The suspects were handed over by Cambodian police in Phnom Penh under a joint operation "
        "with the Cambodian Ministry of Interior, the ministry said in a statement. Chinese police "
        "have sent liaison officers to Sihanoukville since 2019.",
        countries=expect(["CN", "KH"]),
        ministries=expect(["Ministry of Public Security (CN)", "Ministry of Interior (KH)"]),
        crime_types=expect(["Fraud"]),
        year=None,
    ),
    Case(
        "an offshore gaming raid in the Philippines",
        "Philippine authorities raid offshore gaming hub in Pampanga\n\n"
        "MANILA — Philippine police and immigration officers raided a licensed offshore gambling "
        "operator in Porac, Pampanga, rescuing 680 workers, including Chinese, Vietnamese and "
        "Malaysian nationals, officials said on June 5, 2024.\n\n"
        "The Presidential Anti-Organized Crime Commission said the hub had been running online "
        "scams and that some workers had been victims of human trafficking.",
        countries=expect(["PH"], ["CN", "VN", "MY"]),
        ministries=expect(),
        crime_types=expect(["Gambling", "Online scams", "Human trafficking"]),
        year=2024,
    ),
    Case(
        "Cambodian women rescued in Malaysia",
        "KUALA LUMPUR — Malaysian police rescued 19 Cambodian women believed to be victims of sex "
        "trafficking from two entertainment outlets in Johor, the Royal Malaysia Police said.\n\n"
        "The women had been promised jobs as waitresses. Cambodia's National Committee for Counter "
        "Trafficking said it was working with the Malaysian authorities to bring them home.",
        countries=expect(["MY", "KH"]),
        ministries=expect(["National Committee for Counter Trafficking (KH)"]),
        crime_types=expect(["Sexual exploitation"]),
        year=None,
    ),
    Case(
        "a money-laundering sentence in Phnom Penh",
        "Phnom Penh Municipal Court on Monday sentenced a former bank manager to 10 years in "
        "prison for money laundering and fraud linked to an illegal online casino.\n\n"
        "The Cambodia Financial Intelligence Unit said it had traced $3.2 million through shell "
        "companies between 2018 and 2020. Prosecutors said the funds came from online gambling "
        "operations run from Sihanoukville.",
        countries=expect(["KH"]),
        ministries=expect(
            ["Phnom Penh Municipal Court (KH)", "Cambodia Financial Intelligence Unit (KH)"]
        ),
        crime_types=expect(["Money laundering", "Fraud", "Online gambling"]),
        year=None,
    ),
    Case(
        "ivory seized at Phnom Penh airport",
        "Customs officers at Phnom Penh International Airport seized 120 kilogrammes of ivory and "
        "rhino horn bound for Vietnam, the General Department of Customs and Excise said on 14 "
        "November 2023.\n\n"
        "Officials said the shipment was part of a growing illegal wildlife trade through "
        "Cambodia. A Vietnamese national was arrested.",
        countries=expect(["KH"], ["VN"]),
        ministries=expect(),
        crime_types=expect(["Wildlife trafficking"]),
        year=2023,
    ),
    Case(
        "the Anti-Corruption Unit charges land officials",
        "Anti-Corruption Unit charges land officials\n\n"
        "The Anti-Corruption Unit (ACU) has charged three officials at the Siem Reap provincial "
        "land department with bribery and abuse of power after a two-year investigation, ACU "
        "chairman Om Yentieng said.\n\n"
        "The ACU said the officials had demanded bribes of up to $20,000 from villagers seeking "
        "land titles.",
        countries=expect(["KH"]),
        ministries=expect(["Anti-Corruption Unit (KH)"]),
        crime_types=expect(["Corruption"]),
        year=None,
    ),
    Case(
        "a regional UNODC report with a Bangkok dateline",
        "UNODC: synthetic drug production surges in Southeast Asia\n\n"
        "BANGKOK, June 2, 2025 — Methamphetamine seizures in East and Southeast Asia reached a "
        "record 236 tonnes in 2024, the United Nations Office on Drugs and Crime said in its "
        "annual report.\n\n"
        "The report said organised crime groups in Myanmar's Shan State were producing "
        "methamphetamine and ketamine on an industrial scale, with Laos, Thailand and Cambodia "
        "serving as transit routes.",
        countries=expect(["MM"], ["LA", "TH", "KH"]),
        ministries=expect(["United Nations Office on Drugs and Crime"]),
        crime_types=expect(
            ["Drug production", "Methamphetamine trafficking"],
            ["Ketamine trafficking", "Transnational crime"],
        ),
        year=2025,
    ),
    Case(
        "an explicit date that is not the publication year",
        "Court jails ex-police officer for extortion\n\n"
        "A former Kandal provincial police officer was sentenced to seven years for extortion, "
        "Kandal Provincial Court ruled, over demands he made on March 3, 2019.\n\n"
        "The court heard that between 2019 and 2021 he extorted money from at least 40 motorbike "
        "drivers.",
        countries=expect(["KH"]),
        ministries=expect(),
        crime_types=expect(["Extortion"]),
        year=None,
    ),
    Case(
        "heroin from Cambodia seized by Vietnamese border guards",
        "Vietnamese border guards seize heroin on Cambodian border\n\n"
        "Vietnam Border Guard officers in An Giang province seized 20 bars of heroin smuggled from "
        "Cambodia yesterday and arrested two Cambodian men, the Ministry of Public Security "
        "said.\n\nThe case has been transferred to An Giang police for investigation.",
        countries=expect(["VN", "KH"]),
        ministries=expect(["Vietnam Border Guard (VN)", "Ministry of Public Security (VN)"]),
        crime_types=expect(["Heroin trafficking"]),
        year=None,
    ),
]

CASES = SEED_CASES + WRITTEN_CASES
