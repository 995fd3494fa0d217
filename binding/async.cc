#include "async.h"

#include "exports.h"
#include "priority.h"

namespace mxne {

// Threads whose jobs run inline (setInlineJobs): a pool worker's JS thread. Its jobs then run on
// that thread, at its priority, and the Promise is settled before it is returned. A worker gains
// nothing from the libuv pool (it awaits its own jobs in turn), and the pool is the whole
// process's: as many long solves as its 4 threads held them all while a service's HTTP thread
// waited to read or write a file, and threads that had run a solve kept its low priority.
static thread_local bool inlineJobs = false;

// A worker thread terminated under a running job (a pool's worker killed mid-solve) still
// completes the job during its environment's teardown, when JS can no longer run: settling the
// Promise then fails, and node-addon-api would make that failure fatal for the whole process.
// Setting a property is one of the N-API calls that first check whether JS can run; when it
// cannot, nothing is settled (the Promise dies with its environment).
static bool CanRunJs(napi_env env) {
  napi_value probe;
  return napi_create_object(env, &probe) == napi_ok && napi_set_named_property(env, probe, "probe", probe) == napi_ok;
}

// An inline job's Promise, settled with its outcome. In a worker being terminated (its solve was
// cancelled at process exit) no Promise can be made: napi_create_promise fails there and leaves
// its output unset, which returned to V8 crashed the thread. Its caller never runs again, so it
// gets undefined; the kernel may have run into the termination, so JS is checked after it too.
static Napi::Value Settled(Napi::Env env, const char* op, const Status& status, const std::function<napi_value()>& value) {
  if (!CanRunJs(env)) return env.Undefined();
  Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
  if (status.ok()) deferred.Resolve(value());
  else deferred.Reject(ToError(env, op, status).Value());
  return deferred.Promise();
}

Job::Job(Napi::Env env, const char* op, Kernel kernel)
    : Napi::AsyncWorker(env, op), op_(op), kernel_(std::move(kernel)), deferred_(Napi::Promise::Deferred::New(env)) {}

Napi::Value Job::Run(Napi::Env env, const char* op, Kernel kernel, const std::vector<F64>& keep,
                     napi_value result) {
  if (!CanRunJs(env)) return env.Undefined();  // see Settled
  if (inlineJobs) return Settled(env, op, kernel(), [result] { return result; });
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
  if (!CanRunJs(env)) return env.Undefined();  // see Settled
  Napi::Value cancel = options.Get("cancel");
  int32_t* cell = nullptr;
  napi_value cellValue = nullptr;
  if (!cancel.IsUndefined() && !cancel.IsNull() && !ValInt32Array(env, cancel, "cancel", 1, &cell, &cellValue))
    return env.Undefined();
  if (inlineJobs) {
    Control control;
    control.cancel = cell;
    return Settled(env, op, control.Cancelled() ? Status::Cancelled() : kernel(control), [&] { return build(env); });
  }
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

namespace mxne {

namespace {
Napi::Value SetInlineJobs(const Napi::CallbackInfo& info) {
  bool on;
  if (ArgCount(info, 1) && ArgBool(info, 0, "inline", &on)) inlineJobs = on;
  return info.Env().Undefined();
}
}  // namespace

void RegisterAsync(Napi::Env env, Napi::Object exports) {
  exports.Set("setInlineJobs", Napi::Function::New(env, SetInlineJobs, "setInlineJobs"));
}

}  // namespace mxne
