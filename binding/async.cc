#include "async.h"

#include "priority.h"

namespace mxne {

// A worker thread terminated under a running job (a pool's worker killed mid-solve) still
// completes the job during its environment's teardown, when JS can no longer run: settling the
// Promise then fails, and node-addon-api would make that failure fatal for the whole process.
// Setting a property is one of the N-API calls that first check whether JS can run; when it
// cannot, nothing is settled (the Promise dies with its environment).
static bool CanRunJs(napi_env env) {
  napi_value probe;
  return napi_create_object(env, &probe) == napi_ok && napi_set_named_property(env, probe, "probe", probe) == napi_ok;
}

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
  ApplyJobPriority();
  status_ = kernel_();
  if (!status_.ok()) SetError(status_.message);
}

void Job::OnOK() {
  if (CanRunJs(Env())) deferred_.Resolve(result_.Value());
}

void Job::OnError(const Napi::Error&) {
  if (CanRunJs(Env())) deferred_.Reject(ToError(Env(), op_, status_).Value());
}

}  // namespace mxne

namespace mxne {

SolveJob::SolveJob(Napi::Env env, const char* op, Kernel kernel, Build build)
    : Napi::AsyncWorker(env, op), op_(op), kernel_(std::move(kernel)), build_(std::move(build)),
      deferred_(Napi::Promise::Deferred::New(env)) {}

Napi::Value SolveJob::Run(Napi::Env env, const char* op, Napi::Object options, const std::vector<napi_value>& keep,
                          Kernel kernel, Build build) {
  Napi::Value cancel = options.Get("cancel");
  int32_t* cell = nullptr;
  napi_value cellValue = nullptr;
  if (!cancel.IsUndefined() && !cancel.IsNull() && !ValInt32Array(env, cancel, "cancel", 1, &cell, &cellValue))
    return env.Undefined();
  SolveJob* job = new SolveJob(env, op, std::move(kernel), std::move(build));
  for (napi_value v : keep) job->refs_.push_back(Napi::Persistent(Napi::Value(env, v)));
  if (cell != nullptr) {
    job->refs_.push_back(Napi::Persistent(Napi::Value(env, cellValue)));
    job->control_.cancel = cell;
  }
  Napi::Promise promise = job->deferred_.Promise();
  job->Queue();
  return promise;
}

void SolveJob::Execute() {
  ApplyJobPriority();
  status_ = control_.Cancelled() ? Status::Cancelled() : kernel_(control_);
  if (!status_.ok()) SetError(status_.message);
}

void SolveJob::OnOK() {
  if (CanRunJs(Env())) deferred_.Resolve(build_(Env()));
}

void SolveJob::OnError(const Napi::Error&) {
  if (CanRunJs(Env())) deferred_.Reject(ToError(Env(), op_, status_).Value());
}

}  // namespace mxne
