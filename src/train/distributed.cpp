#include "train/distributed.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <thread>

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include "util/error.h"

namespace dq::train {

namespace {

using std::chrono::milliseconds;

constexpr auto kHeartbeat = std::chrono::seconds(2);  // leader_only: "still at it" every so often

std::optional<std::string> environment(const char* name) {
  const char* value = std::getenv(name);
  if (!value || !*value) return std::nullopt;
  return std::string(value);
}

int integer(const std::string& text, const std::string& name) {
  char* end = nullptr;
  long value = std::strtol(text.c_str(), &end, 10);
  if (end == text.c_str() || *end != '\0' || value < 0 || value > 1000000) {
    throw Error(name + " must be a whole number (it is \"" + text + "\")");
  }
  return static_cast<int>(value);
}

// The first of the environment variables `names` that is set, as a whole
// number (torchrun's before Slurm's); `fallback` where none is.
int first_integer(std::initializer_list<const char*> names, int fallback) {
  for (const char* name : names) {
    if (auto value = environment(name)) return integer(*value, name);
  }
  return fallback;
}

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "unknown host";
  return name;
}

bool is_loopback(const std::string& host) { return host == "localhost" || host.rfind("127.", 0) == 0 || host == "::1"; }

// The network device Gloo's pairs use: the interface GLOO_SOCKET_IFNAME names
// (as in PyTorch), loopback when the master is on this machine, else the
// address this host's name resolves to.
std::shared_ptr<::gloo::transport::Device> device_for(const std::string& master) {
  if (auto ifname = environment("GLOO_SOCKET_IFNAME")) return c10d::ProcessGroupGloo::createDeviceForInterface(*ifname);
  if (is_loopback(master)) return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
  return c10d::ProcessGroupGloo::createDefaultDevice();
}

}  // namespace

std::pair<std::string, int> parse_master(const std::string& text) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    throw Error("--master must be host:port (it is \"" + text + "\")");
  }
  int port = integer(text.substr(colon + 1), "the port of --master");
  if (port < 1 || port > 65535) throw Error("the port of --master must be 1 to 65535");
  return {text.substr(0, colon), port};
}

GroupOptions group_from_environment(const GroupOptions& flags) {
  GroupOptions g = flags;
  if (g.world_size < 1) g.world_size = first_integer({"WORLD_SIZE", "SLURM_NTASKS"}, 1);
  if (g.rank < 0) g.rank = first_integer({"RANK", "SLURM_PROCID"}, 0);
  if (g.master_addr.empty()) g.master_addr = environment("MASTER_ADDR").value_or("");
  if (g.master_port <= 0) g.master_port = first_integer({"MASTER_PORT"}, 29500);
  if (g.world_size < 1) throw Error("the number of processes (--world-size, WORLD_SIZE) must be at least 1");
  if (g.rank >= g.world_size) {
    throw Error("rank " + std::to_string(g.rank) + " is outside a group of " + std::to_string(g.world_size) +
                " processes (ranks 0 to " + std::to_string(g.world_size - 1) + ")");
  }
  if (g.world_size > 1 && g.master_addr.empty()) {
    throw Error("a group of " + std::to_string(g.world_size) +
                " processes needs rank 0's address: --master host:port, or MASTER_ADDR and MASTER_PORT");
  }
  if (g.timeout_seconds <= 0) throw Error("--timeout must be positive");
  return g;
}

struct ProcessGroup::Impl {
  GroupOptions options;
  std::string host;
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> group;

  // "rank 1 of 2 (host h)"
  std::string me() const {
    return "rank " + std::to_string(options.rank) + " of " + std::to_string(options.world_size) + " (host " + host +
           ")";
  }

  [[noreturn]] void lost(const std::string& what, const std::exception& e) const {
    throw Error(me() + ": the group broke during " + what + " (another process stopped, hung for more than " +
                std::to_string(static_cast<int>(options.timeout_seconds)) +
                " s, or cannot be reached; its own output says why): " + e.what());
  }

  void broadcast(torch::Tensor& message, const std::string& what) {
    std::vector<torch::Tensor> tensors = {message};
    try {
      group->broadcast(tensors)->wait();
    } catch (const std::exception& e) {
      lost(what, e);
    }
  }
};

ProcessGroup::ProcessGroup(const GroupOptions& options) : impl_(std::make_unique<Impl>()) {
  if (options.world_size < 2) throw Error("a process group needs at least two processes");
  impl_->options = options;
  impl_->host = host_name();
  const milliseconds timeout(static_cast<int64_t>(options.timeout_seconds * 1000));
  const std::string where = options.master_addr + ":" + std::to_string(options.master_port);
  // Under torchrun the launcher's agent already serves a store at the master's
  // port (it says so in TORCHELASTIC_USE_AGENT_STORE): every rank joins it as a
  // client. Otherwise rank 0 serves it and waits for the others to arrive.
  const bool agent_store = environment("TORCHELASTIC_USE_AGENT_STORE").value_or("") == "True";
  c10d::TCPStoreOptions store_options;
  store_options.port = static_cast<uint16_t>(options.master_port);
  store_options.isServer = options.rank == 0 && !agent_store;
  store_options.numWorkers = options.world_size;
  store_options.waitWorkers = !agent_store;
  store_options.timeout = timeout;
  try {
    auto tcp = c10::make_intrusive<c10d::TCPStore>(options.master_addr, store_options);
    impl_->store = c10::make_intrusive<c10d::PrefixStore>("deepquartet", tcp);
    auto group_options = c10d::ProcessGroupGloo::Options::create(timeout);
    group_options->devices.push_back(device_for(options.master_addr));
    impl_->group =
        c10::make_intrusive<c10d::ProcessGroupGloo>(impl_->store, options.rank, options.world_size, group_options);
  } catch (const std::exception& e) {
    throw Error(impl_->me() + ": the " + std::to_string(options.world_size) + " processes did not all meet at " +
                where + " within " + std::to_string(static_cast<int>(options.timeout_seconds)) +
                " s (start every rank, with the same --master / MASTER_ADDR and MASTER_PORT): " + e.what());
  }
}

ProcessGroup::~ProcessGroup() = default;

int ProcessGroup::rank() const { return impl_->options.rank; }
int ProcessGroup::size() const { return impl_->options.world_size; }

void ProcessGroup::all_reduce_sum(const std::vector<torch::Tensor>& tensors, const std::string& what) {
  torch::NoGradGuard no_grad;
  size_t first = 0;
  while (first < tensors.size()) {
    // The next bucket: tensors [first, last) of at most kBucketElements values (or one larger tensor).
    size_t last = first;
    int64_t elements = 0;
    while (last < tensors.size() && (last == first || elements + tensors[last].numel() <= kBucketElements)) {
      elements += tensors[last].numel();
      ++last;
    }
    std::vector<torch::Tensor> flat;
    for (size_t i = first; i < last; ++i) flat.push_back(tensors[i].reshape({-1}));
    std::vector<torch::Tensor> bucket = {torch::cat(flat)};
    try {
      impl_->group->allreduce(bucket)->wait();
    } catch (const std::exception& e) {
      impl_->lost(what, e);
    }
    int64_t offset = 0;
    for (size_t i = first; i < last; ++i) {
      const int64_t n = tensors[i].numel();
      tensors[i].copy_(bucket[0].narrow(0, offset, n).view(tensors[i].sizes()));
      offset += n;
    }
    first = last;
  }
}

std::vector<double> ProcessGroup::leader_only(const std::function<std::vector<double>()>& work, int count,
                                              const std::string& what) {
  // A message: [state, values...]; state 1: still working, 0: done, -1: failed.
  auto message = [count] { return torch::zeros({count + 1}, torch::kFloat64); };
  if (!is_leader()) {
    for (;;) {
      torch::Tensor m = message();
      impl_->broadcast(m, what);
      const double state = m[0].item<double>();
      if (state == 1) continue;
      if (state == -1) throw Error(impl_->me() + ": rank 0 failed during " + what + "; its own output says why");
      std::vector<double> values(count);
      for (int i = 0; i < count; ++i) values[i] = m[i + 1].item<double>();
      return values;
    }
  }
  std::mutex mu;
  std::condition_variable wake;
  bool finished = false;
  std::exception_ptr heartbeat_error;
  std::thread heartbeat([&] {
    std::unique_lock<std::mutex> lock(mu);
    while (!wake.wait_for(lock, kHeartbeat, [&] { return finished; })) {
      lock.unlock();
      try {
        torch::Tensor m = message();
        m[0] = 1;
        impl_->broadcast(m, what);
      } catch (...) {
        lock.lock();
        heartbeat_error = std::current_exception();
        return;
      }
      lock.lock();
    }
  });
  std::vector<double> values;
  std::exception_ptr work_error;
  try {
    values = work();
  } catch (...) {
    work_error = std::current_exception();
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    finished = true;
  }
  wake.notify_all();
  heartbeat.join();
  if (heartbeat_error) std::rethrow_exception(heartbeat_error);
  torch::Tensor m = message();
  if (work_error) {
    m[0] = -1;
    try {
      impl_->broadcast(m, what);
    } catch (const Error&) {  // the others are gone already: the work's own error says more
    }
    std::rethrow_exception(work_error);
  }
  if (static_cast<int>(values.size()) != count)
    throw Error("internal error: leader_only work returned the wrong count");
  for (int i = 0; i < count; ++i) m[i + 1] = values[i];
  impl_->broadcast(m, what);
  return values;
}

}  // namespace dq::train
