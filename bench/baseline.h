// The hand-written router the benchmarks compare leadroute with: the
// workload's routing table as flat structs, one loop over the rules with the
// tests hard-coded on pre-extracted fields (bench/workload.h LeadRow), a scan
// of the pool's precomputed member array with the eligibility checks inline,
// and least-recently-assigned round robin over per-rotation arrays.
//
// It makes leadroute's decisions for the generated table (checked by
// tests/bench/bench_workload_test.cc), so the ratio compares equal work: the
// same rules in the same order, territory's "most specific match" (reps
// naming the lead's country, else those with "*"), industry, product and
// language overlap with "*" and if_missing, tier bands, availability
// (presence, max_open against live loads) and round robin with rotations
// shared across rules and ties to the lower roster index. Not thread-safe.
#ifndef LEADROUTE_BENCH_BASELINE_H_
#define LEADROUTE_BENCH_BASELINE_H_

#include <cstdint>
#include <vector>

#include "bench/workload.h"

namespace leadroute::bench {

class Baseline {
 public:
  struct Decision {
    int32_t rep = -1;   // roster index; -1: the fallback queue
    int32_t rule = -1;  // index in Workload::rules; -1: no rule applied
  };

  explicit Baseline(const Workload& workload);

  Decision Route(const LeadRow& lead) noexcept;
  // The lead of `decision` was closed: frees its owner's load.
  void Release(Decision decision) noexcept;

 private:
  struct Rule {
    // Condition (see RulePlan).
    int8_t region;
    uint8_t product_bit;  // 0: no test
    uint8_t language;
    uint8_t sources;
    bool not_partner;
    NumberTest::Op employees_op;
    uint64_t countries;
    uint32_t industries;
    double employees_lo, employees_hi, score_min, deal_min;
    // Pool and steps.
    uint32_t pool;      // index into members_
    uint32_t rotation;  // index into last_seq_
    bool territory_step, industry_step, industry_keep, product_step,
        language_step, score_bands, deal_bands, catch_all;
  };
  struct Rep {
    uint64_t countries;
    uint32_t industries, products, languages;
    uint8_t tier_bit;
    bool anywhere;
    bool available;
    int32_t max_open;  // INT32_MAX when uncapped
  };

  bool Matches(const Rule& rule, const LeadRow& lead) const noexcept;

  std::vector<Rule> rules_;
  std::vector<Rep> reps_;
  std::vector<std::vector<uint32_t>> members_;  // active reps, ascending
  std::vector<uint64_t> pool_countries_;        // union over members
  std::vector<char> pool_anywhere_;
  std::vector<int32_t> load_;
  std::vector<std::vector<uint64_t>> last_seq_;  // by rotation, by rep
  uint64_t seq_ = 0;
};

}  // namespace leadroute::bench

#endif  // LEADROUTE_BENCH_BASELINE_H_
