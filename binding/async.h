// Async exports share one baton: the pure kernel runs in Execute() on a libuv thread, every typed
// array it touches is held by a reference so the GC cannot free it, and the result settles a
// Promise. Execute() never calls N-API.
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
  static Napi::Promise Run(Napi::Env env, const char* op, Kernel kernel, const std::vector<F64>& keep,
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
