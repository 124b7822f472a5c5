"""Indonesian (mostly Javanese, East Java) personal names for synthetic residents.

Names follow generations: people born before about 1965 mostly carry one
Javanese name (Suminah, Darmo), their children two Indonesian ones (Sri
Wahyuni, Agus Santoso), and today's children Arabic- or modern-flavoured ones
(Aisyah Putri, Arkan Maulana). A second, family-like name is common but not a
surname: siblings do not share it, which is how it is in Java.
"""

from __future__ import annotations

import random

from simpul.demo.rand import choice

# Given names by sex and by birth cohort.
MALE_OLD = (
    "Darmo", "Paijo", "Kusnan", "Wagiman", "Sumarno", "Sutrisno", "Karyono", "Sukiman", "Ngadiman", "Suparman",
    "Kasiman", "Rusdi", "Marsudi", "Tukiman", "Sarmin", "Sugiono", "Kasno", "Legiman", "Sunardi", "Parman",
    "Mulyono", "Suwarno", "Slamet", "Jumadi", "Supardi", "Rasimin", "Karsono", "Jaimun", "Dakir", "Samsuri",
)
MALE_MIDDLE = (
    "Agus", "Budi", "Bambang", "Joko", "Heru", "Eko", "Dwi", "Tri", "Wahyu", "Hadi", "Sugeng", "Teguh", "Rudi",
    "Andi", "Arif", "Edi", "Hari", "Imam", "Yudi", "Didik", "Hendro", "Nanang", "Anang", "Totok", "Bagus",
    "Dedy", "Sigit", "Yusuf", "Ahmad", "Muhammad", "Abdul", "Rahmat", "Fauzi", "Ari", "Hendra", "Adi", "Dimas",
)
MALE_YOUNG = (
    "Rizky", "Fajar", "Bayu", "Yoga", "Aditya", "Ilham", "Fikri", "Rafi", "Farhan", "Alif", "Dafa", "Arkan",
    "Zidan", "Raka", "Keenan", "Rayyan", "Kenzo", "Azka", "Fathan", "Naufal", "Daffa", "Gibran", "Aditia",
    "Reza", "Galang", "Bima", "Satria", "Rehan", "Akbar", "Zaki", "Danendra", "Abizar", "Athar", "Alvaro",
)
FEMALE_OLD = (
    "Suminah", "Paini", "Tukinah", "Sarmi", "Juminten", "Rukmini", "Painem", "Kasiyem", "Sumiati", "Sulastri",
    "Suwarni", "Tumini", "Sainah", "Ngatini", "Poniyem", "Sukarti", "Legini", "Kasmirah", "Muntamah", "Suparti",
    "Sarminah", "Katijah", "Rasmini", "Wagiyem", "Mukini", "Ponirah", "Sutinah", "Jumiati", "Marsini", "Siti",
)
FEMALE_MIDDLE = (
    "Siti", "Sri", "Dewi", "Rina", "Wati", "Yuliana", "Endang", "Tutik", "Ani", "Nur", "Lestari", "Ratna", "Indah",
    "Dian", "Fitri", "Nurul", "Eni", "Yanti", "Umi", "Ika", "Lilik", "Rini", "Susi", "Erna", "Tri", "Dwi",
    "Wahyuni", "Kartika", "Novi", "Nita", "Yuni", "Anik", "Mamik", "Diah", "Heni", "Istiqomah", "Khoiriyah",
)
FEMALE_YOUNG = (
    "Aisyah", "Zahra", "Nabila", "Salsabila", "Keisha", "Alya", "Kirana", "Putri", "Ayu", "Nadia", "Amelia",
    "Naura", "Adinda", "Azzahra", "Khansa", "Aqila", "Shafa", "Najwa", "Citra", "Anindya", "Kayla", "Almira",
    "Nayla", "Syifa", "Hafsah", "Humaira", "Mikhayla", "Arsyila", "Zhafira", "Anisa", "Dinda", "Bunga",
)
# Second names: family-ish, but chosen per person.
SECOND_MALE = (
    "Santoso", "Wibowo", "Susanto", "Purnomo", "Setiawan", "Prasetyo", "Hidayat", "Nugroho", "Saputra",
    "Kurniawan", "Firmansyah", "Pratama", "Ramadhan", "Maulana", "Hermawan", "Gunawan", "Wijaya", "Syahputra",
    "Hakim", "Rohman", "Efendi", "Supriyadi", "Sulistyo", "Wicaksono", "Budiman", "Putra", "Akbar", "Fauzan",
)
SECOND_FEMALE = (
    "Rahmawati", "Lestari", "Wulandari", "Handayani", "Utami", "Pratiwi", "Maharani", "Anggraini", "Permatasari",
    "Rahayu", "Susanti", "Kusumawati", "Setyaningsih", "Purwanti", "Safitri", "Ramadhani", "Oktaviani",
    "Puspitasari", "Nurhayati", "Aminah", "Khasanah", "Fadilah", "Putri", "Azzahra", "Hidayah", "Febrianti",
)

# Street, hamlet and posyandu naming.
STREETS = (
    "Melati", "Mawar", "Kenanga", "Diponegoro", "Gajah Mada", "Hayam Wuruk", "Brawijaya", "Majapahit",
    "Kartini", "Pahlawan", "Merdeka", "Cempaka", "Anggrek", "Kedondong", "Semeru", "Bromo", "Welirang",
    "Sumatra", "Jawa", "Bali", "Raya", "Pemuda", "Veteran", "Kusuma Bangsa", "Mojopahit", "Surodinawan",
)
HAMLETS = (
    "Krajan", "Sumberejo", "Kedungrejo", "Sidomulyo", "Ngasem", "Tegalrejo", "Karanganyar", "Sukorejo",
    "Bendungan", "Kalianyar", "Wonorejo", "Mulyorejo", "Sambirejo", "Jatirejo", "Banjarsari", "Dukuh",
)
FLOWERS = (
    "Melati", "Mawar", "Anggrek", "Kenanga", "Dahlia", "Flamboyan", "Cempaka", "Teratai", "Kamboja", "Seruni",
    "Bougenville", "Tulip", "Nusa Indah", "Edelweis", "Sakura", "Lili", "Asoka", "Kemuning",
)


def _given_pool(sex: str, birth_year: int) -> tuple[str, ...]:
    if birth_year < 1965:
        return MALE_OLD if sex == "M" else FEMALE_OLD
    if birth_year < 1995:
        return MALE_MIDDLE if sex == "M" else FEMALE_MIDDLE
    return MALE_YOUNG if sex == "M" else FEMALE_YOUNG


def person_name(rng: random.Random, sex: str, birth_year: int) -> str:
    """A plausible full name for someone of this sex born in this year."""
    given = choice(rng, _given_pool(sex, birth_year))
    # Older Javanese mostly have a single name; younger generations usually two.
    second_p = 0.2 if birth_year < 1965 else (0.65 if birth_year < 1995 else 0.9)
    if rng.random() >= second_p:
        return given
    seconds = SECOND_MALE if sex == "M" else SECOND_FEMALE
    second = choice(rng, seconds)
    if second == given:
        return given
    return f"{given} {second}"


def woman_name(rng: random.Random, birth_year: int) -> str:
    """A mother's name for someone whose mother is not in the household."""
    return person_name(rng, "F", birth_year)
