// Router: what happens to a lead after its first decision (reassign,
// transfer, orphaned leads), load corrections and saved state
// (docs/lifecycle.md). The atomic steps live in the StateStore; this file
// decides what to ask of it.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "leadroute/router.h"
#include "router_impl.h"
#include "strategies/sticky.h"
#include "trip.h"

LEADROUTE_NAMESPACE_BEGIN

namespace {

// A reassignment that loses a race with another replacement of the same lead
// re-reads the record and routes again, this many times in all.
constexpr int kReassignAttempts = 4;

std::string ErrnoText(int error) {
  return std::generic_category().message(error);
}

Status FileError(std::string_view what, const std::string& path, int error) {
  return Status::Internal(std::string(what) + " \"" + path +
                          "\": " + ErrnoText(error));
}

// Writes all of `data` to `fd`, retrying short writes and EINTR.
bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// The directory part of `path` ("." when it has none).
std::string DirectoryOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

Result<Assignment> Router::Reassign(std::string_view lead_id,
                                    ChangeReason reason) noexcept {
  try {
    StateStore& state = *impl_->state;
    for (int attempt = 0; attempt < kReassignAttempts; ++attempt) {
      std::optional<LeadRecord> record = state.FindRecord(lead_id);
      if (!record) {
        return UnknownLeadError(lead_id);
      }
      if (record->lead == nullptr) {
        return Status::FailedPrecondition(
            "lead \"" + std::string(lead_id) +
            "\" was recorded without its fields and cannot be routed again");
      }
      std::vector<std::string> excluded = std::move(record->excluded);
      const Owner& owner = record->decision.owner;
      if (owner.kind == OwnerKind::kRep) excluded.push_back(owner.id);
      Replacement replace{record->version, reason};
      internal::TripOptions options;
      options.excluded = excluded;
      options.replace = &replace;
      std::shared_ptr<const internal::Snapshot> snapshot = impl_->Load();
      Assignment decision = internal::RunTrip(*snapshot, state, *record->lead,
                                              impl_->clock->Now(), options);
      // `repeated`: another replacement (or a release) came first; the
      // record is read again.
      if (!decision.repeated) {
        if (snapshot->rules->sticky != nullptr) {
          internal::RememberStickyKeys(*snapshot->rules->sticky, state,
                                       *record->lead, decision);
        }
        impl_->Reassigned(decision);  // fills `due`, calls on_reassigned
        return decision;
      }
    }
    std::optional<Assignment> current = state.Find(lead_id);
    if (!current) {
      return UnknownLeadError(lead_id);
    }
    current->repeated = true;
    return std::move(*current);
  } catch (...) {
    return Status::Internal("out of memory reassigning a lead");
  }
}

Result<Assignment> Router::Transfer(std::string_view lead_id,
                                    std::string_view rep_id) noexcept {
  try {
    std::shared_ptr<const internal::Snapshot> snapshot = impl_->Load();
    const Roster& roster = *snapshot->rules->roster;
    RepIndex rep = roster.Find(rep_id);
    if (rep == kNoRep) {
      return Status::NotFound("unknown rep \"" + std::string(rep_id) + "\"");
    }
    if (!roster.rep(rep).active) {
      return Status::FailedPrecondition("rep \"" + std::string(rep_id) +
                                        "\" is inactive");
    }
    Result<Assignment> moved = impl_->state->Transfer(
        lead_id, Owner::Rep(std::string(rep_id)), impl_->clock->Now());
    if (!moved.ok()) return moved;
    // The lead's keys follow it to its new owner (the record keeps the
    // lead, when it was routed with its fields).
    if (snapshot->rules->sticky != nullptr) {
      std::optional<LeadRecord> record = impl_->state->FindRecord(lead_id);
      if (record && record->lead != nullptr) {
        internal::RememberStickyKeys(*snapshot->rules->sticky, *impl_->state,
                                     *record->lead, *moved);
      }
    }
    impl_->Reassigned(*moved);  // `due`, on_reassigned
    return moved;
  } catch (...) {
    return Status::Internal("out of memory transferring a lead");
  }
}

Status Router::Reconcile(std::string_view rep_id, int32_t open_count) noexcept {
  return impl_->state->Reconcile(rep_id, open_count);
}

Status Router::SetClaimHistory(std::string_view rep_id,
                               std::span<const Instant> claims) noexcept {
  return impl_->state->SetClaimHistory(rep_id, claims);
}

std::vector<std::string> Router::OrphanedLeads(std::string_view rep_id) const {
  std::vector<std::string> leads;
  impl_->state->ForEachRecord([&](const LeadRecord& record) {
    const Owner& owner = record.decision.owner;
    if (owner.kind == OwnerKind::kRep && owner.id == rep_id) {
      leads.push_back(record.decision.lead_id);
    }
  });
  std::sort(leads.begin(), leads.end());
  return leads;
}

std::vector<std::string> Router::OrphanedLeads() const {
  std::shared_ptr<const internal::Snapshot> snapshot = impl_->Load();
  const Roster& roster = *snapshot->rules->roster;
  std::vector<std::string> leads;
  impl_->state->ForEachRecord([&](const LeadRecord& record) {
    const Owner& owner = record.decision.owner;
    if (owner.kind != OwnerKind::kRep) return;
    RepIndex rep = roster.Find(owner.id);
    if (rep == kNoRep || !roster.rep(rep).active) {
      leads.push_back(record.decision.lead_id);
    }
  });
  std::sort(leads.begin(), leads.end());
  return leads;
}

Status Router::SaveState(const std::string& path) const {
  Result<std::string> text = impl_->state->SaveSnapshot();
  if (!text.ok()) return text.status();
  // A temp file beside `path` (rename is atomic only within a file system),
  // synced before the rename so that the name never points at a file whose
  // data is not on disk; the directory is synced so that the rename is.
  std::string temp = path + ".XXXXXX";
  int fd = ::mkstemp(temp.data());
  if (fd < 0) return FileError("creating a temp file for", path, errno);
  auto fail = [&](std::string_view what) {
    int error = errno;
    ::close(fd);
    ::unlink(temp.c_str());
    return FileError(what, temp, error);
  };
  if (::fchmod(fd, 0644) != 0) return fail("setting the mode of");
  if (!WriteAll(fd, *text)) return fail("writing");
  if (::fsync(fd) != 0) return fail("syncing");
  if (::close(fd) != 0) {
    int error = errno;
    ::unlink(temp.c_str());
    return FileError("closing", temp, error);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    int error = errno;
    ::unlink(temp.c_str());
    return FileError("renaming a temp file over", path, error);
  }
  std::string dir = DirectoryOf(path);
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return FileError("opening the directory", dir, errno);
  int synced = ::fsync(dir_fd);
  int error = errno;
  ::close(dir_fd);
  if (synced != 0) return FileError("syncing the directory", dir, error);
  return Status();
}

Status Router::LoadState(const std::string& path) {
  std::string text;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return FileError("opening the state file", path, errno);
  char buffer[1 << 16];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      int error = errno;
      ::close(fd);
      return FileError("reading the state file", path, error);
    }
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  Status loaded = impl_->state->LoadSnapshot(text);
  if (loaded.ok()) return loaded;
  return Status(loaded.code(), "state file \"" + path +
                                   "\": " + std::string(loaded.message()));
}

LEADROUTE_NAMESPACE_END
