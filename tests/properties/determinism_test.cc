// Determinism (docs/testing.md, invariant 6): the same ruleset, state,
// seed and operations give a byte-identical decision log, run twice on two
// routers, and also when the state is saved to a snapshot part way and
// loaded into a fresh router that routes the rest.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "properties/generators.h"

namespace leadroute::properties {
namespace {

// Applies ops[from, to) to `router`; appends one line per operation to
// `log`. Lead ids and picks depend only on the operation index, so a run
// split in two replays the same stream.
void Apply(Router& router, const Scenario& s, const std::vector<Op>& ops,
           size_t from, size_t to, std::string& log) {
  for (size_t i = from; i < to; ++i) {
    const Op& op = ops[i];
    const int pick = op.pick % static_cast<int>(i + 1);
    switch (op.kind) {
      case Op::Kind::kPresence: {
        const Rep& rep =
            s.config.reps[static_cast<size_t>(op.pick) % s.config.reps.size()];
        log += "presence " + rep.id + " " +
               std::string(PresenceName(op.presence)) + " " +
               router.SetPresence(rep.id, op.presence).ToString() + "\n";
        break;
      }
      case Op::Kind::kRelease:
        log += "release L" + std::to_string(pick) + " " +
               router.Release("L" + std::to_string(pick)).ToString() + "\n";
        break;
      case Op::Kind::kRetry:
      case Op::Kind::kRoute: {
        Lead lead = MakeOpLead(
            op, op.kind == Op::Kind::kRetry ? pick : static_cast<int>(i));
        auto a = router.Route(lead);
        RC_ASSERT(a.ok());
        log += a->ToJson() + " " + FormatInstant(a->routed_at) +
               (a->repeated ? " repeated" : "") + "\n";
        break;
      }
    }
  }
}

RC_GTEST_PROP(DeterminismProperties, SameInputsSameLogTwice, ()) {
  const Scenario s = GenScenario();
  const std::vector<Op> ops = GenOps();
  std::string first, second;
  Router a = MakeRouter(s);
  Apply(a, s, ops, 0, ops.size(), first);
  Router b = MakeRouter(s);
  Apply(b, s, ops, 0, ops.size(), second);
  RC_ASSERT(first == second);
}

RC_GTEST_PROP(DeterminismProperties, SameLogAcrossSaveAndLoadOfState, ()) {
  const Scenario s = GenScenario();
  const std::vector<Op> ops = GenOps();
  const size_t cut = *rc::gen::inRange<size_t>(0, ops.size() + 1);

  std::string straight;
  Router whole = MakeRouter(s);
  Apply(whole, s, ops, 0, ops.size(), straight);

  std::string split;
  const std::filesystem::path path =
      std::filesystem::path(::testing::TempDir()) /
      ("leadroute-determinism-" + std::to_string(getpid()) + ".json");
  {
    Router before = MakeRouter(s);
    Apply(before, s, ops, 0, cut, split);
    const Status saved = before.SaveState(path.string());
    RC_LOG() << saved.ToString() << "\n";
    RC_ASSERT(saved.ok());
  }
  Router after = MakeRouter(s);
  const Status loaded = after.LoadState(path.string());
  std::filesystem::remove(path);
  RC_LOG() << loaded.ToString() << "\n";
  RC_ASSERT(loaded.ok());
  Apply(after, s, ops, cut, ops.size(), split);
  RC_ASSERT(straight == split);
}

}  // namespace
}  // namespace leadroute::properties
