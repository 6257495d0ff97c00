"""Values for the hand-written development corpus (write_dev_corpus.py): valid check digits and
random-looking secrets. Nothing here writes prompts; every prompt text is written by hand."""
import base64
import json
import random
import string

R = random.Random(20250917)

B62 = string.ascii_letters + string.digits


def rnd(n, alphabet=B62):
    return "".join(R.choice(alphabet) for _ in range(n))


def hexs(n):
    return rnd(n, "0123456789abcdef")


# ------------------------------------------------------------------ checksums

def luhn_digit(body):
    for d in range(10):
        s = body + str(d)
        total = 0
        for i, ch in enumerate(reversed(s)):
            v = int(ch)
            if i % 2 == 1:
                v *= 2
                if v > 9:
                    v -= 9
            total += v
        if total % 10 == 0:
            return str(d)


def card(prefix, length):
    body = prefix + rnd(length - len(prefix) - 1, string.digits)
    return body + luhn_digit(body)


def bad_luhn(prefix, length):
    good = card(prefix, length)
    return good[:-1] + str((int(good[-1]) + 3) % 10)


def group(s, sizes, sep=" "):
    out, i = [], 0
    for n in sizes:
        out.append(s[i:i + n])
        i += n
    if i < len(s):
        out.append(s[i:])
    return sep.join(out)


def iban(cc, bban, spaced=True):
    bban = bban.upper()
    rearranged = bban + cc + "00"
    num = "".join(str(int(c, 36)) for c in rearranged)
    check = 98 - int(num) % 97
    s = f"{cc}{check:02d}{bban}"
    return group(s, [4] * 10) if spaced else s


def bad_iban(cc, bban):
    good = iban(cc, bban, spaced=False)
    wrong = (int(good[2:4]) + 7) % 97 + 2
    return group(f"{cc}{wrong:02d}{good[4:]}", [4] * 10)


def ssn():
    while True:
        area = R.randint(1, 899)
        if area != 666:
            break
    return f"{area:03d}-{R.randint(1, 99):02d}-{R.randint(1, 9999):04d}"


NINO_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
NINO_SECOND = "ABCEGHJKLMNPRSTWXYZ"


def nino(spaced=False):
    while True:
        p = R.choice(NINO_FIRST) + R.choice(NINO_SECOND)
        if p not in ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ"):
            break
    d = rnd(6, string.digits)
    s = R.choice("ABCD")
    return f"{p} {d[:2]} {d[2:4]} {d[4:]} {s}" if spaced else f"{p}{d}{s}"


DNI = "TRWAGMYFPDXBNJZSQVHLCKE"


def dni():
    n = R.randint(10000000, 99999999)
    return f"{n:08d}{DNI[n % 23]}"


def bad_dni():
    good = dni()
    return good[:-1] + DNI[(DNI.index(good[-1]) + 5) % 23]


def nie():
    p = R.choice("XYZ")
    n = R.randint(1000000, 9999999)
    full = int(str("XYZ".index(p)) + f"{n:07d}")
    return f"{p}{n:07d}{DNI[full % 23]}"


def de_tax_check(ten):
    product = 10
    for ch in ten:
        s = (int(ch) + product) % 10
        if s == 0:
            s = 10
        product = (s * 2) % 11
    c = 11 - product
    return "0" if c == 10 else str(c)


def de_tax_id(grouped=False, triple=False):
    digits = list("0123456789")
    while True:
        R.shuffle(digits)
        if digits[0] == "0":
            continue
        if triple:
            ten = digits[:8]
            d = R.choice(ten)
            pos = R.sample(range(1, 10), 2)
            for p in sorted(pos):
                ten.insert(p, d)
            ten = ten[:10]
            s = "".join(ten)
            if any(s[i] == s[i + 1] == s[i + 2] for i in range(8)) or s.count(d) != 3:
                continue
        else:
            ten = digits[:9]
            d = R.choice(ten)
            ten.insert(R.randint(1, 9), d)
            s = "".join(ten)
        if s[0] == "0":
            continue
        counts = sorted((s.count(c) for c in set(s)), reverse=True)
        if counts[0] not in (2, 3) or (len(counts) > 1 and counts[1] > 1):
            continue
        full = s + de_tax_check(s)
        return group(full, [2, 3, 3, 3]) if grouped else full


def bad_de_tax_id():
    good = de_tax_id()
    return good[:-1] + str((int(good[-1]) + 4) % 10)


def nir(sex=None, dept=None, spaced=True):
    sex = sex or R.choice("12")
    yy = f"{R.randint(40, 99):02d}" if R.random() < 0.8 else f"{R.randint(0, 5):02d}"
    mm = f"{R.randint(1, 12):02d}"
    dept = dept or f"{R.choice([1, 6, 13, 31, 33, 35, 44, 59, 67, 69, 75, 92, 93, 94]):02d}"
    commune = f"{R.randint(1, 400):03d}"
    order = f"{R.randint(1, 999):03d}"
    body = f"{sex}{yy}{mm}{dept}{commune}{order}"
    n = int(body.replace("2A", "19").replace("2B", "18"))
    key = f"{97 - n % 97:02d}"
    if spaced:
        return f"{sex} {yy} {mm} {dept} {commune} {order} {key}"
    return body + key


def bad_nir():
    good = nir(spaced=False)
    key = int(good[-2:])
    return group(good[:-2] + f"{(key + 11) % 97 + 1:02d}", [1, 2, 2, 2, 3, 3, 2])


VD = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
      [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
      [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
      [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]
VP = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
      [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
      [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8]]
VINV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]


def verhoeff_ok(s):
    c = 0
    for i, ch in enumerate(reversed(s)):
        c = VD[c][VP[i % 8][int(ch)]]
    return c == 0


def verhoeff_digit(body):
    c = 0
    for i, ch in enumerate(reversed(body)):
        c = VD[c][VP[(i + 1) % 8][int(ch)]]
    return str(VINV[c])


def aadhaar(sep=" "):
    body = str(R.randint(2, 9)) + rnd(10, string.digits)
    full = body + verhoeff_digit(body)
    assert verhoeff_ok(full)
    return group(full, [4, 4, 4], sep) if sep is not None else full


def bad_aadhaar(sep=" "):
    body = str(R.randint(2, 9)) + rnd(10, string.digits)
    good = verhoeff_digit(body)
    full = body + str((int(good) + 1) % 10)
    assert not verhoeff_ok(full)
    return group(full, [4, 4, 4], sep)


# ------------------------------------------------------------------ secrets

def aws_key_id(prefix="AKIA"):
    return prefix + rnd(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def aws_secret():
    return rnd(40, B62 + "/+")


def b64url(obj):
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")


def jwt(payload, alg="HS256"):
    return b64url({"alg": alg, "typ": "JWT"}) + "." + b64url(payload) + "." + rnd(43, B62 + "-_")


def pem_body(lines=4):
    return "\n".join(rnd(64, B62 + "+/") for _ in range(lines))


def password():
    return rnd(4, string.ascii_letters) + R.choice("!#%&*-_") + rnd(5, B62) + str(R.randint(10, 99))
