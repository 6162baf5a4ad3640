// ReferenceRouter: a slow, deliberately simple implementation of the rule
// contract (DESIGN.md §3) and the built-in strategies, written from
// docs/config.md and docs/cookbook/ only. It shares no code with src/: it
// uses the public headers for the plain data types (RuleSetConfig, Lead,
// Value, Account) and nlohmann_json to read step parameters, and nothing
// else. The differential test compares it with leadroute::Router.
//
// Not covered: custom strategies. `random` follows the draw docs/config.md
// spells out (splitmix64, FNV-1a of the step path). sticky, performance and
// experiment follow docs/cookbook/{sticky,performance,experiments}.md.
// Not thread-safe.
#ifndef LEADROUTE_TESTS_REFERENCE_REFERENCE_ROUTER_H_
#define LEADROUTE_TESTS_REFERENCE_REFERENCE_ROUTER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "leadroute/account_directory.h"
#include "leadroute/clock.h"
#include "leadroute/lead.h"
#include "leadroute/owner.h"
#include "leadroute/rep.h"
#include "leadroute/rule_set.h"
#include "leadroute/status.h"
#include "reference/reference_time.h"

namespace leadroute::reference {

struct Decision {
  Owner owner{};
  std::string rule_id{};
  std::string decided_by{};
  bool fallback = false;
  bool repeated = false;
  std::string variant{};  // "<experiment id>/<variant name>" or ""
  // Offer and pool modes (reference_offer.cc): the lead waits for a rep,
  // owner empty, decided_by "offer" or "pool"; `shortlist` is the ranked
  // offer (pool: every rep eligible at routing).
  bool pending = false;
  std::vector<std::string> shortlist{};
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
  // Whether time changed the candidates of the latest Route: a rule skipped
  // by its active window, or a rep dropped or refused for its schedule or a
  // time-based cap.
  bool time_mattered() const { return time_mattered_; }
  // Router::RecordOutcome: credits the open lead's rep owner (overall and
  // per `performance` segment) and closes the lead as Release does. False
  // for an unknown lead id.
  bool RecordOutcome(const std::string& lead_id, bool converted, double value);

  // Offers and pools, docs/cookbook/offer-and-pool.md (reference_offer.cc).
  // The routing instant of the following Routes (leads without created_at).
  void SetOfferClock(Instant now) { offer_now_ = now; }
  // A claim or pull: the decision, or the Router's status code and the
  // message's distinguishing part ("not on offer", "expired", ...).
  struct ClaimResult {
    std::optional<Decision> decision;
    StatusCode code = StatusCode::kOk;
    std::string why;
  };
  ClaimResult ClaimOffer(const std::string& lead_id, const std::string& rep_id);
  ClaimResult NextForRep(const std::string& rep_id);
  // Lead id and new decision of every settled offer, in settling order.
  std::vector<std::pair<std::string, Decision>> ExpireOffers(Instant now);
  // Pending lead ids, oldest first.
  std::vector<std::string> Pending() const;

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
    bool schedule = true;  // availability
    bool ultimate = false;
    std::vector<std::string> match = {"account_id", "domain", "email"};
    std::string account_field = "account_id", domain_field = "domain",
                email_field = "email";
    // sticky
    std::vector<std::string> keys = {"account", "email", "domain"};
    int64_t window_ms = 90LL * 86400 * 1000;
    std::vector<std::string> ignore_domains;
    bool ignore_free_mail = true;
    // performance
    bool value_metric = false;
    double prior_rate = 0.1, prior_strength = 20, floor = 0.05;
    std::string segment;
    std::optional<int64_t> min_segment_leads;
  };
  // A rule's experiment step: its variants' bucket ranges and the rule's
  // steps with each variant's steps spliced in where the experiment stands.
  struct Experiment {
    std::string id, salt;
    std::vector<std::string> names;
    std::vector<int> ends;  // variant i takes buckets [ends[i-1], ends[i])
    std::vector<std::vector<ParsedStep>> steps;
  };
  // Outcomes credited to a rep.
  struct Tally {
    int64_t converted = 0, lost = 0;
    double value = 0;
  };
  enum class Outcome { kOwner, kEmpty, kPending };
  struct RuleResult {
    Outcome outcome = Outcome::kEmpty;
    size_t rep = 0;
    std::string decided_by;
  };
  struct PendingLead {
    Lead lead;
    size_t rule = 0;
    std::vector<size_t> reps;
    Instant offered_at{};
    std::optional<Instant> expires_at{};  // offer mode only
    uint64_t seq = 0;                     // arrival
  };

  RuleResult RunRule(size_t rule_index, const Lead& lead);
  std::vector<bool> Pool(size_t rule_index) const;
  std::vector<bool> ApplyFilter(const ParsedStep& step,
                                const std::vector<bool>& candidates,
                                const Lead& lead) const;
  bool HasRoom(size_t rep) const;
  void Claim(size_t rule_index, size_t rep);
  const std::string& RotationOf(size_t rule_index) const;
  // Experiments, sticky and performance.
  // The lead's variant index in rule `rule_index`'s experiment, if any.
  std::optional<size_t> VariantOf(size_t rule_index, const Lead& lead) const;
  const std::vector<ParsedStep>& StepsFor(size_t rule_index,
                                          const Lead& lead) const;
  // The routing instant in ms since the epoch: created_at, else the clock.
  int64_t InstantOf(const Lead& lead) const;
  // sticky: the step's (key, normalised value) pairs for `lead`, in order.
  std::vector<std::pair<std::string, std::string>> StickyKeys(
      const ParsedStep& s, const Lead& lead) const;
  std::optional<size_t> StickyOwner(const ParsedStep& s,
                                    const std::vector<bool>& c,
                                    const Lead& lead) const;
  void Remember(const Lead& lead, size_t rep);
  std::optional<size_t> PerformancePick(const ParsedStep& s,
                                        const std::vector<bool>& c,
                                        const std::string& rotation,
                                        const Lead& lead);
  // reference_offer.cc. Whether `rule_index` leaves its leads pending now.
  bool Offering(size_t rule_index) const;
  // The pending result of an offer or pool rule at its picker `picker`
  // (nullptr: the implicit round robin); nullopt when nobody has room.
  std::optional<RuleResult> Offered(size_t rule_index, const ParsedStep* picker,
                                    const std::vector<bool>& c);
  Decision Pend(size_t rule_index, const Lead& lead,
                const std::vector<size_t>& reps);
  Decision PendingDecision(const PendingLead& p) const;
  // Runs the offering rule for `rep` alone (push); claims it when eligible.
  ClaimResult TryClaim(const std::string& lead_id, size_t rep);

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
  std::map<std::string, Decision> decisions_;           // open leads
  std::vector<std::optional<Experiment>> experiments_;  // per rule
  std::vector<ParsedStep> sticky_steps_;     // every sticky step of the rules
  std::vector<std::string> segment_fields_;  // of every performance step
  // (key, value) -> (rep index, instant remembered): the sticky key index
  std::map<std::pair<std::string, std::string>, std::pair<size_t, int64_t>>
      sticky_;
  // segment ("" overall, else "field=value") -> rep index -> outcomes
  std::map<std::string, std::map<size_t, Tally>> tallies_;
  // open lead id -> the segments its outcome will be credited to
  std::map<std::string, std::vector<std::string>> lead_segments_;
  // Offers and pools (reference_offer.cc).
  std::map<std::string, PendingLead> pending_;  // by lead id
  uint64_t pending_seq_ = 0;
  Instant offer_now_{};
  // Time (reference_time.h): the routing instant of the lead being routed,
  // and per rep the rule claims the time-based caps count.
  Instant at_{};
  std::vector<std::vector<ClaimRecord>> claims_;
  mutable bool time_mattered_ = false;
  std::optional<size_t> only_rep_;  // Pool(): this rep alone (a claim)
  bool as_push_ = false;            // a claim or an expiry push
  std::vector<size_t> offered_;     // the reps of a kPending RuleResult
  size_t first_rule_ = 0;           // Route starts here (an expiry push)
};

}  // namespace leadroute::reference

#endif  // LEADROUTE_TESTS_REFERENCE_REFERENCE_ROUTER_H_
