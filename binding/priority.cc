// Thread CPU priority (Linux nice values are per thread). A service's HTTP thread must win the
// CPU over its solves: the pool's worker threads (which run their native jobs themselves, see
// async.cc) and the libuv threads once they run a native job for another thread (Job / SolveJob
// Execute) raise their own nice value to a target the pool chooses. Raising nice needs no
// privilege; lowering it again does, so a thread is never asked to.
#include <napi.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>

#include "args.h"
#include "exports.h"
#include "priority.h"

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace mxne {

namespace {

// The nice value threads running native jobs raise themselves to; below -20: none asked.
std::atomic<int> jobNice{-21};

#ifdef __linux__
int ThreadId() { return static_cast<int>(syscall(SYS_gettid)); }

// The calling thread's nice value (getpriority returns -1 both as a value and on error).
bool CurrentNice(int* nice) {
  errno = 0;
  int v = getpriority(PRIO_PROCESS, static_cast<id_t>(ThreadId()));
  if (v == -1 && errno != 0) return false;
  *nice = v;
  return true;
}

// Raises the calling thread's nice value to `target` (never lowers it); 0 or errno.
int RaiseNice(int target) {
  int now;
  if (!CurrentNice(&now)) return errno;
  if (now >= target) return 0;
  return setpriority(PRIO_PROCESS, static_cast<id_t>(ThreadId()), target) == 0 ? 0 : errno;
}
#endif

Napi::Value ThreadNice(const Napi::CallbackInfo& info) {
#ifdef __linux__
  int nice;
  if (CurrentNice(&nice)) return Napi::Number::New(info.Env(), nice);
#endif
  return info.Env().Null();
}

Napi::Value SetThreadNice(const Napi::CallbackInfo& info) {
  int64_t target;
  if (!ArgCount(info, 1) || !ArgInt(info, 0, "nice", -20, 19, &target)) return info.Env().Undefined();
#ifdef __linux__
  int err = RaiseNice(static_cast<int>(target));
  if (err != 0) {
    Napi::Error e = Napi::Error::New(info.Env(), std::string("setpriority: ") + std::strerror(err));
    e.Set("code", Napi::String::New(info.Env(), "EPRIORITY"));
    e.ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
#endif
  return ThreadNice(info);
}

Napi::Value SetJobNice(const Napi::CallbackInfo& info) {
  int64_t target;
  if (!ArgCount(info, 1) || !ArgInt(info, 0, "nice", -20, 19, &target)) return info.Env().Undefined();
  int now = jobNice.load();
  // Several pools in one process: the highest target holds (threads cannot come back down).
  while (now < target && !jobNice.compare_exchange_weak(now, static_cast<int>(target))) {
  }
  return info.Env().Undefined();
}

}  // namespace

void ApplyJobPriority() {
#ifdef __linux__
  // The libuv pool's threads live as long as the process: each is reniced once per target.
  thread_local int applied = -21;
  int target = jobNice.load(std::memory_order_relaxed);
  if (target > applied) {
    RaiseNice(target);  // best effort: a job runs the same at any priority
    applied = target;
  }
#endif
}

void RegisterPriority(Napi::Env env, Napi::Object exports) {
  exports.Set("threadNice", Napi::Function::New(env, ThreadNice, "threadNice"));
  exports.Set("setThreadNice", Napi::Function::New(env, SetThreadNice, "setThreadNice"));
  exports.Set("setJobNice", Napi::Function::New(env, SetJobNice, "setJobNice"));
}

}  // namespace mxne
