#include "async.h"

namespace mxne {

Job::Job(Napi::Env env, const char* op, Kernel kernel)
    : Napi::AsyncWorker(env, op), op_(op), kernel_(std::move(kernel)), deferred_(Napi::Promise::Deferred::New(env)) {}

Napi::Promise Job::Run(Napi::Env env, const char* op, Kernel kernel, const std::vector<F64>& keep,
                       napi_value result) {
  Job* job = new Job(env, op, std::move(kernel));
  for (const F64& a : keep) job->refs_.push_back(Napi::Persistent(Napi::Value(env, a.value)));
  job->result_ = Napi::Persistent(Napi::Value(env, result));
  Napi::Promise promise = job->deferred_.Promise();
  job->Queue();
  return promise;
}

void Job::Execute() {
  status_ = kernel_();
  if (!status_.ok()) SetError(status_.message);
}

void Job::OnOK() { deferred_.Resolve(result_.Value()); }

void Job::OnError(const Napi::Error&) { deferred_.Reject(ToError(Env(), op_, status_).Value()); }

}  // namespace mxne
