// Sessions of the web server: one per piece a browser tab works on. A
// Session holds the piece (a Score and the positions the user locked), its
// undo/redo history, the alternatives of the last regeneration waiting for
// the user's choice, and the piece's sampling settings. SessionStore keeps
// the sessions in memory, forgetting the least recently used beyond a bound.
//
// Every method of both classes is safe to call from any thread; a Session's
// methods are atomic with respect to each other.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "music/score.h"
#include "sample/sampler.h"

namespace dq::server {

// One state of a piece: what undo and redo step through.
struct PieceState {
  music::Score score;
  sample::FixedMask locked;  // locked[v][t]: the user fixed voice v at tick t
};

struct PieceSettings {
  std::string style;         // a style of the model ("" = its first)
  double temperature = 1.0;  // final sampling temperature
};

// A consistent copy of a session, for work done outside its lock.
struct SessionSnapshot {
  PieceState state;
  PieceSettings settings;
  uint64_t version = 0;  // changes with every change of the state
  bool can_undo = false;
  bool can_redo = false;
  int alternatives = 0;  // alternatives waiting for choose()
};

class Session {
 public:
  static constexpr size_t kMaxHistory = 100;  // states kept for undo

  Session(std::string id, PieceState initial, PieceSettings settings);

  const std::string& id() const { return id_; }
  SessionSnapshot snapshot() const;

  // Applies `change` to a copy of the current state and makes the result the
  // new current state (dropping the redo states and pending alternatives).
  // If `change` throws, nothing changes and the exception propagates.
  void edit(const std::function<void(PieceState&)>& change);
  // Step back or forward through the history; false if there is nothing to
  // undo or redo.
  bool undo();
  bool redo();

  void set_settings(const PieceSettings& settings);

  // Stores the alternatives of a regeneration started at `version`; false
  // (and stores nothing) if the piece has changed since.
  bool set_alternatives(uint64_t version, std::vector<music::Score> alternatives);
  // The pending alternative `index` (nullopt if there is none; the
  // alternatives stay until the state changes).
  std::optional<music::Score> alternative(int index) const;
  // Makes alternative `index` the new state (locks unchanged); false if
  // there is no such alternative.
  bool choose(int index);

  // Last time the session was used, for SessionStore's eviction.
  std::chrono::steady_clock::time_point last_used() const;
  void touch();

 private:
  void push(PieceState state);  // requires mu_

  const std::string id_;
  mutable std::mutex mu_;
  std::vector<PieceState> history_;  // history_[current_] is the current state
  size_t current_ = 0;
  uint64_t version_ = 1;
  PieceSettings settings_;
  std::vector<music::Score> alternatives_;
  std::chrono::steady_clock::time_point last_used_;
};

class SessionStore {
 public:
  explicit SessionStore(size_t max_sessions) : max_sessions_(max_sessions) {}

  // A new session holding `initial`; may forget the least recently used
  // session to stay within max_sessions.
  std::shared_ptr<Session> create(PieceState initial, PieceSettings settings);
  // The session with this id (marking it used), or nullptr.
  std::shared_ptr<Session> find(const std::string& id);
  size_t size() const;

 private:
  const size_t max_sessions_;
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<Session>> sessions_;
};

}  // namespace dq::server
