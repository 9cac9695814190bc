"""Every ISO 3166-1 country and territory, so that a report about Nigeria or Zambia can be tagged.

The seventeen countries the archive began with are left as they are. For the others: the name the
press uses (pycountry's ISO names, such as "Congo, The Democratic Republic of the", are added by the
tagger's lexicon at run time, so they are not repeated here), a curated list of other names,
demonyms and capitals or main cities. Curators edit them in the admin like every other entry.

A name that is also an everyday word or a person's name (Chad, Jordan, Georgia, Turkey...) is
listed here like any other; the lexicon matches such names only as written and only beside other
evidence for the country (archive/tagging/lexicon.py, NAMES_ALSO_WORDS).

Undoing the migration removes the countries it added that nothing refers to yet.
"""

import re
import unicodedata

from django.db import migrations

# code | name | other names | demonyms | capitals and main cities (";" between items)
COUNTRIES = """
AW | Aruba |  | Aruban | Oranjestad
AF | Afghanistan |  | Afghan | Kabul; Kandahar; Helmand
AO | Angola |  | Angolan | Luanda
AI | Anguilla |  | Anguillian |
AX | Åland Islands | Aland Islands |  |
AL | Albania |  | Albanian | Tirana
AD | Andorra |  | Andorran | Andorra la Vella
AE | United Arab Emirates | UAE; U.A.E.; the Emirates | Emirati | Abu Dhabi; Dubai; Sharjah
AR | Argentina |  | Argentine; Argentinian | Buenos Aires
AM | Armenia |  | Armenian | Yerevan
AS | American Samoa |  |  | Pago Pago
AQ | Antarctica |  |  |
TF | French Southern Territories |  |  |
AG | Antigua and Barbuda |  | Antiguan | St. John's
AT | Austria |  | Austrian | Vienna
AZ | Azerbaijan |  | Azerbaijani | Baku
BI | Burundi |  | Burundian | Gitega; Bujumbura
BE | Belgium |  | Belgian | Brussels; Antwerp
BJ | Benin |  | Beninese | Porto-Novo; Cotonou
BQ | Bonaire, Sint Eustatius and Saba | Bonaire; Caribbean Netherlands |  |
BF | Burkina Faso |  | Burkinabe; Burkinabè | Ouagadougou
BD | Bangladesh |  | Bangladeshi | Dhaka; Chittagong; Cox's Bazar
BG | Bulgaria |  | Bulgarian |
BH | Bahrain |  | Bahraini | Manama
BS | Bahamas | The Bahamas | Bahamian | Nassau
BA | Bosnia and Herzegovina | Bosnia | Bosnian | Sarajevo
BL | Saint Barthélemy | St. Barts |  |
BY | Belarus |  | Belarusian | Minsk
BZ | Belize |  | Belizean | Belmopan
BM | Bermuda |  | Bermudian |
BO | Bolivia |  | Bolivian | La Paz; Sucre
BR | Brazil |  | Brazilian | Brasília; Brasilia; São Paulo; Sao Paulo; Rio de Janeiro
BB | Barbados |  | Barbadian | Bridgetown
BT | Bhutan |  | Bhutanese | Thimphu
BV | Bouvet Island |  |  |
BW | Botswana |  | Botswanan; Motswana; Batswana | Gaborone
CF | Central African Republic |  | Central African | Bangui
CA | Canada |  | Canadian | Ottawa; Toronto; Vancouver; Montreal
CC | Cocos (Keeling) Islands | Cocos Islands |  |
CH | Switzerland |  | Swiss | Bern; Geneva; Zurich
CL | Chile |  | Chilean | Santiago de Chile
CI | Côte d'Ivoire | Ivory Coast; Cote d'Ivoire | Ivorian | Abidjan; Yamoussoukro
CM | Cameroon |  | Cameroonian | Yaoundé; Yaounde; Douala
CD | Democratic Republic of the Congo | DR Congo; DRC; Congo-Kinshasa | Congolese | Kinshasa; Goma
CG | Republic of the Congo | Congo-Brazzaville |  | Brazzaville
CK | Cook Islands |  | Cook Islander | Avarua
CO | Colombia |  | Colombian | Bogotá; Bogota; Medellín; Medellin
KM | Comoros |  | Comorian | Moroni
CV | Cabo Verde | Cape Verde | Cape Verdean; Cabo Verdean | Praia
CR | Costa Rica |  | Costa Rican |
CU | Cuba |  | Cuban | Havana
CW | Curaçao | Curacao |  |
CX | Christmas Island |  |  |
KY | Cayman Islands |  | Caymanian |
CY | Cyprus |  | Cypriot | Nicosia
CZ | Czechia | Czech Republic | Czech | Prague
DE | Germany |  | German | Berlin; Frankfurt; Hamburg; Munich
DJ | Djibouti |  | Djiboutian |
DM | Dominica |  |  | Roseau
DK | Denmark |  | Danish | Copenhagen
DO | Dominican Republic |  |  | Santo Domingo
DZ | Algeria |  | Algerian | Algiers
EC | Ecuador |  | Ecuadorian | Quito; Guayaquil
EG | Egypt |  | Egyptian | Cairo; Alexandria
ER | Eritrea |  | Eritrean | Asmara
EH | Western Sahara |  | Sahrawi | Laayoune
ES | Spain |  | Spanish; Spaniard | Madrid; Barcelona
EE | Estonia |  | Estonian | Tallinn
ET | Ethiopia |  | Ethiopian | Addis Ababa
FI | Finland |  | Finnish | Helsinki
FJ | Fiji |  | Fijian | Suva
FK | Falkland Islands | Falklands; Malvinas | Falkland Islander |
FR | France |  | French | Paris; Marseille; Lyon
FO | Faroe Islands | Faroes | Faroese | Tórshavn
FM | Micronesia | Federated States of Micronesia | Micronesian | Palikir
GA | Gabon |  | Gabonese | Libreville
GB | United Kingdom | UK; U.K.; Britain; Great Britain | British; Briton | London; England; Scotland
GE | Georgia |  | Georgian | Tbilisi
GG | Guernsey |  |  |
GH | Ghana |  | Ghanaian | Accra
GI | Gibraltar |  | Gibraltarian |
GN | Guinea | Guinea-Conakry | Guinean | Conakry
GP | Guadeloupe |  | Guadeloupean |
GM | Gambia | The Gambia | Gambian | Banjul
GW | Guinea-Bissau |  | Bissau-Guinean | Bissau
GQ | Equatorial Guinea |  | Equatoguinean | Malabo
GR | Greece |  | Greek | Athens; Piraeus
GD | Grenada |  | Grenadian |
GL | Greenland |  | Greenlandic | Nuuk
GT | Guatemala |  | Guatemalan | Guatemala City
GF | French Guiana |  |  | Cayenne
GU | Guam |  | Guamanian |
GY | Guyana |  | Guyanese |
HK | Hong Kong | Hong Kong SAR | Hongkonger | Kowloon
HM | Heard Island and McDonald Islands |  |  |
HN | Honduras |  | Honduran | Tegucigalpa
HR | Croatia |  | Croatian; Croat | Zagreb
HT | Haiti |  | Haitian | Port-au-Prince
HU | Hungary |  | Hungarian | Budapest
IM | Isle of Man |  | Manx |
IO | British Indian Ocean Territory | Chagos Islands |  |
IE | Ireland | Republic of Ireland | Irish | Dublin
IR | Iran |  | Iranian | Tehran
IQ | Iraq |  | Iraqi | Baghdad; Basra; Erbil
IS | Iceland |  | Icelandic; Icelander | Reykjavík; Reykjavik
IL | Israel |  | Israeli | Jerusalem; Tel Aviv
IT | Italy |  | Italian | Rome; Milan; Naples
JM | Jamaica |  | Jamaican |
JE | Jersey |  |  |
JO | Jordan |  | Jordanian | Amman
KZ | Kazakhstan |  | Kazakh; Kazakhstani | Astana; Almaty
KE | Kenya |  | Kenyan | Nairobi; Mombasa
KG | Kyrgyzstan |  | Kyrgyz | Bishkek
KI | Kiribati |  | I-Kiribati | Tarawa
KN | Saint Kitts and Nevis | St. Kitts and Nevis | Kittitian | Basseterre
KW | Kuwait |  | Kuwaiti | Kuwait City
LB | Lebanon |  | Lebanese | Beirut
LR | Liberia |  | Liberian | Monrovia
LY | Libya |  | Libyan | Benghazi
LC | Saint Lucia | St. Lucia | Saint Lucian | Castries
LI | Liechtenstein |  | Liechtensteiner | Vaduz
LK | Sri Lanka |  | Sri Lankan | Colombo
LS | Lesotho |  | Basotho | Maseru
LT | Lithuania |  | Lithuanian | Vilnius
LU | Luxembourg |  | Luxembourgish; Luxembourger |
LV | Latvia |  | Latvian | Riga
MO | Macao | Macau; Macao SAR | Macanese |
MF | Saint Martin (French part) | Saint-Martin |  |
MA | Morocco |  | Moroccan | Rabat; Casablanca; Tangier
MC | Monaco |  | Monégasque; Monegasque |
MD | Moldova |  | Moldovan | Chișinău; Chisinau
MG | Madagascar |  | Malagasy | Antananarivo
MV | Maldives |  | Maldivian |
MX | Mexico |  | Mexican | Mexico City; Sinaloa; Tijuana
MH | Marshall Islands |  | Marshallese | Majuro
MK | North Macedonia | Macedonia | Macedonian | Skopje
ML | Mali |  | Malian | Bamako
MT | Malta |  | Maltese | Valletta
ME | Montenegro |  | Montenegrin | Podgorica
MN | Mongolia |  | Mongolian | Ulaanbaatar; Ulan Bator
MP | Northern Mariana Islands |  |  | Saipan
MZ | Mozambique |  | Mozambican | Maputo
MR | Mauritania |  | Mauritanian | Nouakchott
MS | Montserrat |  | Montserratian |
MQ | Martinique |  | Martinican | Fort-de-France
MU | Mauritius |  | Mauritian | Port Louis
MW | Malawi |  | Malawian | Lilongwe
YT | Mayotte |  | Mahoran |
NA | Namibia |  | Namibian | Windhoek
NC | New Caledonia |  | New Caledonian | Nouméa; Noumea
NE | Niger |  | Nigerien | Niamey
NF | Norfolk Island |  |  |
NG | Nigeria |  | Nigerian | Abuja; Lagos; Kano
NI | Nicaragua |  | Nicaraguan | Managua
NU | Niue |  | Niuean |
NL | Netherlands | Holland; The Netherlands | Dutch | Amsterdam; Rotterdam; The Hague
NO | Norway |  | Norwegian | Oslo
NP | Nepal |  | Nepali; Nepalese | Kathmandu
NR | Nauru |  | Nauruan |
NZ | New Zealand |  | New Zealander | Wellington; Auckland
OM | Oman |  | Omani | Muscat
PK | Pakistan |  | Pakistani | Islamabad; Karachi; Lahore
PA | Panama |  | Panamanian | Panama City
PN | Pitcairn | Pitcairn Islands |  |
PE | Peru |  | Peruvian | Lima
PW | Palau |  | Palauan | Ngerulmud
PG | Papua New Guinea |  | Papua New Guinean | Port Moresby
PL | Poland |  | Polish | Warsaw
PR | Puerto Rico |  | Puerto Rican | San Juan
KP | North Korea | DPRK; Democratic People's Republic of Korea | North Korean | Pyongyang
PT | Portugal |  | Portuguese | Lisbon; Porto
PY | Paraguay |  | Paraguayan | Asunción; Asuncion
PS | Palestine | State of Palestine; Palestinian territories | Palestinian | Gaza; West Bank
PF | French Polynesia | Tahiti |  |
QA | Qatar |  | Qatari | Doha
RE | Réunion | Reunion |  |
RO | Romania |  | Romanian | Bucharest
RU | Russia | Russian Federation | Russian | Moscow; Saint Petersburg; Vladivostok
RW | Rwanda |  | Rwandan | Kigali
SA | Saudi Arabia |  | Saudi | Riyadh; Jeddah
SD | Sudan |  | Sudanese | Khartoum
SN | Senegal |  | Senegalese | Dakar
GS | South Georgia and the South Sandwich Islands |  |  |
SH | Saint Helena, Ascension and Tristan da Cunha | Saint Helena; St Helena |  |
SJ | Svalbard and Jan Mayen | Svalbard |  |
SB | Solomon Islands |  | Solomon Islander | Honiara
SL | Sierra Leone |  | Sierra Leonean | Freetown
SV | El Salvador |  | Salvadoran | San Salvador
SM | San Marino |  | Sammarinese |
SO | Somalia |  | Somali | Mogadishu
PM | Saint Pierre and Miquelon |  |  |
RS | Serbia |  | Serbian; Serb | Belgrade
SS | South Sudan |  | South Sudanese | Juba
ST | Sao Tome and Principe | São Tomé and Príncipe |  | São Tomé
SR | Suriname |  | Surinamese | Paramaribo
SK | Slovakia |  | Slovak | Bratislava
SI | Slovenia |  | Slovenian; Slovene | Ljubljana
SE | Sweden |  | Swedish | Stockholm
SZ | Eswatini | Swaziland | Swazi | Mbabane
SX | Sint Maarten (Dutch part) | Sint Maarten |  |
SC | Seychelles |  | Seychellois |
SY | Syria | Syrian Arab Republic | Syrian | Damascus; Aleppo
TC | Turks and Caicos Islands |  |  |
TD | Chad |  | Chadian | N'Djamena
TG | Togo |  | Togolese | Lomé; Lome
TJ | Tajikistan |  | Tajik | Dushanbe
TK | Tokelau |  | Tokelauan |
TM | Turkmenistan |  | Turkmen | Ashgabat
TL | Timor-Leste | East Timor | Timorese | Dili
TO | Tonga |  | Tongan | Nukuʻalofa; Nuku'alofa
TT | Trinidad and Tobago |  | Trinidadian | Port of Spain
TN | Tunisia |  | Tunisian | Tunis
TR | Türkiye | Turkey; Turkiye | Turkish | Ankara; Istanbul
TV | Tuvalu |  | Tuvaluan | Funafuti
TZ | Tanzania |  | Tanzanian | Dodoma; Dar es Salaam; Zanzibar
UG | Uganda |  | Ugandan | Kampala
UA | Ukraine |  | Ukrainian | Kyiv; Kiev; Odesa
UM | United States Minor Outlying Islands |  |  |
UY | Uruguay |  | Uruguayan | Montevideo
UZ | Uzbekistan |  | Uzbek | Tashkent
VA | Vatican City | Holy See; Vatican |  |
VC | Saint Vincent and the Grenadines | St. Vincent and the Grenadines | Vincentian | Kingstown
VE | Venezuela |  | Venezuelan | Caracas
VG | British Virgin Islands |  |  | Road Town
VI | United States Virgin Islands | U.S. Virgin Islands |  | Charlotte Amalie
VU | Vanuatu |  | Ni-Vanuatu | Port Vila
WF | Wallis and Futuna |  |  |
WS | Samoa |  | Samoan | Apia
YE | Yemen |  | Yemeni | Sanaa; Aden
ZA | South Africa |  | South African | Pretoria; Johannesburg; Cape Town; Durban
ZM | Zambia |  | Zambian | Lusaka
ZW | Zimbabwe |  | Zimbabwean | Harare
"""

# Plural demonyms are written out for the tagger, which matches whole words: "Nigerians".
_INVARIANT_ENDINGS = ("ese", "sh", "ch", "ss", "x", "y", "ic", "z", "men", "o", "a", "u", "è", "be")


def _rows():
    for line in COUNTRIES.strip().splitlines():
        code, name, aliases, demonyms, places = (part.strip() for part in line.split("|"))
        yield code, name, _items(aliases), _with_plurals(_items(demonyms)), _items(places)


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.split(";") if item.strip()]


def _with_plurals(demonyms: list[str]) -> list[str]:
    forms = []
    for demonym in demonyms:
        forms.append(demonym)
        if not demonym.endswith(_INVARIANT_ENDINGS):
            forms.append(demonym + "s")
    return forms


def _slug(text):
    # Frozen here rather than imported: a migration must not change when app code does.
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:200]


def add_countries(apps, schema_editor):
    Country = apps.get_model("archive", "Country")
    have = set(Country.objects.values_list("code", flat=True))
    taken = set(Country.objects.values_list("slug", flat=True))
    new = []
    for code, name, aliases, demonyms, places in _rows():
        if code in have:
            continue  # a curator's entry, or one of the first seventeen: left as it is
        slug = _slug(name)
        if slug in taken:
            slug = f"{slug}-{code.lower()}"
        taken.add(slug)
        new.append(
            Country(
                code=code,
                name=name,
                slug=slug,
                aliases="\n".join(aliases),
                demonyms="\n".join(demonyms),
                places="\n".join(places),
            )
        )
    Country.objects.bulk_create(new)


def remove_countries(apps, schema_editor):
    Country = apps.get_model("archive", "Country")
    codes = [code for code, *_ in _rows()]
    Country.objects.filter(
        code__in=codes, article_tags=None, ministries=None, sources=None
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("archive", "0008_names_in_the_regions_scripts")]

    operations = [migrations.RunPython(add_countries, remove_countries)]
