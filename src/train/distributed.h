// Training across processes and machines on torch.distributed's engine:
// c10d's ProcessGroupGloo over a TCPStore, both from the LibTorch the project
// already links (no transport of our own). A ProcessGroup joins the group a
// launcher describes (torchrun's RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT;
// Slurm's SLURM_PROCID and SLURM_NTASKS; or flags), sums gradients over the
// ranks (bucketed), and lets rank 0 alone validate and write files while the
// others wait.
//
// Faults: a peer that dies breaks its connections and the others' next
// collective fails at once; a peer that hangs, or never arrives, ends the
// others after GroupOptions::timeout_seconds. Either way the survivors throw
// dq::Error naming their rank and host, the peer and what they were doing.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

namespace dq::train {

struct GroupOptions {
  int rank = 0;
  int world_size = 1;           // 1: a single process, no group
  std::string master_addr;      // host of rank 0, which runs the TCPStore
  int master_port = 29500;      // torchrun's default
  double timeout_seconds = 60;  // longest wait for a peer: arrival, a collective
};

// The group the environment describes, with the explicit values in `flags`
// taking precedence (flags.rank < 0, world_size < 1, empty master_addr or
// master_port <= 0 mean "not given"). Reads RANK / WORLD_SIZE (torchrun) or
// SLURM_PROCID / SLURM_NTASKS, and MASTER_ADDR / MASTER_PORT. Throws
// dq::Error naming the variable or flag if the values do not make a group
// (a rank outside [0, world_size), no master for a world of two or more).
GroupOptions group_from_environment(const GroupOptions& flags);

// "host:port" as {host, port}; throws dq::Error if it is not one.
std::pair<std::string, int> parse_master(const std::string& text);

class ProcessGroup {
 public:
  // Joins the group: returns once all world_size processes have arrived, or
  // throws dq::Error after the timeout. world_size must be at least 2.
  explicit ProcessGroup(const GroupOptions& options);
  ~ProcessGroup();
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;

  int rank() const;
  int size() const;
  bool is_leader() const { return rank() == 0; }

  // Sums `tensors` (float32, contiguous or not) over the ranks, in place,
  // packed into buckets of at most kBucketElements values. `what` names the
  // step for the error message.
  void all_reduce_sum(const std::vector<torch::Tensor>& tensors, const std::string& what);

  // Runs `work` on rank 0 only, however long it takes, while the other ranks
  // wait (rank 0 tells them every few seconds that it is still at it, so that
  // a long validation is not taken for a hung peer); then every rank returns
  // the `count` numbers `work` returned on rank 0. If `work` throws on rank 0,
  // the others throw dq::Error saying so, and rank 0 rethrows.
  std::vector<double> leader_only(const std::function<std::vector<double>()>& work, int count, const std::string& what);

  static constexpr int64_t kBucketElements = 1 << 22;  // 16 MB of float32 per collective

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dq::train
