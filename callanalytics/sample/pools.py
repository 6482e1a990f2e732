"""What the sample draws from: names, places, campaigns, dispositions, affiliates, offers and
phone numbers in service, and the three numpy draws every generator uses."""

from __future__ import annotations

import numpy as np

FIRST_NAMES = (
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth María José Aaliyah "
    "Nguyễn Zoë O'Brien"
).split()
LAST_NAMES = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernández Lopez "
    "O'Neil Nguyen Kim Müller"
).split()
#: state, time zone, ZIP prefix (New England and New Jersey ZIPs start with a zero), city
PLACES = [
    ("MA", "America/New_York", "021", "Boston"),
    ("NJ", "America/New_York", "070", "Newark"),
    ("NY", "America/New_York", "100", "New York"),
    ("FL", "America/New_York", "331", "Miami"),
    ("TX", "America/Chicago", "750", "Dallas"),
    ("IL", "America/Chicago", "606", "Chicago"),
    ("CO", "America/Denver", "802", "Denver"),
    ("AZ", "America/Phoenix", "850", "Phoenix"),
    ("CA", "America/Los_Angeles", "900", "Los Angeles"),
    ("CT", "America/New_York", "061", "Hartford"),
]
#: Index of New York in PLACES (a hurried Florida lead becomes one: the same zone).
NEW_YORK = 2
CAMPAIGNS = [
    ("10452", "Medicare Advantage Q4"),
    ("10453", "Auto Insurance Renewals"),
    ("10471", "Solar Web Leads"),
    ("10488", "Debt Relief Inbound Callbacks"),
]
#: The agent dispositions: the two sales first.
AGENT_DISPOSITIONS = [
    "Sale",
    "Sale - Upsell",
    "Not Interested",
    "Callback Requested",
    "Do Not Call",
    "Wrong Number",
    "Left Voicemail",
]
#: How often the dialer ends a pass without an agent, by pass disposition.
SYSTEM_WEIGHTS = {
    "NOANSWER": 0.34,
    "MACHINE": 0.24,
    "BUSY": 0.08,
    "INTERCEPT": 0.03,
    "CONGESTION": 0.02,
    "ABANDON": 0.05,
    "ANSWER-NOT-PERSON": 0.04,
}
AFFILIATES = [  # name, share of traffic, qualification rate, payout
    ("BlueSky Media", 0.22, 0.62, "18.00"),
    ("CallRoute Partners", 0.18, 0.48, "22.50"),
    ("Delta Leads", 0.15, 0.71, "15.00"),
    ("Evergreen Digital", 0.12, 0.40, "30.00"),
    ("Fastlane Marketing", 0.11, 0.55, "25.00"),
    ("Granite Performance", 0.09, 0.35, "40.00"),
    ("Harbor Call Co", 0.08, 0.66, "12.00"),
    ("Ion Affiliates", 0.05, 0.30, "45.00"),
]
OFFERS = [  # advertiser, offer, price, acceptance given affiliate qualification
    ("Acme Insurance", "Final Expense 60s", "45.00", 0.85),
    ("Acme Insurance", "Medicare Supplement", "60.00", 0.80),
    ("Brightline Solar", "Solar Consult 90s", "38.00", 0.70),
    ("Clearpath Debt", "Debt Relief 120s", "55.00", 0.75),
    ("Summit Home", "Home Warranty", "27.50", 0.90),
]
LEAD_STATUSES = ["Connected", "No Buyer", "Hang Up", "Affiliate Cap"]

# Area codes in service, so every generated number is a valid one (phonenumbers agrees).
AREA_CODES = np.array(
    """201 202 203 205 206 207 208 209 210 212 213 214 215 216 217 218 219 224 225 228 229 231
    234 239 240 248 251 252 253 254 256 260 262 267 269 270 272 276 281 301 302 303 304 305 307
    308 309 310 312 313 314 315 316 317 318 319 320 321 323 325 330 331 334 336 337 339 347 351
    352 360 361 385 386 401 402 404 405 406 407 408 409 410 412 413 414 415 417 419 423 424 425
    430 432 434 435 440 443 469 470 475 478 479 480 484 501 502 503 504 505 507 508 509 510 512
    513 515 516 517 518 520 530 540 541 551 559 561 562 563 567 570 571 573 574 575 580 585 586
    601 602 603 605 606 607 608 609 610 612 614 615 616 617 618 619 620 623 626 630 631 636 641
    646 650 651 660 661 662 678 682 701 702 703 704 706 707 708 712 713 714 715 716 717 718 719
    720 724 727 731 732 734 740 754 757 760 763 765 770 772 773 774 775 781 785 786 801 802 803
    804 805 806 808 810 812 813 814 815 816 817 818 828 830 831 832 843 845 847 848 850 856 857
    858 859 860 862 863 864 865 870 878 901 903 904 906 907 908 909 910 912 913 914 915 916 917
    918 919 920 925 928 931 936 937 940 941 947 949 951 952 954 956 970 971 972 973 978 979 980
    985 989""".split()
)


def place_column(places: np.ndarray, field: int) -> np.ndarray:
    """One field of PLACES (0 state, 1 zone, 2 ZIP prefix, 3 city) for each index.

    Example:
        >>> place_column(np.array([0, 8]), 0).tolist()
        ['MA', 'CA']
    """
    return np.array([PLACES[i][field] for i in places], dtype=str)


def choice(rng: np.random.Generator, values: list, size: int, p=None) -> np.ndarray:
    """``size`` draws from ``values`` (as an object array, so None stays None)."""
    index = rng.choice(len(values), size=size, p=p)
    return np.asarray(values, dtype=object)[index]


def digits(rng: np.random.Generator, size: int, width: int) -> np.ndarray:
    """``size`` strings of ``width`` random digits, leading zeros kept."""
    numbers = rng.integers(0, 10**width, size=size, dtype=np.int64)
    return np.char.zfill(numbers.astype(str), width)


def phones(rng: np.random.Generator, size: int) -> np.ndarray:
    """Ten-digit US numbers with an area code in service and an exchange from 200 to 999.

    Example:
        >>> [len(p) for p in phones(np.random.default_rng(0), 2)]
        [10, 10]
    """
    area = AREA_CODES[rng.integers(201, 990, size=size) % len(AREA_CODES)]
    number = rng.integers(0, 10**7, size=size, dtype=np.int64)
    exchange = (200 + (number // 10_000) % 800).astype(str)
    line = np.char.zfill((number % 10_000).astype(str), 4)
    return np.char.add(np.char.add(area, exchange), line)
