// ReferenceRouter: a slow, deliberately simple implementation of the rule
// contract (DESIGN.md §3) and the built-in strategies, written from
// docs/config.md and docs/cookbook/ only. It shares no code with src/: it
// uses the public headers for the plain data types (RuleSetConfig, Lead,
// Value, Account) and nlohmann_json to read step parameters, and nothing
// else. The differential test compares it with leadroute::Router.
//
// Not covered: custom strategies. `random` follows the draw docs/config.md
// spells out (splitmix64, FNV-1a of the step path). Not thread-safe.
#ifndef LEADROUTE_TESTS_REFERENCE_REFERENCE_ROUTER_H_
#define LEADROUTE_TESTS_REFERENCE_REFERENCE_ROUTER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "leadroute/account_directory.h"
#include "leadroute/lead.h"
#include "leadroute/owner.h"
#include "leadroute/rep.h"
#include "leadroute/rule_set.h"

namespace leadroute::reference {

struct Decision {
  Owner owner{};
  std::string rule_id{};
  std::string decided_by{};
  bool fallback = false;
  bool repeated = false;
};

class ReferenceRouter {
 public:
  // REQUIRES: `config` is valid (RuleSet::Compile accepts it) and uses no
  // custom step; `accounts` is a valid directory.
  ReferenceRouter(RuleSetConfig config, std::vector<Account> accounts);

  Decision Route(const Lead& lead);
  // False for an unknown (or already released) lead id.
  bool Release(const std::string& lead_id);
  void SetPresence(const std::string& rep_id, Presence presence);
  int Open(const std::string& rep_id) const;

 private:
  // A step's parameters, read from its JSON text.
  struct ParsedStep {
    std::string strategy;
    enum class Kind { kFilter, kResolver, kPicker } kind = Kind::kFilter;
    bool weighted = false;  // round_robin
    bool relative = false;  // least_loaded
    uint64_t seed = 0;      // random: the generator's first state
    bool keep_if_missing = false;
    std::string field, attribute, op = "overlap";
    std::optional<double> value;  // match constant
    std::string country_field = "country", state_field = "state",
                postal_field = "postal_code";
    struct Band {
      std::optional<double> min, max;
      std::vector<std::string> tiers;
    };
    std::vector<Band> bands;
    std::vector<Presence> presence = {Presence::kAvailable};
    bool capacity = true;
    bool ultimate = false;
    std::vector<std::string> match = {"account_id", "domain", "email"};
    std::string account_field = "account_id", domain_field = "domain",
                email_field = "email";
  };
  enum class Outcome { kOwner, kEmpty };
  struct RuleResult {
    Outcome outcome = Outcome::kEmpty;
    size_t rep = 0;
    std::string decided_by;
  };

  RuleResult RunRule(size_t rule_index, const Lead& lead);
  std::vector<bool> Pool(size_t rule_index) const;
  std::vector<bool> ApplyFilter(const ParsedStep& step,
                                const std::vector<bool>& candidates,
                                const Lead& lead) const;
  bool HasRoom(size_t rep) const;
  void Claim(size_t rule_index, size_t rep);
  const std::string& RotationOf(size_t rule_index) const;

  RuleSetConfig config_;
  std::vector<Account> accounts_;
  std::vector<std::vector<ParsedStep>> steps_;  // per rule
  std::vector<int> open_;                       // per rep index
  std::vector<Presence> presence_;              // per rep index
  uint64_t clock_ = 0;
  // rotation -> rep index -> clock of the latest assignment
  std::map<std::string, std::map<size_t, uint64_t>> last_;
  // rotation -> rep index -> smooth weighted round robin counter
  std::map<std::string, std::map<size_t, double>> counters_;
  // rotation -> `random`'s generator state, once a step drew in it
  std::map<std::string, uint64_t> rng_;
  std::map<std::string, Decision> decisions_;  // open leads
};

}  // namespace leadroute::reference

#endif  // LEADROUTE_TESTS_REFERENCE_REFERENCE_ROUTER_H_
