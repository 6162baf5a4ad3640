// A/B test: round robin against least loaded on a seeded stream of demo
// leads (docs/cookbook/experiments.md). Each lead lands in a variant by a
// stable hash of its id; a simulated sales process closes every lead a few
// leads later as converted or lost (the least-loaded arm converts a little
// better, as if reps with fewer open leads answered faster), reports it with
// Router::RecordOutcome, and tallies the outcome under the decision's
// variant. Prints the split and the conversion per variant.
//
//   example_ab_test [--leads N] [--seed S]      (defaults: 4000, 7)
//
// The output depends only on the seed: the RNG is our own splitmix64.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <string>

#include "leadroute/leadroute.h"
#include "leadroute/testing.h"

namespace lr = leadroute;

namespace {

constexpr char kRules[] = R"({
  "teams": [{"id": "inbound"}],
  "reps": [
    {"id": "ana", "teams": ["inbound"], "capacity": {"max_open": 12}},
    {"id": "ben", "teams": ["inbound"], "capacity": {"max_open": 12}},
    {"id": "cy", "teams": ["inbound"], "capacity": {"max_open": 12}},
    {"id": "dee", "teams": ["inbound"], "capacity": {"max_open": 12}},
    {"id": "eli", "teams": ["inbound"], "capacity": {"max_open": 12}},
    {"id": "fay", "teams": ["inbound"], "capacity": {"max_open": 12}}
  ],
  "rules": [
    {
      "id": "inbound",
      "pool": {"teams": ["inbound"]},
      "on_empty": "fallback",
      "steps": [
        {
          "strategy": "experiment",
          "id": "rr-vs-ll",
          "salt": "2026q4",
          "variants": [
            {"name": "control", "share": 50, "steps": [{"strategy": "round_robin"}]},
            {"name": "least_loaded", "share": 50, "steps": [{"strategy": "least_loaded"}]}
          ]
        }
      ]
    }
  ],
  "fallback": {"queue": "overflow"}
})";

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  int Below(int n) {
    return static_cast<int>(Next() % static_cast<uint64_t>(n));
  }

 private:
  uint64_t state_;
};

// A demo lead: country and industry skewed like inbound traffic, and
// `score`.
lr::Lead DemoLead(int n, int score, Rng& rng) {
  static const char* const kCountries[] = {"US", "US", "US", "DE",
                                           "DE", "GB", "FR", "NL"};
  static const char* const kIndustries[] = {"software", "software", "retail",
                                            "finance", "manufacturing"};
  char id[32];
  std::snprintf(id, sizeof id, "L-%06d", n);
  return lr::testing::MakeLead(id, {{"country", kCountries[rng.Below(8)]},
                                    {"industry", kIndustries[rng.Below(5)]},
                                    {"score", score}});
}

struct Tally {
  int leads = 0;
  int converted = 0;
  int lost = 0;
  double value = 0;
};

struct Open {
  std::string lead_id;
  std::string variant;
  int score = 0;
};

}  // namespace

int main(int argc, char** argv) {
  int count = 4000;
  uint64_t seed = 7;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--leads") == 0) {
      count = std::atoi(argv[i + 1]);
    } else if (std::strcmp(argv[i], "--seed") == 0) {
      seed = std::strtoull(argv[i + 1], nullptr, 10);
    } else {
      std::fprintf(stderr, "usage: %s [--leads N] [--seed S]\n", argv[0]);
      return 2;
    }
  }
  auto rules = lr::RuleSet::FromJson(kRules);
  if (!rules.ok()) {
    std::fprintf(stderr, "%s\n", rules.status().ToString().c_str());
    return 1;
  }
  lr::Router router = lr::Router::Create(*rules).value();
  Rng rng(seed);

  std::map<std::string, Tally> by_variant;
  std::deque<Open> open;  // routed, not closed yet, oldest first
  // Closes the oldest open lead: converted with a probability that grows
  // with the score, a little more in the least-loaded arm.
  auto close_oldest = [&]() -> bool {
    Open lead = std::move(open.front());
    open.pop_front();
    double p = 0.08 + lead.score / 500.0;
    if (lead.variant == "rr-vs-ll/least_loaded") p += 0.03;
    const bool won = rng.Unit() < p;
    const lr::Outcome outcome =
        won ? lr::Outcome::Converted(1000.0 + 50.0 * rng.Below(200))
            : lr::Outcome::Lost();
    lr::Status recorded = router.RecordOutcome(lead.lead_id, outcome);
    if (!recorded.ok()) {
      std::fprintf(stderr, "%s\n", recorded.ToString().c_str());
      return false;
    }
    Tally& t = by_variant[lead.variant];
    if (won) {
      ++t.converted;
      t.value += outcome.value;
    } else {
      ++t.lost;
    }
    return true;
  };

  int fallback = 0;
  for (int n = 1; n <= count; ++n) {
    const double u = rng.Unit();
    const int score = static_cast<int>(100 * u * u);  // mostly low
    lr::Lead lead = DemoLead(n, score, rng);
    lr::Result<lr::Assignment> a = router.Route(lead);
    if (!a.ok()) {
      std::fprintf(stderr, "%s\n", a.status().ToString().c_str());
      return 1;
    }
    if (a->fallback) ++fallback;
    ++by_variant[a->variant].leads;
    open.push_back({a->lead_id, a->variant, score});
    // Leads close 20 to 40 routes later, so reps carry open leads.
    while (open.size() > static_cast<size_t>(20 + rng.Below(21))) {
      if (!close_oldest()) return 1;
    }
  }
  while (!open.empty()) {
    if (!close_oldest()) return 1;
  }

  std::printf(
      "experiment rr-vs-ll: %d leads (seed %llu), %d to the fallback "
      "queue\n\n",
      count, static_cast<unsigned long long>(seed), fallback);
  std::printf("%-24s %7s %7s %10s %10s %12s\n", "variant", "leads", "share",
              "converted", "conv. rate", "value");
  for (const auto& [variant, t] : by_variant) {
    const int closed = t.converted + t.lost;
    std::printf("%-24s %7d %6.2f%% %10d %9.2f%% %12.0f\n",
                variant.empty() ? "(none)" : variant.c_str(), t.leads,
                100.0 * t.leads / count, t.converted,
                closed == 0 ? 0.0 : 100.0 * t.converted / closed, t.value);
  }
  return 0;
}
