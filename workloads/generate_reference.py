#!/usr/bin/env python3
"""Deterministic generator for workloads/reference.jsonl (the tiergate reference workload).

Run from anywhere:

    python3 workloads/generate_reference.py            # writes reference.jsonl next to this script
    python3 workloads/generate_reference.py --check    # regenerates in memory, compares with the file on disk
    python3 workloads/generate_reference.py --stats    # prints the mix of the file on disk

Prompts are composed from hand-written building blocks: per task type a list of request
phrasings (each tagged with the cost centres that would plausibly send it) and pools of pasted
material (logs, stack traces, diffs, invoices, tickets, code) whose filler values vary. All
randomness comes from one random.Random(SEED), so the output is byte-for-byte reproducible with
the same Python 3 version (3.8+; random.Random's choice/shuffle/randint are stable across them).

Everything is fake: people, companies, order numbers, patients, keys. The "sensitive" lines carry
well-known documentation/test values (Luhn-valid test cards such as 4111 1111 1111 1111, the
example IBANs from the IBAN registry, sk-test-... tokens, the AWS documentation key, jwt.io style
tokens signed with a throw-away secret, addresses at example.com/org/net, 555-01xx phone numbers).
The generator checks that exactly the lines it meant to be sensitive match the detectors in
SENSITIVE_PATTERNS below, and that no other line does.
"""
import base64
import collections
import hashlib
import hmac
import json
import os
import re
import sys

import random

SEED = 20250917
N_TOTAL = 1200

TASK_TYPES = ["CLASSIFICATION", "EXTRACTION", "SUMMARIZATION", "CONVERSATION", "BOILERPLATE",
              "IMPLEMENTATION", "CODE_REVIEW", "DEBUGGING", "ARCHITECTURE"]

# Lines per task type (sum = N_TOTAL): 80 % local-eligible, 20 % cloud-worthy.
MIX = {
    "CLASSIFICATION": 264,   # 22 %
    "EXTRACTION": 240,       # 20 %
    "SUMMARIZATION": 180,    # 15 %
    "CONVERSATION": 156,     # 13 %
    "BOILERPLATE": 120,      # 10 %
    "IMPLEMENTATION": 96,    # 8 %
    "CODE_REVIEW": 60,       # 5 %
    "DEBUGGING": 60,         # 5 %
    "ARCHITECTURE": 24,      # 2 %
}
assert sum(MIX.values()) == N_TOTAL

# Of which flagged requiresDataSovereignty (healthcare / HR / payroll content): 60 = 5 %.
SOVEREIGN = {
    "CLASSIFICATION": 14, "EXTRACTION": 13, "SUMMARIZATION": 14, "CONVERSATION": 7,
    "BOILERPLATE": 3, "IMPLEMENTATION": 3, "CODE_REVIEW": 1, "DEBUGGING": 3, "ARCHITECTURE": 2,
}

# Of which contain fake sensitive data but are NOT flagged: 36 = 3 %.
SENSITIVE = {
    "CLASSIFICATION": 8, "EXTRACTION": 10, "SUMMARIZATION": 6, "CONVERSATION": 4,
    "BOILERPLATE": 2, "IMPLEMENTATION": 1, "CODE_REVIEW": 2, "DEBUGGING": 3, "ARCHITECTURE": 0,
}

N_LATENCY = 120      # 10 % carry latencyBudgetMs
N_HINT = 96          # 8 % carry taskTypeHint; INVALID_HINTS of them are not TaskType names
INVALID_HINTS = [("SUMMARIZATION", "TRANSLATION"), ("CODE_REVIEW", "codereview"),
                 ("DEBUGGING", "BUGFIX"), ("CONVERSATION", "chat")]

COST_CENTERS = ["support-bot", "ci-agents", "data-pipeline", "docs-team", "platform-eng"]
CC = {"sb": "support-bot", "ci": "ci-agents", "dp": "data-pipeline", "dt": "docs-team",
      "pe": "platform-eng"}

# How likely each cost centre is to send a task type; a phrasing's own tags are intersected with
# this, so "support-bot" mostly sends CLASSIFICATION/SUMMARIZATION/CONVERSATION, and so on.
CC_WEIGHTS = {
    "CLASSIFICATION": {"sb": 45, "dp": 30, "ci": 10, "dt": 7, "pe": 8},
    "EXTRACTION": {"dp": 50, "pe": 18, "sb": 14, "ci": 12, "dt": 6},
    "SUMMARIZATION": {"sb": 35, "dt": 30, "pe": 15, "dp": 10, "ci": 10},
    "CONVERSATION": {"sb": 50, "dt": 20, "pe": 15, "ci": 8, "dp": 7},
    "BOILERPLATE": {"ci": 45, "pe": 30, "dp": 15, "dt": 10},
    "IMPLEMENTATION": {"ci": 50, "pe": 32, "dp": 18},
    "CODE_REVIEW": {"ci": 72, "pe": 23, "dt": 5},
    "DEBUGGING": {"ci": 42, "pe": 40, "dp": 18},
    "ARCHITECTURE": {"pe": 70, "dp": 18, "ci": 12},
}


# --------------------------------------------------------------------------------------------
# Template machinery: "<<name>>" placeholders are filled from GEN (a list to choose from, or a
# function of the Random). Within one prompt a name always gets the same value, so a ticket and
# the question about it agree. Values may themselves contain placeholders.
# --------------------------------------------------------------------------------------------
PH = re.compile(r"<<([a-z0-9_]+)>>")
GEN = {}


def gen(name):
    def deco(fn):
        GEN[name] = fn
        return fn
    return deco


def fill(r, text, cache=None):
    if cache is None:
        cache = {}

    def rep(m):
        k = m.group(1)
        if k in FRESH:
            return fill(r, GEN[k](r, cache), cache)
        if k not in cache:
            g = GEN[k]
            if getattr(g, "uses_context", False):
                raw = g(r, cache)
            elif callable(g):
                raw = g(r)
            else:
                raw = r.choice(g)
            cache[k] = fill(r, raw, cache)
        return cache[k]

    out = PH.sub(rep, text)
    assert not PH.search(out), out
    return out


def val(r, name):
    """One value of a GEN entry, outside of a template."""
    return fill(r, "<<%s>>" % name)


def paired(group, size):
    """Generators that must agree within one prompt (a document and a question about it) share
    one index per group, stored in the prompt's placeholder cache."""
    def deco(fn):
        def wrapper(r, cache):
            key = "_" + group
            if key not in cache:
                cache[key] = r.randrange(size)
            return fn(r, cache[key])
        wrapper.uses_context = True
        return wrapper
    return deco


def luhn_ok(digits):
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def iban_ok(s):
    s = s.replace(" ", "")
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", s):
        return False
    moved = s[4:] + s[:4]
    num = "".join(str(int(c, 36)) for c in moved)
    return int(num) % 97 == 1


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def make_jwt(payload, secret):
    header = b64u(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    body = b64u(json.dumps(payload, separators=(",", ":")).encode())
    sig = b64u(hmac.new(secret, (header + "." + body).encode(), hashlib.sha256).digest())
    return header + "." + body + "." + sig


# Detectors for the fake sensitive data. Used to verify the generated file, and printed in the
# README so consumers know what "sensitive" means here.
SENSITIVE_PATTERNS = {
    "email": re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
    "phone": re.compile(r"(?:\+\d{1,3}[ -]\(?\d{1,4}\)?(?:[ -]\d{2,4}){2,4}\b|\(\d{3}\) ?\d{3}-\d{4}\b"
                        r"|\b\d{3}-\d{3}-\d{4}\b)"),
    "card": re.compile(r"\b[3-6]\d{3}(?:[ -]?\d{2,6}){2,4}\b"),
    "iban": re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b"),
    "api_key": re.compile(r"\b(?:sk-(?:test|live|proj)-[A-Za-z0-9_]{16,}|AKIA[0-9A-Z]{16}"
                          r"|ghp_[A-Za-z0-9]{36}|xox[bp]-[0-9A-Za-z-]{20,})"),
    "jwt": re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"),
}


def sensitive_hits(text):
    hits = []
    for kind, pat in SENSITIVE_PATTERNS.items():
        for m in pat.finditer(text):
            v = m.group(0)
            if kind == "card":
                digits = re.sub(r"[ -]", "", v)
                if not (13 <= len(digits) <= 19 and luhn_ok(digits)):
                    continue
            if kind == "iban":
                # the pattern may swallow a following short word ("... 1332 REF"); back off
                parts = v.split(" ")
                while len(parts) > 1 and not iban_ok(" ".join(parts)):
                    parts.pop()
                v = " ".join(parts)
                if not iban_ok(v):
                    continue
            hits.append((kind, v))
    return hits


# --------------------------------------------------------------------------------------------
# Filler values
# --------------------------------------------------------------------------------------------
FIRST = ["Maria", "Jonas", "Priya", "Tomasz", "Aiko", "Lucas", "Fatima", "Ben", "Chloe", "Mateo",
         "Sven", "Nadia", "Omar", "Elena", "Ravi", "Hannah", "Kwame", "Ines", "Yusuf", "Greta",
         "Diego", "Mei", "Olivia", "Pavel", "Lena", "Sam", "Theo", "Amara", "Felix", "Zoe",
         "Hiroshi", "Carla", "Anders", "Leila", "Marco", "Noor"]
LAST = ["Kowalski", "Schneider", "Okafor", "Nguyen", "Fischer", "Haddad", "Lindqvist", "Moreau",
        "Brennan", "Tanaka", "Rossi", "Dubois", "Novak", "Ferreira", "Patel", "Jensen", "Mendes",
        "Svoboda", "Walsh", "Yilmaz", "Becker", "Castillo", "Horvat", "Ibrahim", "Larsen", "Costa",
        "Aydin", "Mbeki", "Virtanen", "Sato"]
GEN["first"] = FIRST
GEN["first2"] = FIRST
GEN["last"] = LAST
GEN["name"] = ["<<first>> <<last>>"]
GEN["name2"] = lambda r: r.choice(FIRST) + " " + r.choice(LAST)
GEN["name3"] = lambda r: r.choice(FIRST) + " " + r.choice(LAST)
GEN["company"] = ["Northwind Traders", "Brightline Logistics", "Kestrel Analytics", "Bluefin Foods",
                  "Copperleaf Software", "Harbor & Pine GmbH", "Orchid Health Supplies",
                  "Ridgeway Outdoor", "Lumen Print Co.", "Tallis Office Furniture",
                  "Quarry Lane Coffee", "Vantage Parts Ltd", "Meridian Cloud Services",
                  "Sable Street Studio", "Alder Systems", "Pinecrest Electrical", "Fjordline AS",
                  "Casa Verde Interiors", "Ironbark Tools", "Glasshouse Media BV"]
GEN["company2"] = GEN["company"]
GEN["addr_party"] = ["<<company>>", "<<name>>", "<<name>>, c/o <<company>>", "<<name>>, Apt 3", "<<company>>, Dock B"]
GEN["company_b"] = ["<<company>> Ltd.", "<<company>>", "<<company2>>", "<<company>> (Head Office)"]
GEN["street_b"] = ["<<street>>", "<<street>>", "<<street2>>"]
GEN["svc"] = ["order-service", "payment-gateway", "inventory-sync", "notification-worker",
              "auth-service", "search-indexer", "billing-api", "shipment-tracker", "user-profile",
              "pricing-engine", "report-generator", "catalog-api", "checkout-bff", "invoice-renderer",
              "events-ingest", "recommendation-svc"]
GEN["svc2"] = GEN["svc"]
GEN["team"] = ["Payments", "Logistics", "Identity", "Mobile", "Web", "Data Platform", "Search",
               "Core Infra"]
GEN["env"] = ["prod", "staging", "prod-eu", "prod-us", "qa"]
GEN["region"] = ["eu-central-1", "eu-west-1", "us-east-1", "us-west-2", "ap-southeast-1"]
GEN["topic"] = ["orders.v1", "payments.events", "inventory-updates", "shipments.status",
                "user-signups", "billing.invoices.v2", "clickstream.raw", "audit-log"]
GEN["ns"] = ["checkout", "payments", "platform", "data", "search", "default", "fulfilment"]
GEN["hex6"] = lambda r: "%06x" % r.randrange(16 ** 6)
GEN["hex8"] = lambda r: "%08x" % r.randrange(16 ** 8)
GEN["sha"] = lambda r: "%07x" % r.randrange(16 ** 7)


def _pod(r, cache):
    return "%s-%x-%s" % (fill(r, "<<svc>>", cache), r.randrange(0x10000000, 0xfffffffff),
                         "".join(r.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(5)))


_pod.uses_context = True
GEN["pod"] = _pod
GEN["ip"] = lambda r: "10.%d.%d.%d" % (r.randint(0, 60), r.randint(0, 255), r.randint(2, 254))
GEN["ip2"] = GEN["ip"]
GEN["port"] = ["8080", "8443", "5432", "9092", "6379", "3000", "9200"]
GEN["order_id"] = lambda r: "ORD-%d-%06d" % (r.choice([2024, 2025]), r.randint(1000, 999999))
GEN["order_id2"] = GEN["order_id"]
GEN["ticket_id"] = lambda r: str(r.randint(40000, 98000))
GEN["jira"] = lambda r: "%s-%d" % (r.choice(["PAY", "OPS", "CHK", "PLAT", "DATA", "SUP", "SRCH", "INV"]),
                                    r.randint(100, 4999))
GEN["pr_num"] = lambda r: str(r.randint(210, 9800))
GEN["sku"] = lambda r: "%s-%d" % (r.choice(["SKU", "HW", "BK", "KT", "EL", "GR"]), r.randint(10000, 99999))
GEN["sku2"] = GEN["sku"]
GEN["product"] = ["standing desk frame", "espresso grinder", "wireless headset", "ergonomic chair",
                  "27\" monitor", "hiking backpack 40L", "cast iron skillet", "label printer",
                  "USB-C docking station", "air purifier", "road bike helmet", "smart thermostat"]
GEN["amount"] = lambda r: "%d.%02d" % (r.randint(12, 4800), r.choice([0, 0, 50, 99, 90, 25, 10, 45]))
GEN["amount2"] = GEN["amount"]
GEN["small_amount"] = lambda r: "%d.%02d" % (r.randint(3, 180), r.randint(0, 99))
GEN["qty"] = lambda r: str(r.randint(1, 40))
GEN["pct"] = lambda r: str(r.randint(2, 97))
GEN["n"] = lambda r: str(r.randint(3, 12))
GEN["big_n"] = lambda r: str(r.randint(1200, 98000))
GEN["ms"] = lambda r: str(r.choice([r.randint(40, 400), r.randint(400, 2500), r.randint(2500, 31000)]))
GEN["currency"] = ["EUR", "USD", "GBP", "SEK", "CHF"]
GEN["month"] = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"]
GEN["weekday"] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
GEN["date"] = lambda r: "%d-%02d-%02d" % (r.choice([2024, 2025]), r.randint(1, 12), r.randint(1, 28))
GEN["date2"] = GEN["date"]
GEN["hhmm"] = lambda r: "%02d:%02d" % (r.randint(0, 23), r.randint(0, 59))
GEN["version"] = lambda r: "%d.%d.%d" % (r.randint(1, 5), r.randint(0, 24), r.randint(0, 15))
GEN["version2"] = GEN["version"]
GEN["app_version"] = lambda r: "%d.%d" % (r.randint(3, 9), r.randint(0, 30))
GEN["invoice_no"] = lambda r: "INV-%d-%05d" % (r.choice([2024, 2025]), r.randint(1, 99999))
GEN["city"] = ["Rotterdam", "Leipzig", "Porto", "Gdansk", "Lyon", "Aarhus", "Bilbao", "Graz",
               "Tampere", "Cork", "Brno", "Utrecht", "Malmo", "Turin", "Austin", "Denver"]
GEN["country"] = ["NL", "DE", "PT", "PL", "FR", "DK", "ES", "AT", "FI", "IE", "CZ", "SE", "IT"]
GEN["street"] = lambda r: "%s %d" % (r.choice(["Kastanienallee", "Rua das Flores", "Havenstraat",
                                                "Rue Mercière", "Ulica Długa", "Vesterbrogade",
                                                "Calle Mayor", "Herrengasse", "Hämeenkatu",
                                                "Oliver Plunkett St", "Via Garibaldi"]),
                                      r.randint(1, 180))
GEN["street2"] = lambda r: val(r, "street")
GEN["postcode"] = lambda r: str(r.randint(10000, 98999))
GEN["entity"] = ["Invoice", "Shipment", "Customer", "OrderLine", "Product", "Payment", "Refund",
                 "Subscription", "Warehouse", "Supplier", "Coupon", "CostEvent", "RoutingRule",
                 "UsageRecord", "Webhook"]
GEN["lang"] = ["Java", "Kotlin", "Python", "TypeScript", "Go", "Rust", "C#"]


def _lang2(r, cache):
    first = fill(r, "<<lang>>", cache)
    return r.choice([l for l in GEN["lang"] if l != first])


_lang2.uses_context = True
GEN["lang2"] = _lang2
GEN["impl_lang"] = ["Java", "Go", "Kotlin", "TypeScript", "Rust", "Python"]
GEN["pkg"] = ["com.acme.orders", "com.acme.billing", "io.northwind.checkout", "com.acme.inventory",
              "io.kestrel.ingest", "com.acme.shipping", "io.alder.platform"]
GEN["table"] = ["orders", "order_lines", "invoices", "customers", "shipments", "payments",
                "audit_events", "subscriptions", "products", "refunds"]
GEN["ms_small"] = lambda r: str(r.randint(2, 90))
GEN["dur_s"] = lambda r: "%d.%03d" % (r.randint(0, 40), r.randint(0, 999))
GEN["count"] = lambda r: str(r.randint(2, 400))
GEN["percent"] = lambda r: "%d.%d%%" % (r.randint(0, 99), r.randint(0, 9))
GEN["java_ver"] = ["17", "21"]
GEN["k"] = lambda r: str(r.choice([3, 5, 10]))
GEN["thanks"] = ["", "", "", "\n\nThanks!", "\n\nthx", "\n\nThank you.", "\nty", "\n\nCheers"]
GEN["pls"] = ["", "", "please ", "pls ", "can you "]
GEN["quick"] = ["", "", "", "Quick one: ", "Hey - ", "Hi, ", "hello! "]


def ts(r, base_h=None, base_m=None):
    h = base_h if base_h is not None else r.randint(0, 23)
    m = base_m if base_m is not None else r.randint(0, 59)
    return "%s %02d:%02d:%02d.%03d" % (val(r, "date"), h, m, r.randint(0, 59), r.randint(0, 999))


class Clock:
    """Monotonic timestamps for multi-line logs."""

    def __init__(self, r, sep=" "):
        self.r = r
        self.day = val(r, "date")
        self.t = r.randint(0, 23) * 3600 + r.randint(0, 59) * 60 + r.randint(0, 59)
        self.ms = r.randint(0, 999)
        self.sep = sep

    def tick(self, lo=0, hi=4000):
        self.ms += self.r.randint(lo, hi)
        self.t += self.ms // 1000
        self.ms %= 1000
        self.t %= 86400
        return "%s%s%02d:%02d:%02d.%03d" % (self.day, self.sep, self.t // 3600, (self.t // 60) % 60,
                                             self.t % 60, self.ms)

    def hms(self, lo=0, hi=4000):
        self.tick(lo, hi)
        return "%02d:%02d:%02d" % (self.t // 3600, (self.t // 60) % 60, self.t % 60)


# --------------------------------------------------------------------------------------------
# Support and business material
# --------------------------------------------------------------------------------------------
TICKET_ISSUES = [
    ("Charged twice", "I was charged twice for order <<order_id>>. Can you refund one of the charges? Both show up on my statement from <<date>>."),
    ("Where is my parcel??", "My package was supposed to arrive on <<date>> but tracking still says 'label created'. Order <<order_id>>. I need it before the weekend."),
    ("Cannot log in", "I can't log in since yesterday, the app keeps saying 'session expired' right after I enter the 2FA code. Tried on phone and laptop."),
    ("Feature request: Excel export", "Would be great if you could add an export to Excel for the reports page, right now we copy paste everything into a spreadsheet every Monday."),
    ("Checkout broken on Safari", "The checkout page crashes on Safari 17 when I click 'Apply coupon'. Tried twice, cleared cache, same thing. Chrome works."),
    ("Change billing address", "How do I change the billing address on my account? The old office in <<city>> is closed."),
    ("Damaged item", "The <<product>> I received is damaged, the box was crushed and the side panel is cracked. I want a replacement, not a refund."),
    ("Invoice amount wrong", "Your invoice <<invoice_no>> shows <<amount>> <<currency>> but our contract says <<amount2>> <<currency>> per month. Please correct and resend."),
    ("Upgrade not applied", "Hi, I upgraded to the Pro plan this morning but the dashboard still shows the Free limits (3 projects, 1 seat)."),
    ("Password reset email missing", "Password reset email never arrives. Checked the spam folder too. Account is under <<company>>."),
    ("Bulk inventory API?", "Is there an API endpoint to bulk update inventory? We have around <<big_n>> SKUs and the one-by-one endpoint is way too slow."),
    ("Battery drain", "The mobile app drains my battery like crazy since version <<app_version>>. Went from 2 days to half a day."),
    ("Cancel subscription", "I want to cancel my subscription effective end of this month. Please confirm in writing."),
    ("Wrong delivery address", "Your courier left the parcel at the wrong house. Order <<order_id>>. This is the second time this happened."),
    ("VAT invoices", "Can I get VAT invoices for my last three orders? Our company name changed to <<company>> in <<month>>."),
    ("Search ignores dashes", "The search returns nothing when I type product codes with a dash, e.g. <<sku>>. Without the dash it finds it."),
    ("Dark mode resets", "Love the new UI! Just one thing - the dark mode toggle resets after every login."),
    ("Too many seats billed", "We are being charged for 25 seats but only have 18 active users. Please adjust the next invoice."),
    ("Shopify sync stopped", "Sync with our Shopify store stopped on <<date>>, no new orders imported since then. Nothing changed on our side."),
    ("Data export link 404", "Trying to download my data export but the link in the notification gives a 404."),
    ("Coupon not accepted", "The coupon SPRING<<n>> says 'expired' but your newsletter says it's valid until the end of <<month>>."),
    ("Refund still not received", "You confirmed my refund for <<order_id>> two weeks ago and I still don't have the money. What's going on?"),
    ("App crashes on start", "Since the last update the Android app closes immediately when I open it. Pixel 7, Android 14."),
    ("Question about warranty", "Does the 2-year warranty also cover the battery of the <<product>>? It holds charge for barely an hour now."),
    ("Duplicate account", "I accidentally created two accounts with different logins. Can you merge them? The older one has my order history."),
    ("Report timezone wrong", "All timestamps in the weekly report are off by one hour since the clocks changed."),
    ("Slow dashboard", "The analytics dashboard takes 40+ seconds to load for our workspace. It used to be instant."),
    ("Partial delivery", "Only 2 of the <<qty>> items in order <<order_id>> arrived. The packing slip lists everything."),
    ("Need SSO", "Do you support SAML SSO with Okta on the Business plan or only Enterprise?"),
    ("Unauthorised charge?", "There's a charge of <<small_amount>> <<currency>> from you on my card and I don't recognise it. I don't have an active plan."),
]
GEN["signoff"] = ["Thanks,\n<<first>>", "Regards,\n<<name>>\n<<company>>", "<<first>>", "Best,\n<<name>>",
                  "Sent from my iPhone", "Kind regards\n<<name>> | Operations | <<company>>", "--\n<<first>>"]
GEN["channel"] = ["web form", "email", "chat", "app", "phone (transcribed)"]


@gen("ticket")
def _ticket(r):
    subj, body = r.choice(TICKET_ISSUES)
    style = r.randint(0, 3)
    if style == 0:
        return "Ticket #<<ticket_id>>\nSubject: %s\nChannel: <<channel>>\nCustomer: <<name>> (<<company>>)\n\n%s\n\n<<signoff>>" % (subj, body)
    if style == 1:
        return "Subject: %s\n\n%s\n\n<<signoff>>" % (subj, body)
    if style == 2:
        return '{"ticket_id": <<ticket_id>>, "subject": "%s", "body": "%s", "plan": "%s", "created_at": "<<date>>T<<hhmm>>:00Z"}' % (
            subj, body.replace('"', '\\"'), r.choice(["free", "pro", "business", "enterprise"]))
    return "[#<<ticket_id>>] %s\n%s" % (subj, body)


@gen("ticket_body")
def _ticket_body(r):
    return r.choice(TICKET_ISSUES)[1]


CUSTOMER_MSGS = [
    "where is my order?? it's been 9 days",
    "This is the third time I'm writing and nobody answers. Unacceptable.",
    "Thanks so much for the quick help yesterday, everything works now!",
    "Hi, can I change the delivery date for order <<order_id>>?",
    "i want my money back",
    "Your product is fine but the shipping costs are ridiculous for such a small item.",
    "Is the <<product>> compatible with the older model?",
    "cancel my account now",
    "The new update is great, the sync is so much faster.",
    "Honestly I'm disappointed. Paid for express delivery and it took a week.",
    "Can someone call me back about my invoice? Not urgent.",
    "how do i add a second user to my account",
    "The app keeps logging me out every 5 minutes, please fix this, I use it for work",
    "Ok never mind, found it in the settings.",
    "I love the product but the support chat bot is useless, I want a human.",
    "Do you ship to Switzerland?",
    "We're evaluating you vs a competitor, can I get a discount for 50 seats?",
    "my order arrived broken AGAIN. this is the last time I'm ordering from you",
    "Could you send me the invoice as PDF? The link expired.",
    "Nothing works since this morning. NOTHING. We have a launch today.",
    "Not sure if this is a bug but the totals in the export don't match the dashboard.",
    "Just wanted to say the new onboarding is really nice.",
    "If this isn't fixed by Friday we're moving to another provider.",
    "hey is the sale still on",
    "I think I was charged the old price after the downgrade?",
    "Can you confirm my subscription renews on the <<n>>th?",
]
GEN["customer_msg"] = CUSTOMER_MSGS

SPAM_OR_NOT = [
    "CONGRATULATIONS!!! You have been selected to receive a $1000 gift card. Click here to claim within 24h: hxxp://bit.ly/claim-now-<<hex6>>",
    "Hi, we noticed your website could rank higher on Google. Our SEO team guarantees first page in 30 days. Reply YES for a free audit.",
    "Hello, I placed order <<order_id>> and want to add gift wrapping, is it too late?",
    "Dear friend, I am a barrister representing the estate of a late client with your surname...",
    "Hey, quick reminder that the invoice <<invoice_no>> is due on <<date>>. Let me know if you need anything.",
    "Buy cheap watches replica best quality fast shipping worldwide!!!",
    "Can your API handle webhooks with retries? Evaluating for our team of 40.",
    "Your account has been suspended. Verify your password immediately at hxxp://secure-login-<<hex6>>.top",
    "Hi! I'm writing a blog post about developer tools and would love to feature you. Interested?",
    "Meeting moved to Thursday 3pm, same room.",
]
GEN["spam_or_not"] = SPAM_OR_NOT

REVIEWS = [
    "App crashes every time I open the camera scanner.",
    "Way too expensive for what it does.",
    "Super smooth, does exactly what I need!",
    "The new layout is confusing, can't find settings anymore.",
    "Takes forever to load my list, like 20 seconds.",
    "Best grocery app I've used. 5 stars.",
    "Subscription price doubled without notice.",
    "Buttons are too small on tablet.",
    "It froze during checkout and charged me anyway.",
    "Customer service sorted my issue in 10 minutes, thanks!",
    "Sync between phone and laptop randomly stops.",
    "Fonts are unreadable in dark mode.",
    "Meh.",
    "Widget doesn't update until I open the app.",
    "Love the recipes feature, please add meal plans.",
    "Battery hog since last update.",
]


@gen("reviews")
def _reviews(r):
    k = r.randint(4, 9)
    return "\n".join("%d. %s" % (i + 1, t) for i, t in enumerate(r.sample(REVIEWS, k)))


@gen("review")
def _review(r):
    return r.choice(REVIEWS)


MULTI_LANG = ["Wo ist meine Bestellung?", "Je voudrais annuler mon abonnement.", "The invoice is wrong.",
              "¿Puedo cambiar la dirección de envío?", "Kan ik mijn wachtwoord resetten?",
              "O produto chegou danificado.", "Bitte rufen Sie mich zurück.", "Merci pour votre aide !",
              "Necesito una factura con IVA.", "Hoe lang duurt de levering?", "My card was declined.",
              "Das Paket ist leer angekommen.", "Quero falar com um atendente."]


@gen("multilang")
def _multilang(r):
    return "\n".join(r.sample(MULTI_LANG, r.randint(5, 9)))


CI_FAILURES = [
    """[INFO] -------------------------------------------------------
[INFO]  T E S T S
[INFO] -------------------------------------------------------
[INFO] Running <<pkg>>.<<entity>>ServiceTest
[ERROR] Tests run: 14, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: <<dur_s>> s <<< FAILURE! - in <<pkg>>.<<entity>>ServiceTest
[ERROR] <<pkg>>.<<entity>>ServiceTest.shouldExpireReservationAfterTimeout  Time elapsed: 5.012 s  <<< FAILURE!
org.opentest4j.AssertionFailedError: expected: <EXPIRED> but was: <PENDING>
	at <<pkg>>.<<entity>>ServiceTest.shouldExpireReservationAfterTimeout(<<entity>>ServiceTest.java:88)
[INFO]
[ERROR] Failures:
[ERROR]   <<entity>>ServiceTest.shouldExpireReservationAfterTimeout:88 expected: <EXPIRED> but was: <PENDING>
[ERROR] Tests run: 212, Failures: 1, Errors: 0, Skipped: 3""",
    """[ERROR] COMPILATION ERROR :
[INFO] -------------------------------------------------------------
[ERROR] /home/runner/work/<<svc>>/src/main/java/<<pkgpath>>/<<entity>>Mapper.java:[42,31] cannot find symbol
  symbol:   method getLegacyId()
  location: variable source of type <<pkg>>.<<entity>>Dto
[INFO] 1 error
[INFO] -------------------------------------------------------------
[INFO] BUILD FAILURE""",
    """[ERROR] Failed to execute goal on project <<svc>>: Could not resolve dependencies for project <<pkg>>:<<svc>>:jar:<<version>>-SNAPSHOT: Could not find artifact <<pkg>>:shared-model:jar:<<version2>> in central (https://repo.maven.apache.org/maven2) -> [Help 1]""",
    """Run npm ci
npm ERR! code ETIMEDOUT
npm ERR! syscall connect
npm ERR! errno ETIMEDOUT
npm ERR! network request to https://registry.npmjs.org/@types%2fnode failed, reason: connect ETIMEDOUT 104.16.<<n>>.34:443
Error: Process completed with exit code 1.""",
    """> Task :app:ktlintMainSourceSetCheck FAILED
/builds/<<svc>>/app/src/main/kotlin/<<pkgpath>>/<<entity>>Handler.kt:17:1 Unexpected blank line(s) before "}"
/builds/<<svc>>/app/src/main/kotlin/<<pkgpath>>/<<entity>>Handler.kt:54:121 Exceeded max line length (120)
FAILURE: Build failed with an exception.""",
    """=================================== FAILURES ===================================
____________________________ test_concurrent_checkout ____________________________
    def test_concurrent_checkout(client, seeded_cart):
        results = run_parallel(lambda: client.post("/checkout", json=seeded_cart), n=8)
>       assert sum(r.status_code == 201 for r in results) == 1
E       assert 2 == 1
tests/integration/test_checkout.py:112: AssertionError
------------------------------ Captured log call -------------------------------
WARNING  app.locks:locks.py:41 lock wait exceeded 250ms, retrying
=========================== short test summary info ============================
FAILED tests/integration/test_checkout.py::test_concurrent_checkout - assert 2 == 1
=================== 1 failed, 318 passed, 4 skipped in 97.41s ==================""",
    """--- FAIL: TestReconcileLoop (30.00s)
panic: test timed out after 30s
running tests:
	TestReconcileLoop (30s)
goroutine 37 [chan receive]:
github.com/acme/<<svc>>/internal/reconcile.TestReconcileLoop(0xc0001a4340)
	/src/internal/reconcile/loop_test.go:58 +0x1f4
FAIL	github.com/acme/<<svc>>/internal/reconcile	30.021s""",
    """Error: buildx failed with: ERROR: failed to solve: process "/bin/sh -c apt-get update && apt-get install -y libpq-dev" did not complete successfully: exit code: 100
#9 3.412 E: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  Temporary failure resolving 'deb.debian.org'""",
    """src/components/<<entity>>Table.tsx:34:7 - error TS2322: Type 'string | undefined' is not assignable to type 'string'.
  Type 'undefined' is not assignable to type 'string'.

34       label={row.displayName}
         ~~~~~

Found 1 error in src/components/<<entity>>Table.tsx:34""",
    """[ERROR] Tests run: 3, Failures: 0, Errors: 1, Skipped: 0, Time elapsed: 61.2 s <<< FAILURE! - in <<pkg>>.KafkaIntegrationIT
[ERROR] <<pkg>>.KafkaIntegrationIT.consumesAndPublishes  Time elapsed: 60.03 s  <<< ERROR!
org.testcontainers.containers.ContainerLaunchException: Container startup failed for image confluentinc/cp-kafka:7.6.0
Caused by: org.rnorth.ducttape.RetryCountExceededException: Retry limit hit with exception""",
]
GEN["pkgpath"] = lambda r: "com/acme/" + r.choice(["orders", "billing", "inventory", "shipping"])


@gen("ci_log")
def _ci_log(r):
    return r.choice(CI_FAILURES)


GEN["ci_test_log"] = [CI_FAILURES[i] for i in (0, 5, 6, 9)]
GEN["ci_compile_log"] = [CI_FAILURES[i] for i in (1, 8)]


PR_TITLES = ["feat(checkout): add Apple Pay button", "fix: null check in invoice mapper",
             "Update README.md", "chore(deps): bump jackson-databind from 2.17.0 to 2.17.2",
             "WIP do not merge", "refactor!: drop v1 orders endpoint", "docs: explain retry config",
             "Fixed stuff", "perf(search): cache tokenizer instances", "feat: new export",
             "ci: run integration tests on merge queue only", "Revert \"feat: new export\"",
             "fix(auth): handle clock skew in token validation", "test: add flaky retry for kafka IT",
             "style: reformat with spotless"]
GEN["pr_title"] = PR_TITLES
GEN["dep_pr_title"] = ["chore(deps): bump jackson-databind from 2.17.1 to 2.17.2", "Bump lodash from 4.17.20 to 4.17.21",
                       "build(deps-dev): bump vitest from 1.5.0 to 1.6.0", "chore(deps): bump spring-boot-starter-parent from 3.2.5 to 3.3.0",
                       "chore(deps): bump golang.org/x/net from 0.24.0 to 0.25.0", "Bump psycopg2-binary from 2.9.8 to 2.9.9",
                       "chore(deps): bump react from 18.2.0 to 18.3.1", "build(deps): bump actions/checkout from 3 to 4",
                       "chore(deps): bump testcontainers from 1.19.8 to 1.20.0 (dev)", "Bump express from 4.18.2 to 5.0.0",
                       "chore(deps): bump org.postgresql:postgresql from 42.7.2 to 42.7.3"]

COMMIT_MSGS = ["fix(billing): round half-even when computing VAT", "feat(api)!: rename `customerId` to `accountId` in /v2/orders",
               "chore: bump testcontainers to 1.20.1", "docs: typo in CONTRIBUTING", "feat(export): add Parquet output option",
               "refactor(core): extract RetryPolicy, no behaviour change", "fix: prevent NPE when shipment has no carrier",
               "BREAKING CHANGE: drop support for Java 11", "perf: avoid re-parsing config on every request",
               "feat(router): support per-cost-center latency budgets"]
GEN["commit_msg"] = COMMIT_MSGS

LOG_LINES = [
    "<<ts>> WARN  [pool-3-thread-7] c.a.o.OutboxRelay - outbox backlog 1843 rows, relay lagging",
    "<<ts>> ERROR [http-nio-8080-exec-12] c.a.b.InvoiceController - Failed to render invoice <<invoice_no>>: template 'de_DE/invoice.ftl' not found",
    "<<ts>> INFO  [main] o.s.b.w.e.tomcat.TomcatWebServer - Tomcat started on port(s): 8080 (http)",
    "<<ts>> DEBUG [kafka-consumer-1] o.a.k.c.c.i.ConsumerCoordinator - Committing offsets: {<<topic>>-3=OffsetAndMetadata{offset=88123}}",
    "<<ts>> ERROR [scheduler-2] c.a.i.StockSyncJob - Sync aborted: upstream returned 503 three times",
    "<<ts>> WARN  [hikari-housekeeper] com.zaxxer.hikari.pool.HikariPool - HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m2s).",
    "<<ts>> FATAL [main] c.a.p.Application - Cannot start: required property 'payments.provider.url' is missing",
    "<<ts>> INFO  [worker-4] c.a.n.EmailSender - queued 250 notifications for batch <<hex8>>",
    "<<ts>> ERROR [grpc-default-executor-3] c.a.s.SearchClient - DEADLINE_EXCEEDED after <<ms>>ms calling search.v1.Query",
    "<<ts>> WARN  [main] o.h.e.j.e.i.JdbcEnvironmentInitiator - HHH000342: Could not obtain connection to query metadata",
]


def _ts_fresh(r, cache):
    """Every <<ts>> in one prompt is a new, later timestamp on the same clock."""
    if "_clock" not in cache:
        cache["_clock"] = Clock(r)
    return cache["_clock"].tick(0, 3000)


GEN["ts"] = _ts_fresh
FRESH = {"ts"}


@gen("log_line")
def _log_line(r):
    return r.choice(LOG_LINES)


ALERTS = [
    "[FIRING:1] HighErrorRate <<svc>> (<<env>>) 5xx ratio 7.3% > 5% for 10m",
    "[FIRING:1] DiskWillFillIn4Hours node=ip-<<ip>> mountpoint=/var/lib/kafka",
    "[FIRING:3] KubePodCrashLooping namespace=<<ns>> pod=<<pod>>",
    "[FIRING:1] CertificateExpiry api.<<company_slug>>.example cert expires in 6 days",
    "[FIRING:1] ConsumerLagHigh group=<<svc>> topic=<<topic>> lag=48211",
    "[RESOLVED] HighLatencyP99 checkout-bff p99=1.9s",
    "[FIRING:1] BackupJobFailed job=pg-nightly-backup cluster=orders-db",
    "[FIRING:2] CPUThrottlingHigh namespace=<<ns>> container=<<svc>> 41% throttled",
    "[FIRING:1] SLOBurnRate <<svc>> error budget burn 14.4x over 1h",
    "[FIRING:1] StagingSmokeTestFailed env=qa suite=checkout",
]
GEN["company_slug"] = ["northwind", "brightline", "kestrel", "bluefin", "copperleaf", "alder"]


@gen("alert")
def _alert(r):
    return r.choice(ALERTS)


TXN_DESCS = ["REWE SAGT DANKE 4471", "DB Vertrieb GmbH Fahrkarte", "AWS EMEA aws.amazon.com", "Uber *Trip",
             "ALBERT HEIJN 1123", "JetBrains s.r.o. license", "Vattenfall Europe Strom", "Starbucks #2201",
             "GITHUB INC", "Lufthansa 220-1234", "Booking.com Hotel", "Deliveroo", "IKEA Einrichtungshaus",
             "Vodafone GmbH Mobilfunk", "Figma monthly", "Shell 4832 Autobahn", "Atlassian Jira Cloud",
             "Lidl Dienstleistung", "Ryanair DR45K", "Notion Labs"]


@gen("transactions")
def _transactions(r):
    rows = ["id,date,description,amount"]
    for i in range(r.randint(6, 12)):
        rows.append("%d,%s,%s,-%s" % (1000 + i * r.randint(1, 9), val(r, "date"), r.choice(TXN_DESCS), val(r, "small_amount")))
    return "\n".join(rows)


PRODUCT_TITLES = ["Bose QuietComfort 45 Wireless Noise Cancelling Headphones, Black",
                  "Lodge 10.25 Inch Cast Iron Skillet Pre-Seasoned",
                  "Anker 7-in-1 USB C Hub 4K HDMI",
                  "Philips Sonicare ProtectiveClean 4100 Toothbrush",
                  "LEGO Technic Ferrari Daytona SP3",
                  "Organic Whole Bean Coffee, Dark Roast, 1kg",
                  "Herman Miller Aeron Chair Size B",
                  "Kindle Paperwhite 16GB",
                  "Stanley Classic Vacuum Bottle 1.4L",
                  "Dymo LabelWriter 550",
                  "Garmin Forerunner 255 GPS Running Watch",
                  "Le Creuset Dutch Oven 24cm Volcanic",
                  "Bosch Professional Cordless Drill GSR 18V",
                  "Moleskine Classic Notebook, Large, Ruled"]


@gen("product_titles")
def _product_titles(r):
    return "\n".join(r.sample(PRODUCT_TITLES, r.randint(5, 9)))


SEARCH_QUERIES = ["northwind login", "how to reset router", "buy usb c hub", "kafka consumer lag meaning",
                  "cheap flights lisbon", "github", "best ergonomic chair 2024", "order status <<order_id>>",
                  "python list comprehension", "ikea opening hours", "pricing plans", "docs webhook retries",
                  "standing desk discount code", "what is idempotency"]


@gen("queries")
def _queries(r):
    return "\n".join("- " + q for q in r.sample(SEARCH_QUERIES, r.randint(5, 9)))


@gen("churn_csv")
def _churn_csv(r):
    reasons = ["too expensive for our team size", "we switched to a competitor that has Gantt charts",
               "support took 5 days to answer", "missing SSO", "company closed",
               "price increase", "didn't use it enough", "needed offline mode",
               "moved everything to Notion", "the mobile app is too buggy", "budget cuts",
               "no API for reporting", "your sales rep never got back to us"]
    rows = ["account_id,plan,mrr,reason"]
    for _ in range(r.randint(6, 11)):
        rows.append('%d,%s,%d,"%s"' % (r.randint(10000, 99999), r.choice(["starter", "pro", "business"]),
                                        r.randint(20, 900), r.choice(reasons)))
    return "\n".join(rows)


@gen("invoice")
def _invoice(r):
    items = r.sample([("Consulting services (hours)", 95, 160), ("Cloud hosting - <<month>>", 1, 1),
                      ("Support plan Business", 1, 1), ("Laptop stand aluminium", 20, 60),
                      ("Espresso beans 1kg", 8, 30), ("Printer toner black", 35, 90),
                      ("Software license (annual seat)", 120, 480), ("Freight & handling", 1, 1),
                      ("Office chairs", 180, 420), ("Label rolls 102x152", 9, 19)], r.randint(2, 5))
    lines = []
    net = 0.0
    for desc, lo, hi in items:
        q = r.randint(1, 20)
        price = r.randint(lo, hi) + r.choice([0, 0.5, 0.99, 0.25])
        net += q * price
        lines.append("%-36s %4d x %9.2f = %10.2f" % (desc, q, price, q * price))
    vat_rate = r.choice([19, 21, 20, 25, 23])
    vat = round(net * vat_rate / 100, 2)
    style = r.randint(0, 1)
    head = ("INVOICE <<invoice_no>>\n<<company>>\n<<street>>, <<postcode>> <<city>>\nVAT ID: %s%d\n\nBill to: <<company2>>\nInvoice date: <<date>>   Due: net 30\n"
            % (r.choice(["DE", "NL", "FR", "ES", "IT"]), r.randint(100000000, 999999999)))
    if style == 1:
        head = ("<<company>> - Rechnung / Invoice\nNo. <<invoice_no>>  Date <<date>>\nCustomer no. %d\nPO reference: PO-%d\n\n"
                % (r.randint(10000, 99999), r.randint(1000, 9999)))
    body = "\n".join(lines)
    tail = "\n\nNet total: %.2f <<currency>>\nVAT %d%%: %.2f <<currency>>\nTotal due: %.2f <<currency>>\nPayment terms: 30 days net" % (
        net, vat_rate, vat, net + vat)
    return head + body + tail


@gen("receipt")
def _receipt(r):
    shop = r.choice(["CAFE LUNA", "BÄCKEREI SCHULZ", "HARDWARE HUT", "CITY PHARMACY", "PAPERCLIP OFFICE SUPPLY", "TRAIN STATION KIOSK"])
    items = r.sample([("CAPPUCCINO", 3.4), ("CROISSANT", 2.1), ("AA BATTERIES 8PK", 7.99), ("HDMI CABLE 2M", 12.5),
                      ("NOTEBOOK A5", 4.25), ("WATER 0.5L", 1.8), ("PARACETAMOL 500", 3.95), ("SANDWICH", 5.6),
                      ("STAPLES", 2.2), ("GUM", 1.2)], r.randint(2, 5))
    total = sum(p for _, p in items)
    lines = "\n".join("%-20s %6.2f" % (n, p) for n, p in items)
    return "%s\n<<street>>\n<<date>> <<hhmm>>  Till 2  #%d\n--------------------------\n%s\n--------------------------\nTOTAL EUR %8.2f\nincl. VAT 19%%   %6.2f\nCARD  ****%04d" % (
        shop, r.randint(1000, 9999), lines, total, total * 19 / 119, r.randint(0, 9999))


@gen("email")
def _email(r):
    bodies = [
        "Hi team,\n\nFollowing up on our call: we'd like to order <<qty>> units of <<sku>> and <<qty>> units of <<sku2>> for delivery to our <<city>> warehouse by <<date>>. Please reference PO-<<big_n>> on the invoice.\n\nAlso, can you confirm whether the price from the <<month>> quote still applies?",
        "Hello,\n\nthe shipment for order <<order_id>> was split. Parcel 1 (tracking 1Z%dX%d) arrived, parcel 2 (DHL JJD%d) is still missing. Could you check with the carrier?" ,
        "Hi <<first>>,\n\nquick heads-up that our finance team moves to a new ERP on <<date>>. Invoices sent after that date need our new cost centre code CC-<<n>>40 in the reference field, otherwise they get rejected automatically.",
        "Dear <<company>> support,\n\nwe're seeing intermittent 502 responses from your EU endpoint since <<date>> around <<hhmm>> UTC, roughly 1 in 50 requests. Request IDs: req_<<hex8>>, req_<<hex8>>. Is there an incident?",
        "Hi all,\n\nThe quarterly review is moved to <<weekday>> at 14:00 CET. Please send me your slides by the day before. Agenda: Q3 numbers, hiring plan, the migration timeline, AOB.",
        "Hello,\n\nI'd like to return the <<product>> from order <<order_id>>. It doesn't fit under our desks. I still have the original box. What's the process?",
        "Hi <<first>>,\n\nattached the signed contract. One change: payment terms are 45 days instead of 30 as discussed with <<name2>>. Start date stays <<date>>.",
    ]
    b = r.choice(bodies)
    if "%d" in b:
        b = b % (r.randint(100000, 999999), r.randint(1000000, 9999999), r.randint(10 ** 9, 10 ** 10 - 1))
    return "From: <<name>>\nTo: <<team>> team\nDate: <<date>> <<hhmm>>\nSubject: %s\n\n%s\n\n<<signoff>>" % (
        r.choice(["Re: order", "Question", "Fwd: update", "Important", "Follow-up", "Re: Re: shipment"]), b)


@gen("csv_people")
def _csv_people(r):
    rows = ["full_name,department,start_date,location"]
    for _ in range(r.randint(5, 9)):
        rows.append("%s %s,%s,%s,%s" % (r.choice(FIRST), r.choice(LAST), r.choice(["Sales", "Engineering", "Support", "Finance", "Ops"]),
                                          val(r, "date"), r.choice(GEN["city"])))
    return "\n".join(rows)


@gen("csv_orders")
def _csv_orders(r):
    rows = ["order_id,sku,qty,unit_price,currency,shipped"]
    for _ in range(r.randint(5, 10)):
        rows.append("%s,%s,%d,%s,%s,%s" % (val(r, "order_id"), val(r, "sku"), r.randint(1, 12), val(r, "small_amount"),
                                              r.choice(["EUR", "USD"]), r.choice(["true", "false", "", "TRUE"])))
    return "\n".join(rows)


@gen("csv_metrics")
def _csv_metrics(r):
    rows = ["week,signups,activated,churned,mrr_eur,tickets"]
    s = r.randint(300, 900)
    mrr = r.randint(80000, 200000)
    for w in range(1, r.randint(6, 10)):
        s += r.randint(-60, 80)
        mrr += r.randint(-3000, 6000)
        rows.append("2025-W%02d,%d,%d,%d,%d,%d" % (w + r.randint(0, 30), s, int(s * r.uniform(0.3, 0.6)), r.randint(5, 40), mrr, r.randint(90, 400)))
    return "\n".join(rows)


@gen("csv_any")
def _csv_any(r):
    return val(r, r.choice(["csv_people", "csv_orders", "csv_metrics", "transactions"]))


@gen("json_order")
def _json_order(r):
    items = []
    for _ in range(r.randint(1, 3)):
        items.append({"sku": val(r, "sku"), "qty": r.randint(1, 5), "unitPrice": float(val(r, "small_amount"))})
    d = {"orderId": val(r, "order_id"), "createdAt": "%sT%s:00Z" % (val(r, "date"), val(r, "hhmm")),
         "customer": {"id": "cus_%s" % val(r, "hex8"), "tier": r.choice(["gold", "silver", None])},
         "items": items, "shipping": {"method": r.choice(["standard", "express"]), "country": r.choice(GEN["country"])},
         "status": r.choice(["PAID", "PENDING", "SHIPPED"])}
    return json.dumps(d, indent=2, ensure_ascii=False)


@gen("json_event")
def _json_event(r):
    d = {"type": r.choice(["shipment.updated", "payment.failed", "user.signup", "invoice.created"]),
         "id": "evt_" + val(r, "hex8") + val(r, "hex6"), "occurred_at": "%sT%s:12.331Z" % (val(r, "date"), val(r, "hhmm")),
         "data": {"ref": val(r, "order_id"), "attempt": r.randint(1, 4), "reason": r.choice(["insufficient_funds", "carrier_delay", None, "manual"]),
                  "tags": r.sample(["b2b", "eu", "priority", "retry", "manual-review"], 2)}}
    return json.dumps(d, indent=2)


@gen("json_any")
def _json_any(r):
    return val(r, r.choice(["json_order", "json_event", "json_config"]))


@gen("json_config")
def _json_config(r):
    d = {"service": val(r, "svc"), "port": int(val(r, "port")), "logLevel": r.choice(["info", "debug"]),
         "db": {"host": "db.%s.internal" % val(r, "env"), "pool": {"min": 2, "max": r.randint(10, 50)}},
         "features": {"newCheckout": r.choice([True, False]), "exportV2": r.choice([True, False])},
         "retries": {"max": r.randint(2, 6), "backoffMs": [100, 400, 1600]}}
    return json.dumps(d, indent=2)


# --------------------------------------------------------------------------------------------
# Technical material: logs, stack traces, configs, code
# --------------------------------------------------------------------------------------------
JAVA_MSGS = [
    ("main", "INFO", "o.s.b.StartupInfoLogger", "Started Application in <<dur_s>> seconds (process running for 9.1)"),
    ("http", "INFO", "c.a.o.OrderController", "POST /api/v1/orders 201 <<ms_small>>ms"),
    ("http", "INFO", "c.a.o.OrderController", "GET /api/v1/orders/<<order_id>> 200 <<ms_small>>ms"),
    ("http", "WARN", "c.a.p.PaymentClient", "Retrying call to provider (attempt 2/3): Read timed out"),
    ("http", "ERROR", "c.a.p.PaymentClient", "Provider call failed after 3 attempts: java.net.SocketTimeoutException: Read timed out"),
    ("kafka", "INFO", "o.a.k.c.c.i.ConsumerCoordinator", "[Consumer clientId=<<svc>>-0, groupId=<<svc>>] Setting offset for partition <<topic>>-2 to the committed offset FetchPosition{offset=120443}"),
    ("kafka", "WARN", "o.a.k.c.c.i.ConsumerCoordinator", "[Consumer clientId=<<svc>>-0, groupId=<<svc>>] Offset commit failed on partition <<topic>>-1: The coordinator is not available."),
    ("kafka", "INFO", "o.a.k.c.c.i.ConsumerCoordinator", "[Consumer clientId=<<svc>>-0, groupId=<<svc>>] Revoke previously assigned partitions <<topic>>-0, <<topic>>-1"),
    ("http", "ERROR", "c.a.i.ReservationService", "Reservation <<hex8>> failed: insufficient stock for <<sku>> (requested 3, available 1)"),
    ("hikari", "WARN", "com.zaxxer.hikari.pool.PoolBase", "HikariPool-1 - Failed to validate connection org.postgresql.jdbc.PgConnection@<<hex6>> (This connection has been closed.)"),
    ("http", "ERROR", "o.h.engine.jdbc.spi.SqlExceptionHelper", "ERROR: duplicate key value violates unique constraint \"uk_<<table>>_external_ref\""),
    ("pool", "INFO", "c.a.n.EmailSender", "Sent 120 notifications in <<ms>>ms"),
    ("pool", "DEBUG", "c.a.c.CacheLoader", "cache miss for key price:<<sku>>"),
    ("http", "ERROR", "c.a.b.InvoiceRenderer", "Template rendering failed for <<invoice_no>>: FreeMarker template error: The following has evaluated to null or missing: ==> customer.vatId"),
    ("http", "WARN", "o.s.w.s.m.s.DefaultHandlerExceptionResolver", "Resolved [org.springframework.http.converter.HttpMessageNotReadableException: JSON parse error: Cannot deserialize value of type `java.time.LocalDate` from String \"31/12/2024\"]"),
    ("sched", "INFO", "c.a.s.Scheduler", "Job stock-sync finished: 4821 items, 12 skipped"),
    ("sched", "ERROR", "c.a.s.Scheduler", "Job stock-sync failed: HTTP 429 Too Many Requests from supplier API"),
    ("sched", "WARN", "c.a.o.OutboxRelay", "Outbox relay behind by <<count>> messages"),
    ("http", "INFO", "c.a.a.AuthFilter", "Rejected request: token expired (exp=<<date>>T<<hhmm>>:00Z)"),
    ("http", "ERROR", "c.a.g.GlobalExceptionHandler", "Unhandled exception on GET /api/v1/<<table>>: java.lang.NullPointerException: Cannot invoke \"String.trim()\" because \"name\" is null"),
]


THREADS = {
    "http": ["http-nio-8080-exec-%d" % i for i in range(1, 24)],
    "kafka": ["kafka-consumer-1", "org.springframework.kafka.KafkaListenerEndpointContainer#0-0-C-1", "kafka-consumer-2"],
    "sched": ["scheduling-1", "scheduling-2", "outbox-relay"],
    "main": ["main"],
    "pool": ["task-1", "task-3", "notify-pool-2"],
    "hikari": ["HikariPool-1 housekeeper", "http-nio-8080-exec-7", "http-nio-8080-exec-12"],
}
STABLE_KEYS = ("svc", "topic", "pkg", "entity", "table", "ns", "pod")


def stable_cache(r, cache):
    """A placeholder cache holding only the prompt's stable values (service, topic, package, ...),
    so every line of one log talks about the same system while ids and timings vary per line."""
    for k in STABLE_KEYS:
        fill(r, "<<%s>>" % k, cache)
    return {k: cache[k] for k in STABLE_KEYS}


def java_log_lines(r, cache, n):
    c = Clock(r)
    base = stable_cache(r, cache)
    out = []
    for _ in range(n):
        kind, lvl, logger, msg = r.choice(JAVA_MSGS)
        out.append("%s %-5s [%s] %s - %s" % (c.tick(0, 2500), lvl, r.choice(THREADS[kind]), logger, fill(r, msg, dict(base))))
    return "\n".join(out)


def _java_log(r, cache):
    return java_log_lines(r, cache, r.choice([6, 8, 10, 14, 20, 28, 36]))


def _java_log_long(r, cache):
    return java_log_lines(r, cache, r.randint(30, 45))


_java_log.uses_context = True
_java_log_long.uses_context = True
GEN["java_log"] = _java_log
GEN["java_log_long"] = _java_log_long


JAVA_EXC = [
    ("java.lang.NullPointerException", "Cannot invoke \"<<pkg>>.model.Address.getCountry()\" because the return value of \"<<pkg>>.model.Customer.getBillingAddress()\" is null", []),
    ("java.lang.IllegalStateException", "Reservation <<hex8>> is already CONFIRMED", []),
    ("org.springframework.dao.DataIntegrityViolationException", "could not execute statement [ERROR: duplicate key value violates unique constraint \"uk_<<table>>_external_ref\"]; SQL [n/a]; constraint [uk_<<table>>_external_ref]",
     ["org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException(HibernateJpaDialect.java:290)",
      "org.springframework.orm.jpa.JpaTransactionManager.doCommit(JpaTransactionManager.java:565)",
      "org.springframework.transaction.support.AbstractPlatformTransactionManager.commit(AbstractPlatformTransactionManager.java:746)"]),
    ("org.apache.kafka.common.errors.TimeoutException", "Topic <<topic>> not present in metadata after 60000 ms.",
     ["org.apache.kafka.clients.producer.KafkaProducer.waitOnMetadata(KafkaProducer.java:1153)",
      "org.apache.kafka.clients.producer.KafkaProducer.doSend(KafkaProducer.java:1015)",
      "org.apache.kafka.clients.producer.KafkaProducer.send(KafkaProducer.java:962)"]),
    ("com.fasterxml.jackson.databind.exc.InvalidDefinitionException", "Cannot construct instance of `<<pkg>>.dto.<<entity>>Dto` (no Creators, like default constructor, exist): cannot deserialize from Object value (no delegate- or property-based Creator)",
     ["com.fasterxml.jackson.databind.exc.InvalidDefinitionException.from(InvalidDefinitionException.java:67)",
      "com.fasterxml.jackson.databind.DeserializationContext.reportBadDefinition(DeserializationContext.java:1887)",
      "com.fasterxml.jackson.databind.ObjectMapper.readValue(ObjectMapper.java:3828)"]),
    ("java.lang.ClassCastException", "class java.lang.Integer cannot be cast to class java.lang.Long (java.lang.Integer and java.lang.Long are in module java.base of loader 'bootstrap')", []),
    ("java.util.ConcurrentModificationException", "null",
     ["java.base/java.util.ArrayList$Itr.checkForComodification(ArrayList.java:1095)",
      "java.base/java.util.ArrayList$Itr.next(ArrayList.java:1049)"]),
    ("java.lang.OutOfMemoryError", "Java heap space",
     ["java.base/java.util.Arrays.copyOf(Arrays.java:3537)",
      "java.base/java.io.ByteArrayOutputStream.ensureCapacity(ByteArrayOutputStream.java:100)",
      "java.base/java.io.ByteArrayOutputStream.write(ByteArrayOutputStream.java:132)"]),
    ("jakarta.validation.ConstraintViolationException", "create.cmd.amount: must be greater than 0",
     ["org.springframework.validation.beanvalidation.MethodValidationInterceptor.invoke(MethodValidationInterceptor.java:138)",
      "org.springframework.aop.framework.ReflectiveMethodInvocation.proceed(ReflectiveMethodInvocation.java:184)"]),
    ("java.time.format.DateTimeParseException", "Text '2024-13-01' could not be parsed: Invalid value for MonthOfYear (valid values 1 - 12): 13",
     ["java.base/java.time.format.DateTimeFormatter.createError(DateTimeFormatter.java:2108)",
      "java.base/java.time.format.DateTimeFormatter.parse(DateTimeFormatter.java:2010)",
      "java.base/java.time.LocalDate.parse(LocalDate.java:435)"]),
    ("org.postgresql.util.PSQLException", "ERROR: deadlock detected\n  Detail: Process 18231 waits for ShareLock on transaction 99120; blocked by process 18244.\nProcess 18244 waits for ShareLock on transaction 99118; blocked by process 18231.\n  Hint: See server log for query details.",
     ["org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2725)",
      "org.postgresql.jdbc.PgPreparedStatement.executeUpdate(PgPreparedStatement.java:152)",
      "com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeUpdate(HikariProxyPreparedStatement.java)"]),
]
APP_INNER = ["<<pkg>>.mapping.<<entity>>Mapper.toDto(<<entity>>Mapper.java:%d)",
             "<<pkg>>.pricing.PriceCalculator.applyDiscounts(PriceCalculator.java:%d)",
             "<<pkg>>.repo.<<entity>>Repository.saveAll(<<entity>>Repository.java:%d)",
             "<<pkg>>.client.SupplierClient.fetchStock(SupplierClient.java:%d)"]
APP_MID = ["<<pkg>>.service.<<entity>>Service.process(<<entity>>Service.java:%d)",
           "<<pkg>>.service.<<entity>>Service.create(<<entity>>Service.java:%d)"]
STREAM_FRAMES = ["java.base/java.util.stream.ReferencePipeline$3$1.accept(ReferencePipeline.java:197)",
                 "java.base/java.util.ArrayList$ArrayListSpliterator.forEachRemaining(ArrayList.java:1625)",
                 "java.base/java.util.stream.AbstractPipeline.copyInto(AbstractPipeline.java:509)",
                 "java.base/java.util.stream.ReduceOps$ReduceOp.evaluateSequential(ReduceOps.java:921)",
                 "java.base/java.util.stream.ReferencePipeline.collect(ReferencePipeline.java:682)"]
FLAVORS = {
    "spring-web": ("<<pkg>>.api.<<entity>>Controller.create(<<entity>>Controller.java:%d)", [
        "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
        "org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255)",
        "org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter.handleInternal(RequestMappingHandlerAdapter.java:917)",
        "org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)",
        "org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)",
        "jakarta.servlet.http.HttpServlet.service(HttpServlet.java:658)",
        "org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:138)",
        "org.apache.tomcat.util.threads.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1190)",
        "java.base/java.lang.Thread.run(Thread.java:1583)"]),
    "spring-kafka": ("<<pkg>>.messaging.<<entity>>Listener.onMessage(<<entity>>Listener.java:%d)", [
        "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
        "org.springframework.messaging.handler.invocation.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:169)",
        "org.springframework.kafka.listener.adapter.MessagingMessageListenerAdapter.invokeHandler(MessagingMessageListenerAdapter.java:382)",
        "org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.doInvokeRecordListener(KafkaMessageListenerContainer.java:2785)",
        "org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.pollAndInvoke(KafkaMessageListenerContainer.java:1583)",
        "org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.run(KafkaMessageListenerContainer.java:1358)",
        "java.base/java.util.concurrent.CompletableFuture$AsyncRun.run(CompletableFuture.java:1804)",
        "java.base/java.lang.Thread.run(Thread.java:1583)"]),
    "micronaut": ("<<pkg>>.api.<<entity>>Controller.create(<<entity>>Controller.java:%d)", [
        "<<pkg>>.api.$<<entity>>Controller$Definition$Exec.dispatch(Unknown Source)",
        "io.micronaut.context.AbstractExecutableMethodsDefinition$DispatchedExecutableMethod.invokeUnsafe(AbstractExecutableMethodsDefinition.java:461)",
        "io.micronaut.http.server.RouteExecutor.lambda$executeRoute$14(RouteExecutor.java:656)",
        "io.micronaut.core.execution.ExecutionFlow.lambda$async$1(ExecutionFlow.java:87)",
        "io.micronaut.core.propagation.PropagatedContext.lambda$wrap$3(PropagatedContext.java:211)",
        "java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1144)",
        "java.base/java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:642)",
        "java.base/java.lang.Thread.run(Thread.java:1583)"]),
}


@gen("java_stack")
def _java_stack(r):
    exc, msg, top = r.choice(JAVA_EXC)
    outer, framework = FLAVORS[r.choice(sorted(FLAVORS))]
    frames = list(top)
    frames.append(r.choice(APP_INNER) % r.randint(20, 420))
    if r.random() < 0.4:
        frames += STREAM_FRAMES[:r.randint(2, len(STREAM_FRAMES))]
    frames.append(r.choice(APP_MID) % r.randint(20, 420))
    if r.random() < 0.5:
        frames += ["org.springframework.aop.framework.ReflectiveMethodInvocation.proceed(ReflectiveMethodInvocation.java:184)",
                   "org.springframework.transaction.interceptor.TransactionInterceptor.invoke(TransactionInterceptor.java:119)"][:r.randint(1, 2)]
    frames.append(outer % r.randint(20, 200))
    frames += framework[:r.randint(3, len(framework))]
    out = "%s: %s\n%s" % (exc, msg, "\n".join("\tat " + f for f in frames))
    if r.random() < 0.35:
        cexc, cmsg, ctop = r.choice([e for e in JAVA_EXC if e[0] != exc and e[2]])
        out += "\nCaused by: %s: %s\n%s\n\t... %d more" % (cexc, cmsg, "\n".join("\tat " + f for f in ctop), r.randint(8, 40))
    if r.random() < 0.4:
        c = Clock(r)
        out = "%s ERROR [%s] %s - %s\n%s" % (c.tick(), r.choice(["http-nio-8080-exec-3", "kafka-consumer-1", "default-nioEventLoopGroup-1-3", "pool-2-thread-1"]),
                                            r.choice(["c.a.g.GlobalExceptionHandler", "o.s.k.l.KafkaMessageListenerContainer", "c.a.s.Worker"]),
                                            r.choice(["Unhandled exception", "Error handler threw an exception", "Request processing failed"]), out)
    return out


PY_EXC = [
    ("KeyError", "'customer_id'"),
    ("AttributeError", "'NoneType' object has no attribute 'get'"),
    ("psycopg2.OperationalError", "connection to server at \"db.internal\" (<<ip>>), port 5432 failed: FATAL:  remaining connection slots are reserved for non-replication superuser connections"),
    ("ValueError", "time data '2024/03/07' does not match format '%Y-%m-%d'"),
    ("TypeError", "unsupported operand type(s) for +: 'int' and 'str'"),
    ("requests.exceptions.ConnectionError", "HTTPSConnectionPool(host='api.partner.example', port=443): Max retries exceeded with url: /v2/stock"),
    ("pandas.errors.ParserError", "Error tokenizing data. C error: Expected 7 fields in line 1843, saw 9"),
    ("sqlalchemy.exc.IntegrityError", "(psycopg2.errors.UniqueViolation) duplicate key value violates unique constraint \"<<table>>_pkey\""),
    ("RecursionError", "maximum recursion depth exceeded while calling a Python object"),
    ("UnicodeDecodeError", "'utf-8' codec can't decode byte 0xe9 in position 2231: invalid continuation byte"),
]
PY_FRAMES = ["  File \"/app/pipeline/ingest.py\", line %d, in run\n    batch = self._load(path)",
             "  File \"/app/pipeline/ingest.py\", line %d, in _load\n    df = pd.read_csv(path, sep=';')",
             "  File \"/app/pipeline/transform.py\", line %d, in normalize\n    rec['customer_id'] = rec.pop('cust_id') or rec['customer_id']",
             "  File \"/app/api/handlers.py\", line %d, in get_invoice\n    return render(invoice.meta.get('template'))",
             "  File \"/usr/local/lib/python3.11/site-packages/sqlalchemy/engine/base.py\", line %d, in _execute_context\n    self.dialect.do_execute(",
             "  File \"/app/jobs/sync.py\", line %d, in sync_stock\n    resp = session.get(url, timeout=10)",
             "  File \"/app/pipeline/enrich.py\", line %d, in enrich\n    total = row['qty'] + row['bonus_qty']",
             "  File \"/app/tasks.py\", line %d, in process_event\n    handler = HANDLERS[event['type']]",
             "  File \"/usr/local/lib/python3.11/site-packages/celery/app/trace.py\", line %d, in trace_task\n    R = retval = fun(*args, **kwargs)"]


@gen("py_trace")
def _py_trace(r):
    exc, msg = r.choice(PY_EXC)
    frames = [f % r.randint(12, 480) for f in r.sample(PY_FRAMES, r.randint(2, 5))]
    return "Traceback (most recent call last):\n%s\n%s: %s" % ("\n".join(frames), exc, msg)


NODE_ERRS = ["TypeError: Cannot read properties of undefined (reading 'map')",
             "Error: connect ECONNREFUSED 127.0.0.1:6379",
             "UnhandledPromiseRejectionWarning: Error: Request failed with status code 502",
             "RangeError: Maximum call stack size exceeded",
             "SyntaxError: Unexpected token '<', \"<!DOCTYPE \"... is not valid JSON"]


@gen("node_stack")
def _node_stack(r):
    frames = r.sample(["    at OrderList (/app/src/components/OrderList.tsx:%d:23)",
                       "    at processTicksAndRejections (node:internal/process/task_queues:95:5)",
                       "    at async fetchOrders (/app/src/api/orders.ts:%d:18)",
                       "    at RedisClient.connect (/app/node_modules/ioredis/built/Redis.js:%d:31)",
                       "    at Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)",
                       "    at JSON.parse (<anonymous>)",
                       "    at /app/dist/server/handlers/webhook.js:%d:41"], r.randint(3, 6))
    return r.choice(NODE_ERRS) + "\n" + "\n".join(f % r.randint(10, 300) if "%d" in f else f for f in frames)


@gen("go_panic")
def _go_panic(r):
    kind = r.choice(["runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x7b2c1a]",
                     "runtime error: index out of range [3] with length 3",
                     "assignment to entry in nil map",
                     "send on closed channel"])
    return ("panic: %s\n\ngoroutine %d [running]:\ngithub.com/acme/<<svc>>/internal/worker.(*Pool).dispatch(0xc000%s, {0xc0004%s, 0x1f})\n"
            "\t/src/internal/worker/pool.go:%d +0x%x\ngithub.com/acme/<<svc>>/internal/worker.(*Pool).Run.func1()\n\t/src/internal/worker/pool.go:%d +0x5c\n"
            "created by github.com/acme/<<svc>>/internal/worker.(*Pool).Run in goroutine 1\n\t/src/internal/worker/pool.go:%d +0x1a5\nexit status 2") % (
        kind, r.randint(20, 400), val(r, "hex6"), val(r, "hex6")[:5], r.randint(50, 200), r.randint(0x20, 0x3ff), r.randint(30, 60), r.randint(25, 45))


@gen("stack_any")
def _stack_any(r):
    return val(r, r.choice(["java_stack", "java_stack", "py_trace", "node_stack", "go_panic"]))


@gen("nginx_log")
def _nginx_log(r):
    out = []
    paths = ["/api/v1/orders", "/api/v1/orders/%d" % r.randint(1000, 9999), "/healthz", "/static/app.3f9c1.js", "/api/v1/cart",
             "/api/v1/search?q=desk", "/login", "/api/v1/invoices/export", "/favicon.ico", "/api/v1/payments/webhook"]
    for _ in range(r.randint(8, 18)):
        st = r.choice([200] * 8 + [201, 204, 301, 304, 400, 401, 404, 499, 500, 502, 503, 504])
        out.append('%s - - [%02d/%s/2025:%02d:%02d:%02d +0000] "%s %s HTTP/1.1" %d %d "-" "%s" rt=%.3f uct=0.001 urt=%.3f' % (
            val(r, "ip"), r.randint(1, 28), r.choice(["Mar", "Apr", "May", "Jun"]), r.randint(0, 23), r.randint(0, 59), r.randint(0, 59),
            r.choice(["GET", "GET", "POST", "PUT"]), r.choice(paths), st, r.randint(0, 48000),
            r.choice(["Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4)", "okhttp/4.12.0", "kube-probe/1.29", "python-requests/2.31.0"]),
            r.uniform(0.001, 3.5), r.uniform(0.001, 3.4)))
    return "\n".join(out)


def _k8s_events(r, cache):
    rows = ["LAST SEEN   TYPE      REASON              OBJECT                          MESSAGE"]
    evs = [("Warning", "BackOff", "pod/<<pod>>", "Back-off restarting failed container <<svc>> in pod <<pod>>"),
           ("Warning", "Unhealthy", "pod/<<pod>>", "Readiness probe failed: HTTP probe failed with statuscode: 503"),
           ("Normal", "Pulled", "pod/<<pod>>", "Container image \"registry.internal/<<svc>>:<<version>>\" already present on machine"),
           ("Warning", "OOMKilling", "node/ip-10-0-3-17", "Memory cgroup out of memory: Killed process 4411 (java)"),
           ("Normal", "Scheduled", "pod/<<pod>>", "Successfully assigned <<ns>>/<<pod>> to ip-10-0-3-17"),
           ("Warning", "FailedScheduling", "pod/<<pod>>", "0/6 nodes are available: 3 Insufficient memory, 3 node(s) had untolerated taint {dedicated: kafka}."),
           ("Normal", "ScalingReplicaSet", "deployment/<<svc>>", "Scaled up replica set <<svc>>-7d9f8c6b5 to 4 from 2"),
           ("Warning", "FailedMount", "pod/<<pod>>", "MountVolume.SetUp failed for volume \"config\" : configmap \"<<svc>>-config\" not found"),
           ("Normal", "Killing", "pod/<<pod>>", "Stopping container <<svc>>"),
           ("Warning", "Evicted", "pod/<<pod>>", "The node was low on resource: ephemeral-storage.")]
    base = stable_cache(r, cache)
    for t, reason, obj, msg in r.sample(evs, r.randint(4, 8)):
        rows.append("%-11s %-9s %-19s %-31s %s" % ("%d%s" % (r.randint(1, 59), r.choice(["s", "m"])), t, reason,
                                                   fill(r, obj, dict(base)), fill(r, msg, dict(base))))
    return "\n".join(rows)


_k8s_events.uses_context = True
GEN["k8s_events"] = _k8s_events


@gen("pom_deps")
def _pom_deps(r):
    deps = [("org.springframework.boot", "spring-boot-starter-web", None), ("org.springframework.kafka", "spring-kafka", None),
            ("com.fasterxml.jackson.core", "jackson-databind", "2.17.2"), ("org.postgresql", "postgresql", "42.7.3"),
            ("io.micrometer", "micrometer-registry-prometheus", None), ("org.apache.avro", "avro", "1.12.0"),
            ("org.junit.jupiter", "junit-jupiter", "5.10.2"), ("org.testcontainers", "kafka", "1.20.1"),
            ("org.mapstruct", "mapstruct", "1.6.0"), ("com.google.guava", "guava", "33.2.1-jre"),
            ("org.flywaydb", "flyway-core", "10.15.0"), ("io.confluent", "kafka-avro-serializer", "7.6.1")]
    out = ["<dependencies>"]
    for g, a, v in r.sample(deps, r.randint(4, 8)):
        out.append("  <dependency>\n    <groupId>%s</groupId>\n    <artifactId>%s</artifactId>%s%s\n  </dependency>" % (
            g, a, ("\n    <version>%s</version>" % v) if v else "", "\n    <scope>test</scope>" if a in ("junit-jupiter", "kafka") else ""))
    out.append("</dependencies>")
    return "\n".join(out)


@gen("package_json")
def _package_json(r):
    deps = {"react": "^18.3.1", "react-dom": "^18.3.1", "axios": "^1.7.2", "zod": "^3.23.8", "date-fns": "^3.6.0",
            "@tanstack/react-query": "^5.45.0", "express": "^4.19.2", "pino": "^9.2.0", "lodash": "^4.17.21"}
    dev = {"typescript": "~5.4.5", "vitest": "^1.6.0", "eslint": "^8.57.0", "@types/node": "^20.14.2", "prettier": "^3.3.2"}
    d = {"name": "@acme/" + val(r, "svc"), "version": val(r, "version"), "private": True,
         "scripts": {"build": "tsc -p .", "test": "vitest run", "lint": "eslint ."},
         "dependencies": dict(r.sample(sorted(deps.items()), r.randint(3, 6))),
         "devDependencies": dict(r.sample(sorted(dev.items()), r.randint(2, 4)))}
    return json.dumps(d, indent=2)


@gen("requirements")
def _requirements(r):
    reqs = ["fastapi==0.111.0", "uvicorn[standard]>=0.30", "pydantic>=2.7,<3", "SQLAlchemy==2.0.30", "psycopg2-binary==2.9.9",
            "pandas==2.2.2", "requests>=2.31", "celery[redis]==5.4.0", "boto3==1.34.131", "tenacity", "pyarrow==16.1.0",
            "structlog==24.2.0", "httpx==0.27.0", "pytest==8.2.2  # dev"]
    return "\n".join(r.sample(reqs, r.randint(5, 10)))


@gen("deps_any")
def _deps_any(r):
    return val(r, r.choice(["pom_deps", "package_json", "requirements"]))


SQLS = [
    """SELECT c.id, c.name, SUM(ol.qty * ol.unit_price) AS revenue
FROM customers c
JOIN orders o ON o.customer_id = c.id
JOIN order_lines ol ON ol.order_id = o.id
LEFT JOIN refunds rf ON rf.order_id = o.id
WHERE o.created_at >= now() - interval '90 days'
  AND rf.id IS NULL
GROUP BY c.id, c.name
ORDER BY revenue DESC
LIMIT 50;""",
    """WITH last_status AS (
  SELECT DISTINCT ON (shipment_id) shipment_id, status, updated_at
  FROM shipment_events
  ORDER BY shipment_id, updated_at DESC
)
UPDATE shipments s SET status = ls.status
FROM last_status ls
WHERE ls.shipment_id = s.id AND s.status <> ls.status;""",
    """INSERT INTO audit_events (actor, action, entity, payload)
SELECT u.email_hash, 'export', 'invoices', to_jsonb(i.*)
FROM invoices i JOIN users u ON u.id = i.created_by
WHERE i.exported_at IS NULL;""",
    """select p.sku, p.title, coalesce(st.on_hand, 0) on_hand, w.code
from products p
cross join warehouses w
left join stock st on st.product_id = p.id and st.warehouse_id = w.id
where p.discontinued = false and w.active
order by p.sku, w.code""",
    """DELETE FROM sessions WHERE last_seen < now() - interval '30 days' AND user_id IN (SELECT id FROM users WHERE deleted_at IS NOT NULL);""",
]


@gen("sql")
def _sql(r):
    return r.choice(SQLS)


CURLS = [
    """curl -X POST 'https://api.<<company_slug>>.example/v2/shipments' \\
  -H 'Content-Type: application/json' \\
  -H 'Authorization: Bearer $TOKEN' \\
  -d '{"orderId": "<<order_id>>", "carrier": "DHL", "service": "express", "parcels": [{"weightKg": 2.4}]}'""",
    """curl -s -G https://api.<<company_slug>>.example/v1/orders --data-urlencode 'status=PAID' --data-urlencode 'since=<<date>>' -H "X-Api-Version: 3" -u "$API_USER:$API_PASS" """,
    """curl --request PUT \\
  --url https://inventory.internal/api/stock/<<sku>> \\
  --header 'content-type: application/json' \\
  --data '{"warehouse":"<<city>>","onHand":<<qty>>,"reason":"cycle-count"}' --max-time 5 --retry 3""",
]


@gen("curl")
def _curl(r):
    return r.choice(CURLS)


@gen("epochs")
def _epochs(r):
    return "\n".join(str(r.randint(1704067200000, 1767225599000)) for _ in range(r.randint(3, 7)))


@gen("addresses")
def _addresses(r):
    out = []
    for _ in range(r.randint(3, 6)):
        f = r.randint(0, 2)
        if f == 0:
            out.append("<<company>>, %s, %s %s, %s" % (val(r, "street"), val(r, "postcode"), r.choice(GEN["city"]), r.choice(GEN["country"])))
        elif f == 1:
            out.append("%s %s / %s / %s-%s" % (r.choice(FIRST), r.choice(LAST), val(r, "street"), r.choice(GEN["country"]), val(r, "postcode")))
        else:
            out.append("%s; %s; %s" % (val(r, "street").upper(), r.choice(GEN["city"]).upper(), val(r, "postcode")))
    return "\n".join(out)


@gen("compose")
def _compose(r):
    return """services:
  app:
    image: registry.internal/<<svc>>:${APP_VERSION:-latest}
    environment:
      SPRING_PROFILES_ACTIVE: ${PROFILE}
      DB_URL: jdbc:postgresql://db:5432/${DB_NAME}
      DB_USER: ${DB_USER}
      KAFKA_BOOTSTRAP: kafka:9092
      FEATURE_EXPORT_V2: "true"
    depends_on: [db, kafka]
  db:
    image: postgres:16
    environment:
      POSTGRES_DB: ${DB_NAME}
      POSTGRES_PASSWORD: ${DB_PASSWORD}
  kafka:
    image: apache/kafka:3.7.0
    environment:
      KAFKA_NODE_ID: 1
      KAFKA_PROCESS_ROLES: broker,controller
      CLUSTER_ID: ${KAFKA_CLUSTER_ID}"""


@gen("meeting_notes")
def _meeting_notes(r):
    lines = ["Notes - <<svc>> sync, <<weekday>> <<date>>", "Attendees: <<first>>, %s, %s, %s" % tuple(r.sample(FIRST, 3)), ""]
    pts = ["- Migration to the new payment provider slipped to <<month>>; <<first>> to confirm date with vendor by Friday",
           "- Decided: keep the old export endpoint until all B2B customers moved (est. 6 weeks)",
           "- %s will write the runbook for consumer lag alerts, due next sprint" % r.choice(FIRST),
           "- Open question: who owns the invoice templates after the reorg?",
           "- Load test results: p95 went from 180ms to 240ms after enabling tracing; acceptable for now",
           "- Action: %s to file ticket for flaky KafkaIntegrationIT" % r.choice(FIRST),
           "- Budget: cloud LLM spend at 71%% of monthly cap on day 18, %s to look at routing more to local" % r.choice(FIRST),
           "- Agreed to freeze schema changes on orders.v1 until the consumer upgrade is done",
           "- Hiring: two backend interviews next week, %s and %s on the panel" % tuple(r.sample(FIRST, 2)),
           "- Security review of the SSO change scheduled for <<date>>",
           "- On-call handover: two pages last week, both disk alerts on kafka-2"]
    lines += r.sample(pts, r.randint(4, 8))
    return "\n".join(lines)


@gen("md_table")
def _md_table(r):
    rows = ["| Service | Owner | Tier | On-call rota |", "|---|---|---|---|"]
    for s in r.sample(GEN["svc"], r.randint(4, 7)):
        rows.append("| %s | %s | %s | %s |" % (s, r.choice(GEN["team"]), r.choice(["1", "2", "3"]), r.choice(["primary-eu", "follow-the-sun", "business hours"])))
    return "\n".join(rows)


@gen("openapi")
def _openapi(r):
    return """paths:
  /v1/<<table>>:
    get:
      summary: List <<table>>
      parameters:
        - in: query
          name: status
          schema: {type: string, enum: [OPEN, CLOSED]}
        - in: query
          name: cursor
          schema: {type: string}
        - in: query
          name: limit
          schema: {type: integer, maximum: 200, default: 50}
    post:
      summary: Create one
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/<<entity>>'}
  /v1/<<table>>/{id}:
    get:
      parameters:
        - {in: path, name: id, required: true, schema: {type: string, format: uuid}}
    delete:
      parameters:
        - {in: path, name: id, required: true, schema: {type: string, format: uuid}}
        - {in: header, name: If-Match, required: true, schema: {type: string}}"""


@gen("git_log")
def _git_log(r):
    msgs = r.sample(COMMIT_MSGS + ["fix(ui): align totals column", "chore(release): 2.14.0", "feat(search): fuzzy matching for SKUs",
                                   "Merge pull request #<<pr_num>> from acme/feature/export", "test: cover refund edge cases",
                                   "fix typo", "ci: cache maven repo"], r.randint(6, 12))
    return "\n".join("%s %s" % (val(r, "sha"), fill(r, m)) for m in msgs)


@gen("trivy")
def _trivy(r):
    vulns = [("libssl3", "CVE-2024-5535", "LOW", "3.0.13-1~deb12u1", "3.0.14-1~deb12u1"),
             ("com.fasterxml.jackson.core:jackson-databind", "CVE-2022-42003", "HIGH", "2.13.3", "2.13.4.2"),
             ("org.yaml:snakeyaml", "CVE-2022-1471", "HIGH", "1.33", "2.0"),
             ("io.netty:netty-codec-http2", "CVE-2023-44487", "HIGH", "4.1.94.Final", "4.1.100.Final"),
             ("zlib1g", "CVE-2023-45853", "CRITICAL", "1:1.2.13.dfsg-1", ""),
             ("ch.qos.logback:logback-classic", "CVE-2023-6378", "HIGH", "1.4.11", "1.4.12"),
             ("curl", "CVE-2024-2398", "MEDIUM", "7.88.1-10+deb12u5", "7.88.1-10+deb12u6"),
             ("org.springframework:spring-web", "CVE-2024-22243", "HIGH", "6.1.3", "6.1.4")]
    rows = ["registry.internal/<<svc>>:<<version>> (debian 12.5)", "Total: %d" % 0,
            "+---------------------------------------------+----------------+----------+-------------------+------------------+",
            "| Library                                     | Vulnerability  | Severity | Installed Version | Fixed Version    |",
            "+---------------------------------------------+----------------+----------+-------------------+------------------+"]
    chosen = r.sample(vulns, r.randint(3, 6))
    rows[1] = "Total: %d (HIGH: %d, CRITICAL: %d)" % (len(chosen), sum(v[2] == "HIGH" for v in chosen), sum(v[2] == "CRITICAL" for v in chosen))
    for v in chosen:
        rows.append("| %-43s | %-14s | %-8s | %-17s | %-16s |" % v)
    rows.append(rows[2])
    return "\n".join(rows)


@gen("tf_plan")
def _tf_plan(r):
    blocks = ["  # aws_s3_bucket_versioning.exports will be updated in-place\n  ~ resource \"aws_s3_bucket_versioning\" \"exports\" {\n      ~ versioning_configuration {\n          ~ status = \"Suspended\" -> \"Enabled\"\n        }\n    }",
              "  # aws_db_instance.orders must be replaced\n-/+ resource \"aws_db_instance\" \"orders\" {\n      ~ engine_version = \"15.5\" -> \"16.3\" # forces replacement\n      ~ id             = \"orders-prod\" -> (known after apply)\n    }",
              "  # aws_security_group_rule.allow_https will be created\n  + resource \"aws_security_group_rule\" \"allow_https\" {\n      + cidr_blocks = [\"0.0.0.0/0\"]\n      + from_port   = 443\n      + to_port     = 443\n      + type        = \"ingress\"\n    }",
              "  # aws_iam_role_policy.ci will be updated in-place\n  ~ resource \"aws_iam_role_policy\" \"ci\" {\n      ~ policy = jsonencode(\n          ~ {\n              ~ Statement = [\n                  + { Action = \"s3:*\", Effect = \"Allow\", Resource = \"*\" },\n                ]\n            }\n        )\n    }",
              "  # aws_elasticache_cluster.sessions will be destroyed\n  - resource \"aws_elasticache_cluster\" \"sessions\" {\n      - cluster_id = \"sessions-prod\" -> null\n      - num_cache_nodes = 2 -> null\n    }",
              "  # aws_cloudwatch_log_group.app will be updated in-place\n  ~ resource \"aws_cloudwatch_log_group\" \"app\" {\n      ~ retention_in_days = 14 -> 30\n    }",
              "  # aws_lambda_function.thumbnailer will be created\n  + resource \"aws_lambda_function\" \"thumbnailer\" {\n      + function_name = \"thumbnailer\"\n      + memory_size   = 512\n      + runtime       = \"python3.12\"\n    }"]
    chosen = r.sample(blocks, r.randint(2, 4))
    add = sum("created" in b for b in chosen) + sum("replaced" in b for b in chosen)
    chg = sum("in-place" in b for b in chosen)
    dst = sum("destroyed" in b for b in chosen) + sum("replaced" in b for b in chosen)
    return "Terraform will perform the following actions:\n\n%s\n\nPlan: %d to add, %d to change, %d to destroy." % ("\n\n".join(chosen), add, chg, dst)


@gen("pg_log")
def _pg_log(r):
    c = Clock(r)
    stmts = ["SELECT * FROM orders WHERE customer_id = $1 ORDER BY created_at DESC",
             "UPDATE stock SET on_hand = on_hand - $1 WHERE product_id = $2 AND warehouse_id = $3",
             "SELECT count(*) FROM audit_events WHERE created_at > $1",
             "INSERT INTO order_lines (order_id, sku, qty, unit_price) VALUES ($1, $2, $3, $4)",
             "SELECT p.* FROM products p WHERE lower(p.title) LIKE '%' || $1 || '%'",
             "DELETE FROM sessions WHERE last_seen < $1"]
    out = []
    for _ in range(r.randint(6, 12)):
        d = r.choice([r.uniform(1, 90), r.uniform(100, 499), r.uniform(500, 9000)])
        out.append("%s UTC [%d] app@orders LOG:  duration: %.3f ms  execute <unnamed>: %s" % (c.tick(0, 60000), r.randint(1000, 30000), d, r.choice(stmts)))
    return "\n".join(out)


@gen("html_products")
def _html_products(r):
    items = []
    for t in r.sample(PRODUCT_TITLES, r.randint(2, 4)):
        items.append('<div class="card" data-sku="%s">\n  <h3 class="title">%s</h3>\n  <span class="price">€%s</span>\n  <div class="rating" aria-label="%.1f out of 5 stars"></div>\n</div>' % (
            val(r, "sku"), t, val(r, "small_amount").replace(".", ","), r.uniform(2.5, 5)))
    return "\n".join(items)


@gen("fixed_width")
def _fixed_width(r):
    out = []
    for _ in range(r.randint(3, 6)):
        out.append("%-10s%-8s%-25s%012d%s%-3s" % (val(r, "order_id")[4:14], val(r, "date").replace("-", "")[:8], r.choice(GEN["company"])[:25],
                                                  r.randint(100, 9999999), r.choice(["D", "C"]), r.choice(["EUR", "USD"])))
    return "Layout: cols 1-10 doc id, 11-18 date yyyymmdd, 19-43 counterparty, 44-55 amount in cents (zero padded), 56 D/C flag, 57-59 currency\n\n" + "\n".join(out)


@gen("java_value_class")
def _java_value_class(r):
    return """@Configuration
public class <<entity>>Settings {
    @Value("${<<svc>>.batch-size:500}")
    private int batchSize;

    @Value("${<<svc>>.poll-interval:PT30S}")
    private Duration pollInterval;

    @Value("${<<svc>>.upstream.url}")
    private String upstreamUrl;

    @Value("${<<svc>>.upstream.timeout-ms:2000}")
    private long upstreamTimeoutMs;

    @Value("${<<svc>>.dry-run:false}")
    private boolean dryRun;

    @Value("${<<svc>>.regions:eu-central-1,eu-west-1}")
    private List<String> regions;
}"""


@gen("xml_doc")
def _xml_doc(r):
    return """<?xml version="1.0" encoding="UTF-8"?>
<shipment id="SHP-<<big_n>>" carrier="DHL">
  <order ref="<<order_id>>"/>
  <from country="DE" city="<<city>>"/>
  <to country="<<country>>"/>
  <parcels>
    <parcel weight="2.4" unit="kg"><content sku="<<sku>>" qty="<<qty>>"/></parcel>
    <parcel weight="0.8" unit="kg"><content sku="<<sku2>>" qty="1"/></parcel>
  </parcels>
  <status code="IN_TRANSIT" updated="<<date>>T<<hhmm>>:00Z"/>
</shipment>"""


@gen("yaml_cfg")
def _yaml_cfg(r):
    return """server:
  port: <<port>>
spring:
  datasource:
    url: jdbc:postgresql://db.<<env>>.internal:5432/<<table>>
    hikari:
      maximum-pool-size: 20
      connection-timeout: 3000
  kafka:
    bootstrap-servers: kafka-0.kafka:9092,kafka-1.kafka:9092
    consumer:
      group-id: <<svc>>
      auto-offset-reset: earliest
      max-poll-records: 500
management:
  endpoints.web.exposure.include: health,prometheus
<<svc>>:
  retries: 3
  export:
    enabled: true
    bucket: exports-<<env>>"""


@gen("ini_file")
def _ini_file(r):
    return """[database]
host = db.<<env>>.internal
port = 5432
name = <<table>>
pool_size = 10

[kafka]
bootstrap = kafka-0:9092,kafka-1:9092
group = <<svc>>
auto_commit = false

[features]
export_v2 = true
beta_users = 120, 455, 981"""


@gen("junit_xml")
def _junit_xml(r):
    cases = []
    fails = 0
    for i in range(r.randint(4, 7)):
        nm = r.choice(["shouldCreate", "shouldRejectNegativeAmount", "roundsVatHalfEven", "handlesEmptyCart", "retriesOn503",
                       "expiresReservation", "parsesLegacyDate", "mapsAllFields", "publishesEvent"]) + str(i)
        if r.random() < 0.35:
            fails += 1
            cases.append('  <testcase name="%s" classname="<<pkg>>.<<entity>>Test" time="%.3f">\n    <failure message="expected: &lt;%d&gt; but was: &lt;%d&gt;" type="org.opentest4j.AssertionFailedError"/>\n  </testcase>' % (
                nm, r.uniform(0.01, 2), r.randint(1, 9), r.randint(10, 99)))
        else:
            cases.append('  <testcase name="%s" classname="<<pkg>>.<<entity>>Test" time="%.3f"/>' % (nm, r.uniform(0.01, 2)))
    return '<testsuite name="<<pkg>>.<<entity>>Test" tests="%d" failures="%d" errors="0" skipped="0">\n%s\n</testsuite>' % (len(cases), fails, "\n".join(cases))


@gen("loadtest")
def _loadtest(r):
    rows = ["     scenarios: (100.00%) 1 scenario, 200 max VUs, 5m30s max duration", ""]
    for ep in r.sample(["GET /api/v1/orders", "POST /api/v1/orders", "GET /api/v1/search", "POST /api/v1/cart/items", "GET /api/v1/products/{id}"], 3):
        p50 = r.randint(20, 200)
        rows.append("     http_req_duration{name:%s}...: avg=%dms min=%dms med=%dms max=%.2fs p(90)=%dms p(95)=%dms" % (
            ep, p50 + 12, r.randint(3, 15), p50, r.uniform(1, 6), p50 * 2, int(p50 * 2.6)))
    rows.append("     http_req_failed................: %.2f%%  ✓ %d  ✗ %d" % (r.uniform(0, 3), r.randint(10, 900), r.randint(40000, 90000)))
    rows.append("     iterations.....................: %d  %.1f/s" % (r.randint(40000, 90000), r.uniform(100, 400)))
    return "\n".join(rows)


@gen("crontab")
def _crontab(r):
    return """# m h dom mon dow command
*/5 * * * * /opt/jobs/sync_stock.sh >> /var/log/sync.log 2>&1
0 2 * * * /opt/jobs/backup_db.sh
30 6 * * 1-5 /opt/jobs/send_digest.py --team <<team>>
15 */4 * * * /opt/jobs/rotate_exports.sh --keep 14
0 0 1 * * /opt/jobs/monthly_invoices.sh"""


@gen("gc_log")
def _gc_log(r):
    c = 0.0
    out = []
    for _ in range(r.randint(5, 9)):
        c += r.uniform(0.5, 30)
        before = r.randint(900, 3900)
        kind = r.choice(["Pause Young (Normal) (G1 Evacuation Pause)", "Pause Young (Concurrent Start) (G1 Humongous Allocation)", "Pause Remark", "Pause Full (G1 Compaction Pause)"])
        out.append("[%.3fs][info][gc] GC(%d) %s %dM->%dM(4096M) %.3fms" % (c, r.randint(10, 900), kind, before, before - r.randint(50, 800), r.uniform(1, 900)))
    return "\n".join(out)


@gen("shipping_label")
def _shipping_label(r):
    return """SHIP TO:
<<company>>
ATTN RECEIVING DOCK 3
<<street>>
<<postcode>> <<city>> <<country>>
WEIGHT: %.1f KG   PCS 1/%d
SERVICE: EXPRESS 12:00
TRACKING #: 1Z %s %s %s
REF1: <<order_id>>  REF2: PO-<<big_n>>""" % (r.uniform(0.4, 28), r.randint(1, 4), val(r, "hex6").upper()[:3], r.randint(10, 99), r.randint(1000, 9999))


# --------------------------------------------------------------------------------------------
# Code fragments
# --------------------------------------------------------------------------------------------
JAVA_CLASSES = [
    """public class <<entity>>Service {
    private final <<entity>>Repository repository;
    private final Clock clock;
    private final EventPublisher events;

    public <<entity>>Service(<<entity>>Repository repository, Clock clock, EventPublisher events) {
        this.repository = repository;
        this.clock = clock;
        this.events = events;
    }

    public <<entity>> create(Create<<entity>>Command cmd) {
        if (cmd.amount().signum() <= 0) {
            throw new IllegalArgumentException("amount must be positive");
        }
        var entity = new <<entity>>(UUID.randomUUID(), cmd.customerId(), cmd.amount(), Instant.now(clock));
        repository.save(entity);
        events.publish(new <<entity>>Created(entity.id()));
        return entity;
    }

    public Optional<<<entity>>> find(UUID id) {
        return repository.findById(id);
    }

    public void cancel(UUID id) {
        var e = repository.findById(id).orElseThrow(() -> new NotFoundException(id));
        if (e.status() == Status.SHIPPED) throw new IllegalStateException("already shipped");
        repository.save(e.withStatus(Status.CANCELLED));
    }
}""",
    """public final class PriceCalculator {
    private final TaxTable taxes;

    public PriceCalculator(TaxTable taxes) { this.taxes = taxes; }

    public Money total(List<Line> lines, String country, Optional<Coupon> coupon) {
        Money net = lines.stream().map(l -> l.unitPrice().times(l.qty())).reduce(Money.ZERO, Money::plus);
        Money discounted = coupon.map(c -> c.apply(net)).orElse(net);
        BigDecimal rate = taxes.rateFor(country);
        return discounted.plus(discounted.times(rate).rounded(RoundingMode.HALF_EVEN));
    }
}""",
    """@Component
public class <<entity>>Listener {
    private static final Logger log = LoggerFactory.getLogger(<<entity>>Listener.class);
    private final <<entity>>Service service;

    public <<entity>>Listener(<<entity>>Service service) { this.service = service; }

    @KafkaListener(topics = "<<topic>>", groupId = "<<svc>>")
    public void onMessage(ConsumerRecord<String, String> record) {
        try {
            var cmd = Json.read(record.value(), Create<<entity>>Command.class);
            service.create(cmd);
        } catch (JsonProcessingException e) {
            log.warn("skipping malformed record at offset {}", record.offset());
        }
    }
}""",
]
GEN["java_class"] = JAVA_CLASSES

PY_FUNCS = [
    '''def merge_intervals(intervals):
    """Merge overlapping [start, end) intervals. Input may be unsorted."""
    if not intervals:
        return []
    intervals = sorted(intervals, key=lambda iv: iv[0])
    out = [list(intervals[0])]
    for start, end in intervals[1:]:
        if start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [tuple(iv) for iv in out]''',
    '''def parse_duration(s: str) -> int:
    """'1h30m' -> 5400, '45s' -> 45, '2d' -> 172800. Raises ValueError on junk."""
    units = {"d": 86400, "h": 3600, "m": 60, "s": 1}
    total, num = 0, ""
    for ch in s.strip():
        if ch.isdigit():
            num += ch
        elif ch in units and num:
            total += int(num) * units[ch]
            num = ""
        else:
            raise ValueError(f"bad duration: {s!r}")
    if num:
        raise ValueError(f"trailing number without unit: {s!r}")
    return total''',
    '''def dedupe_events(events, window_s=300):
    seen = {}
    out = []
    for e in sorted(events, key=lambda e: e["ts"]):
        key = (e["source"], e["external_id"])
        last = seen.get(key)
        if last is not None and e["ts"] - last < window_s:
            continue
        seen[key] = e["ts"]
        out.append(e)
    return out''',
    '''def chunked_upsert(conn, rows, table, key_cols, batch=1000):
    cols = list(rows[0].keys())
    sql = (f"INSERT INTO {table} ({', '.join(cols)}) VALUES %s "
           f"ON CONFLICT ({', '.join(key_cols)}) DO UPDATE SET "
           + ", ".join(f"{c}=EXCLUDED.{c}" for c in cols if c not in key_cols))
    with conn.cursor() as cur:
        for i in range(0, len(rows), batch):
            execute_values(cur, sql, [tuple(r[c] for c in cols) for r in rows[i:i + batch]])
    conn.commit()''',
]
GEN["py_func"] = PY_FUNCS

TS_FUNCS = [
    """export async function fetchAllPages<T>(url: string, token: string): Promise<T[]> {
  const out: T[] = [];
  let next: string | null = url;
  while (next) {
    const res = await fetch(next, { headers: { Authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = (await res.json()) as { items: T[]; next?: string };
    out.push(...body.items);
    next = body.next ?? null;
  }
  return out;
}""",
    """export function OrderSummary({ order, onCancel }: Props) {
  const [busy, setBusy] = useState(false);
  const total = order.lines.reduce((s, l) => s + l.qty * l.unitPrice, 0);
  return (
    <section className="order-summary">
      <h2>Order {order.id}</h2>
      <p>{order.lines.length} items, total {formatMoney(total, order.currency)}</p>
      <button disabled={busy || order.status !== 'PENDING'} onClick={async () => { setBusy(true); await onCancel(order.id); setBusy(false); }}>
        Cancel
      </button>
    </section>
  );
}""",
]
GEN["ts_func"] = TS_FUNCS
GEN["react_component"] = [TS_FUNCS[1], """export function CouponField({ onApply }: { onApply: (code: string) => Promise<boolean> }) {
  const [code, setCode] = useState('');
  const [state, setState] = useState<'idle' | 'checking' | 'ok' | 'invalid'>('idle');
  return (
    <form onSubmit={async (e) => { e.preventDefault(); setState('checking'); setState((await onApply(code.trim())) ? 'ok' : 'invalid'); }}>
      <input aria-label="Coupon code" value={code} onChange={(e) => setCode(e.target.value.toUpperCase())} />
      <button type="submit" disabled={!code || state === 'checking'}>Apply</button>
      {state === 'invalid' && <p role="alert">This code is not valid.</p>}
    </form>
  );
}"""]

GO_FUNCS = [
    """func (s *Store) Reserve(ctx context.Context, sku string, qty int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	item, ok := s.items[sku]
	if !ok {
		return ErrUnknownSKU
	}
	if item.OnHand-item.Reserved < qty {
		return ErrInsufficientStock
	}
	item.Reserved += qty
	s.items[sku] = item
	return s.journal.Append(ctx, Event{Type: "reserved", SKU: sku, Qty: qty})
}""",
    """func worker(ctx context.Context, jobs <-chan Job, results chan<- Result) {
	for j := range jobs {
		res, err := process(ctx, j)
		if err != nil {
			log.Printf("job %s failed: %v", j.ID, err)
			continue
		}
		results <- res
	}
}""",
]
GEN["go_func"] = GO_FUNCS
GEN["code_any"] = ["<<java_class>>", "<<py_func>>", "<<ts_func>>", "<<go_func>>"]

NODE_CALLBACK = """function loadCustomer(id, cb) {
  db.query('SELECT * FROM customers WHERE id = $1', [id], function (err, res) {
    if (err) return cb(err);
    if (!res.rows.length) return cb(null, null);
    var customer = res.rows[0];
    db.query('SELECT * FROM addresses WHERE customer_id = $1', [id], function (err2, res2) {
      if (err2) return cb(err2);
      customer.addresses = res2.rows;
      pricing.getTier(customer.tier_id, function (err3, tier) {
        if (err3) { console.error(err3); }
        customer.tier = tier;
        cb(null, customer);
      });
    });
  });
}"""

RETRY_CLASS = """public class SupplierClient {
    public StockLevel fetchStock(String sku) {
        int attempts = 0;
        while (true) {
            try {
                return http.get("/stock/" + sku, StockLevel.class);
            } catch (IOException e) {
                if (++attempts >= 3) throw new UncheckedIOException(e);
                sleep(200L * attempts);
            }
        }
    }

    public void pushOrder(OrderDto order) {
        int attempts = 0;
        while (true) {
            try {
                http.post("/orders", order);
                return;
            } catch (IOException e) {
                if (++attempts >= 5) throw new UncheckedIOException(e);
                sleep(500L * attempts);
            }
        }
    }

    public List<PriceDto> prices(List<String> skus) {
        int attempts = 0;
        while (true) {
            try {
                return http.post("/prices/query", skus, PRICE_LIST);
            } catch (IOException e) {
                if (++attempts >= 3) throw new UncheckedIOException(e);
                sleep(200L * attempts);
            }
        }
    }
}"""

RECURSIVE_FN = """def total_weight(node):
    w = node.weight
    for child in node.children:
        w += total_weight(child)
    return w

def find_path(node, target, path=None):
    path = (path or []) + [node.id]
    if node.id == target:
        return path
    for child in node.children:
        p = find_path(child, target, path)
        if p:
            return p
    return None"""

PY_PORT_SRC = """def bucketize(events, width_s, start=None):
    \"\"\"Group (ts, value) pairs into fixed-width buckets; empty buckets are emitted as 0.\"\"\"
    if not events:
        return []
    events = sorted(events)
    start = events[0][0] if start is None else start
    end = events[-1][0]
    n = int((end - start) // width_s) + 1
    buckets = [0.0] * n
    for ts, v in events:
        if ts < start:
            continue
        buckets[int((ts - start) // width_s)] += v
    return [(start + i * width_s, b) for i, b in enumerate(buckets)]"""

LONG_FUNCTION = """    public Response handle(Request req) {
        if (req.getHeader("X-Tenant") == null) return Response.status(400).entity("missing tenant").build();
        String tenant = req.getHeader("X-Tenant");
        Map<String, Object> body = json.parse(req.body());
        List<Map<String, Object>> lines = (List<Map<String, Object>>) body.get("lines");
        if (lines == null || lines.isEmpty()) return Response.status(422).entity("no lines").build();
        BigDecimal total = BigDecimal.ZERO;
        for (Map<String, Object> l : lines) {
            String sku = (String) l.get("sku");
            int qty = ((Number) l.get("qty")).intValue();
            Product p = products.find(tenant, sku);
            if (p == null) return Response.status(422).entity("unknown sku " + sku).build();
            if (p.isDiscontinued()) return Response.status(422).entity("discontinued " + sku).build();
            Stock s = stock.find(tenant, sku);
            if (s.available() < qty) return Response.status(409).entity("out of stock " + sku).build();
            BigDecimal price = p.getPrice();
            if (body.get("coupon") != null) {
                Coupon c = coupons.find(tenant, (String) body.get("coupon"));
                if (c != null && c.appliesTo(sku)) price = price.multiply(BigDecimal.ONE.subtract(c.getRate()));
            }
            total = total.add(price.multiply(BigDecimal.valueOf(qty)));
        }
        String country = (String) ((Map<String, Object>) body.get("shipping")).get("country");
        BigDecimal vat = taxes.rate(country);
        total = total.add(total.multiply(vat)).setScale(2, RoundingMode.HALF_UP);
        Order o = new Order(UUID.randomUUID(), tenant, lines, total);
        orders.save(o);
        for (Map<String, Object> l : lines) stock.reserve(tenant, (String) l.get("sku"), ((Number) l.get("qty")).intValue());
        mailer.send(tenant, (String) body.get("customerId"), "order-confirmation", Map.of("order", o));
        audit.log(tenant, "order.created", o.getId());
        return Response.status(201).entity(Map.of("id", o.getId(), "total", total)).build();
    }"""

# Diffs: hand-written changes with real review findings in them.
DIFFS = [
    """diff --git a/src/main/java/com/acme/orders/OrderService.java b/src/main/java/com/acme/orders/OrderService.java
@@ -41,14 +41,18 @@ public class OrderService {
-    @Transactional
     public Order place(PlaceOrder cmd) {
         var order = Order.from(cmd);
-        orderRepository.save(order);
-        stockClient.reserve(order.lines());
+        stockClient.reserve(order.lines());
+        orderRepository.save(order);
+        if (order.total().compareTo(FRAUD_THRESHOLD) > 0) {
+            fraudQueue.submit(order.id());
+        }
         events.publish(new OrderPlaced(order.id()));
         return order;
     }""",
    """diff --git a/app/auth/session.py b/app/auth/session.py
@@ -12,11 +12,14 @@ from .tokens import decode
 def current_user(request):
     token = request.cookies.get("session")
     if not token:
         return None
-    claims = decode(token, key=settings.SESSION_KEY, algorithms=["HS256"])
+    try:
+        claims = decode(token, key=settings.SESSION_KEY, algorithms=["HS256", "none"])
+    except Exception:
+        return None
     user = User.query.get(claims["sub"])
-    if user is None or user.disabled:
+    if user is None:
         return None
     return user""",
    """diff --git a/src/cache/priceCache.ts b/src/cache/priceCache.ts
@@ -1,20 +1,22 @@
-const cache = new Map<string, { price: number; at: number }>();
+const cache = new Map<string, number>();
 
 export async function getPrice(sku: string): Promise<number> {
-  const hit = cache.get(sku);
-  if (hit && Date.now() - hit.at < 60_000) return hit.price;
+  if (cache.has(sku)) return cache.get(sku)!;
   const price = await pricingApi.fetch(sku);
-  cache.set(sku, { price, at: Date.now() });
+  cache.set(sku, price);
   return price;
 }
+
+export function warmup(skus: string[]) {
+  skus.forEach((s) => getPrice(s));
+}""",
    """diff --git a/db/migrations/V42__add_status_to_invoices.sql b/db/migrations/V42__add_status_to_invoices.sql
new file mode 100644
+ALTER TABLE invoices ADD COLUMN status varchar(20) NOT NULL DEFAULT 'OPEN';
+UPDATE invoices SET status = CASE WHEN paid_at IS NOT NULL THEN 'PAID' ELSE 'OPEN' END;
+CREATE INDEX idx_invoices_status ON invoices(status);
+ALTER TABLE invoices DROP COLUMN paid;""",
    """diff --git a/internal/worker/pool.go b/internal/worker/pool.go
@@ -30,16 +30,19 @@ func (p *Pool) Run(ctx context.Context) error {
 	for i := 0; i < p.size; i++ {
+		wg.Add(1)
 		go func() {
-			for job := range p.jobs {
-				p.handle(ctx, job)
+			defer wg.Done()
+			for {
+				select {
+				case job := <-p.jobs:
+					p.handle(ctx, job)
+				case <-ctx.Done():
+					return
+				}
 			}
 		}()
 	}
-	return nil
+	wg.Wait()
+	close(p.results)
+	return ctx.Err()
 }""",
    """diff --git a/src/main/java/com/acme/billing/VatCalculator.java b/src/main/java/com/acme/billing/VatCalculator.java
@@ -18,9 +18,9 @@ public class VatCalculator {
     public BigDecimal vat(BigDecimal net, String country) {
         BigDecimal rate = rates.getOrDefault(country, DEFAULT_RATE);
-        return net.multiply(rate).setScale(2, RoundingMode.HALF_EVEN);
+        return net.multiply(rate).setScale(2, RoundingMode.HALF_UP);
     }
 
diff --git a/src/test/java/com/acme/billing/VatCalculatorTest.java b/src/test/java/com/acme/billing/VatCalculatorTest.java
@@ -22,7 +22,7 @@ class VatCalculatorTest {
     @Test
     void roundsHalfEven() {
-        assertThat(calc.vat(new BigDecimal("10.125"), "DE")).isEqualByComparingTo("1.92");
+        assertThat(calc.vat(new BigDecimal("10.125"), "DE")).isEqualByComparingTo("1.93");
     }""",
    """diff --git a/api/views.py b/api/views.py
@@ -55,8 +55,12 @@ class InvoiceSearchView(APIView):
     def get(self, request):
-        qs = Invoice.objects.filter(tenant=request.user.tenant)
-        if q := request.GET.get("q"):
-            qs = qs.filter(number__icontains=q)
+        q = request.GET.get("q", "")
+        order = request.GET.get("order", "created_at")
+        qs = Invoice.objects.raw(
+            f"SELECT * FROM invoices WHERE tenant_id = {request.user.tenant_id} "
+            f"AND number ILIKE '%{q}%' ORDER BY {order}"
+        )
         return Response(InvoiceSerializer(qs, many=True).data)""",
    """diff --git a/src/main/kotlin/com/acme/shipping/TrackingPoller.kt b/src/main/kotlin/com/acme/shipping/TrackingPoller.kt
@@ -14,12 +14,15 @@ class TrackingPoller(
-    @Scheduled(fixedDelay = 60_000)
+    @Scheduled(fixedRate = 10_000)
     fun poll() {
-        val open = repo.findOpenShipments(limit = 200)
+        val open = repo.findOpenShipments()
         open.forEach { s ->
-            val status = carrier.status(s.trackingNumber)
-            if (status != s.status) repo.updateStatus(s.id, status)
+            runBlocking {
+                launch { repo.updateStatus(s.id, carrier.status(s.trackingNumber)) }
+            }
         }
     }""",
    """diff --git a/Dockerfile b/Dockerfile
@@ -1,12 +1,10 @@
-FROM eclipse-temurin:21-jre-alpine
-RUN addgroup -S app && adduser -S app -G app
-USER app
+FROM eclipse-temurin:21-jdk
 WORKDIR /app
-COPY --chown=app:app target/app.jar app.jar
+COPY . .
+RUN ./mvnw -q package -DskipTests && cp target/app.jar app.jar
+ENV JAVA_TOOL_OPTIONS="-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=*:5005"
 EXPOSE 8080
-HEALTHCHECK CMD wget -qO- http://localhost:8080/actuator/health || exit 1
 ENTRYPOINT ["java", "-jar", "app.jar"]""",
    """diff --git a/src/main/java/com/acme/inventory/ReservationCache.java b/src/main/java/com/acme/inventory/ReservationCache.java
@@ -9,15 +9,13 @@ public class ReservationCache {
-    private final ConcurrentHashMap<String, Integer> reserved = new ConcurrentHashMap<>();
+    private final HashMap<String, Integer> reserved = new HashMap<>();
 
     public void add(String sku, int qty) {
-        reserved.merge(sku, qty, Integer::sum);
+        Integer cur = reserved.get(sku);
+        reserved.put(sku, cur == null ? qty : cur + qty);
     }
 
-    public int get(String sku) { return reserved.getOrDefault(sku, 0); }
+    public synchronized int get(String sku) { return reserved.getOrDefault(sku, 0); }""",
    """diff --git a/infra/prod/main.tf b/infra/prod/main.tf
@@ -70,10 +70,12 @@ resource "aws_s3_bucket_policy" "exports" {
   policy = jsonencode({
     Statement = [{
       Effect    = "Allow"
-      Principal = { AWS = aws_iam_role.exporter.arn }
+      Principal = "*"
       Action    = ["s3:GetObject"]
       Resource  = "${aws_s3_bucket.exports.arn}/*"
     }]
   })
 }
@@ -120,6 +122,6 @@ resource "aws_db_instance" "orders" {
-  backup_retention_period = 14
+  backup_retention_period = 0
   deletion_protection     = true""",
    """diff --git a/src/utils/dates.ts b/src/utils/dates.ts
@@ -3,8 +3,8 @@
 export function daysBetween(a: string, b: string): number {
-  const start = parseISO(a);
-  const end = parseISO(b);
-  return differenceInCalendarDays(end, start);
+  const ms = new Date(b).getTime() - new Date(a).getTime();
+  return Math.round(ms / 86400000);
 }
diff --git a/src/utils/dates.test.ts b/src/utils/dates.test.ts
@@ -1,6 +1,5 @@
-it('handles DST change', () => {
-  expect(daysBetween('2025-03-29', '2025-03-31')).toBe(2);
-});
+it('counts days', () => expect(daysBetween('2025-01-01', '2025-01-03')).toBe(2));""",
    """diff --git a/pipeline/ingest.py b/pipeline/ingest.py
@@ -20,13 +20,11 @@ def load_batch(path):
-    with open(path, encoding="utf-8") as f:
-        reader = csv.DictReader(f)
-        rows = [normalize(r) for r in reader]
+    df = pd.read_csv(path)
+    rows = df.to_dict("records")
     seen = set()
     out = []
     for r in rows:
-        key = (r["source"], r["external_id"])
+        key = r["external_id"]
         if key in seen:
             continue
         seen.add(key)
         out.append(r)
     return out""",
    """diff --git a/src/main/java/com/acme/router/BudgetGuard.java b/src/main/java/com/acme/router/BudgetGuard.java
@@ -27,11 +27,11 @@ public class BudgetGuard {
     public Decision check(String costCenter, long estimatedMicros) {
-        long spent = ledger.spentThisWindow(costCenter);
+        long spent = cachedSpend.computeIfAbsent(costCenter, ledger::spentThisWindow);
         long cap = budgets.capFor(costCenter);
-        if (spent + estimatedMicros > cap) {
+        if (spent > cap) {
             return Decision.throttle(costCenter);
         }
         return Decision.allow();
     }""",
]


@gen("diff")
def _diff(r):
    return r.choice(DIFFS)


GEN["diff_security"] = [DIFFS[i] for i in (1, 6, 8, 10)]
GEN["diff_concurrency"] = [DIFFS[i] for i in (0, 2, 4, 7, 9, 13)]
GEN["diff_infra"] = [DIFFS[i] for i in (3, 8, 10)]
GEN["diff_tests"] = [DIFFS[i] for i in (5, 11)]


@gen("diff_stat")
def _diff_stat(r):
    return "%d files changed, %d insertions(+), %d deletions(-)" % (r.randint(1, 14), r.randint(3, 400), r.randint(0, 200))


# --------------------------------------------------------------------------------------------
# Request phrasings. Each entry: (cost-centre tags, template). Tags: sb support-bot, ci ci-agents,
# dp data-pipeline, dt docs-team, pe platform-eng.
# --------------------------------------------------------------------------------------------
T = collections.OrderedDict()

T["CLASSIFICATION"] = [
    ("sb", "Classify this support ticket into exactly one of: billing, shipping, account_access, bug_report, feature_request, other. Reply with the label only.\n\n<<ticket>>"),
    ("sb", "What priority is this ticket? P1 (outage/money lost), P2, P3, P4 (question). Just the label.\n---\n<<ticket>>"),
    ("sb", "Sentiment of the following customer message - positive, neutral or negative?\n\"<<customer_msg>>\""),
    ("sb", "Is this message spam? answer yes or no\n\n<<spam_or_not>>"),
    ("sb", "Does the customer want to cancel? yes/no only.\n\n<<customer_msg>>"),
    ("sb", "intent? \"<<customer_msg>>\""),
    ("sb", "Route this ticket to one team: Payments, Logistics, Identity, Mobile, Web. Output JSON like {\"team\": \"...\", \"confidence\": 0-1}.\n\n<<ticket>>"),
    ("sb dp", "Detect the language of each line, answer with ISO codes one per line:\n<<multilang>>"),
    ("sb dt", "Tag each of these app store reviews with one of: crash, performance, ui, pricing, praise, other. Format `n: tag`.\n<<reviews>>"),
    ("sb", "Should this be escalated to a human agent? Return ESCALATE or BOT_CAN_HANDLE, nothing else.\n\n<<customer_msg>>"),
    ("sb", "You are the triage step in our helpdesk flow. Input is a ticket; output {\"category\": ..., \"urgency\": \"low|medium|high\", \"needs_refund\": bool}. No prose.\n\n<<ticket>>"),
    ("sb", "Does this ticket mention a refund or chargeback? true/false\n\n<<ticket_body>>"),
    ("sb", "Is the user asking a question or reporting a problem? One word.\n> <<customer_msg>>"),
    ("sb", "urgency 1-5 for this, 5 = drop everything:\n<<customer_msg>>"),
    ("sb dt", "NPS comment, classify as promoter / passive / detractor based on the text only: \"<<review>>\""),
    ("sb", "Community moderation: does this post violate the guidelines (harassment, hate, spam, self-promo)? Respond ALLOW or FLAG:<reason>.\n\n<<spam_or_not>>"),
    ("ci", "Classify this CI failure as one of: flaky_test, compilation_error, dependency_resolution, infra_network, lint, real_test_failure. Label only.\n```\n<<ci_log>>\n```"),
    ("ci", "Is this PR title a valid conventional commit? yes/no: `<<pr_title>>`"),
    ("ci", "Semver impact of this commit (major/minor/patch/none)? `<<commit_msg>>`"),
    ("ci dt", "changelog category for: \"<<commit_msg>>\" -> Added / Changed / Fixed / Deprecated / Removed / Security"),
    ("ci pe", "Does this diff touch security-relevant code (auth, crypto, input validation, permissions)? Answer yes or no, no explanation, it's a gate in our pipeline.\n\n<<diff>>"),
    ("ci", "Which of these labels fit the PR? Pick from [bug, enhancement, dependencies, docs, ci, breaking]. Return a JSON array.\nTitle: <<pr_title>>\n<<diff_stat>>"),
    ("ci", "Given this test file, is it a unit, integration or e2e test? one word\n\n```\n<<junit_xml>>\n```"),
    ("pe", "Severity for this log line (debug/info/warn/error/critical)? We page on critical only.\n<<log_line>>"),
    ("pe", "Should on-call be paged for this alert right now (it's <<hhmm>> local)? yes/no\n<<alert>>"),
    ("pe", "Which team owns this alert? Options: <<team>>, Core Infra, Data Platform, Search. Only the team name.\n<<alert>>"),
    ("pe ci", "Is this Terraform plan risky (destroys or replaces stateful resources, opens network access)? Reply RISKY or SAFE.\n\n<<tf_plan>>"),
    ("pe ci", "Auto-merge gate: is this a patch-level dependency bump? yes/no\n<<dep_pr_title>>"),
    ("dp", "Categorize each transaction into groceries, travel, software, utilities, dining, telecom, other. Output CSV id,category.\n\n<<transactions>>"),
    ("dp", "Map each product title to our taxonomy (Electronics > Audio, Electronics > Accessories, Home > Kitchen, Office, Sports, Toys, Grocery). One per line, same order.\n<<product_titles>>"),
    ("dp", "Same entity or different? Answer SAME or DIFFERENT.\nA: <<company>>, <<street>>, <<city>>\nB: <<company_b>>, <<street_b>>, <<city>>"),
    ("dp", "What document type is this: invoice, receipt, purchase_order, credit_note, contract, other?\n\n<<invoice>>"),
    ("dp", "document type? (invoice|receipt|shipping_label|other)\n\n<<receipt>>"),
    ("dp", "For each row assign a churn reason category: price, missing_feature, competitor, support, usage, business_closed, other. Add it as a new column.\n\n<<churn_csv>>"),
    ("dp", "Label each search query as navigational, informational or transactional.\n<<queries>>"),
    ("dp", "Is this event a duplicate delivery of the previous one? yes/no\nprev: {\"id\": \"evt_<<hex8>>\", \"ref\": \"<<order_id>>\", \"attempt\": 1}\ncurr: {\"id\": \"evt_<<hex8>>\", \"ref\": \"<<order_id>>\", \"attempt\": 2}"),
    ("dp", "classify address as business or residential: <<addr_party>>, <<street>>, <<postcode>> <<city>>"),
    ("dp sb", "Label this email: order_request, complaint, invoice_question, newsletter, internal, other.\n\n<<email>>"),
    ("dp", "Classify the shipment event into one of [in_transit, delivered, exception, returned] based on this payload:\n```json\n<<json_event>>\n```"),
    ("dt", "Which docs section does this belong in: Getting Started, Guides, API Reference, Troubleshooting?\n\n\"<<doc_excerpt>>\""),
    ("dt", "Is this piece of docs feedback actionable (points at something we can fix)? yes/no\n\"<<customer_msg>>\""),
    ("dt", "Tag this doc page with up to 3 of: kafka, auth, billing, deployment, api, sdk. Page: \"<<doc_title>>\""),
    ("dp", "Is this record valid per our rules (qty > 0, currency in EUR/USD, order id format ORD-yyyy-nnnnnn)? Return VALID or INVALID per line.\n\n<<csv_orders>>"),
    ("sb", "Customer message below. Is the customer angry enough that we should offer a voucher? yes/no.\n\n<<customer_msg>>"),
    ("pe", "License check: is `%s` OK for a closed-source SaaS backend? allowed / needs-review / forbidden" % "<<license>>"),
    ("ci", "flaky or real? \n\n<<ci_log>>"),
    ("sb", "<<customer_msg>>\n\n^ topic? (orders, billing, account, product, other)"),
]
GEN["doc_excerpt"] = ["If you see HTTP 429 from the export endpoint, wait for the Retry-After header and retry; exports are limited to 5 per minute per workspace.",
                      "Install the CLI with Homebrew, run `tool login`, and create your first project with `tool init`.",
                      "GET /v1/invoices/{id} returns a single invoice. Fields: id, number, status, total, currency, lines[].",
                      "This guide shows how to sync orders from Shopify every 15 minutes using webhooks and a fallback poll.",
                      "Error E1042 means the webhook signature did not verify. Check that you use the raw request body and the current secret.",
                      "Set `retries.max` and `retries.backoffMs` in the client config to tune retry behaviour for flaky networks.",
                      "Before you begin, make sure you have an API token with the orders:read scope."]
GEN["doc_title"] = ["Configuring SASL/SCRAM for the producer in the Java SDK", "Rotating webhook signing secrets", "Deploying the agent with Helm",
                    "Understanding your monthly invoice", "Pagination with cursors", "Single sign-on with Okta", "Rate limits and quotas",
                    "Migrating from API v1 to v2", "Running the worker on Kubernetes behind a proxy"]
GEN["license"] = ["MIT", "Apache-2.0", "GPL-3.0-only", "AGPL-3.0", "BSD-3-Clause", "LGPL-2.1", "SSPL-1.0", "MPL-2.0", "CC-BY-NC-4.0"]

T["EXTRACTION"] = [
    ("pe ci", "Extract all ERROR and WARN lines from this log as a JSON array of {timestamp, level, logger, message}.\n\n<<java_log>>"),
    ("ci pe", "Parse this stack trace and give me: exception type, message, the first frame in our own code (not framework/JDK), and the root cause if there is one. JSON please.\n\n<<java_stack>>"),
    ("dp sb", "Pull invoice number, invoice date, vendor name, net, VAT and total out of this invoice. Output JSON, amounts as numbers.\n\n<<invoice>>"),
    ("dp", "Convert this CSV to a JSON array of objects. Numbers as numbers, empty strings as null.\n\n<<csv_any>>"),
    ("dp pe", "Convert this JSON to YAML, keep key order.\n\n<<json_any>>"),
    ("pe", "turn this yaml into a flat .properties file (dot notation)\n\n<<yaml_cfg>>"),
    ("sb dp", "Extract order id(s), SKUs and quantities from this email into JSON. If something is missing use null.\n\n<<email>>"),
    ("pe", "From this nginx access log list every 5xx response with path, status and upstream response time (urt). Markdown table.\n\n<<nginx_log>>"),
    ("ci pe", "Make a markdown table of dependency name + version from this:\n\n<<deps_any>>"),
    ("ci", "Extract the names of the failing tests from this build output, one per line, format Class#method (or file::test for pytest/go).\n\n<<ci_test_log>>"),
    ("pe", "Parse these kubectl events into JSON objects {age, type, reason, object, message}.\n\n<<k8s_events>>"),
    ("dp", "extract date, amount and description into CSV columns; amounts negative for debits\n\n<<transactions>>"),
    ("dp", "Normalize these addresses into {name_or_company, street, house_number, postal_code, city, country}. JSON lines output.\n\n<<addresses>>"),
    ("pe", "List every environment variable referenced in this compose file and which service uses it.\n\n<<compose>>"),
    ("dp", "Which tables and columns does this query read and which does it write? Give two lists.\n\n```sql\n<<sql>>\n```"),
    ("ci pe", "Convert this curl command into a Python `requests` call (keep headers and body exactly).\n\n<<curl>>"),
    ("ci", "convert this curl to a fetch() call in TypeScript\n\n<<curl>>"),
    ("dp", "Convert these epoch millis to ISO-8601 UTC, one per line:\n<<epochs>>"),
    ("sb dt", "Pull the action items out of these notes as JSON [{owner, action, due}] - due null if not stated.\n\n<<meeting_notes>>"),
    ("dt pe", "Turn this markdown table into CSV.\n\n<<md_table>>"),
    ("dt", "From this OpenAPI fragment list every operation as `METHOD path - params (required marked with *)`.\n\n<<openapi>>"),
    ("ci", "Parse this git log into JSON objects {sha, type, scope, subject, breaking}. type null if it's not a conventional commit.\n\n<<git_log>>"),
    ("pe ci", "From this trivy output give me only HIGH and CRITICAL findings as CSV: package,cve,installed,fixed.\n\n<<trivy>>"),
    ("pe", "List the resources this plan will create, change, destroy - three bullet lists, resource addresses only.\n\n<<tf_plan>>"),
    ("dp pe", "Extract the statements slower than 500 ms from this postgres log: duration_ms, statement. Sorted desc.\n\n<<pg_log>>"),
    ("dp", "Scrape sku, title, price (as number, EUR) and rating from this HTML.\n\n```html\n<<html_products>>\n```"),
    ("dp", "Parse these fixed-width records into JSON using the layout given. amount in EUR/USD units not cents.\n\n<<fixed_width>>"),
    ("pe dt", "Extract all config keys and their defaults from this class into a table (key | type | default | required).\n\n```java\n<<java_value_class>>\n```"),
    ("dp", "convert this XML to JSON, attributes as plain fields\n\n<<xml_doc>>"),
    ("dp", "Read this receipt and return JSON {merchant, date, time, items: [{name, price}], total, vat}.\n\n<<receipt>>"),
    ("dp", "Split full_name into first_name / last_name and output the CSV with the new columns.\n\n<<csv_people>>"),
    ("pe", "Convert this INI file to TOML.\n\n<<ini_file>>"),
    ("ci", "From this JUnit XML list the failed test cases with their failure message.\n\n<<junit_xml>>"),
    ("dp sb", "Pull recipient, address, weight, tracking number and references out of this shipping label text as JSON.\n\n<<shipping_label>>"),
    ("pe ci", "Give me p50/p90/p95 per endpoint from this k6 summary as CSV.\n\n<<loadtest>>"),
    ("pe", "Parse this crontab into JSON [{minute, hour, day_of_month, month, day_of_week, command}].\n\n<<crontab>>"),
    ("pe", "Extract pause type, heap before/after (MB) and pause duration from these GC log lines, CSV.\n\n<<gc_log>>"),
    ("dp", "Flatten this JSON into dot-path -> value pairs, one per line.\n\n<<json_any>>"),
    ("ci pe", "What exception types appear in this log and how many times each?\n\n<<java_log_long>>"),
    ("pe", "Get the HTTP status codes and counts out of this access log\n\n<<nginx_log>>"),
    ("ci", "Extract file, line and error message for every compiler error here:\n\n<<ci_compile_log>>"),
    ("dp", "Turn this order payload into a single CSV row per item: order_id,created_at,customer_id,sku,qty,unit_price,country\n\n<<json_order>>"),
    ("ci", "Parse the traceback: file, line, function for each frame plus the exception, as JSON\n\n<<py_trace>>"),
    ("sb", "Extract the customer's name, company, order number and the product they're talking about. JSON, null if missing.\n\n<<ticket>>"),
    ("pe", "pull the pod names and restart reasons out of this\n\n<<k8s_events>>"),
]

T["SUMMARIZATION"] = [
    ("sb", "Summarize this support thread in 3 bullets for the next agent on shift.\n\n<<support_thread>>"),
    ("pe", "TL;DR of this incident timeline? 2-3 sentences for the status page.\n\n<<incident_timeline>>"),
    ("dt ci", "Write a one-paragraph summary of this PR description for the release notes.\n\n<<pr_description>>"),
    ("dt sb", "Answer the question using ONLY the documentation below. If it's not covered say so.\n\nQuestion: <<doc_question>>\n\n<<doc_text>>"),
    ("sb", "Using the FAQ excerpt, answer the customer. Keep it short and friendly.\n\nFAQ:\n<<faq>>\n\nCustomer: <<faq_question>>"),
    ("sb pe", "Summarize this Slack thread: what was the problem, what was decided, who does what next.\n\n<<slack_thread>>"),
    ("sb", "Digest of these tickets from today: main themes with counts, anything urgent.\n\n<<ticket_batch>>"),
    ("dt sb", "Summarize these meeting notes into decisions / open questions / action items.\n\n<<meeting_notes>>"),
    ("dt", "Summarize the changes between these releases for customers (no internal jargon, max 5 bullets).\n\n<<changelog>>"),
    ("dt pe", "Condense this design doc section into 5 bullets.\n\n<<design_section>>"),
    ("pe ci", "short summary of what happened in this log, no diagnosis needed, it's for the ticket\n\n<<java_log>>"),
    ("sb dt", "Summarize these app reviews: what do people like, what do they complain about?\n\n<<reviews>>"),
    ("sb", "Summarize this email and tell me what they actually want from us.\n\n<<email>>"),
    ("dt ci", "Write this week's engineering digest from the merged PR titles below, grouped by theme.\n\n<<git_log>>"),
    ("pe sb", "According to this runbook, what should I do when <<runbook_q>>? Quote the step numbers.\n\n<<runbook>>"),
    ("ci", "Summarize this test run for the PR comment: totals and what failed.\n\n<<ci_test_log>>"),
    ("dt pe", "Summarize the main positions in this RFC discussion.\n\n<<rfc_thread>>"),
    ("dt", "In two sentences, what does this README say the project does?\n\n<<readme>>"),
    ("dp dt", "Executive summary of these weekly metrics (trend, anything unusual).\n\n<<csv_metrics>>"),
    ("sb", "Make a short CRM note from this call transcript.\n\n<<call_transcript>>"),
    ("dt sb", "Does this API doc say the list endpoint supports pagination? Answer yes/no and quote the relevant part.\n\n<<openapi>>"),
    ("dt", "Shorten this announcement to under 280 characters.\n\n<<announcement>>"),
    ("dt pe", "Summarize this postmortem for the company newsletter. Non-technical readers.\n\n<<incident_timeline>>"),
    ("ci dt", "One line for the changelog describing what this commit does (don't review it).\n\n<<diff>>"),
    ("sb", "Summarize this ticket + all comments so I can pick it up.\n\n<<support_thread>>"),
    ("pe dt", "Based on the policy text below: <<policy_q>>\n\n<<policy>>"),
    ("sb dp", "Group these survey answers into the top 3-4 themes with a count each.\n\n<<survey>>"),
    ("dt pe", "Write the standup digest from these updates, one line per person.\n\n<<standup>>"),
    ("dt", "Key takeaways of this article in bullets pls\n\n<<article>>"),
    ("pe", "Summarize the status of each component from this status page export.\n\n<<status_export>>"),
    ("dt sb", "Which release fixed <<fixed_thing>>? Answer from the release notes only.\n\n<<changelog>>"),
    ("pe", "What happened between the first WARN and the last ERROR in this log? Short narrative, no root-cause analysis.\n\n<<java_log_long>>"),
    ("dt", "3-sentence abstract of this doc:\n\n<<any_doc>>"),
    ("sb", "tl;dr\n\n<<email>>"),
    ("pe ci", "Summarize the vulnerability scan for the weekly security report: counts by severity, top packages to upgrade.\n\n<<trivy>>"),
]

T["CONVERSATION"] = [
    ("sb", "<<greeting>> what can you help me with?"),
    ("pe dt", "Brainstorm <<n>> names for <<naming_thing>>."),
    ("dt pe", "What's the difference between <<concept_pair>>? Short answer is fine."),
    ("dt sb", "Explain <<concept>> like I'm new to it."),
    ("dt pe", "Ideas for a remote-friendly team activity for <<team_size>> people across <<n_tz>> time zones?"),
    ("ci pe", "I'm thinking about moving from <<career_from>> to <<career_to>>. What are the pros and cons in your view?"),
    ("dt", "What is <<concept>>, in simple terms?"),
    ("sb", "<<thanks_msg>>"),
    ("sb", "How do I politely tell a customer <<bad_news>> without sounding dismissive? Give me a few phrasings."),
    ("dt pe", "Any good books on <<learn_topic>> for someone with <<years>> years of experience?"),
    ("dt ci", "Suggest a few retro formats that aren't the usual start/stop/continue. Team of <<team_size>>, we've been doing the same format for a year."),
    ("sb", "what time is it in <<tz_city>> when it's <<clock_time>> in <<tz_city2>>?"),
    ("dt", "'affect' or 'effect' in \"this change will ___ <<metric_word>>\"?"),
    ("dt", "Brainstorm blog post topics for our developer docs about <<learn_topic>>."),
    ("dt sb", "How does <<how_thing>> work, briefly?"),
    ("ci dp", "What's a good way to learn <<lang>> if I already know <<lang2>> well?"),
    ("sb", "<<greeting>> I can't find where to <<account_action>>"),
    ("sb", "do you have <<feature_q>>?"),
    ("sb", "What are your support hours <<support_when>>?"),
    ("sb dt", "Ideas to make our <<boring_thing>> less boring?"),
    ("sb", "ok and <<followup_q>>"),
    ("dt pe", "Explain <<concept>> with a real-world analogy."),
    ("dt sb", "Tell me a joke about <<joke_topic>>."),
    ("pe ci", "Talking points for my 1:1 about <<oneonone_topic>>? I don't want to sound like I'm complaining."),
    ("dt sb", "How would you explain <<concept>> to non-technical stakeholders?"),
    ("dt", "Give me <<n>> taglines for <<tagline_thing>>."),
    ("pe dt", "p95 vs average latency - why should I care about the difference for <<svc>>?"),
    ("pe", "Pros and cons of <<work_policy>> for an engineering team of <<team_size>>?"),
    ("ci pe", "Hackathon project ideas around <<hack_theme>>?"),
    ("dt dp", "What's <<concept>>, in plain words, no jargon please"),
    ("dt pe", "Recommend a couple of podcasts about <<learn_topic>>."),
    ("pe ci", "I have a <<interview_role>> interview next week. What kind of questions should I expect?"),
    ("dp dt", "what does <<jargon>> mean"),
    ("dp pe", "Is <<tech_pair>> more common for new projects these days, and why?"),
    ("ci dt", "Rules of thumb for <<rule_topic>>?"),
    ("sb", "what's the weather usually like in <<travel_city>> in <<month>>? planning the team trip"),
    ("sb", "Can you make this sound friendlier? \"<<cold_sentence>>\""),
    ("sb", "Is it possible to talk to a real person? <<impatient_tail>>"),
    ("sb", "Hi, I'm new here, what's the difference between the <<plan_a>> and <<plan_b>> plans?"),
    ("dt pe", "What are some good questions to ask at the end of a <<interview_role>> interview?"),
    ("dp", "Random question: why do <<random_why>>?"),
    ("pe", "We're naming our <<naming_group>> after something. <<theme_a>>? <<theme_b>>? Give me options with a theme."),
    ("sb", "How do I <<account_action>>?"),
    ("ci", "what's the difference between <<concept_pair>>, quick version"),
    ("sb dt", "Can you recommend a good <<gear>> for programming? budget ~<<budget>> EUR"),
    ("dt", "Help me think of an analogy for explaining <<concept>> to product managers."),
    ("sb", "Hi there! Is the <<product>> back in stock soon?"),
    ("pe", "What's the story behind the name <<name_origin>>?"),
    ("sb", "Do you ship to <<ship_country>>? And roughly how long does it take?"),
    ("sb", "is the <<product>> any good for <<use_case>>?"),
    ("dt pe", "I'm giving a 10-minute lightning talk about <<learn_topic>> to the whole company. Ideas for an opening that isn't boring?"),
    ("ci dp", "Should I learn <<tech_pair>> first? I'm a junior dev on the <<team>> team."),
]
GEN["greeting"] = ["hi!", "Hello,", "hey", "Hi there,", "good morning!", "hallo,", "Hi team,"]
GEN["naming_thing"] = ["an internal tool that routes LLM requests between a local model and cloud models", "our new on-call Slack bot",
                       "the data quality dashboard", "a Kafka topic naming convention", "our internal developer portal",
                       "the team that owns billing and invoicing", "a feature flag service", "our CLI", "the cost-tracking service"]
GEN["concept_pair"] = ["a process and a thread", "a mock and a stub", "TCP and UDP", "a list and a tuple in Python", "concurrency and parallelism",
                       "authentication and authorization", "a queue and a topic", "horizontal and vertical scaling", "latency and throughput",
                       "a library and a framework", "REST and GraphQL", "an index scan and a seq scan", "at-least-once and exactly-once delivery",
                       "a container and a VM", "a rebase and a merge", "optimistic and pessimistic locking"]
GEN["concept"] = ["Kafka consumer groups", "the CAP theorem", "eventual consistency", "a monad", "rate limiting", "idempotency", "backpressure",
                  "DNS", "a bloom filter", "consistent hashing", "OAuth", "a circuit breaker", "database indexes", "event sourcing",
                  "technical debt", "feature flags", "an API", "containers", "a load balancer", "caching", "vector embeddings"]
GEN["how_thing"] = ["HTTPS", "DNS", "a CDN", "garbage collection in Java", "git rebase", "public key cryptography", "a hash map",
                    "two-factor authentication", "Kubernetes scheduling", "a database transaction", "JWT authentication"]
GEN["team_size"] = ["8", "12", "15", "20", "30", "6"]
GEN["n_tz"] = ["2", "3", "4"]
GEN["career_from"] = ["backend", "frontend", "QA", "data engineering", "support engineering", "SRE"]
GEN["career_to"] = ["platform engineering", "engineering management", "product management", "machine learning", "security", "developer relations"]
GEN["thanks_msg"] = ["thanks, that worked!", "perfect, thank you so much", "great, that fixed it", "ok got it, thanks", "awesome, you're a lifesaver",
                     "thank you! one more thing later maybe", "that's exactly what I needed, cheers"]
GEN["bad_news"] = ["a feature isn't on our roadmap", "their refund is outside the 30-day window", "we're discontinuing the product they use",
                   "the bug they reported won't be fixed this quarter", "the price is going up next month", "we can't offer a discount"]
GEN["learn_topic"] = ["distributed systems", "observability", "database internals", "API design", "Kafka", "system design interviews",
                      "software architecture", "SRE", "technical writing", "Kubernetes", "testing", "security for developers"]
GEN["years"] = ["2", "3", "5", "10"]
GEN["tz_city"] = ["Sydney", "Tokyo", "New York", "San Francisco", "Bangalore", "London", "Sao Paulo", "Singapore"]
GEN["tz_city2"] = ["Berlin", "Lisbon", "Helsinki", "Chicago", "Amsterdam", "Warsaw"]
GEN["clock_time"] = ["9am", "10:30", "3pm", "noon", "8 in the evening", "17:00"]
GEN["metric_word"] = ["latency", "our conversion rate", "the team's morale", "build times", "the error budget"]
GEN["account_action"] = ["change my password", "update my billing address", "download my invoices", "add a second user", "turn off email notifications",
                         "change the language to German", "delete my account", "cancel my subscription", "export my data", "change my email address"]
GEN["feature_q"] = ["a dark mode", "an API", "SSO with Google", "an iPad app", "offline mode", "two-factor authentication", "a student discount",
                    "an EU data centre", "gift cards", "a Linux client"]
GEN["support_when"] = ["", "on weekends", "during the holidays", "for the Business plan", "in Germany"]
GEN["followup_q"] = ["how long does a refund usually take?", "what if it still doesn't work tomorrow?", "will I lose my data?",
                     "can I get that in writing?", "does that cost extra?", "what's the tracking number then?", "do I need to do anything else?"]
GEN["boring_thing"] = ["onboarding emails", "release notes", "status page updates", "all-hands slides", "weekly newsletter", "error messages"]
GEN["joke_topic"] = ["Kubernetes", "DNS", "Java developers", "off-by-one errors", "Kafka", "regular expressions", "product managers", "YAML"]
GEN["oneonone_topic"] = ["being overloaded with on-call", "wanting a promotion", "switching teams", "too many meetings", "unclear priorities",
                         "wanting to work on more backend stuff", "getting more feedback"]
GEN["tagline_thing"] = ["our status page", "the developer portal", "our internal hackathon", "the new CLI", "the data platform team", "our API docs"]
GEN["work_policy"] = ["a four-day week", "no-meeting Wednesdays", "fully remote work", "a follow-the-sun on-call rota", "mob programming", "20% time"]
GEN["hack_theme"] = ["internal developer tooling", "reducing cloud costs", "customer support automation", "observability", "accessibility", "LLM agents"]
GEN["interview_role"] = ["staff engineer", "engineering manager", "senior backend", "SRE", "data engineer", "tech lead"]
GEN["jargon"] = ["idempotent", "backpressure", "p99", "blast radius", "toil", "bikeshedding", "yak shaving", "a heisenbug", "eventual consistency", "SLO"]
GEN["tech_pair"] = ["Postgres or MySQL", "Go or Rust", "React or Vue", "Kotlin or Java", "gRPC or REST", "Terraform or Pulumi", "Python or TypeScript"]
GEN["rule_topic"] = ["naming things in code", "writing commit messages", "writing good error messages", "code comments", "splitting PRs", "log levels"]
GEN["travel_city"] = ["Lisbon", "Porto", "Krakow", "Valencia", "Tallinn", "Dubrovnik", "Edinburgh", "Split"]
GEN["cold_sentence"] = ["Your request has been closed. Contact us again if needed.", "We cannot process your refund.",
                        "Please read the documentation before contacting support.", "Your account has been suspended due to non-payment.",
                        "This is not a bug, it is expected behaviour."]
GEN["impatient_tail"] = ["", "", "the bot isn't helping", "I've been going in circles for 10 minutes", "it's urgent"]
GEN["plan_a"] = ["Free", "Starter", "Pro"]
GEN["plan_b"] = ["Pro", "Business", "Enterprise"]
GEN["random_why"] = ["CSV files from Excel sometimes use semicolons", "timestamps in our exports end with Z", "some emails show up with weird characters like Ã¼",
                     "dates in the US start with the month", "floating point math gives 0.30000000000000004"]
GEN["naming_group"] = ["Kafka clusters", "Kubernetes clusters", "build agents", "meeting rooms", "microservices"]
GEN["theme_a"] = ["Birds", "Rivers", "Mountains", "Cheeses", "Constellations"]
GEN["theme_b"] = ["Mythology", "Trees", "Islands", "Famous ships", "Spices"]
GEN["gear"] = ["keyboard", "monitor", "chair", "headset", "mouse"]
GEN["budget"] = ["100", "150", "300", "500"]
GEN["name_origin"] = ["Kubernetes", "Kafka", "Python", "Ubuntu", "Git", "Debian", "Docker"]
GEN["ship_country"] = ["Switzerland", "Norway", "the UK", "Iceland", "Canada", "Turkey"]
GEN["use_case"] = ["a small home office", "travel", "a team of five", "someone with back problems", "gaming as well"]

T["BOILERPLATE"] = [
    ("ci pe dp", "Create a Java record for <<entity>> with fields <<fields>>. Add Jackson annotations and a compact constructor that null-checks."),
    ("ci pe", "Write a Dockerfile for a Spring Boot 3 app built with Maven, Java <<java_ver>>, multi-stage, non-root user."),
    ("ci", "Generate a GitHub Actions workflow that runs `mvn -B verify` on pull requests, caches ~/.m2, Java <<java_ver>>."),
    ("ci dp", "Scaffold a FastAPI app with a /health endpoint and a /<<table>> router with CRUD stubs, pydantic v2 models."),
    ("ci", "JUnit 5 test skeleton for this class, one test method per public method, Mockito for collaborators:\n\n```java\n<<java_class>>\n```"),
    ("ci dp", "pytest skeleton for this function, parametrized, with the obvious edge cases as TODOs:\n\n```python\n<<py_func>>\n```"),
    ("pe ci", "docker-compose.yml for local dev: <<compose_services>>."),
    ("ci", ".gitignore for a <<gitignore_stack>> project."),
    ("ci dt", "Make a TypeScript interface for this JSON:\n\n<<json_any>>"),
    ("pe", "Kubernetes Deployment + Service YAML for <<svc>>: 3 replicas, readiness probe /health/readiness, liveness /health/liveness, 512Mi limit."),
    ("pe ci", "application.yml for Spring Kafka with SASL_SSL, SCRAM-SHA-512, Avro serializer and schema registry URL from env."),
    ("ci pe", "Makefile for a Go service with build, test, lint (golangci-lint), docker and run targets."),
    ("ci dp", "Go struct with json and db tags for <<entity>>: <<fields>>"),
    ("ci", "Spring @RestController skeleton for /api/v1/<<table>> with list/get/create/update/delete, all returning 501 for now."),
    ("ci", "Add a builder to this class (static nested Builder, fluent setters):\n\n```java\npublic class <<entity>>Request {\n    private String id;\n    private String customerId;\n    private BigDecimal amount;\n    private String currency;\n    private Instant requestedAt;\n    private Map<String, String> metadata;\n}\n```"),
    ("dp", "Python dataclass (frozen, slots) for this CSV header: <<csv_header>>"),
    ("pe dp", "Flyway migration V<<n>>__create_<<entity_table>>.sql: <<fields>>, plus created_at timestamptz default now() and an index on created_at."),
    ("pe", "logback.xml: JSON to stdout (logstash encoder), INFO root, DEBUG for <<pkg>>, async appender."),
    ("dt", "README template for <<svc>>: purpose, run locally, config, endpoints, ownership."),
    ("pe", "Helm values.yaml skeleton for <<svc>> (image, resources, env, ingress, hpa)."),
    ("ci", "equals/hashCode/toString for this, please, using Objects.*:\n\n```java\npublic class Money {\n    private final BigDecimal amount;\n    private final Currency currency;\n}\n```"),
    ("ci dp", "Kotlin data class + kotlinx.serialization for <<entity>> with <<fields>>."),
    ("ci", "Rust struct with serde derives (rename_all camelCase) for <<entity>>: <<fields>>"),
    ("ci dp", ".pre-commit-config.yaml with <<precommit_hooks>>."),
    ("dt ci", "OpenAPI 3.1 stub for: GET /<<table>>, POST /<<table>>, GET /<<table>>/{id}. Just the skeleton, schemas as TODO."),
    ("ci", "eslint + prettier config for a <<fe_stack>> project (flat config)."),
    ("ci dp", "Give me the standard Kafka consumer poll loop in Java for <<topic>> with manual commitSync after processing and a shutdown hook."),
    ("ci pe", "pom.xml for a library module: Java <<java_ver>>, JUnit 5, AssertJ, surefire + failsafe."),
    ("dp pe", "Avro schema (.avsc) for a <<entity>>Created event with <<fields>>, namespace <<pkg>>.events."),
    ("ci pe", "picocli CLI skeleton with subcommands <<subcommands>>, --verbose flag, version provider."),
    ("pe", "Terraform module skeleton (main.tf, variables.tf, outputs.tf) for <<tf_resource>>."),
    ("ci", "MapStruct mapper between <<entity>> and <<entity>>Dto (ignore id on the way in)."),
    ("ci", "Vitest + Testing Library test skeleton for this component:\n\n```tsx\n<<react_component>>\n```"),
    ("dp pe", "protobuf definitions for <<entity>> with <<fields>> and a service with Get/List/Create RPCs."),
    ("pe", "systemd unit file to run /opt/<<svc>>/app.jar as user svc, restart on failure, env from /etc/<<svc>>.env."),
    ("ci", "boilerplate for a Micronaut @Controller with a POST endpoint taking <<entity>>Request and returning HttpResponse.accepted()"),
    ("dp", "SQLAlchemy 2.0 declarative model for the <<entity_table>> table: <<fields>>"),
    ("ci pe", "Create a CODEOWNERS + PR template + issue templates (bug, feature) for the <<svc>> repo, owners are the <<team>> team."),
]
GEN["compose_services"] = ["Kafka (KRaft, single node), Schema Registry, Postgres 16 and Redis", "Postgres 16 and pgAdmin",
                           "Kafka, Kafka UI and a Postgres for the outbox", "Ollama with a GPU reservation and Open WebUI",
                           "Redis, MinIO and the app with hot reload", "Elasticsearch 8 single node and Kibana"]
GEN["gitignore_stack"] = ["Java/Maven with IntelliJ and VS Code", "Python (poetry, pytest, mypy)", "Node/TypeScript monorepo with pnpm",
                          "Go service", "Terraform", "Gradle + Kotlin multiplatform"]
GEN["fe_stack"] = ["React + TypeScript", "Next.js 14", "Vue 3 + TypeScript", "Node/Express TypeScript API"]
GEN["subcommands"] = ["`submit` and `status`", "`replay`, `stats` and `budget`", "`import` and `validate`", "`login`, `list` and `export`"]
GEN["precommit_hooks"] = ["ruff, ruff-format, mypy and end-of-file-fixer", "black, isort and flake8", "gitleaks, yamllint and markdownlint",
                          "terraform fmt, tflint and checkov"]
GEN["tf_resource"] = ["an S3 bucket with versioning and SSE-KMS", "an RDS Postgres instance with a parameter group", "an MSK cluster",
                      "a private ECR repository with lifecycle rules", "an SQS queue with a dead-letter queue", "a CloudFront distribution in front of S3"]
ENTITY_FIELDS = {
    "Invoice": "id (UUID), invoiceNumber, customerId, issuedOn (date), dueOn (date), lines (list), totalGross (BigDecimal), currency",
    "Shipment": "id, orderId, carrier, trackingNumber, status (enum), shippedAt, updatedAt",
    "Customer": "id (UUID), displayName, countryCode, vatId (optional), tier (enum), createdAt",
    "OrderLine": "orderId, lineNo (int), sku, qty (int), unitPrice (BigDecimal), discountPct",
    "Product": "sku, title, priceCents (long), stock (int), tags (list of strings), discontinued (bool)",
    "Payment": "id, orderId, amount (BigDecimal), currency, method (card|sepa|invoice), status, capturedAt",
    "Refund": "id, paymentId, amount, reason, requestedBy, createdAt",
    "Subscription": "id, accountId, plan, seats (int), trialEndsAt, renewsAt, cancelled (bool)",
    "Warehouse": "code, name, countryCode, capacity (int), active (bool)",
    "Supplier": "id, name, countryCode, leadTimeDays (int), contactName, rating (double)",
    "Coupon": "code, discountPct, validFrom, validUntil, maxRedemptions (int), redemptions (int)",
    "CostEvent": "requestId, costCenter, model, inputTokens (long), outputTokens (long), costMicros (long), occurredAt",
    "RoutingRule": "id, priority (int), taskTypes (list), costCenters (list), tier (LOCAL|CLOUD), enabled (bool)",
    "UsageRecord": "accountId, metric, quantity (long), windowStart, windowEnd",
    "Webhook": "id, url, secretRef, events (list of strings), active (bool), lastDeliveryAt",
}


def _fields(r, cache):
    return ENTITY_FIELDS[fill(r, "<<entity>>", cache)]


_fields.uses_context = True
GEN["fields"] = _fields


def _entity_table(r, cache):
    e = fill(r, "<<entity>>", cache)
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", e).lower()
    return snake + ("es" if snake.endswith(("s", "x")) else "s")


_entity_table.uses_context = True
GEN["entity_table"] = _entity_table
GEN["csv_header"] = ["order_id,sku,qty,unit_price,currency,shipped", "account_id,plan,mrr,reason,churned_at",
                     "week,signups,activated,churned,mrr_eur,tickets", "event_id,source,external_id,ts,payload_json"]


# --------------------------------------------------------------------------------------------
# Material for summaries and question answering
# --------------------------------------------------------------------------------------------
@gen("support_thread")
def _support_thread(r):
    subj, body = r.choice(TICKET_ISSUES)
    agent = r.choice(FIRST)
    c = Clock(r, sep=" ")
    msgs = [("Customer", body),
            ("Agent %s" % agent, r.choice(["Thanks for reaching out! Could you send me the order number and a screenshot?",
                                           "Sorry about that. I've forwarded this to our %s team, they'll get back within 24h." % r.choice(GEN["team"]),
                                           "I can see the issue on our side. Can you confirm the email on the account is the one you're writing from?"])),
            ("Customer", r.choice(["Sent the screenshot. Any update? It's been two days.", "Order number is in my first message...",
                                   "Yes that's the right account.", "Still happening today. Getting frustrated."])),
            ("Agent %s" % agent, r.choice(["Our engineers found a bug in the sync job, fix is planned for the release on <<weekday>>. I've added a 10% credit to your account.",
                                           "Refund issued, should show in 3-5 business days.",
                                           "I've escalated this to tier 2 with priority high."])),
            ("Internal note", r.choice(["Linked to %s. Customer is on the Business plan, renewal in <<month>>." % val(r, "jira"),
                                        "Third ticket from this account this month. Consider account manager outreach.",
                                        "Same root cause as the outage on <<date>>."]))]
    if r.random() < 0.5:
        msgs.append(("Customer", r.choice(["Ok thanks, waiting.", "That's not acceptable, I want to speak to a manager.", "Great, thank you!"])))
    return "Subject: %s\n\n" % subj + "\n\n".join("[%s] %s:\n%s" % (c.tick(60000, 20000000)[:16], who, m) for who, m in msgs)


@gen("incident_timeline")
def _incident_timeline(r):
    c = Clock(r)
    svc = val(r, "svc")
    steps = r.choice([
        ["Deploy of %s %s started (canary 10%%)" % (svc, val(r, "version")), "Error rate on checkout rises from 0.2% to 4%",
         "Alert HighErrorRate fires, on-call acknowledges", "Canary promoted to 100% by the pipeline before anyone looked (auto-promotion after 15 min)",
         "Error rate 11%, customers report failed payments on social media", "Incident declared SEV2, IC: <<name>>",
         "Rollback started", "Rollback done, error rate back to 0.3%", "Root cause identified: new payment client defaulted to TLS 1.3 only, provider endpoint in one region only supports 1.2",
         "Incident resolved; ~2,300 failed checkouts, retries emailed to customers"],
        ["Kafka broker kafka-2 disk at 85%", "Disk at 95%, broker starts rejecting produce requests for 4 partitions",
         "%s producers retrying, p99 latency 8s" % svc, "On-call increases retention cleanup frequency, no effect",
         "Identified: a new topic clickstream.raw created with retention -1 (infinite) and 48 partitions", "Retention set to 3 days, log cleaner catches up",
         "Disk at 60%, produce requests succeed again", "Follow-ups: topic creation via Terraform only, alert on disk growth rate"],
        ["Nightly invoice run starts", "Invoice run fails at 38% with template errors for DE customers",
         "On-call sees errors, assumes transient, retries", "Second run fails the same way",
         "Found: translation file for de_DE removed in last week's cleanup PR", "File restored, run restarted at 06:10",
         "All invoices sent by 07:45, ~1,900 customers got theirs 5 hours late"],
        ["Certificate for api.<<company_slug>>.example expires", "Mobile clients start failing with TLS errors",
         "Support gets 40+ tickets in 20 min", "Cert renewed manually by <<name>>", "Clients recover; cert-manager was failing since <<date>> because of a DNS01 permissions change"],
    ])
    return "\n".join("%s  %s" % (c.hms(30000, 900000), fill(r, s)) for s in steps)


@gen("pr_description")
def _pr_description(r):
    return r.choice([
        "## What\nAdds cursor-based pagination to `GET /v1/<<table>>`. The old `page`/`size` params keep working but are deprecated and log a warning.\n\n## Why\nOffset pagination times out for tenants with >1M rows (see <<jira>>).\n\n## How\n- cursor = base64(created_at, id)\n- new composite index (tenant_id, created_at, id)\n- `next` link in response body\n\n## Testing\nUnit tests for cursor encoding, IT against Postgres 16 with 2M rows: p95 from 4.1s to 38ms.",
        "This PR replaces the hand-written retry loops in SupplierClient with a shared RetryPolicy (exponential backoff + jitter, max 3 attempts by default, configurable per call). No behaviour change intended except that jitter is now applied. Also removes the unused `legacyMode` flag. Closes <<jira>>.",
        "Bumps Spring Boot 3.2.5 -> 3.3.1. Needed to migrate `spring.kafka.streams.properties` keys, Micrometer tracing now uses the new propagation config. Removed our custom ObservationFilter since Boot does it now. Went through the release notes, nothing else affecting us. Tested locally + staging soak for 24h.",
        "Routing: send CLASSIFICATION and EXTRACTION requests to the local model by default; cloud only when the local worker reports unhealthy or the latency budget is below the local p95. Adds metrics `router_decisions_total{tier,reason}`. Feature flag `routing.local-first` default off.",
        "Fix: VAT was computed on the gross amount for credit notes, so refunds were ~19% too high in DE. Now computed on net like invoices. Adds regression tests for DE/FR/NL. Data fix script for the 312 affected credit notes in a separate PR.",
    ])


DOC_QA = [
    ("Is there a rate limit on the export endpoint?",
     "## Exports\nExports are generated asynchronously. POST /v1/exports returns 202 with an export id; poll GET /v1/exports/{id} until status is READY, then download from the `url` field (valid for 15 minutes).\n\nLimits: at most 5 export requests per minute per workspace; more requests get HTTP 429 with a Retry-After header. Exports larger than 2 GB are split into parts."),
    ("How long are webhook deliveries retried?",
     "## Webhooks\nWe sign every delivery with HMAC-SHA256 in the `X-Signature` header. Respond with any 2xx within 10 seconds. Failed deliveries are retried with exponential backoff (1 min, 5 min, 30 min, 2 h, 6 h, then every 12 h) for up to 3 days, after which the endpoint is disabled and workspace admins are notified."),
    ("Can I use the SDK with Java 11?",
     "## Java SDK\nRequirements: Java 17 or newer. The SDK uses java.net.http and records. Versions 2.x supported Java 11 and receive security fixes until end of <<month>> 2025. Add the dependency `com.example:client-sdk:3.4.0`."),
    ("What happens to data when a workspace is deleted?",
     "## Data retention\nWhen a workspace is deleted it is soft-deleted for 30 days and can be restored by support. After 30 days all data, including backups older than 30 days, is purged within 7 days. Audit logs are kept for 1 year for compliance and then deleted."),
    ("Does the CLI support proxies?",
     "## CLI configuration\nThe CLI reads `~/.config/tool/config.toml`. Supported keys: `endpoint`, `token_file`, `timeout_s`, `proxy`. Environment variables HTTPS_PROXY and NO_PROXY are honoured if `proxy` is unset. Client certificates are not supported yet."),
    ("How are partial refunds shown on invoices?",
     "## Refunds\nFull refunds cancel the invoice and create a credit note with the same line items. Partial refunds create a credit note containing only the refunded lines or amounts; the original invoice stays unchanged. Credit notes are numbered CN-<year>-<sequence>."),
    ("What's the maximum message size for the ingest topic?",
     "## Ingest\nProducers publish to `events.ingest.v2` with Avro values and string keys (tenant id). Messages larger than 900 KB are rejected by the broker (max.message.bytes = 1 MB including headers); use the claim-check pattern via the blob store for larger payloads."),
]


@paired("docqa", len(DOC_QA))
def _doc_question(r, i):
    return DOC_QA[i][0]


@paired("docqa", len(DOC_QA))
def _doc_text(r, i):
    return DOC_QA[i][1]


GEN["doc_question"] = _doc_question
GEN["doc_text"] = _doc_text

FAQ = """Q: How long do refunds take?
A: Once approved, refunds take 3-5 business days to card, up to 10 days for bank transfer.
Q: Can I change my delivery address after ordering?
A: Yes, until the order status is "packed". Use Orders > Edit address.
Q: Do you ship internationally?
A: We ship to the EU, UK, Switzerland and Norway. Customs fees for UK/CH/NO are paid by the recipient.
Q: How do I add users?
A: Admins can invite users under Settings > Team. Each user needs a seat; seats are billed monthly pro rata.
Q: What payment methods are accepted?
A: Card, SEPA direct debit and invoice (Business plan only)."""
GEN["faq"] = [FAQ]
GEN["faq_question"] = ["hi, I ordered yesterday and moved, can I still change where it goes?", "do you deliver to Oslo?",
                       "how long until I get my money back? paid by bank transfer", "can I pay by invoice on the Pro plan?",
                       "how do I give my colleague access?", "when will my refund show up on my Visa?",
                       "do you ship to the US?"]


@gen("slack_thread")
def _slack_thread(r):
    names = r.sample(FIRST, 4)
    lines = r.choice([
        ["%s: anyone else seeing 502s from <<svc>> in <<env>>?", "%s: yes, since ~10:40, about 3% of requests", "%s: deploy at 10:38 changed the ingress timeout from 60s to 10s",
         "%s: that's it, export requests take 20-40s", "%s: I'll revert the ingress change, PR in 5 min", "%s: reverted, errors gone", "%s: let's add exports to the synthetic checks so we notice next time. I'll make a ticket",
         "%s: also exports shouldn't be synchronous at all, it's on the roadmap for Q3"],
        ["%s: heads up, LLM spend for ci-agents is at 92% of the monthly budget and it's the 19th", "%s: what's eating it?",
         "%s: mostly the PR summarizer bot, it sends the full diff to the big model on every push", "%s: could we route summaries to the local model?",
         "%s: yes, quality was fine in the last eval. I'll flip the routing rule today", "%s: and throttle to the small cloud model when over 95%?", "%s: agreed, let's do that as the fallback"],
        ["%s: the nightly export to the data lake failed again", "%s: same schema error?", "%s: yes, someone added a non-nullable field to orders.v1 without default",
         "%s: that breaks the backward compat check we skip for that topic...", "%s: I'll re-enable the compatibility check and add a default", "%s: rerun scheduled for 14:00"],
    ])
    return "\n".join(l.replace("%s", names[i % 4], 1) for i, l in enumerate(lines))


@gen("ticket_batch")
def _ticket_batch(r):
    return "\n".join("#%d [%s] %s" % (r.randint(40000, 98000), s, b) for s, b in r.sample(TICKET_ISSUES, r.randint(6, 10)))


@gen("changelog")
def _changelog(r):
    return """## 2.5.0 - <<date>>
### Added
- Parquet output for exports
- Per-workspace webhook signing secrets
### Fixed
- Memory leak in the consumer when a partition was revoked during a rebalance (#<<pr_num>>)
- Wrong VAT on credit notes for DE customers

## 2.4.1
### Fixed
- Search ignored SKUs containing dashes
- CSV export used the server timezone instead of the workspace timezone

## 2.4.0
### Changed
- Minimum Java version is now 17
- Default page size for list endpoints reduced from 100 to 50
### Deprecated
- `page`/`size` query params, use `cursor`"""


GEN["fixed_thing"] = ["the memory leak in the consumer", "the search problem with dashes in SKUs", "the timezone in CSV exports", "the VAT on credit notes"]

GEN["any_doc"] = ["<<design_section>>", "<<readme>>", "<<article>>", "<<announcement>>"]
GEN["design_section"] = [
    """### 4. Routing
Every request is classified (task type, sensitivity) before routing. The router picks a tier per request: LOCAL (Ollama on the GPU box) or CLOUD (two providers). Rules are evaluated in order; the first match wins. Requests that require data sovereignty are never sent to CLOUD regardless of rules; if LOCAL is unavailable they wait up to their latency budget and then fail with SOVEREIGN_UNAVAILABLE. Budgets are tracked per cost centre in a Kafka Streams app that aggregates cost events into 1-minute windows; the router reads the current budget state from a compacted topic and, above 80 % of the monthly cap, downgrades CLOUD requests to the cheaper model, above 100 % it routes everything it can to LOCAL and rejects the rest. Decisions are emitted as events so the ledger can reconcile estimates with actual token counts.""",
    """### 2. Storage
Orders stay in Postgres (one cluster per region). We will not shard in 2025: the largest tenant has 40 M order rows and the cluster handles 3x the current peak in load tests. Read-heavy endpoints (order history, search) move to a read replica with a maximum accepted lag of 5 s; endpoints that need read-your-writes keep using the primary. Archival: orders older than 3 years are moved to object storage as Parquet monthly and deleted from Postgres; the API returns them via a slower path with a 202 + poll flow.""",
    """### 3. Event contracts
All topics carry Avro with schemas in the registry; compatibility mode is BACKWARD for every subject and FULL for the public topics consumed by partners. Producers must not add required fields without defaults. Keys are the aggregate id as a string. Each event has an `eventId` (UUID) for idempotent consumers and an `occurredAt` timestamp. Breaking changes go to a new topic version (orders.v2) with a dual-write period of at least one release cycle.""",
]

RUNBOOK = """# Runbook: Kafka broker disk usage
1. Check which broker alerted: `kubectl -n kafka get pods -o wide`.
2. Look at per-topic size: `kafka-log-dirs --describe --bootstrap-server localhost:9092 | jq ...`.
3. If a single topic grew unexpectedly, check its retention.ms / retention.bytes and who created it.
4. Do NOT delete segment files by hand.
5. If usage > 90%, temporarily lower retention on the offending topic (max 24h) and tell the owning team.
6. If all topics grew evenly, scale the PVC (see "Resize volumes") - it needs a rolling restart.
7. Write a note in #kafka-ops with what you changed so it can be reverted.

# Runbook: consumer lag
1. Check if the consumer group is stable: `kafka-consumer-groups --describe --group <g>`.
2. Frequent rebalances: check max.poll.interval.ms vs processing time per batch.
3. If lag is on a single partition, look for a poison message (same offset stuck); use the DLQ tool to skip it.
4. Scaling beyond the partition count does not help."""
GEN["runbook"] = [RUNBOOK]
GEN["runbook_q"] = ["a kafka broker disk is at 93%", "one partition's lag is stuck at the same offset",
                    "consumers keep rebalancing every few minutes", "all topics grew evenly and disk is almost full",
                    "I want to delete old segment files"]

GEN["rfc_thread"] = [
    """RFC-14: Move from REST polling to webhooks for shipment updates

<<name>>: Polling costs us ~40M requests/day to carriers and most return "no change". Webhooks would cut that to a few hundred thousand.
<<name2>>: Not all carriers support webhooks. We'd still need polling for at least 3 of them, so two code paths forever.
<<name3>>: Two code paths is fine if the webhook path is the default and polling is an adapter. The bigger issue is verifying signatures - every carrier does it differently.
<<name>>: We can normalize at the edge: one ingress service verifies and turns everything into a ShipmentStatusChanged event.
<<name2>>: What about missed webhooks? Carriers don't retry reliably.
<<name3>>: Keep a slow reconciliation poll (every 6h) as a safety net.
<<name>>: Agreed. I'll update the RFC with the reconciliation loop and the ingress design.""",
    """RFC-22: Adopt a monorepo for the backend services

<<name>>: 14 repos, every shared-model change needs 6 PRs. A monorepo with Maven modules would make that one PR.
<<name2>>: CI time will explode. Today each repo builds in 4 minutes.
<<name>>: Only if we build everything. With affected-module detection we'd build what changed plus dependents.
<<name3>>: Ownership gets blurry. CODEOWNERS per directory helps, but people will still touch each other's code.
<<name2>>: And releases - we deploy services independently, I don't want lockstep versioning.
<<name>>: Independent versions per module are fine, we're not proposing lockstep.
<<name3>>: I'm +0. I'd want a 2-service pilot first.""",
]

GEN["readme"] = [
    """# ledger-streams
Kafka Streams application that turns per-request cost events into per-cost-centre spend windows.
It reads `cost-events`, aggregates into 1-minute tumbling windows and a running month-to-date total,
and publishes the current status to the compacted topic `budget-status` that the router reads.
Exactly-once processing (v2) is enabled; state stores are RocksDB with changelog topics.

## Running locally
`docker compose up -d` then `./mvnw -pl ledger-streams exec:java`.""",
    """# invoice-renderer
Renders invoices and credit notes to PDF from the `billing.invoices.v2` topic. Templates are FreeMarker,
one per locale under `templates/<locale>/`. Fonts are embedded. Output goes to the `invoices` bucket and
a `InvoiceRendered` event is published. Rendering is idempotent per invoice number.""",
    """# stock-sync
Pulls stock levels from supplier APIs every 5 minutes and writes deltas to `inventory-updates`.
Each supplier has an adapter in `adapters/`. Rate limits per supplier are configured in `suppliers.yaml`.
A full resync runs nightly at 02:00 UTC.""",
]

GEN["call_transcript"] = [
    """Agent: Thanks for calling, how can I help?
Customer: Hi, yeah, we got charged for 30 seats but we only use like 20.
Agent: Let me look. I see 30 seats on the Business plan since <<month>>. Did someone add users in bulk?
Customer: Oh, maybe when we onboarded the interns. They left already.
Agent: I can remove the inactive seats now and credit the difference for this month. Going forward you'll be billed for 21 seats.
Customer: 21? Ah right, plus me. Great. Can you send that in writing?
Agent: Yes, you'll get an email confirmation today.""",
    """Agent: Hello, you're through to support.
Customer: Our integration stopped pulling orders since the weekend. We're losing sales.
Agent: Sorry to hear that. Which integration?
Customer: Shopify. We didn't change anything.
Agent: I can see the token for your store was revoked on <<date>>. That happens if the app is reinstalled or the store owner changes.
Customer: Hmm, we did change the store owner. OK so what do we do?
Agent: Reconnect under Settings > Integrations. Orders from the last 14 days will be backfilled automatically.
Customer: OK, doing it now. Thanks.""",
]

GEN["announcement"] = [
    """We're excited to announce that starting next month, all workspaces on the Business plan will get access to our new Exports v2 feature, which supports Parquet and CSV formats, scheduled exports to S3-compatible storage, incremental exports based on a cursor so you only get changed records, and much larger export sizes of up to 50 GB split into parts. Existing exports keep working unchanged; you can switch in Settings > Data whenever you're ready. Documentation is available in the Guides section.""",
    """Scheduled maintenance: On <<weekday>> <<date>> between 02:00 and 03:00 UTC we will upgrade our primary database cluster. During this window the API will be read-only for up to 10 minutes; webhooks will be delayed but not lost; the dashboard will show a banner. No action is required from you. We'll post updates on the status page.""",
]

GEN["policy"] = [
    """Remote access policy (v3)
- Employees get VPN access on their first day. Contractors get VPN access only if their contract includes system access and their manager requests it via the IT portal.
- Access is reviewed quarterly; accounts unused for 45 days are disabled.
- Production access requires a hardware key (YubiKey). Shared accounts are not allowed.
- Personal devices may access email and chat via the mobile app only.""",
    """Expense policy (excerpt)
- Travel must be booked via the travel portal. Economy class for flights under 6 hours.
- Hotel limit: 160 EUR/night, 220 EUR/night in London, Paris, Zurich.
- Meals while travelling: up to 60 EUR/day, no alcohol reimbursement.
- Home office equipment: up to 500 EUR every 3 years with manager approval.""",
]
GEN["policy_q"] = ["do contractors get VPN access?", "can I use my own laptop for production access?", "what's the hotel limit in Zurich?",
                   "is a 7-hour flight allowed in business class?", "when do unused accounts get disabled?", "how much can I spend on a new monitor for home?"]


@gen("survey")
def _survey(r):
    ans = ["The dashboard is slow in the mornings", "Please add SSO", "Love the API docs", "Pricing is confusing with the seat add-ons",
           "Exports break for large workspaces", "Support is fast and friendly", "Mobile app is missing half the features",
           "We need audit logs", "Onboarding took us 2 weeks, too long", "Would pay for a self-hosted option",
           "Webhooks sometimes arrive twice", "The new UI is cleaner"]
    return "\n".join("- " + a for a in r.sample(ans, r.randint(7, 11)))


@gen("standup")
def _standup(r):
    items = ["finished the pagination PR, waiting for review; today: flaky Kafka IT", "on-call, two pages overnight (disk), otherwise docs",
             "blocked on access to the staging DB", "pairing on the router budget guard; spent yesterday on the ledger reconciliation",
             "reviewing the Terraform changes, then vacation from tomorrow", "looking at why the nightly export is slow; suspect missing index",
             "interviews all morning, afternoon: the Avro schema migration"]
    return "\n".join("%s: %s" % (n, i) for n, i in zip(r.sample(FIRST, 5), r.sample(items, 5)))


GEN["article"] = [
    """Why we moved our LLM traffic to a local-first setup

For a year every prompt from our agents went to a frontier model. It worked, but the bill grew faster than usage, and most of the traffic turned out to be simple: tagging tickets, pulling fields out of logs, summarizing threads. We measured: 78% of requests were tasks a 7-8B model handles at the same quality. We now classify each request first and send the simple ones to a model on our own GPU box. Cloud is reserved for code review, debugging and design questions. Costs dropped by 64%, p50 latency improved because there is no network hop, and we gained a natural place to enforce data residency: anything tagged as personal data never leaves our network. The hard part was not the routing, it was the evaluation: we built a reference workload and ran both tiers on it every week.""",
    """The hidden cost of flaky tests

A flaky test that fails 1% of the time sounds harmless. In a suite of 400 such tests, almost every build has at least one failure. Developers learn to click "retry", and real failures hide among the noise. We tracked flakiness for three months: 60% came from time (sleeps, timeouts, clock assumptions), 25% from shared state between tests, and the rest from external services. Quarantining flaky tests automatically, with an owner and a deadline, cut our red builds by 70%.""",
]


@gen("status_export")
def _status_export(r):
    comps = ["API", "Dashboard", "Webhooks", "Exports", "Search", "Mobile push", "EU region", "US region"]
    sts = ["operational", "operational", "operational", "degraded performance", "partial outage", "under maintenance"]
    return "\n".join("%s: %s%s" % (c, s, (" - since %s UTC" % val(r, "hhmm")) if s != "operational" else "") for c, s in
                     ((c, r.choice(sts)) for c in r.sample(comps, r.randint(5, 8))))


GEN["node_callback"] = [NODE_CALLBACK]
GEN["stream_pipeline"] = ["""public List<EnrichedOrder> enrich(List<Order> orders) {
    return orders.stream()
        .filter(o -> o.status() == Status.PAID)
        .map(o -> new EnrichedOrder(o, customerClient.fetch(o.customerId())))   // blocking HTTP, ~80ms
        .filter(e -> e.customer().active())
        .sorted(Comparator.comparing(e -> e.order().createdAt()))
        .collect(Collectors.toList());
}"""]
GEN["legacy_spring"] = ["""import javax.persistence.*;
import javax.validation.constraints.NotNull;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityConfigurerAdapter;

@Configuration
public class SecurityConfig extends WebSecurityConfigurerAdapter {
    @Override
    protected void configure(HttpSecurity http) throws Exception {
        http.csrf().disable()
            .authorizeRequests()
            .antMatchers("/actuator/health").permitAll()
            .antMatchers("/api/admin/**").hasRole("ADMIN")
            .anyRequest().authenticated()
            .and().oauth2ResourceServer().jwt();
    }
}

@Entity
@Table(name = "<<table>>")
public class <<entity>>Entity {
    @Id @GeneratedValue(strategy = GenerationType.AUTO)
    private Long id;
    @NotNull
    @Type(type = "jsonb")
    private Map<String, Object> attributes;
}"""]
GEN["retry_class"] = [RETRY_CLASS]
GEN["recursive_fn"] = [RECURSIVE_FN]
GEN["py_port_src"] = [PY_PORT_SRC]
GEN["long_function"] = [LONG_FUNCTION]
GEN["target_lang"] = ["Go", "Java", "Kotlin", "TypeScript", "Rust"]

T["IMPLEMENTATION"] = [
    ("ci pe", "Implement a token-bucket rate limiter in <<impl_lang>>: thread-safe, per-key buckets, idle keys evicted after <<n>> minutes, refill rate and burst configurable per key prefix. Include unit tests with a fake clock."),
    ("ci dp", "Port this Python function to <<target_lang>>, same semantics including the edge cases (empty input, events before `start`). Add tests that mirror the behaviour.\n\n```python\n<<py_port_src>>\n```"),
    ("ci", "Refactor this class to remove the duplicated retry logic. Introduce a RetryPolicy (max attempts, backoff, which exceptions are retryable) and keep the current behaviour per method.\n\n```java\n<<retry_class>>\n```"),
    ("ci pe", "Add cursor-based pagination to GET /v1/<<table>>. Cursor = opaque base64 of (created_at, id), stable ordering, limit max 200, keep page/size working but deprecated. Controller + repository + tests."),
    ("pe", "Implement consistent hashing with virtual nodes for our cache client (<<lang>>). Need: add/remove node with minimal remapping, configurable replicas per node, and a test that shows < 1/N keys move on add."),
    ("pe dp", "Write a Kafka Streams topology: input `cost-events` (key = costCenter, value has costMicros), 1-minute tumbling windows with 30s grace, plus a month-to-date aggregate; emit to `budget-status` when a cost centre crosses 80% and 100% of its cap (caps from a GlobalKTable). Exactly-once. Include TopologyTestDriver tests."),
    ("ci", "LRU cache with per-entry TTL in <<impl_lang>>, O(1) get/set, optional max size, an eviction callback. With tests that use a controllable clock."),
    ("dp", "Our CSV importer loads the whole file in memory and inserts row by row. Rewrite it to stream the file, validate each row, batch inserts of 1000 with ON CONFLICT upsert, and produce an error report (line number + reason) instead of failing the whole import.\n\n```python\n<<py_func>>\n```"),
    ("ci pe", "Wrap our HTTP client calls in a circuit breaker + exponential backoff with full jitter. Half-open probing after 30s, metrics for state changes. No new libraries if possible (Java <<java_ver>>)."),
    ("ci", "Convert this callback code to async/await with proper error handling (the pricing error is currently swallowed). Keep the same return shape.\n\n```js\n<<node_callback>>\n```"),
    ("pe", "Add multi-tenancy to the repository layer: every query must be scoped by tenant_id taken from the request context, and it must be impossible to forget (fail closed). Spring Data JPA + Hibernate 6. Show the filter/aspect and a test that proves a cross-tenant read fails."),
    ("ci", "Implement Myers' diff algorithm for line-based text in <<impl_lang>>, output unified diff format with <<k>> lines of context. Tests against a few known cases."),
    ("ci pe", "Write a parser for our search mini-language: `field:value`, quoted strings, AND/OR/NOT with precedence, parentheses. Produce an AST and a pretty-printer. <<lang>>, hand-written recursive descent, good error messages with position."),
    ("ci", "Migrate this module from Spring Boot 2.7 to 3.3 (javax -> jakarta, security config to the lambda DSL, Hibernate 6 changes). Do the code changes for the files below and list what else we need to check.\n\n```java\n<<legacy_spring>>\n```"),
    ("pe dp", "Implement the transactional outbox: write events to an outbox table in the same transaction as the aggregate, a relay that publishes to Kafka in order per aggregate id with at-least-once semantics and marks rows sent. Multiple relay instances must not double-publish. Postgres + Java."),
    ("pe", "Add OpenTelemetry tracing to <<svc>>: HTTP server spans, outgoing HTTP client spans, Kafka producer/consumer context propagation through headers, and a custom span around the pricing calculation with attributes. Micronaut 4."),
    ("pe", "Job scheduler: run jobs by cron expression across 3 replicas with at-most-once execution per tick using Postgres advisory locks, missed-run policy (skip or catch up), and a table for job history."),
    ("ci", "This handler is 60 lines and does everything. Split it into validation, pricing, reservation and persistence steps with clear error types, without changing the HTTP responses. Add tests for each step.\n\n```java\n<<long_function>>\n```"),
    ("ci pe", "Implement <<jira>>:\n\nAs an admin I want to export the audit log as CSV for a date range.\nAcceptance criteria:\n- max range 90 days, otherwise 400\n- streams the response (no full buffering), works for 5M rows\n- columns: timestamp (UTC ISO), actor, action, entity, entity_id\n- only admins, others 403\n- filename audit-<from>-<to>.csv"),
    ("ci", "Port this Java Stream-based pipeline to Kotlin with Flow, keep backpressure in mind and make the HTTP enrichment step concurrent (max 8 in flight), keeping the output order.\n\n```java\n<<stream_pipeline>>\n```"),
    ("dp", "Write a function that merges overlapping booking intervals per resource where each interval has its own IANA time zone; output in UTC, handle DST gaps/overlaps, and tests for the March/October switches."),
    ("ci", "Trie-based autocomplete in <<impl_lang>>: insert with frequency, top-<<k>> suggestions by frequency for a prefix, case-insensitive, unicode-safe. Benchmarks for 1M words."),
    ("ci dp", "Replace our hand-rolled JSON parsing of partner orders with Jackson, keep backward compatibility for the legacy `amount_cents` field (int) vs the new `amount` (decimal string), reject when both disagree. Tests with both payload versions.\n\n<<json_order>>"),
    ("dp", "Add a bloom-filter-based dedup step to the Python pipeline for ~200M event ids/day, false-positive rate 0.1%, daily rotation with 2-day overlap; fall back to an exact check in Redis on bloom hits."),
    ("ci", "React hook `useDebouncedSearch(query, fetcher, delay)` that debounces, cancels in-flight requests with AbortController, ignores stale responses, and exposes {data, error, loading}. Tests with testing-library."),
    ("pe", "Graceful shutdown for this Go service: stop accepting HTTP, drain the worker pool with a deadline, flush the Kafka producer, exit with non-zero if the deadline is hit.\n\n```go\n<<go_func>>\n```"),
    ("dp pe", "Need a zero-downtime migration + backfill to split `customers.name` into first_name/last_name for 40M rows: expand/contract steps, batched backfill job with throttling and resume, dual writes in the app during transition."),
    ("pe", "Implement budget throttling in the router: per cost centre, read budget status from the compacted topic; above 80% downgrade CLOUD requests to the cheaper model, above 100% route to LOCAL if the task type allows, otherwise reject with a retry-after. Must be race-free under concurrent requests. Java, unit tests."),
    ("pe dp", "Sliding-window p95/p99 latency estimator per endpoint for the last 5 minutes with bounded memory (HDR histogram ring buffer or t-digest), thread-safe, usable from the request hot path."),
    ("ci dp", "Convert these recursive functions to iterative versions (our trees can be 100k deep and we hit RecursionError). Keep the outputs identical, add a test with a deep tree.\n\n```python\n<<recursive_fn>>\n```"),
    ("ci pe", "Add retries with backoff and a dead-letter topic to our Spring Kafka listener: 3 in-memory retries for transient errors, then publish to <<topic>>.DLT with the exception in headers; non-retryable for deserialization errors. Plus an IT with Testcontainers."),
    ("ci", "Add optimistic locking to the Order aggregate (version column), return 409 with the current version on conflict, and make the PATCH endpoint accept If-Match. JPA + tests."),
    ("dp", "Implement an incremental export: for each tenant, export rows changed since the last successful cursor to Parquet in S3, partitioned by date, idempotent on rerun, with a manifest file. Python + pyarrow."),
    ("ci pe", "Write the classifier step for our LLM router in <<lang>>: given a prompt, detect emails, phone numbers, Luhn-valid card numbers, IBANs (with mod-97 check) and API-key/JWT-looking tokens, returning typed findings with offsets. Must be fast (<1ms for 10KB). Tests with positive and negative cases."),
]

T["CODE_REVIEW"] = [
    ("ci", "Review this PR for correctness and regression risk:\n\n<<diff>>"),
    ("ci", "Can you review this diff? I'm mostly worried about thread safety.\n\n<<diff_concurrency>>"),
    ("ci pe", "Security review of this change please - anything exploitable?\n\n```diff\n<<diff_security>>\n```"),
    ("ci", "Are the tests adequate for this change? What cases are missing?\n\n<<diff>>"),
    ("ci", "LGTM or not? Be picky.\n\n<<diff>>"),
    ("ci", "You're the reviewer bot for PR #<<pr_num>>. Post review comments as a list of {file, line, severity, comment}. Only real issues, no style nits.\n\n<<diff>>"),
    ("ci pe", "Does this change break backward compatibility for anyone consuming this code or data? Explain.\n\n<<diff>>"),
    ("ci", "Review the error handling in this diff.\n\n<<diff>>"),
    ("pe", "Review before I apply to prod:\n\n<<diff_infra>>"),
    ("ci", "Reviewer said \"looks fine\" but I have a bad feeling. Second opinion?\n\n<<diff>>"),
    ("ci", "Please do a careful code review. Context: this is on the hot path, ~3k req/s.\n\n<<diff_concurrency>>"),
    ("ci", "PR #<<pr_num>> \"<<pr_title>>\" - review for bugs and anything that could cause an incident after deploy.\n\n<<diff>>"),
    ("ci pe", "What could go wrong in production with this change? Think about concurrency, data, rollback.\n\n<<diff>>"),
    ("ci", "Junior dev's first PR, can you review and explain the problems kindly so I can pass it on?\n\n<<diff>>"),
    ("ci", "Is this diff safe to merge on a Friday? Honest review please.\n\n<<diff>>"),
    ("ci dt", "Review this change and tell me what tests you'd want to see before approving.\n\n<<diff>>"),
    ("ci", "Automated review step. Output JSON: {\"verdict\": \"approve|request_changes\", \"findings\": [...]} with concrete reasons.\n\n<<diff>>"),
    ("pe", "Does this introduce any security or compliance problem? We're SOC2.\n\n<<diff_security>>"),
    ("ci", "Review for regressions. The previous behaviour is covered by customers' integrations so be strict.\n\n<<diff>>"),
    ("ci", "Check this refactor - the author says \"no behaviour change\". Is that true?\n\n<<diff>>"),
    ("ci", "Code review pls:\n<<diff>>"),
    ("ci pe", "Is the rollback of this change safe if it goes wrong half way? Review with that in mind.\n\n<<diff>>"),
    ("ci", "I'm the author. Roast my diff before my lead does.\n\n<<diff>>"),
    ("ci", "Review: correctness first, then performance.\n\n<<diff>>\n\n<<diff_stat>>"),
    ("ci pe", "We had an incident in this area last month (double processing). Review this follow-up change with that in mind.\n\n<<diff_concurrency>>"),
    ("ci", "Does this diff do what the PR title says (\"<<commit_msg>>\")? Any side effects?\n\n<<diff>>"),
    ("ci", "Please review. Specifically: is the test change legit or is it hiding a bug?\n\n<<diff_tests>>"),
    ("ci pe", "Give me the top 3 risks in this change, ranked, with suggested fixes.\n\n<<diff>>"),
    ("ci", "Review this patch against our guidelines: no silent catch, no behaviour change without tests, no unbounded queries.\n\n<<diff>>"),
    ("ci", "quick review? merging in 30 min\n\n<<diff>>"),
    ("ci dt", "Review this change from an API consumer's point of view.\n\n<<diff>>"),
]

DEBUG_SCENARIOS = [
    """Consumer lag on <<topic>> keeps growing since yesterday's deploy of <<svc>> <<version>>. CPU is low (~15%), no errors in the app logs, just this every few minutes:

<<ts>> INFO  [kafka-consumer-1] o.a.k.c.c.i.ConsumerCoordinator - [Consumer clientId=<<svc>>-0, groupId=<<svc>>] Request joining group due to: need to re-join with the given member-id
<<ts>> WARN  [kafka-coordinator-heartbeat-thread | <<svc>>] o.a.k.c.c.i.AbstractCoordinator - consumer poll timeout has expired. This means the time between subsequent calls to poll() was longer than the configured max.poll.interval.ms, which typically implies that the poll loop is spending too much time processing messages.
<<ts>> INFO  [kafka-consumer-1] o.a.k.c.c.i.ConsumerCoordinator - Revoke previously assigned partitions <<topic>>-0, <<topic>>-1, <<topic>>-2

config:
max.poll.records=500
max.poll.interval.ms=300000
enable.auto.commit=false

The deploy added an HTTP call to the pricing service per record (p95 ~700ms).""",
    """Intermittent 502s from the ALB in front of our Node API, roughly 0.5% of requests, no errors logged by the app itself. Started after we moved from nginx sidecar to direct ALB -> Node. ALB idle timeout is 60s.

server.js:
const server = app.listen(3000);
// defaults otherwise

ALB access log sample:
https 2025-05-14T10:22:41 app/prod-api/... 10.0.4.17:3000 0.001 -1 -1 502 - 512 272 "GET /api/v1/orders HTTP/1.1" ... "-" "-" elb_status_code=502 target_status_code=- error_reason=TargetResponseError""",
    """Pods of <<svc>> get OOMKilled every few hours since we moved to Java 21 and the new base image. Heap looks fine in Grafana (max ~600MB of 750MB).

resources: limits: memory 1Gi, requests: memory 1Gi
JAVA_TOOL_OPTIONS=-Xmx750m -XX:+UseG1GC
kubectl describe:
    Last State:     Terminated
      Reason:       OOMKilled
      Exit Code:    137

NMT summary right before the kill (from a debug pod):
-                 Java Heap (reserved=768000KB, committed=768000KB)
-                     Class (reserved=1075349KB, committed=71253KB)
-                    Thread (reserved=214617KB, committed=214617KB)  (threads #209)
-                      Code (reserved=253201KB, committed=57089KB)
-                        GC (reserved=105222KB, committed=105222KB)
-                     Other (reserved=161923KB, committed=161923KB)  # direct buffers, Netty""",
    """Tests pass locally and fail in CI, but only sometimes - seems to be in the evening. Failing test:

@Test
void reportCoversToday() {
    var report = service.dailyReport(LocalDate.now());
    assertThat(report.orders()).extracting(Order::id).contains(todaysOrder.id());
}

service.dailyReport queries `WHERE created_at::date = :day` against Postgres (Testcontainers, TZ UTC). CI runners are in UTC, I'm in Berlin. The order is created in the test with Instant.now().""",
    """Customers get every order confirmation email twice since we scaled <<svc>> from 1 to 3 replicas. Email provider logs show two sends ~200ms apart with the same template and order id.

Relay code (runs on a @Scheduled(fixedDelay = 1000) in every replica):

List<OutboxRow> rows = jdbc.query("SELECT * FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT 100", mapper);
for (OutboxRow row : rows) {
    publisher.publish(row);
    jdbc.update("UPDATE outbox SET sent_at = now() WHERE id = ?", row.id());
}""",
    """Under load the API starts timing out and never recovers until restart. Logs:

<<ts>> WARN  [http-nio-8080-exec-57] c.z.h.p.HikariPool - HikariPool-1 - Connection is not available, request timed out after 30000ms (total=20, active=20, idle=0, waiting=143)
<<ts>> ERROR [http-nio-8080-exec-31] o.h.e.j.s.SqlExceptionHelper - HikariPool-1 - Connection is not available, request timed out after 30000ms

Thread dump shows 20 threads like this:
"http-nio-8080-exec-12" #88 waiting on condition
   at java.net.SocketInputStream.socketRead0(Native Method)
   at <<pkg>>.client.FraudCheckClient.score(FraudCheckClient.java:54)
   at <<pkg>>.service.CheckoutService.placeOrder(CheckoutService.java:77)   // @Transactional
   at jdk.proxy2/jdk.proxy2.$Proxy142.placeOrder(Unknown Source)

The fraud service has been slow today (p99 12s).""",
    """Our Kafka Streams app (ledger) is stuck in REBALANCING after I added a new windowed aggregation. It never reaches RUNNING. Logs loop every ~10s:

<<ts>> WARN  [ledger-StreamThread-1] o.a.k.s.p.i.StreamsPartitionAssignor - stream-thread [ledger-StreamThread-1] Detected that stream thread is missing the internal topic ledger-spend-per-minute-changelog
<<ts>> ERROR [ledger-StreamThread-1] o.a.k.s.p.i.InternalTopicManager - Could not create topic ledger-spend-per-minute-changelog. org.apache.kafka.common.errors.TopicAuthorizationException: Not authorized to access topics: [ledger-spend-per-minute-changelog]
<<ts>> INFO  [ledger-StreamThread-1] o.a.k.s.KafkaStreams - stream-client [ledger] State transition from RUNNING to REBALANCING

Works on my laptop with the local broker. Prod cluster uses ACLs managed in Terraform, and the existing stores work fine.""",
    """Invoice totals are sometimes off by one cent compared to the sum of the lines the customer sees. Example: lines 19.99 x 3 and 4.35 x 1, VAT 19%. We show 76.54, the customer's accountant computes 76.53.

double net = lines.stream().mapToDouble(l -> l.price() * l.qty()).sum();
double vat = Math.round(net * 0.19 * 100) / 100.0;
double total = net + vat;
return BigDecimal.valueOf(total).setScale(2, RoundingMode.HALF_UP);

Lines are rounded per line on the PDF.""",
    """We get `deadlock detected` a few times per hour from the nightly stock reconciliation and also during the day from the order API.

<<ts>> UTC [18231] ERROR:  deadlock detected
DETAIL:  Process 18231 waits for ShareLock on transaction 99120; blocked by process 18244.
        Process 18244 waits for ShareLock on transaction 99118; blocked by process 18231.
        Process 18231: UPDATE stock SET on_hand = on_hand - $1 WHERE product_id = $2 AND warehouse_id = $3
        Process 18244: UPDATE stock SET on_hand = $1 WHERE product_id = $2 AND warehouse_id = $3

The order API updates stock for each line in the order as given by the customer; the reconciliation iterates over a HashMap<ProductId, Integer> of deltas per warehouse.""",
    """The Node API memory grows ~50MB/hour until the container is killed. Also this appears in logs after a while:

(node:1) MaxListenersExceededWarning: Possible EventEmitter memory leak detected. 11 close listeners added to [Socket]. Use emitter.setMaxListeners() to increase limit

middleware we added last sprint:
app.use((req, res, next) => {
  const onClose = () => metrics.inc('client_aborted');
  req.socket.on('close', onClose);
  res.on('finish', () => metrics.observe('duration', Date.now() - req.start));
  next();
});

We use keep-alive connections from the mobile clients.""",
    """Number of goroutines in <<svc>> climbs steadily (Prometheus go_goroutines from 40 to 18k over a day) and latency degrades. pprof goroutine profile top:

18012 @ 0x43b2b6 0x4339b7 0x46a1e5 ...
#	0x6b2c44	net/http.(*persistConn).readLoop+0x...
#	0x6b3a11	net/http.(*persistConn).writeLoop+0x...

Code that calls the supplier API:

func fetch(url string) ([]byte, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}""",
    """Some Celery tasks (the PDF export ones) run twice, sometimes three times, and customers get duplicate exports. Short tasks are fine. Broker is Redis.

celery config:
broker_url = "redis://redis:6379/0"
task_acks_late = True
worker_prefetch_multiplier = 4
# broker_transport_options not set

Export tasks take 20-90 minutes for big workspaces. Logs show the same task id received by a second worker about an hour after the first one started.""",
    """After the <<svc>> deploy this morning every consumer of <<topic>> fails with:

org.apache.kafka.common.errors.SerializationException: Error deserializing Avro message for id 187
Caused by: org.apache.avro.AvroTypeException: Found <<pkg>>.events.OrderPlaced, expecting <<pkg>>.events.OrderPlaced, missing required field customerRef

The producer team says they only renamed `customerId` to `customerRef` and added an alias. Schema registry compatibility for the subject is NONE (someone changed it last month). Consumers use specific records generated from the old schema.""",
    """Test `shouldExportInStableOrder` fails ~1 in 20 runs in CI, never locally (as far as I can tell):

expected: "sku,qty\\nA-1,2\\nB-7,1\\nC-3,5"
 but was: "sku,qty\\nB-7,1\\nA-1,2\\nC-3,5"

The exporter collects lines via `Collectors.groupingBy(Line::sku, Collectors.summingInt(Line::qty))` and then writes `map.entrySet()`. We run tests in parallel with JUnit's concurrent mode and JDK 21 in CI (JDK 17 locally).""",
    """Right after every deploy the database CPU goes to 100% for ~2 minutes and the API p99 is 8s. Otherwise fine. Prices are cached in Redis with a fixed TTL of 10 minutes that we set when the pod starts warming its cache (all 80k SKUs). We run 12 pods and deploy with a rolling update of 3 at a time. Redis hit rate graph drops from 99% to ~0% exactly 10 minutes after each deploy, not at the deploy itself.""",
    """About 2% of API requests fail with 401 "token not yet valid" - always on the same two pods, the others are fine. Tokens are issued by our auth service with `iat`/`nbf` set to now. Validation uses jjwt with default settings (no allowed clock skew). The failing pods run on node ip-10-0-7-22; `chronyc tracking` there shows "System time: 2.41 seconds slow of NTP time" and the chrony pod on that node has been CrashLooping for a week.""",
    """A query that used to take 20ms now takes 6s after we bulk-loaded 30M rows into audit_events yesterday.

EXPLAIN ANALYZE SELECT * FROM audit_events WHERE tenant_id = 42 AND created_at > now() - interval '1 day' ORDER BY created_at DESC LIMIT 50;

Limit  (cost=0.56..1234.88 rows=50 width=312) (actual time=6021.4..6021.5 rows=50 loops=1)
  ->  Index Scan Backward using idx_audit_created_at on audit_events  (cost=0.56..8812331.02 rows=356800 width=312) (actual time=6021.4..6021.5 rows=50 loops=1)
        Filter: (tenant_id = 42)
        Rows Removed by Filter: 29811022
Planning Time: 0.2 ms
Execution Time: 6021.6 ms

There is also an index on (tenant_id, created_at). autovacuum is on with defaults.""",
    """The supplier CSV import fails for one supplier only, since they "upgraded their ERP":

<<py_trace>>

Their file opens fine in Excel. `file supplier.csv` says: UTF-8 Unicode (with BOM) text, with CRLF line terminators. Our header check says `KeyError: 'sku'` on some runs and the UnicodeDecodeError on others (different files from the same supplier).""",
]
GEN["debug_scenario"] = DEBUG_SCENARIOS
GEN["debug_prod"] = [d for i, d in enumerate(DEBUG_SCENARIOS) if i not in (3, 13)]

T["DEBUGGING"] = [
    ("ci pe", "Can you figure out the root cause? Here's what we see:\n\n<<debug_scenario>>"),
    ("pe", "We've been going in circles on this for a day. Walk me through what's happening and how to confirm it.\n\n<<debug_scenario>>"),
    ("pe dp", "<<debug_scenario>>\n\nWhat's going on and what should we check first?"),
    ("ci pe", "Debug this with me. I need the causal chain, not just a guess.\n\n<<debug_scenario>>"),
    ("pe", "Production issue, need help diagnosing:\n\n<<debug_prod>>\n\nWhat's the most likely cause, and what would rule out the alternatives?"),
    ("ci", "Why is this happening?\n\n<<debug_scenario>>"),
    ("pe ci", "On-call here. <<debug_prod>>\n\nHypotheses ranked by likelihood + how to verify each?"),
    ("ci pe dp", "I don't understand this failure:\n\n<<debug_scenario>>"),
    ("pe", "Help me write the root cause section of the postmortem - what actually caused this?\n\n<<debug_prod>>"),
    ("ci", "The agent's fix attempt didn't work (it bumped timeouts). Look at the evidence again and find the real cause:\n\n<<debug_scenario>>"),
    ("pe dp", "<<debug_scenario>>\n\nRoot cause + fix + how to make sure it doesn't come back."),
    ("ci pe", "Started after the last deploy, no obvious changes in the diff. This is everything I have:\n\n<<debug_prod>>"),
    ("ci", "This exception shows up in prod only for some requests, maybe 1 in 500. Can't reproduce locally. What conditions lead to it and where should I look?\n\n<<java_stack>>"),
    ("ci pe", "Getting this after upgrading dependencies. The code didn't change. Work out what changed underneath us:\n\n<<java_stack>>\n\n<<pom_deps>>"),
    ("dp", "Our nightly job dies with this, but only on the big tenants. Diagnose please:\n\n<<py_trace>>\n\nIt ran fine for months, data volume doubled last week."),
    ("ci pe", "Flaky test, fails about 1 in 10 CI runs. Figure out why from the output:\n\n<<ci_test_log>>"),
    ("pe", "The service crash-loops after the config change. Events and logs:\n\n<<k8s_events>>\n\n<<java_log>>\n\nWhat's the chain of events?"),
    ("ci", "Go service panics under load only:\n\n<<go_panic>>\n\nrelevant code:\n```go\n<<go_func>>\n```\nWhat's the race / bug?"),
    ("pe ci", "Latency went through the roof at <<hhmm>>. Logs from the window:\n\n<<java_log_long>>\n\nWhat's causing it? Go step by step."),
    ("dp pe", "Error rate spiked on the API. Access log and app log side by side:\n\n<<nginx_log>>\n\n<<java_log>>\n\nWhat's the story?"),
    ("ci", "Frontend crashes with this after the API change. Which side is wrong and why?\n\n<<node_stack>>"),
    ("pe", "GC pauses got much worse after the heap increase. GC log:\n\n<<gc_log>>\n\nWhy would a bigger heap make it worse here?"),
    ("ci pe", "Diagnose: <<debug_scenario>>"),
    ("pe", "I think it's the network but my colleague thinks it's our code. Who's right?\n\n<<debug_prod>>"),
    ("dp", "Slow queries appeared out of nowhere. Log excerpt:\n\n<<pg_log>>\n\nWhat changed, and how do I prove it?"),
    ("ci pe", "We reverted and it still happens. So what is it?\n\n<<debug_prod>>"),
    ("ci", "explain this failure to me step by step, and tell me which of our assumptions is wrong\n\n<<debug_scenario>>"),
    ("pe dp", "Give me a debugging plan (what to look at, in what order, what each result would mean) for this:\n\n<<debug_scenario>>"),
    ("ci", "Integration test fails in CI since this morning, passes locally. CI output below. What's the actual cause and how do I confirm it?\n\n<<ci_test_log>>"),
    ("pe ci", "<<alert>>\n\nand in the app logs:\n<<java_log>>\n\nWhat's the underlying cause? The alert alone doesn't tell me much."),
]

ARCH_QUESTIONS = [
    ("pe", "Where should the budget-throttling logic live: in the router, in the ledger Kafka Streams app, or in a separate budget service? Router needs a decision per request in <5ms, the ledger owns the spend numbers, and we have 5 cost centres today, maybe 50 next year. Trade-offs and your recommendation."),
    ("pe", "We want the classifier (task type + sensitivity) as its own service vs a library inside the router. It runs a small ONNX model plus regexes, ~2ms per request. What are the consequences for deployment, latency, versioning and testing? Which would you pick?"),
    ("pe dp", "Kafka vs RabbitMQ for our new job queue: jobs are PDF exports (minutes long), need per-tenant fairness, retries with delay, and we already run Kafka for events. Is it worth adding RabbitMQ?"),
    ("pe", "Should orders be event-sourced? Context: 4 teams read order state, we need an audit trail for finance, current model is a Postgres table with an audit trigger. 30M orders/year."),
    ("pe ci", "Monorepo or keep 14 repos? Backend is Java/Maven, 6 teams, shared Avro schemas change weekly, we deploy services independently. What would you do and how would you migrate?"),
    ("pe dp", "How do we keep the search index consistent with Postgres? Options: dual writes in the app, outbox + consumer, Debezium CDC. We had drift incidents with dual writes. Which one and why?"),
    ("pe", "Where should shared Avro schemas live - a schemas module in each consumer repo, a central schemas repo published as a jar, or only in the registry with codegen at build time?"),
    ("pe", "gRPC or REST for internal service-to-service calls? We have Java and Go services, some Python. Today it's REST/JSON with OpenAPI; main pain is hand-written clients drifting."),
    ("pe", "Checkout needs to survive a full region outage. Currently single region (eu-central-1) with Postgres primary + replica. What are realistic options (active-passive, active-active) and what would each cost us in complexity and consistency?"),
    ("pe dp", "Multi-tenant data isolation: row-level (tenant_id + RLS), schema per tenant, or database per tenant? 2,000 small tenants, 5 huge ones, some enterprise customers ask for data residency in specific countries."),
    ("pe", "Our LLM routing: should sovereignty (data must not leave our network) be enforced in the router only, or also at the network layer (egress policy on the cloud worker)? How would you design it so that a bug in one place can't leak data?"),
    ("pe", "We're splitting the monolith. First candidate: billing (invoices, credit notes, payment reconciliation). How do we draw the boundary and what data does billing own vs read from orders? What's the migration order?"),
    ("dp pe", "Batch vs streaming for the usage-based billing pipeline: usage events ~5k/s, invoices monthly, customers want a near-real-time usage dashboard. Kafka Streams, Flink, or hourly Spark jobs on the lake?"),
    ("pe", "Feature flags: build our own on top of Postgres + a cache, or use a vendor? Needs: per tenant targeting, percentage rollouts, audit, kill switches, ~20 services in 3 languages."),
    ("pe ci", "How should we structure the Maven modules for the new tiergate services: shared `platform` module with Kafka/config helpers, `schemas` with generated Avro classes, one module per service - or fewer, bigger modules? What goes where, and what must NOT go into platform?"),
    ("pe", "Read-your-writes after moving reads to replicas: some endpoints break because users don't see what they just saved. Options: sticky primary after write, LSN tracking, or only route some endpoints to replicas? Pick one and justify."),
    ("pe", "We need idempotency for the public POST endpoints. Idempotency-Key header with a store (Redis vs Postgres), or natural keys per endpoint? How long to keep keys, and how do we handle concurrent requests with the same key?"),
    ("pe dp", "Local model serving: one big GPU box running Ollama for everyone, or a pool of smaller GPU nodes with a queue in front? Load is spiky (CI runs), 80% of requests are short classification/extraction. What about failover?"),
    ("pe", "Should the cost ledger be exact (sum of actual token counts from provider responses) or estimated at routing time and reconciled later? Budget decisions need to be fast, finance wants exact monthly numbers."),
    ("pe", "API versioning strategy for our public API: URL versions (/v1, /v2), header versions, or date-based versions like Stripe? We have ~400 integrators and break something about once a year."),
    ("pe dp", "Consistency model for inventory reservations across warehouses: strong consistency with a central DB, or per-warehouse services with sagas and compensations? Overselling costs us ~2k EUR/month today."),
    ("pe", "Secrets management: we use Kubernetes secrets from sealed-secrets in git. Security wants rotation and audit. Vault, cloud secret manager with external-secrets, or something else? Consider local dev and CI too."),
    ("pe ci", "How should we test the Kafka-based services: embedded broker, Testcontainers per test class, one shared container per module, or contract tests with the schema registry only? CI time is already 18 min."),
    ("dp", "Data lake layout for events: one table per topic, or one wide events table partitioned by type and date? Analysts want easy joins, data eng wants schema evolution without rewrites. Iceberg is available."),
    ("pe", "We have a synchronous chain: checkout -> pricing -> tax -> fraud -> payment. p99 is 3s and any one failing breaks checkout. Which parts could become asynchronous, and how would the user experience change?"),
    ("pe", "Where do we put the prompt templates and routing rules: in code, in a config repo deployed with the service, or in a compacted Kafka topic so they can change at runtime? Who should be able to change them and how do we audit it?"),
    ("pe dp", "Observability: we have logs in Loki, metrics in Prometheus, no tracing. Adding OpenTelemetry everywhere vs only at the edges first? Storage backend? Sampling strategy for 20k req/s?"),
    ("pe", "Should the cloud-worker call providers directly or through an internal gateway (one place for keys, retries, rate limits, cost tagging)? We have 2 providers now, maybe 4 next year."),
    ("pe", "Our notification service sends email, SMS and push and has become a bottleneck and a single point of failure. Split per channel, or keep one service with per-channel queues and workers? What about user preferences and rate limiting?"),
    ("pe ci", "Build vs buy for the internal developer portal (service catalog, ownership, docs, scorecards): Backstage, a SaaS product, or a small internal app on top of our existing CODEOWNERS + README files?"),
    ("pe", "Caching strategy for prices: per-pod in-memory, shared Redis, or both (near cache)? Prices change ~50k times/day, reads ~3k/s, stale prices are a legal problem for more than 60s."),
    ("pe dp", "How do we design the classification step so that adding a new task type later doesn't break every consumer? Enum in Avro with a default symbol, a string, or a separate registry of types?"),
]
T["ARCHITECTURE"] = ARCH_QUESTIONS


# --------------------------------------------------------------------------------------------
# Sovereign material: healthcare, HR, payroll. All people and numbers are invented.
# --------------------------------------------------------------------------------------------
GEN["mrn"] = lambda r: "MRN %08d" % r.randint(100000, 99999999)
GEN["emp_id"] = lambda r: "E-%05d" % r.randint(1000, 99999)
GEN["dob"] = lambda r: "%02d.%02d.%d" % (r.randint(1, 28), r.randint(1, 12), r.randint(1941, 2004))
GEN["ward"] = ["Cardiology 3B", "Internal Medicine 2A", "Orthopaedics 4", "Geriatrics 1C", "Surgery 5A"]
GEN["dr"] = lambda r: "Dr. %s %s" % (r.choice(FIRST), r.choice(LAST))

PATIENT_MSGS = [
    "Hello, I've had chest tightness since last night when climbing stairs, it goes away when I rest. I'm on bisoprolol 5mg. Should I come in today?",
    "Could you renew my prescription for levothyroxine 75 micrograms? I have 4 tablets left.",
    "I need to move my appointment on <<date>> with <<dr>>, I have a work trip. Any slot the week after is fine.",
    "Why was I charged 40 EUR for the ultrasound? I thought my insurance covers it.",
    "My son (6) has had a fever of 39.5 for three days and now a rash on his chest. The paediatrician is closed.",
    "Since starting the new blood pressure pills (amlodipine) my ankles are very swollen. Is that normal?",
    "The pharmacy says the prescription for my insulin pens wasn't sent. Can you check?",
    "I got the results letter but don't understand what 'mild hepatic steatosis' means.",
]
GEN["patient_msg"] = lambda r: "Patient: <<name>>, <<mrn>>, DOB <<dob>>\nMessage: " + r.choice(PATIENT_MSGS)


@gen("discharge_note")
def _discharge_note(r):
    return r.choice([
        """DISCHARGE SUMMARY - <<ward>>
Patient: <<name>>   DOB: <<dob>>   <<mrn>>
Admitted: <<date>>   Discharged: <<date2>>   Attending: <<dr>>

Diagnoses: NSTEMI (I21.4); type 2 diabetes mellitus (E11.9); hypertension (I10)
Course: Presented with chest pain, troponin rise. Coronary angiography: 80% stenosis RCA, treated with DES. Uncomplicated course.
Medication on discharge:
- ASS 100 mg 1-0-0 (lifelong)
- Ticagrelor 90 mg 1-0-1 (12 months)
- Atorvastatin 80 mg 0-0-1
- Metformin 1000 mg 1-0-1
- Ramipril 5 mg 1-0-0
Follow-up: cardiology outpatient clinic in 4 weeks, HbA1c check by GP.""",
        """Discharge letter, <<ward>>
Pt. <<name>>, born <<dob>>, <<mrn>>
Adm. <<date>> via ED after fall at home. Dx: pertrochanteric femur fracture right (S72.10), osteoporosis (M81.0), mild cognitive impairment (F06.7).
Surgery: PFNA on day 1. Mobilised with walker from day 2. Delirium night 3, resolved with reorientation, low-dose haloperidol 0.5 mg once.
Meds: Enoxaparin 40 mg s.c. once daily for 5 weeks; Paracetamol 1 g up to 4x daily; Vitamin D3 20,000 IU weekly; Alendronate 70 mg weekly (start after 2 weeks).
Plan: rehab clinic transfer, staples removal day 12, DXA scan in 3 months. Attending: <<dr>>""",
        """Clinical note - <<dr>> - <<date>>
<<name>> (<<mrn>>, DOB <<dob>>), known COPD GOLD 3 (J44.1), 3rd exacerbation this year. SpO2 on admission 86% on room air, CRP 74.
Treated with prednisolone 40 mg for 5 days, amoxicillin/clavulanate 875/125 mg twice daily for 7 days, nebulised salbutamol/ipratropium.
Smoking: 40 pack-years, still smoking 10/day, declined cessation program again.
Discharge with home oxygen 2 L/min at night, pulmonary rehab referral, follow-up GP in 1 week.""",
    ])


@gen("lab_result")
def _lab_result(r):
    rows = [("Haemoglobin", "%.1f" % r.uniform(8.5, 16.5), "g/dL", "12.0-16.0"),
            ("Leukocytes", "%.1f" % r.uniform(3, 16), "10^9/L", "4.0-10.0"),
            ("Platelets", str(r.randint(90, 480)), "10^9/L", "150-400"),
            ("Creatinine", "%.2f" % r.uniform(0.6, 2.4), "mg/dL", "0.50-1.10"),
            ("eGFR", str(r.randint(22, 110)), "mL/min/1.73m2", ">60"),
            ("Potassium", "%.1f" % r.uniform(3.1, 5.9), "mmol/L", "3.5-5.1"),
            ("CRP", "%.1f" % r.uniform(0.2, 120), "mg/L", "<5.0"),
            ("HbA1c", "%.1f" % r.uniform(5, 10), "%", "<5.7"),
            ("Ferritin", str(r.randint(5, 400)), "ng/mL", "15-150"),
            ("TSH", "%.2f" % r.uniform(0.1, 9), "mU/L", "0.27-4.20")]
    chosen = r.sample(rows, r.randint(4, 8))
    body = "\n".join("%-12s %8s %-14s (%s)" % row for row in chosen)
    return "LAB REPORT  <<mrn>>  <<name>>  DOB <<dob>>\nSample collected <<date>> <<hhmm>>, ordered by <<dr>>\n\n" + body


@gen("hl7")
def _hl7(r):
    return ("MSH|^~\\&|ADT|CITYHOSP|BRIDGE|CITYHOSP|%s%s||ADT^A01|MSG%06d|P|2.5\n"
            "PID|1||%08d^^^CITYHOSP^MR||<<last>>^<<first>>||%s|%s|||<<street>>^^<<city>>^^<<postcode>>\n"
            "PV1|1|I|<<ward>>^%d^%d||||%d^<<last>>^<<first2>>^^^Dr.\n"
            "DG1|1||%s^^I10||%s") % (
        val(r, "date").replace("-", ""), "%02d%02d" % (r.randint(0, 23), r.randint(0, 59)), r.randint(0, 999999),
        r.randint(100000, 99999999), "%d%02d%02d" % (r.randint(1938, 2004), r.randint(1, 12), r.randint(1, 28)), r.choice(["F", "M"]), r.randint(100, 420), r.randint(1, 4),
        r.randint(1000, 9999), r.choice(["I21.4", "J44.1", "S72.10", "N17.9", "A41.9"]), val(r, "date").replace("-", ""))


HR_CASES = [
    "Employee <<name>> (<<emp_id>>, Warehouse <<city>>) reports that their shift lead repeatedly made comments about their accent in front of the team and excluded them from overtime allocation. Two colleagues witnessed the last incident on <<date>>.",
    "<<name>> (<<emp_id>>) asks to take 12 weeks of parental leave starting <<date>>, split into two blocks, and wants to know how it affects their bonus eligibility.",
    "<<name>> (<<emp_id>>) says their last two payslips are missing the night-shift allowance (approx. 18 shifts) and overtime from the inventory weekend.",
    "Manager requests a performance improvement plan for <<name>> (<<emp_id>>): missed 4 of 6 sprint commitments, two customer escalations, attendance issues since <<month>>. Employee mentioned health problems in the last 1:1.",
    "<<name>> (<<emp_id>>) has accepted the relocation to the <<city>> office and asks about the relocation allowance and temporary housing.",
    "Anonymous report via the whistleblower channel: team lead in Finance allegedly asks team members to backdate expense approvals.",
]
GEN["hr_case"] = HR_CASES

GEN["sick_note"] = ["Certificate of incapacity for work\nEmployee: <<name>> (<<emp_id>>)\nIncapacitated from <<date>> to <<date2>> (inclusive), first certificate\nDiagnosis (ICD-10): M54.5 low back pain\nIssued by <<dr>>, general practice, <<city>>",
                    "Doctor's note: <<name>>, DOB <<dob>>, is unfit for work from %s to %s due to acute gastroenteritis (A09). Follow-up certificate. <<dr>>" % ("<<date>>", "<<date2>>")]


@gen("payroll_change")
def _payroll_change(r):
    rows = ["employee_id,name,component,old_gross,new_gross,effective,reason"]
    for _ in range(r.randint(3, 6)):
        old = r.randint(3200, 9800)
        rows.append("%s,%s %s,%s,%d.00,%d.00,%s,%s" % (val(r, "emp_id"), r.choice(FIRST), r.choice(LAST), r.choice(["base", "base", "allowance", "bonus"]),
                                                       old, old + r.choice([150, 300, 420, 900, 5600, -250]), val(r, "date"),
                                                       r.choice(["promotion", "annual review", "correction", "band adjustment", "retention"])))
    return "\n".join(rows)


GEN["salary_csv"] = GEN["payroll_change"]


@gen("payslip")
def _payslip(r):
    gross = r.randint(2800, 9500)
    tax = round(gross * r.uniform(0.12, 0.3), 2)
    soc = round(gross * 0.2, 2)
    return ("PAYSLIP <<month>> 2025\n<<company>> - Payroll\nEmployee: <<name>>   ID <<emp_id>>   Tax class %d   Cost centre %d\n"
            "Base salary             %9.2f\nNight allowance         %9.2f\nGross                   %9.2f\nIncome tax              %9.2f-\n"
            "Solidarity surcharge    %9.2f-\nHealth insurance        %9.2f-\nPension insurance       %9.2f-\nUnemployment insurance  %9.2f-\nNet pay                 %9.2f") % (
        r.randint(1, 5), r.randint(4000, 4999), gross, 0.0, gross, tax, 0.0, soc * 0.4, soc * 0.45, soc * 0.15, gross - tax - soc)


@gen("perf_review")
def _perf_review(r):
    return r.choice([
        "Review 2025 - <<name>> (<<emp_id>>), Senior Engineer\nManager: <<name2>>\nStrengths: drove the billing migration end to end, mentors two juniors, calm in incidents.\nGrowth: tends to take on too much alone; design docs are late and thin.\nRating proposal: exceeds expectations. Salary proposal: +6%, promotion case next cycle.",
        "Review - <<name>> (<<emp_id>>), Support Agent II\nMet ticket targets 7 of 12 months. CSAT 4.1 (team 4.5). Two formal complaints about tone. Was on sick leave for 6 weeks in spring (back injury), performance dip partly explained by that.\nRating proposal: partially meets. No salary increase; revisit in 6 months.",
        "Mid-year check-in, <<name>> (<<emp_id>>): strong technical delivery, but conflict with <<name2>> escalated twice; peers describe communication as dismissive. Agreed coaching sessions. Manager: <<name3>>.",
    ])


@gen("hr_interview")
def _hr_interview(r):
    return ("Investigation <<jira>> - interview notes (confidential)\nComplainant: <<name>> (<<emp_id>>)\nRespondent: <<name2>>, shift lead\n\n"
            "Complainant: comments about accent 'at least weekly' since <<month>>; was not offered overtime while newer colleagues were. Felt humiliated in the team meeting on <<date>>.\n"
            "Witness 1 (<<name3>>): confirms the meeting comment, says respondent 'was joking'. Has not noticed overtime pattern.\n"
            "Witness 2: confirms overtime list is set by respondent alone; complainant missing from the list 5 of the last 6 weeks.\n"
            "Respondent: denies intent, says overtime goes to forklift-certified staff. Complainant's certification expired in <<month>> (to be verified).\n"
            "Open: verify certification dates, obtain overtime lists, HR to decide on interim measures.")


GEN["exit_comment"] = ["I liked my team but after my burnout nobody checked in on me and my workload went straight back to 120%.",
                       "Great manager, fair pay, I'm leaving only because my partner got a job abroad.",
                       "The salary increase I was promised in my review never came and HR never answered my emails.",
                       "Honestly the best place I've worked. Sad to go."]
GEN["leave_msgs"] = ["<<name>> (<<emp_id>>): I'd like to take annual leave from <<date>> to <<date2>>, 8 days.\n<<name2>>: Sick since Monday, certificate attached, probably back Thursday.\n<<name3>>: Request for unpaid leave <<month>> 1-14 for family reasons (my father's surgery)."]

SOVEREIGN_T = {
    "CLASSIFICATION": [
        ("sb", "Triage this patient portal message into one of: urgent_clinical, prescription_refill, appointment, billing, question. Label only.\n\n<<patient_msg>>"),
        ("sb", "Route to: GP, nurse_line, pharmacy, admin. One word.\n\n<<patient_msg>>"),
        ("sb dp", "Classify this HR case: harassment, leave, payroll_query, performance, relocation, compliance, other.\n\n<<hr_case>>"),
        ("dp", "Does this sick note cover more than 3 consecutive calendar days? yes/no (it decides whether payroll needs the certificate on file)\n\n<<sick_note>>"),
        ("dp", "Second-approver gate: does any single change below exceed 5,000 EUR gross per month? Output YES or NO.\n\n<<payroll_change>>"),
        ("dp sb", "Any value outside the reference range in this lab report? ABNORMAL or NORMAL only.\n\n<<lab_result>>"),
        ("sb dt", "Exit interview comment, sentiment (positive/neutral/negative) and topic (manager, pay, workload, personal, other):\n\n\"<<exit_comment>>\""),
        ("sb", "Based on the text, bucket this review: exceeds / meets / below.\n\n<<perf_review>>"),
        ("sb", "Is this HR case urgent (safety, legal risk) or routine? URGENT/ROUTINE\n\n<<hr_case>>"),
    ],
    "EXTRACTION": [
        ("dp", "Extract the discharge medications as JSON [{name, dose, schedule, duration}].\n\n<<discharge_note>>"),
        ("dp", "Parse this lab report into JSON rows {test, value, unit, reference_range, out_of_range}.\n\n<<lab_result>>"),
        ("dp", "Pull employee id, month, gross, each deduction and net pay out of this payslip as JSON.\n\n<<payslip>>"),
        ("dp", "List all diagnoses with their ICD-10 codes from this note.\n\n<<discharge_note>>"),
        ("dp", "Convert this payroll change file to JSON grouped by employee.\n\n<<payroll_change>>"),
        ("dp pe", "From this HL7 ADT message give me patient name, DOB, sex, MRN, ward, bed, attending physician, admission diagnosis. JSON.\n\n<<hl7>>"),
        ("sb dp", "Extract leave requests as rows: employee, type (annual/sick/unpaid), from, to, days.\n\n<<leave_msgs>>"),
        ("dp", "Extract patient identifiers and follow-up appointments from this letter into JSON.\n\n<<discharge_note>>"),
    ],
    "SUMMARIZATION": [
        ("sb dp", "Summarize this patient's stay for the GP in 5 bullets.\n\n<<discharge_note>>"),
        ("sb", "Summarize these investigation notes: allegations, what each witness said, open points.\n\n<<hr_interview>>"),
        ("sb dt", "3-sentence summary of this review for the calibration meeting.\n\n<<perf_review>>"),
        ("dp sb", "Summarize the abnormal findings in this lab report in plain language for the patient letter.\n\n<<lab_result>>"),
        ("dp", "Short summary of these payroll changes for the approver: totals, biggest changes, anything odd.\n\n<<payroll_change>>"),
        ("sb", "Summarize this HR case for the case log in two sentences.\n\n<<hr_case>>"),
        ("sb", "Handover note for the night shift from this discharge summary, max 4 lines.\n\n<<discharge_note>>"),
        ("sb", "Based on the payslip below, answer the employee's question: why is my net lower than last month?\n\n<<payslip>>"),
    ],
    "CONVERSATION": [
        ("sb", "I got my blood results back, ferritin is 9 and haemoglobin 10.8. My doctor hasn't called yet. Should I be worried? I'm 34 and tired all the time."),
        ("sb", "I'm an HR partner. <<name>> is coming back next week after four months of burnout-related sick leave. How should I structure the return-to-work conversation?"),
        ("sb", "My payslip says 58,400 EUR base and my manager says I'm at the bottom of the band for my level (<<emp_id>>, Senior Analyst). How should I approach the salary conversation?"),
        ("sb", "I was diagnosed with type 2 diabetes last week, HbA1c 7.9. Can you explain in simple words what that means for what I eat?"),
        ("sb", "Nurse here, night shift on <<ward>>. Patient on warfarin, INR just came back 4.2, no bleeding. What should I keep an eye on until the doctor calls back?"),
        ("sb", "My employee (<<name>>) told me in confidence she's pregnant and having complications. She asked me not to tell HR yet. What are my obligations as a manager?"),
    ],
    "BOILERPLATE": [
        ("pe dp", "Create a Java record PatientEncounter (mrn, admittedAt, ward, bed, attendingPhysician, diagnosisCodes as List<String>) and a mapper from this HL7 message. Runs in the on-prem EHR bridge.\n\n<<hl7>>"),
        ("dp", "Pydantic v2 model for this payslip (all amounts Decimal):\n\n<<payslip>>"),
        ("dp pe", "Flyway migration + JPA entity for the payroll_changes table, columns from this export:\n\n<<payroll_change>>"),
    ],
    "IMPLEMENTATION": [
        ("dp pe", "Implement pseudonymization for our HL7 pipeline: replace patient name and MRN with a keyed HMAC (key from the HSM), keep only the birth year, drop the address, keep the rest of the message intact. Sample:\n\n<<hl7>>"),
        ("dp", "Implement payroll proration for mid-month joiners and leavers (calendar-day method, 30/360 for the old contracts). These real cases from this month come out wrong with the current code:\n\n<<payroll_change>>"),
        ("dp", "Write the sick-leave continued-pay calculation: 6 weeks of full pay per illness, same diagnosis within 6 months counts as one illness, new 6 weeks after 12 months. Test cases from this certificate:\n\n<<sick_note>>"),
    ],
    "CODE_REVIEW": [
        ("ci dp", "Review this change to the net pay calculation. Payslip before the change for reference:\n\n<<payslip>>\n\ndiff --git a/payroll/net.py b/payroll/net.py\n@@ -31,7 +31,7 @@ def net_pay(slip):\n-    taxable = slip.gross - slip.pension_employee\n+    taxable = slip.gross\n     tax = income_tax(taxable, slip.tax_class)\n-    return round(slip.gross - tax - slip.social_total, 2)\n+    return round(slip.gross - tax - slip.social_total + slip.night_allowance, 2)"),
    ],
    "DEBUGGING": [
        ("dp ci", "Payroll run for <<month>> produced negative net pay for three employees. Payroll log and one of the payslips:\n\n<<payroll_change>>\n\n<<payslip>>\n\nWARN  net pay < 0 for <<emp_id>>, clamped to 0\nWhat went wrong?"),
        ("dp pe", "Since <<date>> the ADT feed stops assigning patients to beds; messages like this one are accepted (ACK AA) but the ward board shows 'unassigned':\n\n<<hl7>>\n\nThe bridge was upgraded to HL7 2.5 parsing the same day. Diagnose."),
        ("dp", "The leave balance job double-counts sick days for people with a follow-up certificate. Example employee and input:\n\n<<sick_note>>\n\n<<leave_msgs>>\n\nBalance shows 16 sick days, should be 8. Find the cause."),
    ],
    "ARCHITECTURE": [
        ("pe dp", "We want LLM summaries of lab reports and discharge letters for GPs. Everything must stay in our EU datacenter. How should we design it: where does the model run, how do we keep prompts/outputs out of cloud logs and telemetry, how do we audit access? Example input:\n\n<<lab_result>>"),
        ("pe", "Design the HR assistant: employees ask questions about their own HR record (salary, leave, reviews). How do we enforce per-employee access, keep everything on the local model, and avoid the record leaking into shared caches? Example record:\n\n<<perf_review>>\n\n<<payslip>>"),
    ],
}

# --------------------------------------------------------------------------------------------
# Fake sensitive data (not flagged sovereign). Documentation/test values only.
# --------------------------------------------------------------------------------------------
def _s_email(r, cache):
    """first.last@example.*, matching <<name>> if the prompt mentions one."""
    return "%s.%s@%s" % (fill(r, "<<first>>", cache).lower(), fill(r, "<<last>>", cache).lower(),
                         r.choice(["example.com", "example.org", "example.net"]))


_s_email.uses_context = True
GEN["s_email"] = _s_email
GEN["s_email2"] = lambda r: "%s%d@%s" % (r.choice(FIRST).lower(), r.randint(1, 99), r.choice(["example.com", "example.org"]))
GEN["s_phone"] = lambda r: r.choice(["+1 415 555 01%02d" % r.randint(0, 99), "(212) 555-01%02d" % r.randint(0, 99),
                                     "+44 20 7946 0%03d" % r.randint(0, 999), "+49 30 5550 1%03d" % r.randint(0, 999),
                                     "+31 20 555 01%02d" % r.randint(0, 99)])
GEN["s_card"] = ["4111 1111 1111 1111", "5555 5555 5555 4444", "4012 8888 8888 1881", "3782 822463 10005",
                 "6011 1111 1111 1117", "5105 1051 0510 5100", "4242 4242 4242 4242", "4000056655665556"]
GEN["s_iban"] = ["DE89 3704 0044 0532 0130 00", "GB82 WEST 1234 5698 7654 32", "NL91 ABNA 0417 1643 00",
                 "FR14 2004 1010 0505 0001 3M02 606", "ES91 2100 0418 4502 0005 1332", "BE68 5390 0754 7034"]
GEN["s_key"] = lambda r: "sk-test-" + "".join(r.choice("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(32))
GEN["s_ghp"] = lambda r: "ghp_" + "".join(r.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(36))
GEN["s_aws"] = ["AKIAIOSFODNN7EXAMPLE"]
GEN["s_jwt"] = lambda r: make_jwt({"sub": "usr_%s" % val(r, "hex8"), "name": "%s %s" % (r.choice(FIRST), r.choice(LAST)),
                                   "scope": r.choice(["orders:read", "orders:write billing:read", "admin"]),
                                   "iat": 1735689600 + r.randint(0, 20000000), "exp": 1767225600},
                                  b"not-a-real-secret-%d" % r.randint(0, 999))

SENSITIVE_T = {
    "CLASSIFICATION": [
        ("sb", "Classify this ticket: billing, shipping, account_access, other. Label only.\n\nFrom: <<s_email>>\nPhone: <<s_phone>>\n\n<<ticket_body>>"),
        ("sb", "Is this a social-engineering / fraud attempt? yes or no.\n\n\"Hi, please charge my other card <<s_card>> exp 11/28 CVV 123 instead, the first one is blocked. Ship to the new address, my colleague will sign.\""),
        ("sb", "Priority P1-P4?\n\n\"Our payment for <<invoice_no>> bounced back, we transferred to IBAN <<s_iban>> as on the invoice. Please confirm the correct account ASAP, our account is on hold.\""),
        ("ci pe", "Does this change add a secret to the repo? yes/no\n\n+++ b/.env.example\n+PAYMENTS_API_KEY=<<s_key>>\n+PAYMENTS_BASE_URL=https://api.payments.example/v1"),
        ("pe", "Log level for this line (debug/info/warn/error)?\n<<ts>> WARN  [http-nio-8080-exec-4] c.a.a.AuthFilter - rejected token for /api/v1/orders: Authorization: Bearer <<s_jwt>>"),
        ("sb", "Spam or legit customer?\n\nFrom: <<s_email2>>\nHi, I ordered a <<product>> last week (<<order_id>>), can you call me at <<s_phone>> about delivery options?"),
        ("sb", "Sentiment + topic:\n\n\"This is ridiculous. You charged my card <<s_card>> three times for one order. Call me on <<s_phone>> today.\""),
    ],
    "EXTRACTION": [
        ("dp", "Extract the payment details (beneficiary, IBAN, BIC, amount, reference) from this invoice as JSON.\n\n<<invoice>>\n\nPlease transfer to <<company>>, IBAN <<s_iban>>, BIC COBADEFFXXX, reference <<invoice_no>>."),
        ("sb dp", "Pull name, title, email and phone out of this signature into JSON.\n\n--\n<<name>>\nHead of Procurement | <<company>>\n<<s_email>>\nM: <<s_phone>>"),
        ("dp pe", "Parse these payment gateway log lines into JSON {ts, merchant_ref, card_number, amount, status}.\n\n<<ts>> INFO charge ref=<<order_id>> card=<<s_card>> amount=<<small_amount>> EUR status=declined code=05\n<<ts>> INFO charge ref=<<order_id2>> card=<<s_card>> amount=<<small_amount>> EUR status=approved"),
        ("dp", "Convert to JSON:\n\ncustomer_id,name,email,phone\n%d,<<name>>,<<s_email>>,<<s_phone>>\n%d,<<name2>>,<<s_email2>>,<<s_phone>>" % (48211, 48390)),
        ("pe", "Turn this .env into a Kubernetes Secret manifest (stringData).\n\nDB_URL=postgres://app@db:5432/orders\nPAYMENTS_API_KEY=<<s_key>>\nAWS_ACCESS_KEY_ID=<<s_aws>>\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        ("pe ci", "Extract method, path, and all headers from this raw request as JSON.\n\nGET /api/v1/invoices?status=OPEN HTTP/1.1\nHost: api.<<company_slug>>.example\nAuthorization: Bearer <<s_jwt>>\nAccept: application/json\nX-Request-Id: req_<<hex8>>"),
        ("sb", "Extract order number and the customer's email and phone from this ticket.\n\n<<ticket_body>>\n\nYou can reach me at <<s_email>> or <<s_phone>>."),
        ("dp", "Parse this bank statement line into {date, amount, counterparty, iban, reference}:\n\n<<date>> SEPA-CT <<amount>> EUR <<company>> <<s_iban>> REF <<invoice_no>>"),
        ("ci", "Decode this JWT payload and list the claims.\n\n<<s_jwt>>"),
    ],
    "SUMMARIZATION": [
        ("sb", "Summarize this email thread in 3 bullets.\n\nFrom: <<s_email>>\nTo: support\n\n<<ticket_body>>\n\n---\nFrom: support\nWe're looking into it.\n\n---\nFrom: <<s_email>>\nAny update? Call me at <<s_phone>>, I'm available all afternoon."),
        ("sb", "CRM note from this call, short:\n\nAgent: How can I help?\nCustomer: I want to pay the open invoice by card, it's <<s_card>>, expiry 09/27.\nAgent: I can't take card details on the phone, I'll send you a payment link.\nCustomer: Fine, send it to <<s_email>>."),
        ("sb", "tl;dr of this chat:\n\nCustomer: my refund went to the wrong account\nBot: Which account did you expect?\nCustomer: <<s_iban>>, the one I gave in the form\nBot: I'll forward this to billing.\nCustomer: thanks, my number is <<s_phone>> if they need it"),
        ("dt ci", "Summarize what this config file sets up:\n\nexport STRIPE_KEY=<<s_key>>\nexport GITHUB_TOKEN=<<s_ghp>>\nexport DEPLOY_ENV=staging\nexport FEATURE_EXPORT_V2=true"),
    ],
    "CONVERSATION": [
        ("sb", "hi, my card <<s_card>> got charged twice for the same order, can you help?"),
        ("sb", "can you call me back at <<s_phone>>? it's about cancelling my plan"),
        ("sb", "I changed my email to <<s_email>> but the newsletter still goes to my old one. How do I fix that?"),
        ("sb", "my bank says the transfer to <<s_iban>> failed, is that still your account number?"),
    ],
    "BOILERPLATE": [
        ("ci pe", "application.yml for our payments client with these settings: base-url https://api.payments.example/v1, api-key <<s_key>>, timeout 5s, 3 retries."),
        ("ci", "docker-compose.yml for local dev that pulls from our registry using this token: <<s_ghp>> (user ci-bot). Services: app, postgres, redis."),
    ],
    "IMPLEMENTATION": [
        ("ci", "Implement a typed client (Java <<java_ver>>, java.net.http) for the partner orders API with pagination and retries. Here's a working request with my token so you can see the shape:\n\ncurl -H 'Authorization: Bearer <<s_jwt>>' 'https://partner.example/api/v2/orders?cursor=abc&limit=100'\n\n<<json_order>>"),
    ],
    "CODE_REVIEW": [
        ("ci", "Review this PR:\n\ndiff --git a/src/main/java/com/acme/payments/PaymentsClient.java b/src/main/java/com/acme/payments/PaymentsClient.java\n@@ -12,6 +12,8 @@ public class PaymentsClient {\n+    private static final String API_KEY = \"<<s_key>>\";\n+\n     public PaymentsClient(HttpClient http) {\n         this.http = http;\n     }\n@@ -40,7 +42,7 @@ public class PaymentsClient {\n-        var req = base.header(\"Authorization\", \"Bearer \" + keys.current())\n+        var req = base.header(\"Authorization\", \"Bearer \" + API_KEY)"),
        ("ci", "Review the new test fixtures:\n\ndiff --git a/src/test/resources/fixtures/customers.json b/src/test/resources/fixtures/customers.json\n+[\n+  {\"id\": 1, \"email\": \"<<s_email>>\", \"phone\": \"<<s_phone>>\", \"card\": \"<<s_card>>\"},\n+  {\"id\": 2, \"email\": \"<<s_email2>>\", \"iban\": \"<<s_iban>>\"}\n+]"),
    ],
    "DEBUGGING": [
        ("ci pe", "Getting 401 from the orders API even though the token is fresh. Request and response:\n\ncurl -i -H 'Authorization: Bearer <<s_jwt>>' https://api.<<company_slug>>.example/v1/orders\n\nHTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"audience mismatch\"\n\nIt worked yesterday against staging. What's wrong?"),
        ("pe", "aws s3 ls works on my laptop but the pod fails with InvalidClientTokenId. Pod env:\n\nAWS_ACCESS_KEY_ID=<<s_aws>>\nAWS_REGION=<<region>>\nAWS_ROLE_ARN=arn:aws:iam::123456789012:role/exporter\nAWS_WEB_IDENTITY_TOKEN_FILE=/var/run/secrets/eks.amazonaws.com/serviceaccount/token\n\nWhat's going on?"),
        ("ci dp", "Integration test for checkout fails only for this test card: <<s_card>>. Log:\n\n<<ts>> INFO  charge ref=<<order_id>> amount=<<small_amount>> EUR\n<<ts>> ERROR PaymentClient - provider response 402 {\"error\":{\"code\":\"card_declined\",\"decline_code\":\"authentication_required\"}}\n\nOther test cards pass. Why?"),
    ],
}


# --------------------------------------------------------------------------------------------
# Assembly
# --------------------------------------------------------------------------------------------
HUMAN_PREFIX = ["Quick one: ", "Hey, ", "Hi! ", "Question - ", "hello, ", "Morning! ", "Sorry to bother, ", "Hi there. "]
HUMAN_SUFFIX = [" Thanks!", " thx", " :)", "\n\nThanks in advance.", " Cheers.", "\n\nty!", " (no rush)", " - need it for a meeting in 10 min",
                "\n\nThanks!", "\n\nNo rush, end of day is fine."]
AGENT_PREFIX = ["Task: ", "[step: triage] ", "Instruction: ", "## Task\n", "[auto] ", "Subtask 2/4: "]
AGENT_SUFFIX = ["\n\nRespond concisely.", "\n\nDo not include explanations.", "\n\nIf unsure, say so.", "\n\nOutput only the result."]


def stylize(r, text, cc, force=False):
    """Light, human or agent-style framing: greetings, sign-offs, agent step markers. Sign-offs that
    would stick to pasted material go on their own paragraph."""
    agent = cc in ("ci-agents", "data-pipeline")
    if not force and r.random() > 0.22:
        return text
    if agent:
        if r.random() < 0.5:
            return r.choice(AGENT_PREFIX) + text
        return text + r.choice(AGENT_SUFFIX)
    multiline = "\n" in text
    suffixes = [x for x in HUMAN_SUFFIX if x.startswith("\n\n")] if multiline else HUMAN_SUFFIX

    def prefixed(t):
        p = r.choice(HUMAN_PREFIX)
        first = t.split(" ", 1)[0]
        if p.endswith((", ", "- ")) and first[:1].isupper() and first[1:].islower() and first.strip("'?,.:").isalpha():
            t = t[0].lower() + t[1:]
        return p + t
    roll = r.random()
    if roll < 0.4:
        return prefixed(text)
    if roll < 0.8:
        return text + r.choice(suffixes)
    return prefixed(text) + r.choice(suffixes)


CONTEXT_LINES = {
    "IMPLEMENTATION": ["Repo: <<svc>> (Java <<java_ver>>, Maven, Micronaut 4). Put new code under <<pkg>>.",
                       "We use <<lang>> for this service. Follow the existing style, no new dependencies unless you really need them.",
                       "Ticket: <<jira>>. Please keep the PR small enough to review in one sitting.",
                       "Acceptance: existing tests stay green, new tests cover the edge cases, no public API changes.",
                       "Context: this runs in <<svc>> at ~<<big_n>> req/min, so allocation on the hot path matters.",
                       "Branch: feature/<<jira_lower>>. Write the commit message too.",
                       "Constraints: must work on Java <<java_ver>>; we can't use preview features."],
    "BOILERPLATE": ["Project: <<svc>>.", "Java <<java_ver>> if it matters.", "Keep it minimal, we'll fill in the details.",
                    "Match our conventions: package <<pkg>>.", "This is for ticket <<jira>>.", "Add short comments where something is non-obvious."],
}
GEN["jira_lower"] = lambda r: val(r, "jira").lower()


def add_context(r, ttype, text, cc):
    """Agents and engineers often add a line of repo/ticket context to build-type requests."""
    if ttype in CONTEXT_LINES and cc in ("ci-agents", "platform-eng", "data-pipeline") and r.random() < 0.55:
        return text + "\n\n" + fill(r, r.choice(CONTEXT_LINES[ttype]))
    return text


def choose_cc(r, ttype, tags):
    tags = tags.split()
    weights = [CC_WEIGHTS[ttype].get(t, 0) for t in tags]
    if sum(weights) == 0:
        return CC[r.choice(tags)]
    return CC[r.choices(tags, weights=weights, k=1)[0]]


def build_group(r, ttype, templates, n, seen, kind):
    """n prompts from templates, cycling through a shuffled deck so every phrasing gets used."""
    out = []
    deck = []
    for _ in range(n):
        if not deck:
            deck = list(range(len(templates)))
            r.shuffle(deck)
        idx = deck.pop()
        for attempt in range(60):
            tags, tpl = templates[idx]
            cc = choose_cc(r, ttype, tags)
            text = fill(r, tpl)
            text = add_context(r, ttype, text, cc)
            text = stylize(r, text, cc, force=attempt >= 3)
            if text not in seen:
                break
            if attempt >= 6:
                idx = r.randrange(len(templates))
        else:
            raise RuntimeError("could not make a distinct %s prompt" % ttype)
        seen.add(text)
        out.append({"prompt": text, "costCenter": cc, "expectedTaskType": ttype, "_kind": kind, "_tpl": "%s/%s/%d" % (ttype, kind, idx)})
    return out


def latency_value(r, rec):
    interactive = rec["costCenter"] == "support-bot" or rec["expectedTaskType"] in ("CONVERSATION", "CLASSIFICATION")
    if interactive:
        return r.choice([300, 400, 500, 750, 800, 1000, 1200, 1500, 2000, 2500, 3000, 5000])
    return r.choice([1500, 2000, 3000, 5000, 8000, 10000, 12000, 15000, 20000, 25000, 30000])


def generate():
    r = random.Random(SEED)
    seen = set()
    records = []
    for ttype in TASK_TYPES:
        n = MIX[ttype]
        n_sov, n_sens = SOVEREIGN[ttype], SENSITIVE[ttype]
        records += build_group(r, ttype, T[ttype], n - n_sov - n_sens, seen, "regular")
        if n_sov:
            records += build_group(r, ttype, SOVEREIGN_T[ttype], n_sov, seen, "sovereign")
        if n_sens:
            records += build_group(r, ttype, SENSITIVE_T[ttype], n_sens, seen, "sensitive")

    for rec in records:
        rec["requiresDataSovereignty"] = rec["_kind"] == "sovereign"

    # latency budgets: interactive traffic is more likely to carry one
    w = [4 if rec["costCenter"] == "support-bot" else 2 if rec["expectedTaskType"] in ("CONVERSATION", "CLASSIFICATION") else 1
         for rec in records]
    for i in weighted_sample(r, len(records), w, N_LATENCY):
        records[i]["latencyBudgetMs"] = latency_value(r, records[i])

    # task type hints: mostly set by automated pipelines
    hint_w = {"ci-agents": 4, "data-pipeline": 4, "platform-eng": 1, "docs-team": 1, "support-bot": 1}
    invalid_slots = []
    for want_type, bad in INVALID_HINTS:
        cands = [i for i, rec in enumerate(records) if rec["expectedTaskType"] == want_type and "taskTypeHint" not in rec]
        i = r.choice(cands)
        records[i]["taskTypeHint"] = bad
        invalid_slots.append(i)
    rest = [i for i in range(len(records)) if i not in invalid_slots]
    for i in weighted_sample(r, len(rest), [hint_w[records[j]["costCenter"]] for j in rest], N_HINT - len(INVALID_HINTS)):
        records[rest[i]]["taskTypeHint"] = records[rest[i]]["expectedTaskType"]

    r.shuffle(records)
    out = []
    for rec in records:
        o = collections.OrderedDict()
        o["prompt"] = rec["prompt"]
        o["costCenter"] = rec["costCenter"]
        o["requiresDataSovereignty"] = rec["requiresDataSovereignty"]
        if "latencyBudgetMs" in rec:
            o["latencyBudgetMs"] = rec["latencyBudgetMs"]
        if "taskTypeHint" in rec:
            o["taskTypeHint"] = rec["taskTypeHint"]
        o["expectedTaskType"] = rec["expectedTaskType"]
        out.append((o, rec["_kind"], rec["_tpl"]))
    return out


def weighted_sample(r, n, weights, k):
    """k distinct indices out of range(n), drawn without replacement proportional to weights."""
    keyed = sorted(range(n), key=lambda i: r.random() ** (1.0 / weights[i]), reverse=True)
    return sorted(keyed[:k])


def serialize(objs):
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs)


# --------------------------------------------------------------------------------------------
# Validation and statistics (computed from the file's lines)
# --------------------------------------------------------------------------------------------
FIELDS = {"prompt", "costCenter", "requiresDataSovereignty", "latencyBudgetMs", "taskTypeHint", "expectedTaskType"}


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def validate(rows):
    errors = []
    for n, o in enumerate(rows, 1):
        if set(o) - FIELDS:
            errors.append("line %d: unexpected fields %s" % (n, sorted(set(o) - FIELDS)))
        if not isinstance(o.get("prompt"), str) or not o["prompt"].strip():
            errors.append("line %d: prompt" % n)
        if o.get("costCenter") not in COST_CENTERS:
            errors.append("line %d: costCenter" % n)
        if not isinstance(o.get("requiresDataSovereignty"), bool):
            errors.append("line %d: requiresDataSovereignty" % n)
        if "latencyBudgetMs" in o:
            v = o["latencyBudgetMs"]
            if not (isinstance(v, int) and not isinstance(v, bool) and 300 <= v <= 30000):
                errors.append("line %d: latencyBudgetMs" % n)
        if "taskTypeHint" in o and not isinstance(o["taskTypeHint"], str):
            errors.append("line %d: taskTypeHint" % n)
        if o.get("expectedTaskType") not in TASK_TYPES:
            errors.append("line %d: expectedTaskType" % n)
    return errors


def stats(rows):
    s = collections.OrderedDict()
    s["lines"] = len(rows)
    s["distinct_prompts"] = len({o["prompt"] for o in rows})
    s["task_type"] = collections.Counter(o["expectedTaskType"] for o in rows)
    s["cost_center"] = collections.Counter(o["costCenter"] for o in rows)
    s["cc_by_type"] = collections.Counter((o["costCenter"], o["expectedTaskType"]) for o in rows)
    s["sovereign"] = sum(o["requiresDataSovereignty"] for o in rows)
    sens = [o for o in rows if sensitive_hits(o["prompt"])]
    s["sensitive"] = len(sens)
    s["sensitive_and_sovereign"] = sum(o["requiresDataSovereignty"] for o in sens)
    s["sensitive_kinds"] = collections.Counter(k for o in sens for k in {k for k, _ in sensitive_hits(o["prompt"])})
    lat = [o["latencyBudgetMs"] for o in rows if "latencyBudgetMs" in o]
    s["latency"] = len(lat)
    s["latency_min_median_max"] = (min(lat), sorted(lat)[len(lat) // 2], max(lat)) if lat else None
    hinted = [o for o in rows if "taskTypeHint" in o]
    s["hinted"] = len(hinted)
    s["hint_equals_expected"] = sum(o["taskTypeHint"] == o["expectedTaskType"] for o in hinted)
    s["hint_invalid"] = sorted("%s (expected %s)" % (o["taskTypeHint"], o["expectedTaskType"]) for o in hinted if o["taskTypeHint"] not in TASK_TYPES)
    s["hint_valid_but_different"] = sum(o["taskTypeHint"] in TASK_TYPES and o["taskTypeHint"] != o["expectedTaskType"] for o in hinted)
    lines = sorted(o["prompt"].count("\n") + 1 for o in rows)
    chars = sorted(len(o["prompt"]) for o in rows)
    s["prompt_lines_min_median_p90_max"] = (lines[0], lines[len(lines) // 2], lines[int(len(lines) * 0.9)], lines[-1])
    s["prompt_chars_min_median_p90_max"] = (chars[0], chars[len(chars) // 2], chars[int(len(chars) * 0.9)], chars[-1])
    s["prompts_40_plus_lines"] = sum(1 for x in lines if x >= 40)
    s["prompts_single_line"] = sum(1 for x in lines if x == 1)
    return s


def pct(n, total):
    return "%.1f %%" % (100.0 * n / total)


def readme(s, usage):
    total = s["lines"]
    out = []
    out.append("""# Reference workload

`reference.jsonl` is tiergate's reference workload: %(n)d inference requests, one JSON object per
line, each labelled with the task type a correct classifier should assign. It is meant for
replaying through the pipeline (classifier -> router -> workers -> ledger) and for measuring the
classifier: task-type accuracy, sensitive-data detection, sovereignty handling, hint handling.

The mix imitates field reports of agent pipelines: about 80 %% of requests are tasks a local
model handles well (classification, extraction, summarization, conversation, boilerplate), about
20 %% deserve a cloud model (implementation, code review, debugging, architecture).

## Line format

```json
{"prompt": "...", "costCenter": "support-bot", "requiresDataSovereignty": false, "latencyBudgetMs": 1500, "taskTypeHint": "CLASSIFICATION", "expectedTaskType": "CLASSIFICATION"}
```

| field | type | notes |
|---|---|---|
| `prompt` | string | the user/agent request, often with pasted material (logs, stack traces, diffs, CSV, JSON, emails, tickets, code) |
| `costCenter` | string | one of %(ccs)s |
| `requiresDataSovereignty` | boolean | `true` for healthcare / HR / payroll content that must stay local |
| `latencyBudgetMs` | integer, optional | 300..30000; absent on most lines |
| `taskTypeHint` | string, optional | an upstream hint; almost always equal to `expectedTaskType`, a few are not TaskType names (invalid-hint path) |
| `expectedTaskType` | string | ground truth, a `TaskType` symbol (never `UNKNOWN`) |

Task types, as labelled here:

| expectedTaskType | meaning |
|---|---|
| CLASSIFICATION | tagging, labelling, intent/priority/sentiment, yes/no decisions in workflows |
| EXTRACTION | parsing logs, stack traces, invoices; structured output from structured input; format conversion |
| SUMMARIZATION | summaries, digests, question answering from supplied context |
| CONVERSATION | chat, ideation, brainstorming, general knowledge questions |
| BOILERPLATE | scaffolding, records/DTOs, config files, test skeletons, standard patterns |
| IMPLEMENTATION | non-trivial feature or algorithm work, refactors, ports |
| CODE_REVIEW | PR/diff review for correctness, regression risk, security, test adequacy |
| DEBUGGING | multi-step causal diagnosis of observed failures |
| ARCHITECTURE | system structure, module placement, technology and consistency decisions |

Everything in the prompts is invented. A small share of lines deliberately contains *fake*
sensitive data without the sovereignty flag (see below); those values are documentation/test
values (Luhn-valid test cards such as `4111 1111 1111 1111`, the registry's example IBANs,
`sk-test-...` tokens, the AWS documentation key, HS256 JWTs signed with a throw-away secret,
addresses at `example.com/.org/.net`, `555-01xx` phone numbers).
""" % {"n": total, "ccs": ", ".join("`%s`" % c for c in COST_CENTERS)})

    out.append("## Mix (computed from `reference.jsonl`)\n")
    out.append("%d lines, %d distinct prompts.\n" % (total, s["distinct_prompts"]))
    out.append("### Task types\n\n| expectedTaskType | lines | share | tier |\n|---|---:|---:|---|")
    local = {"CLASSIFICATION", "EXTRACTION", "SUMMARIZATION", "CONVERSATION", "BOILERPLATE"}
    for t in TASK_TYPES:
        out.append("| %s | %d | %s | %s |" % (t, s["task_type"][t], pct(s["task_type"][t], total), "local-eligible" if t in local else "cloud-worthy"))
    nl = sum(s["task_type"][t] for t in local)
    out.append("| **local-eligible** | %d | %s | |\n| **cloud-worthy** | %d | %s | |\n" % (nl, pct(nl, total), total - nl, pct(total - nl, total)))

    out.append("### Cost centres\n\n| costCenter | lines | share |\n|---|---:|---:|")
    for c in COST_CENTERS:
        out.append("| %s | %d | %s |" % (c, s["cost_center"][c], pct(s["cost_center"][c], total)))
    out.append("\nLines per cost centre and task type:\n")
    out.append("| costCenter | " + " | ".join(t.replace("_", " ") for t in TASK_TYPES) + " |")
    out.append("|---|" + "---:|" * len(TASK_TYPES))
    for c in COST_CENTERS:
        out.append("| %s | %s |" % (c, " | ".join(str(s["cc_by_type"][(c, t)]) for t in TASK_TYPES)))
    out.append("")

    out.append("### Flags and optional fields\n\n| property | lines | share |\n|---|---:|---:|")
    out.append("| `requiresDataSovereignty: true` | %d | %s |" % (s["sovereign"], pct(s["sovereign"], total)))
    out.append("| fake sensitive data, not flagged sovereign | %d | %s |" % (s["sensitive"] - s["sensitive_and_sovereign"], pct(s["sensitive"] - s["sensitive_and_sovereign"], total)))
    out.append("| carries `latencyBudgetMs` | %d | %s |" % (s["latency"], pct(s["latency"], total)))
    out.append("| carries `taskTypeHint` | %d | %s |" % (s["hinted"], pct(s["hinted"], total)))
    out.append("| ... hint equal to `expectedTaskType` | %d | |" % s["hint_equals_expected"])
    out.append("| ... hint not a TaskType name (invalid) | %d | |" % len(s["hint_invalid"]))
    out.append("| ... hint a valid TaskType but different | %d | |" % s["hint_valid_but_different"])
    out.append("")
    out.append("Invalid hints: %s.\n" % ", ".join("`%s`" % h for h in s["hint_invalid"]))
    lmin, lmed, lmax = s["latency_min_median_max"]
    out.append("Latency budgets range from %d to %d ms (median %d); support-bot and conversational/classification lines get the tight ones.\n" % (lmin, lmax, lmed))
    out.append("Sensitive lines by kind of finding (a line can have several): %s.\n" % ", ".join(
        "%s %d" % (k, v) for k, v in sorted(s["sensitive_kinds"].items())))
    out.append("\"Sensitive\" means the prompt matches one of the detectors in `SENSITIVE_PATTERNS` in the generator "
               "(email address; phone number; 13-19 digit card number passing Luhn; IBAN passing mod-97; `sk-test-`/`sk-live-`/"
               "`AKIA`/`ghp_`/`xoxb-` tokens; JWT). The generator checks that exactly the lines it meant to be sensitive "
               "match, and that no sovereign or ordinary line does, so the detectors double as ground truth. "
               "Sovereign lines are identified by the flag alone.\n")
    pl = s["prompt_lines_min_median_p90_max"]
    pc = s["prompt_chars_min_median_p90_max"]
    out.append("### Prompt shape\n")
    out.append("- lines per prompt: min %d, median %d, p90 %d, max %d; %d single-line prompts, %d prompts of 40+ lines" % (pl + (s["prompts_single_line"], s["prompts_40_plus_lines"])))
    out.append("- characters per prompt: min %d, median %d, p90 %d, max %d\n" % pc)

    out.append("""## How it is made

`generate_reference.py` composes every prompt from hand-written building blocks: per task type
30-50 request phrasings (each tagged with the cost centres that would plausibly send it), separate
phrasings for sovereign and sensitive lines, and pools of pasted material - Java/Python/Node/Go
stack traces, application/nginx/postgres/GC logs, kubectl events, CI output, unified diffs with
real review findings, invoices, receipts, tickets, emails, CSV/JSON/YAML/XML, code in several
languages, runbooks, design-doc sections - whose filler values (names, ids, amounts, dates,
services) vary. All prompts are distinct. The order is a deterministic shuffle. All randomness
comes from one `random.Random(SEED)`.

Phrasings (regular + sovereign + sensitive) written and used per task type:

@@PHRASINGS@@

Regenerate (writes `reference.jsonl` and this README next to the script):

```sh
python3 workloads/generate_reference.py
```

Check that the committed file matches the generator, and print the statistics:

```sh
python3 workloads/generate_reference.py --check
python3 workloads/generate_reference.py --stats
```

To change the mix edit `MIX`, `SOVEREIGN`, `SENSITIVE`, `N_LATENCY`, `N_HINT`, `INVALID_HINTS` or
`CC_WEIGHTS` at the top of the script; to change the text, the phrasing lists `T`, `SOVEREIGN_T`,
`SENSITIVE_T` and the `GEN` pools.

## Caveats

- Task-type boundaries are fuzzy in places (e.g. "is this diff security-relevant? yes/no" is a
  CLASSIFICATION gate, not a CODE_REVIEW; "convert this curl to Python requests" is EXTRACTION as
  format conversion; "TypeScript interface for this JSON" is BOILERPLATE). The labels follow the
  definitions in the table above: a request is labelled by what it asks the model to do, not by
  the material pasted into it (a pasted stack trace can be EXTRACTION, SUMMARIZATION or
  DEBUGGING depending on the ask).
- Valid hints always equal `expectedTaskType`; only the invalid hints differ.
- The workload is synthetic. It is realistic in form, not a sample of real traffic.
""")
    text = "\n".join(out)
    rows = ["| task type | phrasings written | phrasings used |", "|---|---:|---:|"]
    for t in TASK_TYPES:
        rows.append("| %s | %d | %d |" % (t, usage[t][0], usage[t][1]))
    rows.append("| **total** | %d | %d |" % (sum(v[0] for v in usage.values()), sum(v[1] for v in usage.values())))
    return text.replace("@@PHRASINGS@@", "\n".join(rows))


def phrasing_usage(gen_out):
    used = collections.defaultdict(set)
    for _, _, tpl in gen_out:
        used[tpl.split("/")[0]].add(tpl)
    return {t: (len(T[t]) + len(SOVEREIGN_T.get(t, [])) + len(SENSITIVE_T.get(t, [])), len(used[t])) for t in TASK_TYPES}


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "reference.jsonl")
    if "--stats" in argv:
        rows = load(path)
        errs = validate(rows)
        for k, v in stats(rows).items():
            if k != "cc_by_type":
                print("%s: %s" % (k, dict(v) if isinstance(v, collections.Counter) else v))
        print("validation errors: %d" % len(errs))
        for e in errs[:20]:
            print("  " + e)
        return 1 if errs else 0

    gen_out = generate()
    objs = [o for o, _, _ in gen_out]
    # the sensitive detectors must fire on exactly the lines meant to be sensitive
    for o, kind, tpl in gen_out:
        hit = bool(sensitive_hits(o["prompt"]))
        if hit != (kind == "sensitive"):
            raise SystemExit("sensitive detector mismatch (%s, %s): %r / %r" % (kind, tpl, sensitive_hits(o["prompt"]), o["prompt"][:300]))
    text = serialize(objs)
    rows = [json.loads(l) for l in text.splitlines()]
    errs = validate(rows)
    if errs:
        raise SystemExit("\n".join(errs[:20]))
    if "--check" in argv:
        with open(path, encoding="utf-8") as f:
            same = f.read() == text
        print("reference.jsonl is %s the generator output" % ("identical to" if same else "DIFFERENT from"))
        return 0 if same else 1
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    s = stats(load(path))
    with open(os.path.join(here, "README.md"), "w", encoding="utf-8") as f:
        f.write(readme(s, phrasing_usage(gen_out)))
    used = collections.Counter(tpl for _, _, tpl in gen_out)
    print("wrote %d lines (%d distinct prompts, %d phrasings used) to %s" % (len(objs), s["distinct_prompts"], len(used), path))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
