// `sticky`: a resolver that gives a repeat customer's lead to the rep who
// got the customer's last lead. Keys (the lead's account, email, domain or a
// configured field) are looked up in order in the state store's key index;
// the first remembered owner within the window who is a candidate is named.
// The Router remembers the keys after each decision (RememberStickyKeys),
// only for RuleSets that have a sticky step.
#include "strategies/sticky.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/json_util.h"
#include "sla.h"
#include "strategies/builtin.h"
#include "util/text.h"

namespace leadroute::internal {
namespace {

constexpr std::chrono::seconds kDefaultWindow = std::chrono::hours(24 * 90);
constexpr std::string_view kFieldPrefix = "field:";
constexpr std::string_view kEmailField = "email";
constexpr std::string_view kDomainField = "domain";
constexpr std::string_view kAccountField = "account_id";

// Consumer mail providers: a domain shared by unrelated people says nothing
// about who owns the customer. Sorted, for binary search.
constexpr std::string_view kFreeMailDomains[] = {
    "126.com",      "163.com",        "aol.com",        "fastmail.com",
    "gmail.com",    "gmx.at",         "gmx.ch",         "gmx.com",
    "gmx.de",       "gmx.net",        "googlemail.com", "hotmail.co.uk",
    "hotmail.com",  "hotmail.de",     "hotmail.fr",     "icloud.com",
    "live.com",     "mac.com",        "mail.com",       "mail.ru",
    "me.com",       "msn.com",        "outlook.com",    "pm.me",
    "proton.me",    "protonmail.com", "qq.com",         "t-online.de",
    "tutanota.com", "web.de",         "yahoo.co.uk",    "yahoo.com",
    "yahoo.de",     "yahoo.fr",       "yandex.com",     "yandex.ru",
    "ymail.com",    "zoho.com",
};

// The key spec for config name `name`, else nullopt.
std::optional<StickyKeySpec> ParseKey(std::string_view name) {
  if (name == "email") {
    return StickyKeySpec{StickyKeyKind::kEmail, "email",
                         std::string(kEmailField)};
  }
  if (name == "domain") {
    return StickyKeySpec{StickyKeyKind::kDomain, "domain",
                         std::string(kDomainField)};
  }
  if (name == "account") {
    return StickyKeySpec{StickyKeyKind::kAccount, "account",
                         std::string(kAccountField)};
  }
  if (name.size() > kFieldPrefix.size() && name.starts_with(kFieldPrefix)) {
    return StickyKeySpec{StickyKeyKind::kField, std::string(name),
                         std::string(name.substr(kFieldPrefix.size()))};
  }
  return std::nullopt;
}

// `text` lower-cased into `buffer`; empty when it does not fit.
std::string_view Lowered(std::string_view text, StickyBuffer& buffer) noexcept {
  if (text.size() > buffer.size()) return {};
  for (size_t i = 0; i < text.size(); ++i) buffer[i] = AsciiLower(text[i]);
  return std::string_view(buffer.data(), text.size());
}

// The trimmed string of `value`, or empty.
std::string_view TextOf(const Value* value) noexcept {
  if (value == nullptr) return {};
  if (const std::string* s = value->string_if()) return Trim(*s);
  return {};
}

// The domain of an email address ("" unless it has text on both sides of
// its last '@').
std::string_view EmailDomain(std::string_view email) noexcept {
  size_t at = email.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == email.size()) {
    return {};
  }
  return email.substr(at + 1);
}

std::string_view CleanDomain(std::string_view domain) noexcept {
  if (domain.starts_with("www.")) domain.remove_prefix(4);
  while (!domain.empty() && domain.back() == '.') domain.remove_suffix(1);
  return domain;
}

class StickyStrategy final : public Strategy {
 public:
  struct Key {
    StickyKeySpec spec;
    FieldSlot slot = 0;
  };

  StickyStrategy(std::vector<Key> keys, FieldSlot email_slot,
                 std::chrono::seconds window,
                 std::shared_ptr<const DomainFilter> filter)
      : keys_(std::move(keys)),
        email_slot_(email_slot),
        window_(window),
        filter_(std::move(filter)) {}

  std::string_view Name() const noexcept override { return "sticky"; }
  StrategyKind Kind() const noexcept override {
    return StrategyKind::kResolver;
  }

  StepResult Apply(const LeadView& lead, CandidateSet& candidates,
                   StepContext& ctx) const noexcept override {
    StickyBuffer buffer;
    for (const Key& key : keys_) {
      const Value* email = key.spec.kind == StickyKeyKind::kDomain
                               ? lead.Get(email_slot_)
                               : nullptr;
      std::string_view value =
          StickyValue(key.spec.kind, lead.Get(key.slot), email, buffer);
      if (value.empty()) continue;
      if (key.spec.kind == StickyKeyKind::kDomain && filter_->Ignores(value)) {
        continue;
      }
      // An owner who is not a candidate (inactive, outside the pool,
      // filtered out, excluded) lets the next key try.
      RepIndex rep = ctx.StickyOwner(key.spec.name, value, window_);
      if (rep < candidates.size() && candidates.test(rep)) {
        return StepResult::Resolved(rep);
      }
    }
    return StepResult::Passed();
  }

  std::span<const Key> keys() const noexcept { return keys_; }
  std::chrono::seconds window() const noexcept { return window_; }
  const std::shared_ptr<const DomainFilter>& filter() const noexcept {
    return filter_;
  }

 private:
  std::vector<Key> keys_;
  FieldSlot email_slot_;
  std::chrono::seconds window_;
  std::shared_ptr<const DomainFilter> filter_;
};

}  // namespace

bool IsFreeMailDomain(std::string_view domain) noexcept {
  return std::binary_search(std::begin(kFreeMailDomains),
                            std::end(kFreeMailDomains), domain);
}

std::string_view StickyValue(StickyKeyKind kind, const Value* primary,
                             const Value* email,
                             StickyBuffer& buffer) noexcept {
  switch (kind) {
    case StickyKeyKind::kEmail: {
      std::string_view text = TextOf(primary);
      if (EmailDomain(text).empty()) return {};
      return Lowered(text, buffer);
    }
    case StickyKeyKind::kDomain: {
      std::string_view text = TextOf(primary);
      // A domain field holding an address counts by its domain.
      if (text.find('@') != std::string_view::npos) text = EmailDomain(text);
      if (text.empty()) text = EmailDomain(TextOf(email));
      return CleanDomain(Lowered(text, buffer));
    }
    case StickyKeyKind::kAccount:
    case StickyKeyKind::kField: {
      if (primary != nullptr && primary->is_int()) {
        auto [end, ec] = std::to_chars(
            buffer.data(), buffer.data() + buffer.size(), primary->as_int());
        if (ec != std::errc()) return {};
        return std::string_view(buffer.data(),
                                static_cast<size_t>(end - buffer.data()));
      }
      return Lowered(TextOf(primary), buffer);
    }
  }
  return {};
}

DomainFilter::DomainFilter(bool free_mail, std::vector<std::string> extra)
    : free_mail_(free_mail), extra_(std::move(extra)) {}

bool DomainFilter::Ignores(std::string_view domain) const noexcept {
  // The domain itself, then each parent ("eu.mail.acme.com", "mail.acme.com",
  // "acme.com", "com").
  while (!domain.empty()) {
    if (free_mail_ && IsFreeMailDomain(domain)) return true;
    for (const std::string& d : extra_) {
      if (d == domain) return true;
    }
    size_t dot = domain.find('.');
    if (dot == std::string_view::npos) break;
    domain.remove_prefix(dot + 1);
  }
  return false;
}

StrategyPtr NewStickyStrategy(StrategyBuildContext& ctx) {
  const StepParams& params = ctx.params();
  // Most specific first: the CRM's account, then the person, then the
  // company's domain (which several contacts with different owners share).
  std::vector<std::string> names = {"account", "email", "domain"};
  if (std::optional<std::vector<std::string>> given = params.Strings("keys")) {
    names = std::move(*given);
    if (names.empty()) params.Error("keys", "expected at least one key");
  }
  std::vector<StickyStrategy::Key> keys;
  for (size_t i = 0; i < names.size(); ++i) {
    std::optional<StickyKeySpec> spec = ParseKey(names[i]);
    if (!spec) {
      static constexpr std::string_view kKinds[] = {"account", "email",
                                                    "domain"};
      std::string_view close = ClosestKey(names[i], kKinds);
      params.Error(
          "keys", i,
          fmt::format("unknown key \"{}\"{}; expected \"account\", "
                      "\"email\", \"domain\" or \"field:<lead field>\"",
                      names[i],
                      close.empty()
                          ? std::string()
                          : fmt::format(" (did you mean \"{}\"?)", close)));
      continue;
    }
    bool repeated = std::any_of(keys.begin(), keys.end(), [&](const auto& k) {
      return k.spec.name == spec->name;
    });
    if (repeated) {
      params.Error("keys", i, fmt::format("duplicate key \"{}\"", names[i]));
      continue;
    }
    FieldSlot slot = ctx.Field(spec->field);
    keys.push_back({std::move(*spec), slot});
  }

  std::chrono::seconds window = kDefaultWindow;
  if (std::optional<std::string> text = params.String("window")) {
    if (std::optional<std::chrono::seconds> d = ParseDuration(*text)) {
      window = *d;
    } else {
      params.Error("window",
                   fmt::format("found \"{}\", expected a duration such as "
                               "\"90d\" or \"12h\" (a positive whole number "
                               "and one of s, m, h, d)",
                               *text));
    }
  }

  bool free_mail = params.Bool("ignore_free_mail").value_or(true);
  std::vector<std::string> ignored;
  if (auto given = params.Strings("ignore_domains")) {
    for (size_t i = 0; i < given->size(); ++i) {
      StickyBuffer buffer;
      std::string_view d = CleanDomain(Lowered(Trim((*given)[i]), buffer));
      if (d.empty() || d.find('@') != std::string_view::npos) {
        params.Error("ignore_domains", i,
                     fmt::format("found \"{}\", expected a domain such as "
                                 "\"example.com\"",
                                 (*given)[i]));
        continue;
      }
      ignored.emplace_back(d);
    }
  }
  if (!params.ok()) {
    return Status::InvalidArgument("invalid sticky step at " + ctx.path());
  }
  return std::unique_ptr<Strategy>(std::make_unique<StickyStrategy>(
      std::move(keys), ctx.Field(kEmailField), window,
      std::make_shared<const DomainFilter>(free_mail, std::move(ignored))));
}

void AddStickyStep(std::shared_ptr<const StickyPlan>& plan,
                   const Strategy& step) {
  const auto* sticky = dynamic_cast<const StickyStrategy*>(&step);
  if (sticky == nullptr) return;
  auto next = plan != nullptr ? std::make_shared<StickyPlan>(*plan)
                              : std::make_shared<StickyPlan>();
  bool uses_domain = false;
  for (const StickyStrategy::Key& key : sticky->keys()) {
    uses_domain = uses_domain || key.spec.kind == StickyKeyKind::kDomain;
    bool known = std::any_of(
        next->keys.begin(), next->keys.end(),
        [&](const StickyKeySpec& k) { return k.name == key.spec.name; });
    if (!known) next->keys.push_back(key.spec);
  }
  if (uses_domain) next->domain_filters.push_back(sticky->filter());
  next->retention = std::max(next->retention, sticky->window());
  plan = std::move(next);
}

void RememberStickyKeys(const StickyPlan& plan, StateStore& state,
                        const Lead& lead, const Assignment& decision) noexcept {
  if (decision.fallback || decision.owner.kind != OwnerKind::kRep ||
      decision.owner.id.empty()) {
    return;
  }
  try {
    // (key name, value) pairs; `keys` points into them once all are read.
    std::vector<std::pair<std::string_view, std::string>> values;
    values.reserve(plan.keys.size());
    const Value* email = lead.Find(kEmailField);
    for (const StickyKeySpec& spec : plan.keys) {
      StickyBuffer buffer;
      std::string_view value =
          StickyValue(spec.kind, lead.Find(spec.field), email, buffer);
      if (value.empty()) continue;
      if (spec.kind == StickyKeyKind::kDomain &&
          std::all_of(plan.domain_filters.begin(), plan.domain_filters.end(),
                      [&](const auto& f) { return f->Ignores(value); })) {
        continue;
      }
      values.emplace_back(spec.name, std::string(value));
    }
    if (values.empty()) return;
    std::vector<StickyKey> keys;
    keys.reserve(values.size());
    for (const auto& [name, value] : values) keys.push_back({name, value});
    state.RememberKeys(keys, decision.owner.id, decision.routed_at,
                       plan.retention);
  } catch (...) {
    // Out of memory: the lead is routed; only its keys are not remembered.
  }
}

}  // namespace leadroute::internal
