#include "server/session.h"

#include <algorithm>

#include "server/random_id.h"

namespace dq::server {

Session::Session(std::string id, PieceState initial, PieceSettings settings)
    : id_(std::move(id)), settings_(std::move(settings)), last_used_(std::chrono::steady_clock::now()) {
  history_.push_back(std::move(initial));
}

SessionSnapshot Session::snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  SessionSnapshot s;
  s.state = history_[current_];
  s.settings = settings_;
  s.version = version_;
  s.can_undo = current_ > 0;
  s.can_redo = current_ + 1 < history_.size();
  s.alternatives = static_cast<int>(alternatives_.size());
  return s;
}

void Session::push(PieceState state) {
  history_.resize(current_ + 1);
  history_.push_back(std::move(state));
  if (history_.size() > kMaxHistory) history_.erase(history_.begin());
  current_ = history_.size() - 1;
  ++version_;
  alternatives_.clear();
}

void Session::edit(const std::function<void(PieceState&)>& change) {
  std::lock_guard<std::mutex> lock(mu_);
  PieceState next = history_[current_];
  change(next);
  push(std::move(next));
}

bool Session::undo() {
  std::lock_guard<std::mutex> lock(mu_);
  if (current_ == 0) return false;
  --current_;
  ++version_;
  alternatives_.clear();
  return true;
}

bool Session::redo() {
  std::lock_guard<std::mutex> lock(mu_);
  if (current_ + 1 >= history_.size()) return false;
  ++current_;
  ++version_;
  alternatives_.clear();
  return true;
}

void Session::set_settings(const PieceSettings& settings) {
  std::lock_guard<std::mutex> lock(mu_);
  settings_ = settings;
}

bool Session::set_alternatives(uint64_t version, std::vector<music::Score> alternatives) {
  std::lock_guard<std::mutex> lock(mu_);
  if (version != version_) return false;
  alternatives_ = std::move(alternatives);
  return true;
}

std::optional<music::Score> Session::alternative(int index) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (index < 0 || index >= static_cast<int>(alternatives_.size())) return std::nullopt;
  return alternatives_[index];
}

bool Session::choose(int index) {
  std::lock_guard<std::mutex> lock(mu_);
  if (index < 0 || index >= static_cast<int>(alternatives_.size())) return false;
  PieceState next{alternatives_[index], history_[current_].locked};
  push(std::move(next));
  return true;
}

std::chrono::steady_clock::time_point Session::last_used() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_used_;
}

void Session::touch() {
  std::lock_guard<std::mutex> lock(mu_);
  last_used_ = std::chrono::steady_clock::now();
}

std::shared_ptr<Session> SessionStore::create(PieceState initial, PieceSettings settings) {
  auto session = std::make_shared<Session>(random_id(), std::move(initial), std::move(settings));
  std::lock_guard<std::mutex> lock(mu_);
  while (!sessions_.empty() && sessions_.size() >= max_sessions_) {
    auto oldest = std::min_element(sessions_.begin(), sessions_.end(), [](const auto& a, const auto& b) {
      return a.second->last_used() < b.second->last_used();
    });
    sessions_.erase(oldest);
  }
  sessions_[session->id()] = session;
  return session;
}

std::shared_ptr<Session> SessionStore::find(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return nullptr;
  it->second->touch();
  return it->second;
}

size_t SessionStore::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sessions_.size();
}

}  // namespace dq::server
