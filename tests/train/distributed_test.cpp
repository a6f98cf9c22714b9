// Training in a process group (train/distributed.h), run for real: several
// `deepquartet train` processes on loopback, joined through torchrun's
// environment variables or the flags, against one process over the same
// global batches; a rank killed mid-run; a rank that never arrives; a group
// resumed from its checkpoint.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "model/model.h"
#include "support/core_test_util.h"
#include "train/distributed.h"
#include "util/error.h"
#include "util/file_util.h"

namespace dq::testing {
namespace {

using Clock = std::chrono::steady_clock;

// A `deepquartet train` process started in the background.
struct Trainer {
  pid_t pid = -1;
  std::string err;  // its stderr file

  // Waits up to `seconds` for it to end; its exit code, or -1 if it did not end.
  int wait(double seconds) {
    auto deadline = Clock::now() + std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
    for (;;) {
      int status = 0;
      pid_t done = ::waitpid(pid, &status, WNOHANG);
      if (done == pid) {
        pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      if (Clock::now() >= deadline) return -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  std::string log() const { return fs::exists(err) ? util::read_file_bytes(err) : ""; }
  ~Trainer() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
};

// Starts `deepquartet train ARGS -o OUTPUT` in `dir` with `env` ("NAME=value ...").
std::unique_ptr<Trainer> start(const TempDir& dir, const std::string& env, const std::string& args,
                               const std::string& output, const std::string& tag) {
  auto t = std::make_unique<Trainer>();
  t->err = dir.file(tag + ".stderr");
  std::string command = "cd " + dir.path().string() + " && exec env " + env + " " + DQ_BINARY + " train " + args +
                        " -o " + output + " > " + dir.file(tag + ".stdout") + " 2> " + t->err;
  t->pid = ::fork();
  if (t->pid == 0) {
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return t;
}

// A tiny network on two fixtures, without dropout (its masks would differ
// with the split of the batch), with masks and chronological crops.
std::string tiny_args(const TempDir& dir, const std::string& preset) {
  std::string args = "--corpus " + fixture("mx_satb.musicxml") + " " + fixture("kern_basic.krn") + " --preset " +
                     preset + " --lstm-hidden 16 --lstm-layers 1 --linear-hidden 16 --dropout 0" +
                     " --batch 6 --threads 1 --eval-every 1000 --cache-dir " + dir.file("cache");
  if (preset == "fast") return args + " --input-dropout 0 --crop 16 --masking 0.5 --chronological 0.4";
  return args + " --window 4";
}

int port_for(int offset) { return 31000 + (::getpid() % 5000) * 4 + offset; }

std::string torchrun_env(int rank, int world, int port) {
  return "RANK=" + std::to_string(rank) + " WORLD_SIZE=" + std::to_string(world) +
         " MASTER_ADDR=127.0.0.1 MASTER_PORT=" + std::to_string(port);
}

// Largest difference between the parameters of two model files.
double max_difference(const std::string& a, const std::string& b) {
  model::Model x = model::load_model(a), y = model::load_model(b);
  auto px = x.module().parameters(), py = y.module().parameters();
  EXPECT_EQ(px.size(), py.size());
  double worst = 0;
  for (size_t i = 0; i < px.size() && i < py.size(); ++i) {
    worst = std::max(worst, (px[i].to(torch::kFloat64) - py[i].to(torch::kFloat64)).abs().max().item<double>());
  }
  return worst;
}

void expect_same_weights_as_one_process(const std::string& preset, bool flags) {
  TempDir dir("distributed_" + preset);
  const std::string args = tiny_args(dir, preset) + " --steps 4";
  auto one = start(dir, "", args, "one.dqm", "one");
  ASSERT_EQ(one->wait(120), 0) << one->log();
  const int port = port_for(flags ? 1 : 0);
  std::vector<std::unique_ptr<Trainer>> ranks;
  for (int r = 0; r < 2; ++r) {
    std::string group = " --rank " + std::to_string(r) + " --world-size 2 --master 127.0.0.1:" + std::to_string(port);
    ranks.push_back(flags ? start(dir, "", args + group, "two.dqm", "rank" + std::to_string(r))
                          : start(dir, torchrun_env(r, 2, port), args, "two.dqm", "rank" + std::to_string(r)));
  }
  for (auto& r : ranks) ASSERT_EQ(r->wait(120), 0) << r->log();
  EXPECT_LT(max_difference(dir.file("one.dqm"), dir.file("two.dqm")), 1e-4);
  // Other batches (another seed) give weights farther apart than that.
  auto other = start(dir, "", args + " --seed 2", "other.dqm", "other");
  ASSERT_EQ(other->wait(120), 0) << other->log();
  EXPECT_GT(max_difference(dir.file("one.dqm"), dir.file("other.dqm")), 1e-3);
}

TEST(DistributedTraining, TwoProcessesTrainTheWeightsOfOneFast) { expect_same_weights_as_one_process("fast", false); }

TEST(DistributedTraining, TwoProcessesTrainTheWeightsOfOneDeepBachWithFlags) {
  expect_same_weights_as_one_process("deepbach", true);
}

// A killed rank ends the other within 60 s, with exit code 1 and a message;
// --resume then continues the whole group from the last checkpoint.
TEST(DistributedTraining, AKilledRankEndsTheOtherAndTheGroupResumes) {
  TempDir dir("distributed_kill");
  const int port = port_for(2);
  const std::string args = tiny_args(dir, "fast") + " --steps 1000000 --minutes 5 --checkpoint-every 5";
  auto rank0 = start(dir, torchrun_env(0, 2, port), args, "m.dqm", "rank0");
  auto rank1 = start(dir, torchrun_env(1, 2, port), args, "m.dqm", "rank1");
  const std::string checkpoint = dir.file("m.dqm.ckpt");
  for (int i = 0; i < 1200 && !fs::exists(checkpoint); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(fs::exists(checkpoint)) << rank0->log();
  ::kill(rank1->pid, SIGKILL);
  auto killed = Clock::now();
  ASSERT_EQ(rank0->wait(60), 1) << rank0->log();
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - killed).count(), 60);
  EXPECT_NE(rank0->log().find("rank 0 of 2"), std::string::npos) << rank0->log();
  EXPECT_NE(rank0->log().find("the group broke during"), std::string::npos) << rank0->log();

  const std::string resume = tiny_args(dir, "fast") + " --resume --steps 40 --checkpoint-every 5";
  auto again0 = start(dir, torchrun_env(0, 2, port + 100), resume, "m.dqm", "again0");
  auto again1 = start(dir, torchrun_env(1, 2, port + 100), resume, "m.dqm", "again1");
  ASSERT_EQ(again0->wait(120), 0) << again0->log();
  ASSERT_EQ(again1->wait(60), 0) << again1->log();
  EXPECT_NE(again0->log().find("Resuming at step"), std::string::npos) << again0->log();
  EXPECT_EQ(again0->log().find("Resuming at step 0 "), std::string::npos) << again0->log();
  EXPECT_NE(util::read_file_bytes(dir.file("again0.stdout")).find("trained 40 steps"), std::string::npos);
}

// A rank that never arrives ends the one waiting after --timeout, naming
// where it waited.
TEST(DistributedTraining, ARankThatNeverArrivesEndsTheOthersAfterTheTimeout) {
  TempDir dir("distributed_alone");
  auto alone =
      start(dir, torchrun_env(0, 2, port_for(3)), tiny_args(dir, "fast") + " --steps 3 --timeout 3", "m.dqm", "alone");
  ASSERT_EQ(alone->wait(60), 1) << alone->log();
  EXPECT_NE(alone->log().find("did not all meet at 127.0.0.1:" + std::to_string(port_for(3))), std::string::npos)
      << alone->log();
  EXPECT_FALSE(fs::exists(dir.file("m.dqm")));
}

TEST(DistributedTraining, TheEnvironmentAndTheFlagsMakeAGroup) {
  train::GroupOptions flags;
  flags.rank = 1;
  flags.world_size = 3;
  flags.master_addr = "node7";
  flags.master_port = 1234;
  train::GroupOptions g = train::group_from_environment(flags);
  EXPECT_EQ(g.rank, 1);
  EXPECT_EQ(g.world_size, 3);
  EXPECT_EQ(g.master_addr, "node7");
  EXPECT_EQ(g.master_port, 1234);
  EXPECT_EQ(train::parse_master("10.0.0.2:29500"), std::make_pair(std::string("10.0.0.2"), 29500));
  EXPECT_THROW(train::parse_master("10.0.0.2"), dq::Error);
  EXPECT_THROW(train::parse_master("host:99999"), dq::Error);
  flags.rank = 3;
  EXPECT_THROW(train::group_from_environment(flags), dq::Error);
  flags.rank = 0;
  flags.master_addr.clear();
  ::unsetenv("MASTER_ADDR");
  EXPECT_THROW(train::group_from_environment(flags), dq::Error);
  ::setenv("SLURM_PROCID", "2", 1);
  ::setenv("SLURM_NTASKS", "4", 1);
  ::setenv("MASTER_ADDR", "head", 1);
  train::GroupOptions slurm = train::group_from_environment(train::GroupOptions{-1, 0, "", 0, 60});
  ::unsetenv("SLURM_PROCID");
  ::unsetenv("SLURM_NTASKS");
  ::unsetenv("MASTER_ADDR");
  EXPECT_EQ(slurm.rank, 2);
  EXPECT_EQ(slurm.world_size, 4);
  EXPECT_EQ(slurm.master_addr, "head");
  EXPECT_EQ(slurm.master_port, 29500);
}

}  // namespace
}  // namespace dq::testing
