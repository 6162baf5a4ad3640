// Routing cost on the seeded workload of bench/workload.h, side by side with
// the hand-written baseline of bench/baseline.h (issue 3).
//
// Every route is a new lead: the benchmarks cycle through kBenchLeads
// distinct leads and release each batch of kReleaseBatch decisions (timing
// paused) before routing the next batch. So the state store holds at most
// one batch of decisions, loads return to the workload's pre-loaded levels
// after every batch (the small-capacity reps keep dropping in and out of the
// candidates), and a lead id is routed again only after its decision was
// released. The time per iteration is the cost of one Route; Release is
// measured on its own (BM_Release). The baseline does exactly the same.
//
// `make bench` prints one summary line from the JSON output
// (bench/summary.py).
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "bench/baseline.h"
#include "bench/workload.h"
#include "leadroute/leadroute.h"

namespace leadroute::bench {
namespace {

constexpr uint64_t kSeed = 20260603;
// Distinct leads cycled through: far more than the caches hold, as in an
// import, without the gigabyte a million Lead objects would take.
constexpr size_t kBenchLeads = size_t{1} << 18;
constexpr size_t kReleaseBatch = 1024;

// Workloads by (rules, reps), built once. They share one lead stream (leads
// depend only on the seed), stored with the 40/200 workload.
const Workload& GetWorkload(int rules, int reps) {
  static std::map<std::pair<int, int>, std::unique_ptr<Workload>> cache;
  auto& slot = cache[{rules, reps}];
  if (slot == nullptr) {
    bool with_leads = rules == 40 && reps == 200;
    slot = std::make_unique<Workload>(
        MakeWorkload({.rules = rules,
                      .reps = reps,
                      .leads = with_leads ? kBenchLeads : 0,
                      .seed = kSeed}));
  }
  return *slot;
}

const Workload& Leads() { return GetWorkload(40, 200); }

// What the leads do in a table, from the baseline's decisions (the same as
// leadroute's) on the first leads: how many rules each lead tries (the
// deciding rule's position, or all of them) and how many reach the
// catch-all, whose pool is every rep. Context for the scaling figures: more
// rules take leads away from the catch-all, more reps make it longer.
void SetTableCounters(benchmark::State& state, const Workload& w) {
  Baseline baseline(w);
  const std::vector<LeadRow>& rows = Leads().rows;
  const size_t n = std::min<size_t>(rows.size(), 20'000);
  double tried = 0;
  double catch_all = 0;
  for (size_t i = 0; i < n; ++i) {
    Baseline::Decision d = baseline.Route(rows[i]);
    tried += d.rule >= 0 ? d.rule + 1 : static_cast<double>(w.rules.size());
    catch_all += d.rule >= 0 && w.rules[d.rule].catch_all ? 1 : 0;
    baseline.Release(d);
  }
  state.counters["rules_tried"] = tried / static_cast<double>(n);
  state.counters["catch_all_share"] = catch_all / static_cast<double>(n);
}

// The timed loop of the Route benchmarks: routes leads[first],
// leads[first + step], ... (wrapping around) with `options`, and releases
// each batch of kReleaseBatch decisions with timing paused, so loads stay at
// the workload's pre-loaded levels and every Route is a new lead. `router()`
// returns the Router; it is called only inside the loop, after the threads'
// start barrier, so thread 0 may create a shared one before the loop.
template <typename GetRouter>
void RouteLoop(benchmark::State& state, GetRouter&& router,
               const RouteOptions& options, size_t first = 0, size_t step = 1) {
  const std::vector<Lead>& leads = Leads().leads;
  std::vector<const Lead*> open;
  open.reserve(kReleaseBatch);
  size_t i = first;
  for (auto _ : state) {
    const Lead& lead = leads[i];
    Result<Assignment> a = router().Route(lead, options);
    benchmark::DoNotOptimize(a);
    open.push_back(&lead);
    i += step;
    if (i >= leads.size()) i -= leads.size();
    if (open.size() == kReleaseBatch) {
      state.PauseTiming();
      for (const Lead* l : open) (void)router().Release(l->id());
      open.clear();
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(state.iterations());
}

// Route on one thread; state.range(0) rules, state.range(1) reps.
void BM_Route(benchmark::State& state) {
  const Workload& w = GetWorkload(static_cast<int>(state.range(0)),
                                  static_cast<int>(state.range(1)));
  Router router = MakeRouter(w);
  RouteLoop(
      state, [&]() -> Router& { return router; }, RouteOptions{});
  SetTableCounters(state, w);
}

// RouteLoop for the hand-written baseline on `w`'s table: rows[first],
// rows[first + step], ..., each batch of decisions released untimed.
void BaselineLoop(benchmark::State& state, const Workload& w, size_t first = 0,
                  size_t step = 1) {
  const std::vector<LeadRow>& rows = Leads().rows;
  Baseline baseline(w);
  std::vector<Baseline::Decision> open;
  open.reserve(kReleaseBatch);
  size_t i = first;
  for (auto _ : state) {
    Baseline::Decision d = baseline.Route(rows[i]);
    benchmark::DoNotOptimize(d);
    open.push_back(d);
    i += step;
    if (i >= rows.size()) i -= rows.size();
    if (open.size() == kReleaseBatch) {
      state.PauseTiming();
      for (Baseline::Decision o : open) baseline.Release(o);
      open.clear();
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(state.iterations());
}

// The hand-written baseline on the same table and leads.
void BM_Baseline(benchmark::State& state) {
  BaselineLoop(state, GetWorkload(static_cast<int>(state.range(0)),
                                  static_cast<int>(state.range(1))));
}

#define LEADROUTE_SCALING_ARGS \
  ArgNames({"rules", "reps"})  \
      ->Args({40, 200})        \
      ->Args({10, 200})        \
      ->Args({200, 200})       \
      ->Args({40, 50})         \
      ->Args({40, 2000})
BENCHMARK(BM_Route)->LEADROUTE_SCALING_ARGS;
BENCHMARK(BM_Baseline)->LEADROUTE_SCALING_ARGS;

// Route on 40 rules / 200 reps with RouterOptions::keep_leads off: the
// record holds the decision but no copy of the lead (an import that never
// reassigns through the Router; `leadroute route` without --state).
void BM_RouteNoLeadCopy(benchmark::State& state) {
  RouterOptions options;
  options.keep_leads = false;
  Router router = MakeRouter(GetWorkload(40, 200), std::move(options));
  RouteLoop(
      state, [&]() -> Router& { return router; }, RouteOptions{});
}
BENCHMARK(BM_RouteNoLeadCopy);

// RouteBatch on 40 rules / 200 reps: batches of kReleaseBatch leads into
// one `out` array reused across batches, each batch released (timing
// paused) before the next, as RouteLoop does for Route. Items are leads, so
// items_per_second compares with BM_Route/rules:40/reps:200 per lead.
void BM_RouteBatch(benchmark::State& state) {
  Router router = MakeRouter(GetWorkload(40, 200));
  const std::vector<Lead>& leads = Leads().leads;
  std::vector<Assignment> out(kReleaseBatch);
  size_t first = 0;
  for (auto _ : state) {
    std::span<const Lead> batch(leads.data() + first, kReleaseBatch);
    Status routed = router.RouteBatch(batch, out);
    benchmark::DoNotOptimize(routed);
    state.PauseTiming();
    for (const Lead& lead : batch) (void)router.Release(lead.id());
    first += kReleaseBatch;
    if (first + kReleaseBatch > leads.size()) first = 0;
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<int64_t>(kReleaseBatch));
}
BENCHMARK(BM_RouteBatch);

// Route with a decision trace, 40 rules / 200 reps.
void BM_RouteExplain(benchmark::State& state) {
  Router router = MakeRouter(GetWorkload(40, 200));
  RouteLoop(
      state, [&]() -> Router& { return router; },
      RouteOptions{.explain = true});
}
BENCHMARK(BM_RouteExplain);

// Throughput on 1 and 2 threads sharing one Router (40/200) with `backlog`
// more leads open in its store; each thread routes every other lead. Real
// time, so items_per_second is the total.
std::unique_ptr<Router> shared_router;
void SharedRouterLoop(benchmark::State& state, int backlog) {
  if (state.thread_index() == 0) {
    shared_router = std::make_unique<Router>(MakeRouter(GetWorkload(40, 200)));
    for (int k = 0; k < backlog; ++k) {
      Assignment open;
      open.lead_id = "backlog-" + std::to_string(k);
      open.owner = Owner::Queue("backlog");
      open.decided_by = "preload";
      if (shared_router->state().Record(open).outcome !=
          ClaimResult::Outcome::kClaimed) {
        std::abort();
      }
    }
  }
  RouteLoop(
      state, []() -> Router& { return *shared_router; }, RouteOptions{},
      static_cast<size_t>(state.thread_index()),
      static_cast<size_t>(state.threads()));
  // Every thread has left the loop (it ends with a barrier).
  if (state.thread_index() == 0) shared_router.reset();
}

void BM_RouteThreads(benchmark::State& state) { SharedRouterLoop(state, 0); }
BENCHMARK(BM_RouteThreads)->Threads(1)->Threads(2)->UseRealTime();

// BM_RouteThreads with 200,000 more leads open, as in a CRM with a large
// backlog: the lead map the claims insert into no longer fits in cache.
void BM_RouteThreadsManyOpen(benchmark::State& state) {
  SharedRouterLoop(state, 200'000);
}
BENCHMARK(BM_RouteThreadsManyOpen)->Threads(1)->Threads(2)->UseRealTime();

// Controls for BM_RouteThreads, on the same leads split the same way: each
// thread with a Router of its own (no shared lock or state: what the
// machine's two cores give leadroute when nothing is shared), and the
// hand-written baseline on each thread (what they give a loop with no
// engine at all).
void BM_RouteThreadsApart(benchmark::State& state) {
  Router router = MakeRouter(GetWorkload(40, 200));
  RouteLoop(
      state, [&]() -> Router& { return router; }, RouteOptions{},
      static_cast<size_t>(state.thread_index()),
      static_cast<size_t>(state.threads()));
}
BENCHMARK(BM_RouteThreadsApart)->Threads(1)->Threads(2)->UseRealTime();

void BM_BaselineThreads(benchmark::State& state) {
  BaselineLoop(state, GetWorkload(40, 200),
               static_cast<size_t>(state.thread_index()),
               static_cast<size_t>(state.threads()));
}
BENCHMARK(BM_BaselineThreads)->Threads(1)->Threads(2)->UseRealTime();

// A retry of an already decided lead: the recorded decision comes back.
void BM_RouteRepeated(benchmark::State& state) {
  Router router = MakeRouter(GetWorkload(40, 200));
  const Lead& lead = Leads().leads[0];
  (void)router.Route(lead);
  for (auto _ : state) {
    Result<Assignment> a = router.Route(lead);
    benchmark::DoNotOptimize(a);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RouteRepeated);

// Release of a decided lead (routing paused).
void BM_Release(benchmark::State& state) {
  const std::vector<Lead>& leads = Leads().leads;
  Router router = MakeRouter(GetWorkload(40, 200));
  size_t i = 0;
  size_t routed = 0;
  for (auto _ : state) {
    if (i == routed) {
      state.PauseTiming();
      for (size_t k = 0; k < kReleaseBatch; ++k) {
        (void)router.Route(leads[(i + k) % leads.size()]);
      }
      routed = i + kReleaseBatch;
      state.ResumeTiming();
    }
    benchmark::DoNotOptimize(router.Release(leads[i % leads.size()].id()));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Release);

// The command-line program's per-lead work besides Route: parsing a JSONL
// line into a Lead, and writing the decision line.
void BM_ParseLead(benchmark::State& state) {
  std::vector<std::string> lines;
  for (size_t i = 0; i < 4096; ++i) lines.push_back(Leads().leads[i].ToJson());
  size_t i = 0;
  for (auto _ : state) {
    Result<Lead> lead = Lead::FromJson(lines[i++ & 4095]);
    benchmark::DoNotOptimize(lead);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseLead);

void BM_DecisionToJson(benchmark::State& state) {
  Router router = MakeRouter(GetWorkload(40, 200));
  std::vector<Assignment> decisions;
  for (size_t i = 0; i < 4096; ++i) {
    decisions.push_back(router.Route(Leads().leads[i]).value());
  }
  size_t i = 0;
  for (auto _ : state) {
    std::string line = decisions[i++ & 4095].ToJson();
    benchmark::DoNotOptimize(line);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecisionToJson);

// One-time cost: parse, validate and compile the rules JSON.
void BM_CompileRuleSet(benchmark::State& state) {
  const Workload& w = GetWorkload(static_cast<int>(state.range(0)),
                                  static_cast<int>(state.range(1)));
  for (auto _ : state) {
    Result<RuleSet> rules = RuleSet::FromJson(w.rules_json);
    benchmark::DoNotOptimize(rules);
  }
}
BENCHMARK(BM_CompileRuleSet)
    ->ArgNames({"rules", "reps"})
    ->Args({40, 200})
    ->Args({200, 2000})
    ->Unit(benchmark::kMillisecond);

// Live heap bytes held by `make()`'s result (glibc's mallinfo2 over every
// arena; the benchmark runs alone on its thread).
template <typename Make>
double HeapBytes(Make make) {
  size_t before = mallinfo2().uordblks;
  auto held = make();
  size_t after = mallinfo2().uordblks;
  benchmark::DoNotOptimize(held);
  return static_cast<double>(after) - static_cast<double>(before);
}

double RuleSetBytes(int rules, int reps) {
  const Workload& w = GetWorkload(rules, reps);
  return HeapBytes([&] { return RuleSet::FromJson(w.rules_json).value(); });
}

double RouterBytes(int rules, int reps) {
  RuleSet set = RuleSet::FromJson(GetWorkload(rules, reps).rules_json).value();
  return HeapBytes([&] { return Router::Create(set).value(); });
}

// The in-memory store's bytes per open lead: the heap a 40/200 Router holds
// after routing `leads` new leads and keeping them open, per lead, with
// RouterOptions::keep_leads as given.
double OpenLeadBytes(bool keep_leads, size_t leads) {
  const std::vector<Lead>& all = Leads().leads;
  RouterOptions options;
  options.keep_leads = keep_leads;
  Router router = MakeRouter(GetWorkload(40, 200), std::move(options));
  double bytes = HeapBytes([&] {
    for (size_t i = 0; i < leads; ++i) (void)router.Route(all[i]);
    return 0;
  });
  return bytes / static_cast<double>(leads);
}

// Memory: the compiled RuleSet's bytes per rep (2,000 reps less 200, at 40
// rules) and per rule (200 rules less 40, at 200 reps), the router's
// (state store's) bytes per rep and per open lead (with and without the
// record's copy of the lead), and the 40/200 RuleSet in total.
void BM_Memory(benchmark::State& state) {
  double base = RuleSetBytes(40, 200);
  double per_rep = (RuleSetBytes(40, 2000) - base) / 1800;
  double per_rule = (RuleSetBytes(200, 200) - base) / 160;
  double router_per_rep = (RouterBytes(40, 2000) - RouterBytes(40, 200)) / 1800;
  constexpr size_t kOpenLeads = 100'000;
  double per_open_lead = OpenLeadBytes(true, kOpenLeads);
  double per_open_lead_no_copy = OpenLeadBytes(false, kOpenLeads);
  for (auto _ : state) {
  }
  state.counters["ruleset_bytes"] = base;
  state.counters["bytes_per_rep"] = per_rep;
  state.counters["bytes_per_rule"] = per_rule;
  state.counters["router_bytes_per_rep"] = router_per_rep;
  state.counters["bytes_per_open_lead"] = per_open_lead;
  state.counters["bytes_per_open_lead_no_copy"] = per_open_lead_no_copy;
}
BENCHMARK(BM_Memory)->Iterations(1)->Repetitions(1);

}  // namespace
}  // namespace leadroute::bench
