"""What the demo draws from: Javanese names by sex and generation, places, occupations, family planning,
causes of death, the shapes of households, fertility by age and a rough life table."""

from __future__ import annotations

import itertools

# Older generation (born before ~1975): mostly one-word Javanese names.
OLD_MALE = (
    "Sukiman Paijo Sutarno Suparman Slamet Wagiman Sarno Karto Suwarno Parmin Tukiran Sumarno Supardi "
    "Mulyono Sugiyono Kasiman Poniman Wiryo Harjo Sastro Marto Suradi Sukardi Sunarto Wardoyo Ngadiman "
    "Sadimin Legiman Jumadi Samijo Tumino Prapto Mujiono Suroso Rahmat Darmo Kusno Wakijo Sutrisno "
    "Mardi Sudarmo Sumardi Suyatno Paimin Pairan Daliman Sadiyo Kliwon Ponijan Ngatijo Partono Sarjono "
    "Sukijan Tarno Wiyono Dalimin Sumadi Juwadi Warsito Kamto Tukimin Sutopo"
).split()
OLD_FEMALE = (
    "Sukinem Tukiyem Paiyem Painem Sumiyati Suparmi Sri Wagiyem Ngatinem Tumini Sumarni Poniyem Suwarni "
    "Jumiyem Sarinah Partini Kasinem Tuminah Sulastri Suyatmi Marsini Sukarti Parinem Wartini Ngadinah "
    "Sainem Legiyem Kamisah Rubiyah Sutini Satinah Sumirah Wakinem Katinem Mujiyem Rukiyah Wasiyah "
    "Darsini Tarmi Supiyah Siti Muryani Suginem Ponirah Sadiyem Karsih Wiji Mursinah Juminten Sriyatun "
    "Warsinah Jamilah Tukinah Samini Ngadiyem Sukirah Paijem Sumini Kemi Tarsih"
).split()
# Born ~1975-1995.
MID_MALE = (
    "Agus Budi Joko Bambang Eko Heru Hadi Dwi Teguh Wahyu Yudi Bayu Anton Slamet Tri Rudi Sigit Arif "
    "Hendro Puji Nanang Yanto Catur Dedi Edi Hari Purwanto Susanto Prasetyo Widodo Nugroho Setiawan "
    "Kurniawan Haryanto Wibowo Gunawan Riyanto Sugeng Sapto Yoga Ari Andi Doni Feri Gatot Imam Joni "
    "Kris Lilik Marno Narto Rohmat Rokhim Sodik Taufik Untung Wawan Yusuf Zainal Ahmad Mohamad"
).split()
MID_FEMALE = (
    "Sri Dwi Tri Endang Rini Wahyuni Sulistyowati Purwanti Yuliani Siti Nur Ani Eni Lestari Handayani "
    "Sumarsih Kartini Tutik Yati Retno Dewi Wulan Suryani Ningsih Rahayu Astuti Setyowati Rusmini "
    "Maryati Suprapti Winarti Mulyani Indah Ika Umi Fitri Lilis Murni Ratna Sari Yuli Evi Heni Atik "
    "Anik Titik Ernawati Kustini Nurul Istiqomah Khotimah Musrifah Rohmah Sholikhah Wiwik Yayuk Erni"
).split()
# Born after ~1995.
NEW_MALE = (
    "Muhammad Rizky Fajar Dimas Aditya Bagus Ilham Rafi Galih Reza Yoga Danu Arya Bima Satria Dafa Fikri "
    "Rendi Aldi Farhan Naufal Haikal Akbar Alif Zaki Rafa Arkan Azka Fatih Kenzo Raka Daffa Gilang Hafiz "
    "Irfan Kevin Lutfi Nanda Rehan Restu Rangga Rizal Surya Tegar Wisnu Yusuf Zidan Abimanyu Bintang "
    "Danendra Evan Hanif Ibnu Juna Keenan Malik Nizam Pandu Raditya Shaka"
).split()
NEW_FEMALE = (
    "Aisyah Putri Nadia Salsabila Anisa Zahra Nabila Aulia Dinda Intan Rahma Alya Citra Dewi Fitria "
    "Hana Kirana Laila Nayla Rania Syifa Tiara Vina Wulan Yasmin Zaskia Amelia Azzahra Bunga Cahya "
    "Delima Elsa Fani Ghina Hasna Ilma Jihan Khansa Latifa Maharani Nurul Oktavia Permata Qonita "
    "Rizka Sekar Tsabita Ulya Vania Widya Yumna Zalfa Adinda Almira Anindya Aqila Arumi Kayla"
).split()
SECOND_MALE = (
    "Santoso Prasetyo Wibowo Saputra Nugroho Setiawan Kurniawan Pratama Hidayat Wijaya Purnomo Susilo "
    "Permana Ramadhan Firmansyah Maulana Hakim Syahputra Adi Putra Hermawan Sulistyo Utomo Wicaksono "
    "Wardana Aditama Nurrohman Riyadi Saifudin Mustofa"
).split()
SECOND_FEMALE = (
    "Wahyuni Lestari Rahayu Handayani Susanti Wulandari Safitri Puspitasari Rahmawati Anggraini "
    "Kurniasih Pertiwi Ningrum Utami Maharani Ramadhani Nurhayati Setyaningsih Purwaningsih Astuti "
    "Fitriani Indriani Oktaviani Permatasari Kusumawati Nurjanah Solikhah Damayanti Hapsari Azizah"
).split()

DUSUN_NAMES = (
    "Krajan Kauman Ngasem Karanganyar Sidomulyo Kedungrejo Sumberan Ngemplak Kalisat Pucung Gunungsari "
    "Sendang Tegalsari Jetis Ngrandu Wonosari Kebonagung Klepu Dukuh Banaran Kedondong Gedangan Sawahan "
    "Kalipucang Ngaglik Bulu Watugajah Kaliwatu Sabrang Ngrapah Plumbon Sidoharjo Kepuh Ngampel Glagah"
).split()
DASAWISMA_NAMES = [
    "Mawar",
    "Melati",
    "Anggrek",
    "Kenanga",
    "Dahlia",
    "Flamboyan",
    "Cempaka",
    "Teratai",
    "Tulip",
    "Seruni",
    "Kamboja",
    "Bougenville",
    "Lily",
    "Sakura",
    "Asoka",
    "Kantil",
    "Soka",
    "Aster",
    "Lavender",
    "Edelweis",
    "Gardenia",
    "Alamanda",
    "Nusa Indah",
    "Krisan",
    "Sedap Malam",
]
TEMPAT_LAHIR = ["Magelang", "Kebumen", "Wonosobo", "Yogyakarta", "Kulon Progo", "Semarang", "Jakarta", "Banyumas"]
PEKERJAAN_L = [
    ("Petani", 30),
    ("Buruh tani", 14),
    ("Wiraswasta", 12),
    ("Buruh harian lepas", 12),
    ("Karyawan swasta", 10),
    ("Pedagang", 7),
    ("Tukang kayu", 3),
    ("Sopir", 3),
    ("PNS", 3),
    ("Guru", 2),
    ("Perangkat desa", 1),
]
PEKERJAAN_P = [
    ("Mengurus rumah tangga", 40),
    ("Petani", 15),
    ("Pedagang", 12),
    ("Buruh tani", 8),
    ("Wiraswasta", 8),
    ("Karyawan swasta", 8),
    ("Buruh harian lepas", 4),
    ("Guru", 3),
    ("PNS", 2),
]
JENIS_KB = [("Suntik", 45), ("Pil", 15), ("Implan", 12), ("IUD", 12), ("MOW", 6), ("Kondom", 4), ("MOP", 1)]
SEBAB_MENINGGAL = ["Sakit", "Usia lanjut", "Sakit jantung", "Stroke", "Kecelakaan", "Demam berdarah"]

# Age-specific fertility (births per woman per year) by 5-year group from 15 (Central Java, TFR ~2.2).
ASFR = {15: 0.032, 20: 0.105, 25: 0.128, 30: 0.108, 35: 0.064, 40: 0.022, 45: 0.004}
# Annual probability of dying by age group (rough life table).
MORTALITY = [
    (1, 0.015),
    (5, 0.001),
    (15, 0.0004),
    (40, 0.001),
    (50, 0.003),
    (60, 0.007),
    (70, 0.018),
    (80, 0.045),
    (90, 0.10),
    (200, 0.18),
]

YEAR = 365.2425


class Weighted:
    """A constant discrete distribution, drawn by bisecting cumulative weights."""

    def __init__(self, pairs):
        self.values = [v for v, _ in pairs]
        self.cum = list(itertools.accumulate(w for _, w in pairs))
        self.total = self.cum[-1]


W_RT_SIZE = Weighted([(1, 2), (2, 4), (3, 3), (4, 1)])  # dasawisma per RT
W_HEAD_AGE = Weighted([((25, 34), 22), ((35, 44), 28), ((45, 54), 27), ((55, 64), 17), ((65, 75), 6)])
W_PENDIDIKAN_OLD = Weighted(
    [("tidak_sekolah", 15), ("tidak_tamat_sd", 25), ("sd", 40), ("smp", 10), ("sma", 8), ("s1", 2)]
)
W_PENDIDIKAN_MID = Weighted([("tidak_tamat_sd", 8), ("sd", 35), ("smp", 25), ("sma", 24), ("diploma", 3), ("s1", 5)])
W_PENDIDIKAN_NEW = Weighted([("sd", 8), ("smp", 22), ("sma", 48), ("diploma", 7), ("s1", 15)])
W_PEKERJAAN_L = Weighted(PEKERJAAN_L)
W_PEKERJAAN_P = Weighted(PEKERJAAN_P)
W_HOUSEHOLD = Weighted(
    [("nuclear", 58), ("extended", 12), ("widow", 12), ("single_parent", 5), ("elderly", 8), ("single", 3)]
)
W_AGAMA = Weighted([("islam", 965), ("kristen", 15), ("katolik", 15), ("buddha", 2), ("hindu", 1), ("kepercayaan", 2)])
W_JENIS_KB = Weighted(JENIS_KB)
ASFR_BY_AGE = [0.0] * 16 + [ASFR[(k // 5) * 5] for k in range(16, 50)] + [0.0] * 200


def asfr(age: int) -> float:
    if age < 15 or age >= 50:
        return 0.0
    return ASFR[(age // 5) * 5]


def mortality(age: int) -> float:
    for limit, q in MORTALITY:
        if age < limit:
            return q
    return MORTALITY[-1][1]
