"""Names for the synthetic Oslo of the demo.

A mix that matches the districts the demo covers (Bjerke, Alna, Søndre Nordstrand): families
with Norwegian, Somali, Pakistani, Polish, Iraqi and Kurdish, Eritrean and Vietnamese
backgrounds. Every person built from these lists is invented; any likeness is chance.

Naming customs matter to caseworkers (who is whose mother?), so they are kept roughly right:
in Somali, Eritrean and Vietnamese families the mother usually has a surname of her own, and
Polish surnames in -ski, -cki and -dzki take -ska, -cka and -dzka for women and girls.
"""

from __future__ import annotations

import unicodedata


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


NORWEGIAN = "norwegian"
SOMALI = "somali"
PAKISTANI = "pakistani"
POLISH = "polish"
IRAQI_KURDISH = "iraqi_kurdish"
ERITREAN = "eritrean"
VIETNAMESE = "vietnamese"

# Keys of the first-name lists: the sex in the population register.
MALE = "male"
FEMALE = "female"

# Share of the demo families with each background (relative weights).
ORIGIN_WEIGHTS: dict[str, int] = {
    NORWEGIAN: 34,
    SOMALI: 16,
    PAKISTANI: 15,
    POLISH: 9,
    IRAQI_KURDISH: 10,
    ERITREAN: 8,
    VIETNAMESE: 8,
}

# Staff of the services: more of them grew up in Norway, and many did not.
STAFF_ORIGIN_WEIGHTS: dict[str, int] = {
    NORWEGIAN: 60,
    SOMALI: 8,
    PAKISTANI: 10,
    POLISH: 6,
    IRAQI_KURDISH: 7,
    ERITREAN: 4,
    VIETNAMESE: 5,
}

# The language spoken at home, as a case file writes it; the second is less common.
LANGUAGES: dict[str, tuple[str, ...]] = {
    NORWEGIAN: ("norsk",),
    SOMALI: ("somali",),
    PAKISTANI: ("urdu", "punjabi"),
    POLISH: ("polsk",),
    IRAQI_KURDISH: ("kurdisk (sorani)", "arabisk"),
    ERITREAN: ("tigrinja",),
    VIETNAMESE: ("vietnamesisk",),
}

# How many mothers in a hundred keep a surname of their own.
MOTHER_OWN_SURNAME: dict[str, int] = {
    NORWEGIAN: 35,
    SOMALI: 100,
    PAKISTANI: 50,
    POLISH: 10,
    IRAQI_KURDISH: 70,
    ERITREAN: 100,
    VIETNAMESE: 100,
}

# First names of children and teenagers, by background and gender.
CHILD_FIRST_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    NORWEGIAN: {
        "male": _names(
            "Jakob Emil Noah Oliver Filip William Lucas Henrik Aksel Magnus Isak Tobias Elias Mathias Sander"
            " Jonas Kasper Adrian Sebastian Theodor Markus Even Sindre Johannes Kristoffer Mikkel Alexander"
        ),
        "female": _names(
            "Nora Emma Ella Sofie Olivia Ingrid Leah Maja Thea Sara Ida Frida Selma Hedda Amalie Julie"
            " Mathilde Tiril Vilde Hanna Live Ronja"
        ),
    },
    SOMALI: {
        "male": _names(
            "Mohamed Abdirahman Abdullahi Ahmed Hassan Ibrahim Yusuf Abdirizak Mustafe Hamza Liban Guled"
            " Abdikarim Said Omar Ismail Khalid Bilal"
        ),
        "female": _names(
            "Amina Hodan Ifrah Sahra Hibaaq Ayaan Naima Leyla Sagal Safiya Deeqa Hamdi Ikram Nasteho Maryan Ubah Idil"
        ),
    },
    PAKISTANI: {
        "male": _names(
            "Muhammad Ali Hamza Bilal Usman Zain Ahmad Hassan Haris Rayan Ayaan Daniyal Abdullah Arham Sameer Ibrahim"
        ),
        "female": _names(
            "Ayesha Fatima Zainab Maryam Hina Sana Amna Iqra Rabia Mahnoor Alisha Anum Eman Laiba Hafsa Aleena"
        ),
    },
    POLISH: {
        "male": _names("Jakub Kacper Szymon Filip Mateusz Bartosz Michał Oskar Łukasz Dawid Kamil Igor Wiktor Antoni"),
        "female": _names("Zuzanna Julia Maja Zofia Hanna Lena Alicja Natalia Wiktoria Oliwia Amelia Nikola Gabriela"),
    },
    IRAQI_KURDISH: {
        "male": _names(
            "Karwan Rebwar Hiwa Aram Kawa Zana Shvan Hawre Mustafa Yousif Haider Bryar Rawand Hussein Ahmad Sarhang"
        ),
        "female": _names("Shilan Bahar Dilan Ronak Zhino Avin Lana Shno Zahra Noor Rezan Hevin Rojin Tara Sozan"),
    },
    ERITREAN: {
        "male": _names(
            "Yonas Dawit Samuel Filmon Robel Mussie Yohannes Amanuel Kibrom Senay Merhawi Biniam Abel Natnael Henok"
        ),
        "female": _names("Helen Selam Senait Mihret Feven Saba Rahel Luwam Winta Semhar Yordanos Ruta Eden Freweyni"),
    },
    VIETNAMESE: {
        "male": _names("Minh Anh Duc Huy Khoa Long Nam Phuc Quang Tuan Bao Khang Kien"),
        "female": _names("Linh Mai Ngoc Thao Trang Huong Thu Phuong Vy Quynh My Uyen"),
    },
}

# First names of parents and staff: another generation (Kari and Trond rather than Nora and Noah).
ADULT_FIRST_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    NORWEGIAN: {
        "male": _names(
            "Lars Tor Geir Espen Morten Kjetil Trond Stian Thomas Anders Per Øyvind Håkon Bjørn Rune Knut Eirik"
            " Jørgen Martin Ole Frode Vegard"
        ),
        "female": _names(
            "Kari Hege Anne Silje Ingvild Marit Tone Linn Camilla Kristin Ragnhild Siri Åse Guro Hilde Ellen"
            " Solveig Mette Trine Marte"
        ),
    },
    SOMALI: {
        "male": _names("Abdi Mohamed Ahmed Hassan Abdiqadir Abdinasir Yusuf Osman Farah Mahad Jamal Abdiaziz Aden"),
        "female": _names("Fadumo Hawa Khadra Asha Halima Ladan Faiza Sadia Zamzam Shamso Fartun Nimo"),
    },
    PAKISTANI: {
        "male": _names("Imran Faisal Adeel Sohail Tariq Asif Kamran Waqas Shahid Rizwan Javed Nadeem Zahid Arshad"),
        "female": _names("Nadia Sadia Samina Shazia Nazia Mehwish Rubina Farah Saima Uzma Ghazala Tahira"),
    },
    POLISH: {
        "male": _names("Piotr Tomasz Paweł Marcin Adam Wojciech Grzegorz Rafał Andrzej Marek"),
        "female": _names("Agnieszka Katarzyna Magdalena Anna Joanna Monika Ewa Marta Beata Dorota"),
    },
    IRAQI_KURDISH: {
        "male": _names("Dilshad Sarkawt Ayad Omar Kamaran Hemin Salar Jalal Haidar Sabah"),
        "female": _names("Nasrin Shirin Golala Kazhal Huda Suaad Parwin Nazanin Layla Bushra"),
    },
    ERITREAN: {
        "male": _names("Tesfay Habtom Yemane Mehari Goitom Tekle Berhane Kidane Ghebre Michael"),
        "female": _names("Abeba Aster Tsega Hiwet Letteberhan Mebrat Almaz Saba Azieb Senait"),
    },
    VIETNAMESE: {
        "male": _names("Hung Thanh Dung Hai Hieu Son Tuan Vinh Cuong Dat"),
        "female": _names("Lan Hoa Hanh Yen Nhung Trinh Hong Thuy Loan Huong"),
    },
}

LAST_NAMES: dict[str, tuple[str, ...]] = {
    NORWEGIAN: _names(
        "Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Johnsen Pettersen"
        " Eriksen Berg Haugen Hagen Johannessen Andreassen Jacobsen Dahl Jørgensen Henriksen Lund Halvorsen"
        " Sørensen Moen Gundersen Iversen Strand Solberg Svendsen Eide Knutsen Martinsen Paulsen Bakken Mathisen"
        " Lie Amundsen Rønning Bråten Holm Sæther Myhre Ødegård Løken Nordby Tangen Østby Aasen"
    ),
    SOMALI: _names(
        "Ali Mohamed Hassan Abdi Ahmed Farah Warsame Jama Osman Hussein Yusuf Nur Omar Aden Mohamud Egal Dahir"
        " Abdullahi Ismail Haji Duale Hirsi Samatar Elmi Gedi"
    ),
    PAKISTANI: _names(
        "Khan Hussain Ahmed Butt Chaudhry Malik Iqbal Mirza Raja Shah Akhtar Qureshi Aslam Javed Sheikh Rana"
        " Mahmood Anwar Rashid Bhatti Hayat Abbasi Zafar Bibi Kausar"
    ),
    POLISH: _names(
        "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak Dąbrowski"
        " Kozłowski Jankowski Mazur Kwiatkowski Krawczyk Piotrowski Grabowski Pawlak Michalski Król Wieczorek"
        " Jabłoński Wróbel Zawadzki"
    ),
    IRAQI_KURDISH: _names(
        "Abdullah Karim Hassan Rashid Aziz Mahmoud Salih Qadir Hamad Jaff Rahim Ahmad Faraj Hama Amin Mustafa"
        " Othman Saeed Al-Jabouri Al-Rubaie Al-Tamimi Jabbar Kadhim Hussein Muhammad"
    ),
    ERITREAN: _names(
        "Tesfamariam Ghebremedhin Haile Tekle Kidane Berhane Gebremariam Tesfay Woldemichael Habte Mehari Negash"
        " Andemariam Yohannes Ghirmay Asmerom Teklehaimanot Abraha Kahsay Zerai"
    ),
    VIETNAMESE: _names("Nguyen Tran Le Pham Hoang Huynh Phan Vu Vo Dang Bui Do Ho Ngo Duong Ly Truong Dinh"),
}

# The names many youths go by instead of the one in the population register.
PREFERRED_NAMES: dict[str, tuple[str, ...]] = {
    "Mohamed": ("Mo", "Moha"),
    "Muhammad": ("Mo", "Hamudi"),
    "Abdirahman": ("Abdi",),
    "Abdullahi": ("Abdi",),
    "Abdikarim": ("Karim",),
    "Abdirizak": ("Rizak",),
    "Mustafe": ("Musse",),
    "Mustafa": ("Musse",),
    "Abdullah": ("Abdul",),
    "Hibaaq": ("Hiba",),
    "Nasteho": ("Nasti",),
    "Mahnoor": ("Noor",),
    "Daniyal": ("Dani",),
    "Łukasz": ("Lukas",),
    "Wiktoria": ("Vicky",),
    "Zuzanna": ("Zuza",),
    "Natnael": ("Nati",),
    "Amanuel": ("Amani",),
    "Biniam": ("Bini",),
    "Yohannes": ("Johnny",),
    "Freweyni": ("Frewi",),
    "Huy": ("Henry",),
    "Quang": ("Kevin",),
    "Phuong": ("Fiona",),
    "Sebastian": ("Seb",),
    "Kristoffer": ("Kris",),
    "Theodor": ("Theo",),
    "Mathilde": ("Tilde",),
    "Johannes": ("Jo",),
    "Alexander": ("Alex",),
}
# Chosen names of youths who do not go by the gender in the register.
NEUTRAL_NAMES: tuple[str, ...] = _names("Alex Kim Robin Eli Sam Noa Charlie Ari")

# Streets in the three districts with a full demo, for the families' addresses.
STREETS: dict[str, tuple[str, ...]] = {
    "Bjerke": (
        "Trondheimsveien",
        "Veitvetveien",
        "Veitvetsletta",
        "Statsråd Mathiesens vei",
        "Linderudkollen",
        "Tonsenveien",
        "Årvollveien",
        "Refstadveien",
        "Rødtvetveien",
        "Økernveien",
    ),
    "Alna": (
        "Haugerudveien",
        "Tvetenveien",
        "Tevlingveien",
        "Lindebergåsen",
        "Smalvollveien",
        "Ole Reistads vei",
        "Jerikoveien",
        "Gransdalen",
        "Trosterudveien",
        "Strømsveien",
    ),
    "Søndre Nordstrand": (
        "Holmliaveien",
        "Mortensrudveien",
        "Hauketoveien",
        "Rosenholmveien",
        "Lofsrudhøgda",
        "Gamle Hobølvei",
        "Prinsdalsskogen",
        "Bjørnerudveien",
        "Ljabruveien",
        "Stenbråtlia",
    ),
}

# The postal code of each street above (roughly right; a long street may have others).
POSTAL_CODES: dict[str, str] = {
    "Trondheimsveien": "0596",
    "Veitvetveien": "0596",
    "Veitvetsletta": "0596",
    "Statsråd Mathiesens vei": "0594",
    "Linderudkollen": "0594",
    "Tonsenveien": "0587",
    "Årvollveien": "0590",
    "Refstadveien": "0589",
    "Rødtvetveien": "0955",
    "Økernveien": "0580",
    "Haugerudveien": "0673",
    "Tvetenveien": "0661",
    "Tevlingveien": "1081",
    "Lindebergåsen": "1068",
    "Smalvollveien": "0667",
    "Ole Reistads vei": "1068",
    "Jerikoveien": "1067",
    "Gransdalen": "0667",
    "Trosterudveien": "0687",
    "Strømsveien": "0668",
    "Holmliaveien": "1254",
    "Mortensrudveien": "1283",
    "Hauketoveien": "1266",
    "Rosenholmveien": "1252",
    "Lofsrudhøgda": "1281",
    "Gamle Hobølvei": "1284",
    "Prinsdalsskogen": "1265",
    "Bjørnerudveien": "1266",
    "Ljabruveien": "1295",
    "Stenbråtlia": "1283",
}

# Places in the three districts where followers meet the youths, as a contact log names them:
# a walk, a shopping centre (and its café), a station, a sports ground or hall.
PLACES: dict[str, dict[str, tuple[str, ...]]] = {
    "Bjerke": {
        "walk": (
            "Årvoll gård",
            "Linderud gård",
            "Veitvetparken",
            "Lillomarka ved Linderudkollen",
            "Alnaelva ved Økern",
        ),
        "centre": ("Linderud senter", "Veitvet senter", "Økern senter", "Årvoll senter"),
        "station": ("Veitvet T-bane", "Linderud T-bane", "Økern T-bane", "Risløkka T-bane"),
        "sports": ("kunstgressbanen på Linderud", "Tonsenhallen", "ballbingen på Veitvet"),
    },
    "Alna": {
        "walk": ("Alnaelva ved Alnaparken", "Lutvann", "Ellingsrudåsen", "Østmarka ved Haugerud"),
        "centre": ("Furuset senter", "Haugerud senter", "Tveita senter", "Lindeberg senter"),
        "station": ("Furuset T-bane", "Haugerud T-bane", "Trosterud T-bane", "Lindeberg T-bane"),
        "sports": ("Furuset Forum", "kunstgressbanen på Furuset", "ballbingen på Haugerud"),
    },
    "Søndre Nordstrand": {
        "walk": ("Hvervenbukta", "Ljanselva", "Bjørndalsskogen", "Gjersjøen"),
        "centre": ("Holmlia senter", "Mortensrud senter", "Bjørndal senter"),
        "station": ("Mortensrud T-bane", "Holmlia stasjon", "Hauketo stasjon"),
        "sports": ("Holmlia idrettsplass", "Mortensrudhallen", "ballbingen på Bjørndal"),
    },
}

# Where youths with a duty to report (meldeplikt) report, by district.
POLICE_STATIONS: dict[str, str] = {
    "Bjerke": "Stovner politistasjon",
    "Alna": "Stovner politistasjon",
    "Søndre Nordstrand": "Manglerud politistasjon",
}

_POLISH_FEMININE = (("dzki", "dzka"), ("ski", "ska"), ("cki", "cka"))


def feminine_surname(origin: str, surname: str) -> str:
    """The surname as a woman or girl of this background carries it (Kowalski → Kowalska)."""
    if origin == POLISH:
        for masculine, feminine in _POLISH_FEMININE:
            if surname.endswith(masculine):
                return surname[: -len(masculine)] + feminine
    return surname


_ASCII = str.maketrans({"æ": "ae", "ø": "o", "å": "aa", "ł": "l", "đ": "d", " ": "-"})


def ascii_slug(text: str) -> str:
    """Lower-case ASCII for e-mail addresses and host names: æ→ae, ø→o, å→aa, other accents dropped."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_ASCII))
    return "".join(char for char in decomposed if char.isascii() and (char.isalnum() or char in "-."))
