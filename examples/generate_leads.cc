// Writes realistic demo leads as JSON Lines, one lead object per line, for
// `leadroute route` and the benchmarks (examples/data/leads.jsonl).
//
//   example_generate_leads [--count N] [--seed S] [OUT.jsonl]   (default:
//   stdout)
//
// The mix is skewed the way inbound lead traffic is: the US, Germany and the
// UK dominate, software outnumbers every other industry, most scores are low
// and deal values have a long tail. About one lead in ten belongs to an
// account of examples/data/accounts.json (by email domain, some also by
// `account_id`), a few name an `owner`, some lack fields, and a few lead ids
// repeat as retries. The output depends only on the seed: the generator uses
// its own splitmix64, never <random>'s distributions (they differ between
// standard libraries).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double Uniform() {
    return static_cast<double>(Next() >> 11) * 0x1.0p-53;
  }  // [0, 1)
  bool Chance(double p) { return Uniform() < p; }
  int Between(int lo, int hi) {  // inclusive
    return lo + static_cast<int>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Next() % items.size()];
  }
  // Picks from items that have a `weight` member.
  template <typename T>
  const T& Weighted(const std::vector<T>& items) {
    double total = 0;
    for (const auto& item : items) total += item.weight;
    double x = Uniform() * total;
    for (const auto& item : items) {
      if ((x -= item.weight) < 0) return item;
    }
    return items.back();
  }

 private:
  uint64_t state_;
};

struct Choice {
  const char* name;
  double weight;
};

struct State {
  const char* code;
  double weight;
  std::vector<const char*> zip_prefixes;  // first two digits
  std::vector<const char*> cities;
};

struct Country {
  const char* code;
  double weight;
  const char* region;
  std::vector<Choice> languages;
  const char* tld;
  int utc_offset;  // hours, roughly, for business-hour timestamps
  std::vector<const char*> cities;
};

struct Account {
  const char* id;
  const char* name;
  const char* domain;
  const char* country;
  int min_employees;
  int max_employees;
  double weight;
};

// Accounts of examples/data/accounts.json that leads come from.
const std::vector<Account> kAccounts = {
    {"contoso", "Contoso Ltd", "contoso.com", "US", 20000, 60000, 4},
    {"contoso-europe", "Contoso Europe", "contoso.eu", "NL", 3000, 8000, 1.5},
    {"contoso-gmbh", "Contoso Deutschland GmbH", "contoso.de", "DE", 1500, 4000,
     2},
    {"contoso-munich", "Contoso Engineering Munich", "muc.contoso.de", "DE",
     300, 900, 1},
    {"contoso-uk", "Contoso UK", "contoso.co.uk", "GB", 2000, 5000, 1.5},
    {"contoso-retail", "Contoso Retail", "contosoretail.com", "US", 3000, 9000,
     1.5},
    {"contoso-japan", "Contoso Japan KK", "contoso.jp", "JP", 800, 2500, 1},
    {"fabrikam", "Fabrikam Inc", "fabrikam.com", "US", 12000, 30000, 3},
    {"fabrikam-cloud", "Fabrikam Cloud Services", "fabrikam.cloud", "US", 2000,
     6000, 1.5},
    {"fabrikam-labs", "Fabrikam Labs", "fabrikamlabs.io", "US", 80, 300, 1},
    {"fabrikam-india", "Fabrikam India Pvt Ltd", "fabrikam.in", "IN", 1500,
     5000, 1},
    {"woodgrove", "Woodgrove Bank", "woodgrovebank.com", "US", 30000, 70000, 3},
    {"woodgrove-wealth", "Woodgrove Wealth Management", "woodgrovewealth.com",
     "US", 1000, 3000, 1},
    {"woodgrove-uk", "Woodgrove Bank UK", "woodgrovebank.co.uk", "GB", 2000,
     6000, 1},
    {"tailspin", "Tailspin Toys", "tailspintoys.com", "US", 5000, 15000, 2},
    {"tailspin-eu", "Tailspin Toys Europe", "tailspin.eu", "BE", 1000, 3000, 1},
    {"tailspin-fr", "Tailspin Toys France", "tailspin.fr", "FR", 400, 1200, 1},
    {"adventure-works", "Adventure Works", "adventure-works.com", "US", 6000,
     20000, 2},
    {"adventure-works-cycles", "Adventure Works Cycles",
     "adventureworkscycles.com", "CA", 500, 1500, 1},
    {"proseware", "Proseware Inc", "proseware.com", "GB", 4000, 12000, 1.5},
    {"proseware-de", "Proseware GmbH", "proseware.de", "DE", 600, 1800, 1},
    {"northwind", "Northwind Traders", "northwindtraders.com", "DE", 8000,
     25000, 2},
    {"northwind-at", "Northwind Traders Austria", "northwind.at", "AT", 300,
     1200, 1},
    {"northwind-ch", "Northwind Traders Schweiz", "northwind.ch", "CH", 300,
     1000, 1},
    {"relecloud", "Relecloud", "relecloud.com", "SG", 5000, 15000, 1.5},
    {"relecloud-au", "Relecloud Australia", "relecloud.com.au", "AU", 800, 2500,
     1},
    {"relecloud-sg", "Relecloud Singapore", "relecloud.sg", "SG", 500, 2000, 1},
    {"wide-world-importers", "Wide World Importers", "wideworldimporters.com",
     "GB", 3000, 9000, 1.5},
    {"wide-world-importers-apac", "Wide World Importers APAC",
     "wideworldimporters.com.au", "AU", 400, 1500, 1},
    {"blue-yonder", "Blue Yonder Airlines", "blueyonderairlines.com", "US",
     15000, 40000, 2},
    {"blue-yonder-cargo", "Blue Yonder Cargo", "byacargo.com", "US", 1500, 4000,
     1},
    {"adatum", "A. Datum Corporation", "adatum.com", "US", 10000, 30000, 2},
    {"adatum-health", "A. Datum Health", "adatumhealth.com", "US", 2000, 7000,
     1},
    {"wingtip", "Wingtip Toys", "wingtiptoys.com", "US", 2500, 6000, 1},
    {"litware", "Litware Inc", "litwareinc.com", "US", 3000, 8000, 1},
    {"trey-research", "Trey Research", "treyresearch.net", "US", 2000, 5000, 1},
    {"lucerne", "Lucerne Publishing", "lucernepublishing.com", "US", 2000, 6000,
     1},
    {"alpine-ski-house", "Alpine Ski House", "alpineskihouse.com", "CH", 2000,
     4000, 1},
    {"coho-winery", "Coho Winery", "cohowinery.com", "US", 2000, 3500, 1},
    {"fourth-coffee", "Fourth Coffee", "fourthcoffee.com", "US", 4000, 12000,
     1},
    {"vanarsdel", "VanArsdel Ltd", "vanarsdel.com", "FR", 3000, 9000, 1},
};

const std::vector<Country> kCountries = {
    {"US", 38, "NA", {{"en", 92}, {"es", 8}}, "com", -6, {}},
    {"DE",
     10,
     "EMEA",
     {{"de", 85}, {"en", 15}},
     "de",
     1,
     {"Berlin", "Munich", "Hamburg", "Frankfurt", "Cologne", "Stuttgart",
      "Leipzig"}},
    {"GB",
     9,
     "EMEA",
     {{"en", 100}},
     "co.uk",
     0,
     {"London", "Manchester", "Birmingham", "Leeds", "Edinburgh", "Bristol",
      "Cambridge"}},
    {"IN",
     6,
     "APAC",
     {{"en", 88}, {"hi", 12}},
     "in",
     5,
     {"Bengaluru", "Mumbai", "Pune", "Hyderabad", "Chennai", "Delhi"}},
    {"FR",
     5,
     "EMEA",
     {{"fr", 90}, {"en", 10}},
     "fr",
     1,
     {"Paris", "Lyon", "Toulouse", "Nantes", "Lille", "Bordeaux"}},
    {"AU",
     4.5,
     "APAC",
     {{"en", 100}},
     "com.au",
     10,
     {"Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide"}},
    {"CA",
     4,
     "NA",
     {{"en", 80}, {"fr", 20}},
     "ca",
     -5,
     {"Toronto", "Montreal", "Vancouver", "Calgary", "Ottawa"}},
    {"NL",
     2.5,
     "EMEA",
     {{"nl", 50}, {"en", 50}},
     "nl",
     1,
     {"Amsterdam", "Rotterdam", "Utrecht", "Eindhoven"}},
    {"SG", 2.5, "APAC", {{"en", 85}, {"zh", 15}}, "sg", 8, {"Singapore"}},
    {"ES",
     2,
     "EMEA",
     {{"es", 90}, {"en", 10}},
     "es",
     1,
     {"Madrid", "Barcelona", "Valencia", "Seville"}},
    {"JP",
     2,
     "APAC",
     {{"ja", 85}, {"en", 15}},
     "jp",
     9,
     {"Tokyo", "Osaka", "Yokohama"}},
    {"BR",
     2,
     "LATAM",
     {{"pt", 90}, {"en", 10}},
     "com.br",
     -3,
     {"Sao Paulo", "Rio de Janeiro", "Belo Horizonte"}},
    {"AT",
     1.5,
     "EMEA",
     {{"de", 90}, {"en", 10}},
     "at",
     1,
     {"Vienna", "Graz", "Linz", "Salzburg"}},
    {"CH",
     1.5,
     "EMEA",
     {{"de", 65}, {"fr", 25}, {"en", 10}},
     "ch",
     1,
     {"Zurich", "Geneva", "Basel", "Bern", "Lausanne"}},
    {"IT",
     1.5,
     "EMEA",
     {{"it", 90}, {"en", 10}},
     "it",
     1,
     {"Milan", "Rome", "Turin", "Bologna"}},
    {"MX",
     1.2,
     "LATAM",
     {{"es", 95}, {"en", 5}},
     "mx",
     -6,
     {"Mexico City", "Guadalajara", "Monterrey"}},
    {"SE",
     1,
     "EMEA",
     {{"sv", 40}, {"en", 60}},
     "se",
     1,
     {"Stockholm", "Gothenburg", "Malmo"}},
    {"IE", 1, "EMEA", {{"en", 100}}, "ie", 0, {"Dublin", "Cork", "Galway"}},
    {"BE",
     0.8,
     "EMEA",
     {{"fr", 45}, {"nl", 40}, {"en", 15}},
     "be",
     1,
     {"Brussels", "Antwerp", "Ghent"}},
    {"ZA",
     0.8,
     "MEA",
     {{"en", 100}},
     "co.za",
     2,
     {"Johannesburg", "Cape Town", "Durban"}},
    {"AE",
     0.7,
     "MEA",
     {{"en", 85}, {"ar", 15}},
     "ae",
     4,
     {"Dubai", "Abu Dhabi"}},
    {"PL",
     0.6,
     "EMEA",
     {{"pl", 60}, {"en", 40}},
     "pl",
     1,
     {"Warsaw", "Krakow", "Wroclaw"}},
    {"KR",
     0.6,
     "APAC",
     {{"ko", 80}, {"en", 20}},
     "co.kr",
     9,
     {"Seoul", "Busan"}},
    {"NZ", 0.6, "APAC", {{"en", 100}}, "co.nz", 12, {"Auckland", "Wellington"}},
    {"DK",
     0.5,
     "EMEA",
     {{"en", 70}, {"da", 30}},
     "dk",
     1,
     {"Copenhagen", "Aarhus"}},
    {"IL",
     0.5,
     "MEA",
     {{"en", 80}, {"he", 20}},
     "co.il",
     2,
     {"Tel Aviv", "Haifa"}},
    {"AR",
     0.4,
     "LATAM",
     {{"es", 100}},
     "com.ar",
     -3,
     {"Buenos Aires", "Cordoba"}},
    {"NO", 0.4, "EMEA", {{"en", 60}, {"no", 40}}, "no", 1, {"Oslo", "Bergen"}},
    {"FI",
     0.3,
     "EMEA",
     {{"en", 70}, {"fi", 30}},
     "fi",
     2,
     {"Helsinki", "Espoo"}},
    {"PT", 0.3, "EMEA", {{"pt", 80}, {"en", 20}}, "pt", 0, {"Lisbon", "Porto"}},
    {"HK", 0.3, "APAC", {{"en", 60}, {"zh", 40}}, "hk", 8, {"Hong Kong"}},
    {"CO", 0.3, "LATAM", {{"es", 100}}, "com.co", -5, {"Bogota", "Medellin"}},
};

const std::vector<State> kUsStates = {
    {"CA",
     20,
     {"94", "95", "94", "90", "91", "92", "93"},
     {"San Francisco", "Oakland", "San Jose", "Palo Alto", "Los Angeles",
      "San Diego", "Irvine"}},
    {"NY",
     11,
     {"10", "11", "12", "13", "14"},
     {"New York", "Brooklyn", "Albany", "Rochester"}},
    {"TX",
     10,
     {"75", "76", "77", "78", "79"},
     {"Austin", "Dallas", "Houston", "San Antonio"}},
    {"FL",
     6,
     {"32", "33", "34"},
     {"Miami", "Tampa", "Orlando", "Jacksonville"}},
    {"MA", 5, {"01", "02"}, {"Boston", "Cambridge", "Worcester"}},
    {"WA", 5, {"98", "99"}, {"Seattle", "Bellevue", "Redmond", "Spokane"}},
    {"IL", 5, {"60", "61", "62"}, {"Chicago", "Evanston", "Naperville"}},
    {"NJ", 3.5, {"07", "08"}, {"Newark", "Jersey City", "Princeton"}},
    {"GA", 3.5, {"30", "31"}, {"Atlanta", "Savannah"}},
    {"PA", 3.5, {"15", "16", "17", "18", "19"}, {"Philadelphia", "Pittsburgh"}},
    {"CO", 3, {"80", "81"}, {"Denver", "Boulder"}},
    {"NC", 3, {"27", "28"}, {"Raleigh", "Charlotte", "Durham"}},
    {"VA", 3, {"20", "22", "23", "24"}, {"Arlington", "Richmond", "Reston"}},
    {"OR", 2, {"97"}, {"Portland", "Eugene"}},
    {"AZ", 2, {"85", "86"}, {"Phoenix", "Tucson"}},
    {"MN", 2, {"55", "56"}, {"Minneapolis", "St. Paul"}},
    {"OH", 2, {"43", "44", "45"}, {"Columbus", "Cleveland", "Cincinnati"}},
    {"MI", 2, {"48", "49"}, {"Detroit", "Ann Arbor"}},
    {"TN", 1.5, {"37", "38"}, {"Nashville", "Memphis"}},
    {"UT", 1, {"84"}, {"Salt Lake City", "Provo"}},
    {"NV", 1, {"89"}, {"Las Vegas", "Reno"}},
    {"CT", 1, {"06"}, {"Hartford", "Stamford"}},
};

const std::vector<Choice> kCanadianProvinces = {
    {"ON", 45}, {"QC", 25}, {"BC", 18}, {"AB", 12}};

const std::vector<Choice> kIndustries = {
    {"software", 28},   {"financial-services", 12},
    {"healthcare", 10}, {"manufacturing", 10},
    {"retail", 9},      {"logistics", 5},
    {"education", 5},   {"media", 4},
    {"energy", 3},      {"telecom", 3},
    {"insurance", 3},   {"public-sector", 3},
    {"hospitality", 2}, {"nonprofit", 1.5},
};

const std::vector<Choice> kSources = {
    {"web", 38},   {"outbound", 15}, {"partner", 12}, {"webinar", 10},
    {"event", 10}, {"chat", 8},      {"referral", 7},
};

const std::vector<Choice> kProducts = {
    {"crm", 50},       {"marketing", 20}, {"service", 18},
    {"analytics", 15}, {"cpq", 10},       {"platform", 8},
};

const std::vector<Choice> kUseCases = {
    {"evaluation", 25},    {"replacement", 15}, {"integration", 10},
    {"reporting", 12},     {"automation", 12},  {"api", 8},
    {"data-migration", 6}, {"support", 6},      {"onboarding", 6},
};

struct SizeBand {
  int min;
  int max;
  double weight;
};
const std::vector<SizeBand> kSizes = {
    {1, 10, 8},      {11, 50, 15},      {51, 199, 17},
    {200, 499, 16},  {500, 999, 12},    {1000, 1999, 10},
    {2000, 4999, 5}, {5000, 9999, 2.5}, {10000, 50000, 1.5},
};

const std::vector<const char*> kFirstNames = {
    "james", "maria", "wei",    "anna",  "lukas",  "sofia",  "noah",   "emma",
    "arjun", "chloe", "mateo",  "yuki",  "oliver", "fatima", "liam",   "hannah",
    "david", "priya", "samuel", "julia", "ethan",  "aisha",  "leon",   "nora",
    "marco", "elena", "hugo",   "mia",   "omar",   "sara",   "thomas", "ines",
    "kenji", "laura", "felix",  "ava",   "raj",    "clara",  "diego",  "lea"};
const std::vector<const char*> kLastNames = {
    "smith",  "mueller",  "chen",    "garcia",  "patel",  "martin",
    "kim",    "rossi",    "dubois",  "novak",   "jones",  "schmidt",
    "nguyen", "silva",    "tanaka",  "johnson", "weber",  "kumar",
    "lopez",  "brown",    "fischer", "singh",   "moreau", "wilson",
    "costa",  "hoffmann", "lee",     "taylor",  "sato",   "andersen"};
const std::vector<const char*> kNameWords = {
    "blue",   "harbor", "summit",  "pixel",   "north",   "bright",
    "iron",   "cedar",  "quantum", "river",   "atlas",   "nova",
    "orbit",  "vertex", "maple",   "falcon",  "granite", "lumen",
    "signal", "crest",  "delta",   "ember",   "zenith",  "willow",
    "apex",   "cobalt", "meadow",  "pioneer", "silver",  "terra"};
const std::vector<const char*> kNameSuffixes = {
    "labs",    "systems",   "works",  "group",     "solutions",
    "tech",    "logistics", "health", "analytics", "partners",
    "digital", "foods",     "energy", "media"};
const std::vector<const char*> kFreeMail = {"gmail.com", "outlook.com",
                                            "yahoo.com", "gmx.de", "proton.me"};

// Reps of examples/data/rules.json that leads may name as `owner`, by team.
const std::vector<const char*> kEmeaReps = {
    "lena.fischer", "jonas.becker",   "mia.wagner",
    "lukas.huber",  "claire.dubois",  "oliver.bennett",
    "emily.clarke", "sven.lindqvist", "isabel.garcia"};
const std::vector<const char*> kNaEastReps = {
    "daniel.brooks", "rachel.kim",   "michael.rossi",
    "ashley.turner", "kevin.nguyen", "sarah.mitchell"};
const std::vector<const char*> kNaWestReps = {
    "ethan.cole",   "chloe.wright", "maya.patel",   "ryan.foster",
    "zoe.martinez", "nathan.reed",  "carlos.mendes"};
const std::vector<const char*> kApacReps = {"wei.tan",     "mei.chen",
                                            "jack.wilson", "aarav.sharma",
                                            "ananya.iyer", "yuki.tanaka"};
const std::vector<const char*> kStrayOwners = {
    "klaus.meier", "tom.harris", "j.doe", "hannah.price", "marcus.webb"};
const std::vector<const char*> kPartnerManagers = {
    "grace.liu", "felix.braun", "amelia.scott", "paul.dupont"};

// One JSON object under construction: "key":value pairs in order.
class JsonLine {
 public:
  explicit JsonLine(std::string& out) : out_(out) {
    out_.clear();
    out_.push_back('{');
  }
  void String(const char* key, std::string_view value) {
    Key(key);
    Quote(value);
  }
  void Number(const char* key, int64_t value) {
    Key(key);
    out_ += std::to_string(value);
  }
  void List(const char* key, const std::vector<std::string>& values) {
    Key(key);
    out_.push_back('[');
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) out_.push_back(',');
      Quote(values[i]);
    }
    out_.push_back(']');
  }
  void Finish() { out_ += "}\n"; }

 private:
  void Key(const char* key) {
    if (out_.size() > 1) out_.push_back(',');
    Quote(key);
    out_.push_back(':');
  }
  void Quote(std::string_view s) {
    out_.push_back('"');
    for (char c : s) {
      if (c == '"' || c == '\\') out_.push_back('\\');
      out_.push_back(c);
    }
    out_.push_back('"');
  }
  std::string& out_;
};

std::string Digits(Rng& rng, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    s.push_back(static_cast<char>('0' + rng.Between(0, 9)));
  }
  return s;
}

std::string PostalCode(Rng& rng, const Country& country, const State* state) {
  std::string_view code = country.code;
  if (state != nullptr) return rng.Pick(state->zip_prefixes) + Digits(rng, 3);
  if (code == "DE") {
    // Munich (8xxxx) and the south are overrepresented, as in real data.
    static const std::vector<Choice> kFirst = {
        {"0", 5},  {"1", 12}, {"2", 12}, {"3", 7},  {"4", 11},
        {"5", 10}, {"6", 12}, {"7", 10}, {"8", 14}, {"9", 7}};
    return rng.Weighted(kFirst).name + Digits(rng, 4);
  }
  if (code == "FR" || code == "ES" || code == "IT") {
    return Digits(rng, 5);
  }
  if (code == "AT" || code == "CH" || code == "AU" || code == "DK" ||
      code == "NO" || code == "BE" || code == "NZ") {
    return std::to_string(rng.Between(1000, 9999));
  }
  if (code == "GB") {
    static const std::vector<const char*> kOutward = {
        "EC1A", "SW1A", "W1D", "E14", "M1", "B1", "LS1", "EH1", "BS1", "CB2"};
    return std::string(rng.Pick(kOutward)) + " " +
           std::to_string(rng.Between(1, 9)) + "AB";
  }
  if (code == "IN") return std::to_string(rng.Between(110001, 600099));
  if (code == "CA") return "M5V " + std::to_string(rng.Between(1, 9)) + "A1";
  if (code == "SG" || code == "JP" || code == "BR") return Digits(rng, 6);
  return {};  // other countries: no postal code
}

std::string CompanyName(Rng& rng, std::string& slug) {
  std::string a = rng.Pick(kNameWords);
  std::string b = rng.Pick(kNameWords);
  std::string suffix = rng.Pick(kNameSuffixes);
  slug = a + b;
  std::string name = a + b + " " + suffix;
  name[0] = static_cast<char>(name[0] - 'a' + 'A');
  name[a.size() + b.size() + 1] =
      static_cast<char>(name[a.size() + b.size() + 1] - 'a' + 'A');
  if (rng.Chance(0.3)) slug += suffix;
  return name;
}

std::string Timestamp(Rng& rng, int utc_offset) {
  // Monday 2024-06-03 to Friday 2024-06-07, mostly local business hours.
  int day = rng.Between(0, 4);
  int local_hour = rng.Chance(0.82) ? rng.Between(8, 17) : rng.Between(0, 23);
  int minute = rng.Between(0, 59);
  int hour = local_hour - utc_offset;
  if (hour < 0) {
    hour += 24;
    --day;  // the day before in UTC; Sunday 2 June at the earliest
  } else if (hour >= 24) {
    hour -= 24;
    ++day;
  }
  std::array<char, 64> buf;
  std::snprintf(buf.data(), buf.size(), "2024-06-%02dT%02d:%02d:%02dZ", 3 + day,
                hour, minute, rng.Between(0, 59));
  return buf.data();
}

int Employees(Rng& rng) {
  const SizeBand& band = rng.Weighted(kSizes);
  // Log-uniform inside the band: small companies are more common.
  double lo = std::log(static_cast<double>(band.min));
  double hi = std::log(static_cast<double>(band.max) + 1);
  int n = static_cast<int>(std::exp(lo + rng.Uniform() * (hi - lo)));
  return n < band.min ? band.min : (n > band.max ? band.max : n);
}

// Builds the JSON line of lead number `n`.
void MakeLead(Rng& rng, int n, std::string& out) {
  const Account* account = nullptr;
  bool account_id_only = false;
  if (rng.Chance(0.11)) {
    account = &rng.Weighted(kAccounts);
    account_id_only = rng.Chance(0.15);
  }
  const Country* country = &rng.Weighted(kCountries);
  if (account != nullptr) {
    for (const auto& c : kCountries) {
      if (std::strcmp(c.code, account->country) == 0) country = &c;
    }
  }
  const State* state = nullptr;
  std::string province;
  if (std::strcmp(country->code, "US") == 0) {
    state = &rng.Weighted(kUsStates);
  } else if (std::strcmp(country->code, "CA") == 0) {
    province = rng.Weighted(kCanadianProvinces).name;
  }

  std::string first = rng.Pick(kFirstNames);
  std::string last = rng.Pick(kLastNames);
  std::string company;
  std::string domain;
  if (account != nullptr) {
    company = account->name;
    domain = account->domain;
  } else {
    std::string slug;
    company = CompanyName(rng, slug);
    domain = slug + "." + (rng.Chance(0.25) ? "io" : country->tld);
  }
  std::string email_domain =
      account == nullptr && rng.Chance(0.08) ? rng.Pick(kFreeMail) : domain;
  const Choice& source = rng.Weighted(kSources);
  bool missing_country = account == nullptr && rng.Chance(0.03);

  std::array<char, 16> id;
  std::snprintf(id.data(), id.size(), "L-%06d", n);
  JsonLine lead(out);
  lead.String("id", id.data());
  lead.String("created_at", Timestamp(rng, country->utc_offset));
  lead.String("source", source.name);
  if (!account_id_only) {
    lead.String("email", first + "." + last + "@" + email_domain);
  }
  lead.String("company", company);
  if (!account_id_only && (email_domain != domain || rng.Chance(0.7))) {
    lead.String("domain", domain);
  }
  if (account != nullptr && (account_id_only || rng.Chance(0.3))) {
    lead.String("account_id", account->id);
  }
  if (!missing_country) {
    lead.String("country", country->code);
    if (state != nullptr) {
      lead.String("state", state->code);
    } else if (!province.empty()) {
      lead.String("state", province);
    }
    std::string postal = PostalCode(rng, *country, state);
    if (!postal.empty() && rng.Chance(0.9)) lead.String("postal_code", postal);
    if (state != nullptr) {
      lead.String("city", rng.Pick(state->cities));
    } else if (!country->cities.empty()) {
      lead.String("city", rng.Pick(country->cities));
    }
    if (rng.Chance(0.95)) lead.String("region", country->region);
  }
  if (rng.Chance(0.95)) lead.String("industry", rng.Weighted(kIndustries).name);
  int employees = account != nullptr ? rng.Between(account->min_employees,
                                                   account->max_employees)
                                     : Employees(rng);
  bool has_employees = account != nullptr || rng.Chance(0.94);
  if (has_employees) lead.Number("employees", employees);
  // Most scores are low; a few leads are hot.
  if (rng.Chance(0.96)) {
    lead.Number("score", std::lround(100 * std::pow(rng.Uniform(), 1.8)));
  }
  if (rng.Chance(0.65)) {
    // Deal values grow with company size and have a Pareto tail.
    double base = 2500 * std::pow(1 + employees / 150.0, 0.6);
    double tail = std::pow(1 - rng.Uniform(), -1 / 1.4);
    if (rng.Chance(0.03)) tail *= 12;  // the occasional whale
    double value = std::min(base * tail, 3000000.0);
    lead.Number("deal_value", std::lround(value / 500) * 500);
  }
  if (rng.Chance(0.9)) {
    std::vector<std::string> products = {rng.Weighted(kProducts).name};
    while (products.size() < 3 && rng.Chance(0.35)) {
      std::string p = rng.Weighted(kProducts).name;
      bool seen = false;
      for (const auto& q : products) seen = seen || q == p;
      if (!seen) products.push_back(p);
    }
    lead.List("products", products);
  }
  if (rng.Chance(0.9)) {
    lead.String("language", rng.Weighted(country->languages).name);
  }
  if (rng.Chance(0.8)) lead.String("use_case", rng.Weighted(kUseCases).name);
  if (std::strcmp(source.name, "partner") == 0) {
    lead.String("partner_id",
                rng.Chance(0.9) ? "P-" + std::to_string(rng.Between(1000, 1999))
                                : "legacy-" + Digits(rng, 3));
    if (rng.Chance(0.35)) {
      lead.String("partner_manager", rng.Pick(kPartnerManagers));
    }
  }
  if (account == nullptr && rng.Chance(0.04)) {
    // An owner from an earlier touch: usually a rep of the lead's region,
    // sometimes someone elsewhere or gone, sometimes given by email.
    std::string_view region = country->region;
    const std::vector<const char*>* team =
        region == "EMEA"                                       ? &kEmeaReps
        : region == "APAC"                                     ? &kApacReps
        : state != nullptr && state->zip_prefixes[0][0] == '9' ? &kNaWestReps
                                                               : &kNaEastReps;
    std::string owner =
        rng.Chance(0.8) ? rng.Pick(*team) : rng.Pick(kStrayOwners);
    if (rng.Chance(0.2)) owner += "@cumulus.example";
    lead.String("owner", owner);
  }
  lead.Finish();
}

}  // namespace

int main(int argc, char** argv) {
  int64_t count = 10000;
  uint64_t seed = 20240603;
  const char* path = nullptr;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if ((arg == "--count" || arg == "--seed") && i + 1 < argc) {
      char* end = nullptr;
      uint64_t v = std::strtoull(argv[++i], &end, 10);
      if (*end != '\0') {
        std::fprintf(stderr, "%s: not a number: %s\n", argv[0], argv[i]);
        return 2;
      }
      if (arg == "--count") {
        count = static_cast<int64_t>(v);
      } else {
        seed = v;
      }
    } else if (arg == "-h" || arg == "--help") {
      std::printf("usage: %s [--count N] [--seed S] [OUT.jsonl]\n", argv[0]);
      return 0;
    } else if (path == nullptr && !arg.starts_with("--")) {
      path = argv[i];
    } else {
      std::fprintf(stderr, "usage: %s [--count N] [--seed S] [OUT.jsonl]\n",
                   argv[0]);
      return 2;
    }
  }
  std::FILE* out = path == nullptr ? stdout : std::fopen(path, "wb");
  if (out == nullptr) {
    std::fprintf(stderr, "%s: cannot write %s\n", argv[0], path);
    return 1;
  }

  Rng rng(seed);
  std::vector<std::string> written;  // earlier lines, for retries
  written.reserve(static_cast<size_t>(count));
  std::string line;
  int next_id = 1;
  for (int64_t i = 0; i < count; ++i) {
    // A few leads arrive twice: a form resubmitted or a webhook retried.
    if (written.size() > 100 && rng.Chance(0.004)) {
      line = written[written.size() - 1 - rng.Next() % 100];
    } else {
      MakeLead(rng, next_id++, line);
      written.push_back(line);
    }
    std::fputs(line.c_str(), out);
  }
  if (std::fflush(out) != 0 || (out != stdout && std::fclose(out) != 0)) {
    std::fprintf(stderr, "%s: write failed\n", argv[0]);
    return 1;
  }
  return 0;
}
