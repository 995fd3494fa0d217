// Async exports share one baton: the pure kernel runs in Execute() on a libuv thread, every typed
// array it touches is held by a reference so the GC cannot free it, and the result settles a
// Promise. Execute() never calls N-API. On a thread that runs its jobs inline (setInlineJobs: a
// pool worker) the kernel runs at once, on that thread, and the Promise comes back settled.
#pragma once
#include <napi.h>

#include <functional>
#include <string>
#include <vector>

#include "args.h"
#include "status.h"

namespace mxne {

class Job : public Napi::AsyncWorker {
 public:
  using Kernel = std::function<Status()>;

  // `keep`: the arrays read or written by `kernel`; `result`: what the Promise resolves to.
  static Napi::Value Run(Napi::Env env, const char* op, Kernel kernel, const std::vector<F64>& keep,
                           napi_value result);

  void Execute() override;
  void OnOK() override;
  void OnError(const Napi::Error& e) override;

 private:
  Job(Napi::Env env, const char* op, Kernel kernel);

  std::string op_;
  Kernel kernel_;
  Status status_;
  Napi::Promise::Deferred deferred_;
  std::vector<Napi::Reference<Napi::Value>> refs_;
  Napi::Reference<Napi::Value> result_;
};

}  // namespace mxne

#include <memory>

#include "control.h"

namespace mxne {

// The template for long solves: one options object in, a Promise out. From the options it reads
// `cancel` (an Int32Array(1) JS sets to stop the job; checked between epochs). The kernel runs in
// Execute() with the Control; `build` makes the resolved value on the main thread.
class SolveJob : public Napi::AsyncWorker {
 public:
  using Kernel = std::function<Status(const Control&)>;
  using Build = std::function<Napi::Value(Napi::Env)>;

  // Returns an empty Promise value (with a JS exception pending) when `cancel` is invalid.
  static Napi::Value Run(Napi::Env env, const char* op, Napi::Object options, const std::vector<napi_value>& keep,
                         Kernel kernel, Build build);

  void Execute() override;
  void OnOK() override;
  void OnError(const Napi::Error& e) override;

 private:
  SolveJob(Napi::Env env, const char* op, Kernel kernel, Build build);

  std::string op_;
  Kernel kernel_;
  Build build_;
  Status status_;
  Control control_;
  Napi::Promise::Deferred deferred_;
  std::vector<Napi::Reference<Napi::Value>> refs_;
};

}  // namespace mxne
