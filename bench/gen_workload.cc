// Writes a seeded workload (bench/workload.h) to files for the command-line
// program:
//
//   leadroute_gen_workload --rules rules.json --leads leads.jsonl
//       [--count 1000000] [--rule-count 40] [--reps 200] [--seed N]
//
// Leads are generated and written one at a time, so any count fits in
// memory.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "bench/workload.h"

namespace {

int Usage() {
  std::fprintf(stderr,
               "usage: leadroute_gen_workload --rules FILE --leads FILE "
               "[--count N] [--rule-count N] [--reps N] [--seed N]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string rules_path;
  std::string leads_path;
  unsigned long long count = 1'000'000;
  leadroute::bench::WorkloadSpec spec{
      .rules = 40, .reps = 200, .leads = 0, .seed = 20260603};
  for (int i = 1; i + 1 < argc; i += 2) {
    const char* flag = argv[i];
    const char* value = argv[i + 1];
    if (std::strcmp(flag, "--rules") == 0) {
      rules_path = value;
    } else if (std::strcmp(flag, "--leads") == 0) {
      leads_path = value;
    } else if (std::strcmp(flag, "--count") == 0) {
      count = std::strtoull(value, nullptr, 10);
    } else if (std::strcmp(flag, "--rule-count") == 0) {
      spec.rules = std::atoi(value);
    } else if (std::strcmp(flag, "--reps") == 0) {
      spec.reps = std::atoi(value);
    } else if (std::strcmp(flag, "--seed") == 0) {
      spec.seed = std::strtoull(value, nullptr, 10);
    } else {
      return Usage();
    }
  }
  if (argc % 2 != 1 || rules_path.empty() || leads_path.empty() ||
      spec.rules < 1 || spec.reps < 7) {
    return Usage();
  }
  leadroute::bench::Workload w = leadroute::bench::MakeWorkload(spec);
  std::ofstream rules(rules_path);
  rules << w.rules_json << '\n';
  std::ofstream leads(leads_path);
  leadroute::bench::LeadRow row;
  std::string line;
  for (unsigned long long i = 0; i < count; ++i) {
    line = leadroute::bench::MakeLead(spec.seed, i, row).ToJson();
    line += '\n';
    leads.write(line.data(), static_cast<std::streamsize>(line.size()));
  }
  rules.close();
  leads.close();
  if (!rules || !leads) {
    std::fprintf(stderr, "leadroute_gen_workload: cannot write the files\n");
    return 1;
  }
  return 0;
}
