#!/usr/bin/env python3
"""Generate languages.csv, the language codes that kirjo-domain accepts.

Rows: every ISO 639-1 code that pycountry knows (its data comes from the
Debian iso-codes project, which follows the ISO 639-3 registration
authority), plus Inari Sami (smn) and Skolt Sami (sms), which have only ISO
639-3 codes but are languages of Finland (Saamelaiskäräjälaki / the Sami
Language Act 1086/2003 names Northern, Inari and Skolt Sami).

English names are the ISO reference names, with the "(macrolanguage)"
qualifier dropped and a few dated reference names replaced (see EN_OVERRIDE).
Finnish and Swedish names are written by hand below for the languages most
often met in Finnish social services, in lower case as both languages write
language names; they are left empty for the rest, and the Rust code falls
back to the English name.

Usage: pip install pycountry && python3 gen_languages.py > languages.csv
"""

import sys

import pycountry

EXTRA_639_3 = ["smn", "sms"]

EN_OVERRIDE = {
    "el": "Greek",
    "ps": "Pashto",
    "pa": "Punjabi",
    "ky": "Kyrgyz",
    "ug": "Uyghur",
}

# code: (Finnish, Swedish)
FI_SV = {
    "fi": ("suomi", "finska"),
    "sv": ("ruotsi", "svenska"),
    "se": ("pohjoissaame", "nordsamiska"),
    "smn": ("inarinsaame", "enaresamiska"),
    "sms": ("koltansaame", "skoltsamiska"),
    "en": ("englanti", "engelska"),
    "ru": ("venäjä", "ryska"),
    "et": ("viro", "estniska"),
    "so": ("somali", "somaliska"),
    "ar": ("arabia", "arabiska"),
    "fa": ("persia", "persiska"),
    "ku": ("kurdi", "kurdiska"),
    "tr": ("turkki", "turkiska"),
    "uk": ("ukraina", "ukrainska"),
    "vi": ("vietnam", "vietnamesiska"),
    "th": ("thai", "thailändska"),
    "zh": ("kiina", "kinesiska"),
    "de": ("saksa", "tyska"),
    "fr": ("ranska", "franska"),
    "es": ("espanja", "spanska"),
    "pl": ("puola", "polska"),
    "sq": ("albania", "albanska"),
    "bs": ("bosnia", "bosniska"),
    "hr": ("kroatia", "kroatiska"),
    "sr": ("serbia", "serbiska"),
    "sh": ("serbokroaatti", "serbokroatiska"),
    "ro": ("romania", "rumänska"),
    "hu": ("unkari", "ungerska"),
    "lt": ("liettua", "litauiska"),
    "lv": ("latvia", "lettiska"),
    "pt": ("portugali", "portugisiska"),
    "it": ("italia", "italienska"),
    "ne": ("nepali", "nepali"),
    "ti": ("tigrinja", "tigrinja"),
    "am": ("amhara", "amhariska"),
    "ps": ("pašto", "pashto"),
    "da": ("tanska", "danska"),
    "no": ("norja", "norska"),
    "nb": ("norjan bokmål", "norskt bokmål"),
    "nn": ("uusnorja", "nynorska"),
    "is": ("islanti", "isländska"),
    "fo": ("fääri", "färöiska"),
    "kl": ("grönlanti", "grönländska"),
    "nl": ("hollanti", "nederländska"),
    "el": ("kreikka", "grekiska"),
    "cs": ("tšekki", "tjeckiska"),
    "sk": ("slovakki", "slovakiska"),
    "sl": ("sloveeni", "slovenska"),
    "bg": ("bulgaria", "bulgariska"),
    "mk": ("makedonia", "makedonska"),
    "be": ("valkovenäjä", "belarusiska"),
    "ja": ("japani", "japanska"),
    "ko": ("korea", "koreanska"),
    "hi": ("hindi", "hindi"),
    "ur": ("urdu", "urdu"),
    "bn": ("bengali", "bengali"),
    "ta": ("tamili", "tamil"),
    "tl": ("tagalog", "tagalog"),
    "id": ("indonesia", "indonesiska"),
    "ms": ("malaiji", "malajiska"),
    "my": ("burma", "burmesiska"),
    "km": ("khmer", "khmer"),
    "lo": ("lao", "laotiska"),
    "mn": ("mongoli", "mongoliska"),
    "he": ("heprea", "hebreiska"),
    "yi": ("jiddiš", "jiddisch"),
    "sw": ("swahili", "swahili"),
    "ka": ("georgia", "georgiska"),
    "hy": ("armenia", "armeniska"),
    "az": ("azeri", "azerbajdzjanska"),
    "kk": ("kazakki", "kazakiska"),
    "uz": ("uzbekki", "uzbekiska"),
    "tg": ("tadžikki", "tadzjikiska"),
    "tk": ("turkmeeni", "turkmeniska"),
    "ky": ("kirgiisi", "kirgiziska"),
    "tt": ("tataari", "tatariska"),
    "ce": ("tšetšeeni", "tjetjenska"),
    "ug": ("uiguuri", "uiguriska"),
    "ha": ("hausa", "hausa"),
    "ig": ("igbo", "igbo"),
    "om": ("oromo", "oromo"),
    "ln": ("lingala", "lingala"),
    "wo": ("wolof", "wolof"),
    "af": ("afrikaans", "afrikaans"),
    "zu": ("zulu", "zulu"),
    "xh": ("xhosa", "xhosa"),
    "si": ("sinhala", "singalesiska"),
    "mt": ("malta", "maltesiska"),
    "lb": ("luxemburg", "luxemburgiska"),
    "ga": ("iiri", "iriska"),
    "cy": ("kymri", "kymriska"),
    "eu": ("baski", "baskiska"),
    "ca": ("katalaani", "katalanska"),
    "gl": ("galicia", "galiciska"),
    "la": ("latina", "latin"),
    "eo": ("esperanto", "esperanto"),
    "bo": ("tiibet", "tibetanska"),
    "mg": ("malagassi", "malagassiska"),
}


def english(lang):
    code = getattr(lang, "alpha_2", lang.alpha_3)
    if code in EN_OVERRIDE:
        return EN_OVERRIDE[code]
    return lang.name.replace(" (macrolanguage)", "")


def main():
    rows = []
    for lang in pycountry.languages:
        if hasattr(lang, "alpha_2"):
            rows.append((lang.alpha_2, english(lang)))
    for code in EXTRA_639_3:
        lang = pycountry.languages.get(alpha_3=code)
        rows.append((code, english(lang)))
    rows.sort()

    codes = {code for code, _ in rows}
    missing = sorted(set(FI_SV) - codes)
    if missing:
        sys.exit(f"hand-written names for unknown codes: {missing}")
    if len(codes) != len(rows):
        sys.exit("duplicate codes")

    out = sys.stdout
    out.write(
        "# ISO 639-1 codes plus Inari Sami (smn) and Skolt Sami (sms) from ISO 639-3;"
        " English names from ISO 639 via pycountry, Finnish and Swedish by hand"
        " (empty: use English). Generated by gen_languages.py.\n"
    )
    out.write("code,name_en,name_fi,name_sv\n")
    for code, en in rows:
        fi, sv = FI_SV.get(code, ("", ""))
        for field in (code, en, fi, sv):
            if "," in field or "\n" in field or '"' in field:
                sys.exit(f"field needs quoting: {field!r}")
        out.write(f"{code},{en},{fi},{sv}\n")


if __name__ == "__main__":
    main()
