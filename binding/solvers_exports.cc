// N-API face of solvers.h: l21SolveDriverAsync runs a whole MxNE or irMxNE solve as one job and
// resolves to { X, active, E, history, gap, converged, epochs, outer } sized to the result.
#include <napi.h>

#include <cmath>
#include <string>
#include <vector>

#include "args.h"
#include "exports.h"
#include "solvers.h"

namespace mxne {
namespace {

constexpr int64_t kMaxDim = 2147483647;

class DriverJob : public Napi::AsyncWorker {
 public:
  DriverJob(Napi::Env env, std::vector<napi_value> keep) : Napi::AsyncWorker(env, "l21Driver"), deferred_(Napi::Promise::Deferred::New(env)) {
    for (napi_value v : keep) refs_.push_back(Napi::Persistent(Napi::Value(env, v)));
  }
  Napi::Promise Promise() { return deferred_.Promise(); }

  int m = 0, n = 0, T = 0, nMxneIter = 0;
  const double* M = nullptr;
  const double* G = nullptr;
  const double* weightInit = nullptr;
  const double* GtMt = nullptr;
  double alpha = 0;
  L21Options o;

  void Execute() override {
    status_ = nMxneIter == 0 ? MixedNormSolve(m, n, T, M, G, GtMt, alpha, o, &r_)
                             : IterativeMixedNormSolve(m, n, T, M, G, alpha, nMxneIter, o, weightInit, &r_);
    if (!status_.ok()) SetError(status_.message);
  }

  void OnOK() override {
    Napi::Env env = Env();
    auto f64 = [&](const std::vector<double>& v) {
      Napi::Float64Array a = Napi::Float64Array::New(env, v.size());
      std::copy(v.begin(), v.end(), a.Data());
      return a;
    };
    auto i32 = [&](const std::vector<int>& v) {
      Napi::Int32Array a = Napi::Int32Array::New(env, v.size());
      std::copy(v.begin(), v.end(), a.Data());
      return a;
    };
    Napi::Object out = Napi::Object::New(env);
    out.Set("X", f64(r_.X));
    out.Set("active", i32(r_.active));
    out.Set("E", f64(r_.E));
    Napi::Array history = Napi::Array::New(env, r_.history.size());
    for (size_t k = 0; k < r_.history.size(); k++) history.Set(uint32_t(k), i32(r_.history[k]));
    out.Set("history", history);
    out.Set("gap", Napi::Number::New(env, r_.gap));
    out.Set("converged", Napi::Boolean::New(env, r_.converged));
    out.Set("epochs", Napi::Number::New(env, r_.epochs));
    out.Set("outer", Napi::Number::New(env, r_.outer));
    deferred_.Resolve(out);
  }

  void OnError(const Napi::Error&) override { deferred_.Reject(ToError(Env(), "l21Driver", status_).Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  std::vector<Napi::Reference<Napi::Value>> refs_;
  Status status_;
  L21Result r_;
};


// l21DriverAsync(m, n, T, M, G, alpha, nMxneIter (0: MxNE), maxit, tol, activeSetSize (0: none),
//                debias, nOrient, cd, dgapFreq, weightInit | null, GtMt | null)
Napi::Value L21DriverAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t m, n, T, iter, maxit, ass, no, dgap;
  double alpha, tol;
  bool debias, cd;
  F64 M, G, W;
  size_t mT, mn;
  if (!ArgCount(info, 16) || !ArgInt(info, 0, "m", 0, kMaxDim, &m) || !ArgInt(info, 1, "n", 0, kMaxDim, &n) ||
      !ArgInt(info, 2, "T", 0, kMaxDim, &T) || !Size(env, "M", m, T, &mT) || !ArgF64Finite(info, 3, "M", mT, &M) ||
      !Size(env, "G", m, n, &mn) || !ArgF64Finite(info, 4, "G", mn, &G) || !ArgFinite(info, 5, "alpha", &alpha) ||
      !ArgInt(info, 6, "nMxneIter", 0, kMaxDim, &iter) || !ArgInt(info, 7, "maxit", 1, kMaxDim, &maxit) ||
      !ArgFinite(info, 8, "tol", &tol) || !ArgInt(info, 9, "activeSetSize", 0, kMaxDim, &ass) || !ArgBool(info, 10, "debias", &debias) ||
      !ArgInt(info, 11, "nOrient", 1, 3, &no) || !ArgBool(info, 12, "cd", &cd) || !ArgInt(info, 13, "dgapFreq", 1, kMaxDim, &dgap))
    return env.Undefined();
  if (n % no != 0) { ArgFail(env, "Expected a multiple of nOrient (" + std::to_string(no) + ") for n but received " + std::to_string(n)); return env.Undefined(); }
  if (cd && no != 1) { ArgFail(env, "Expected nOrient 1 for coordinate descent but received " + std::to_string(no)); return env.Undefined(); }
  if (alpha < 0) { ArgFail(env, "Expected alpha >= 0 but received " + std::to_string(alpha)); return env.Undefined(); }
  const bool hasWeights = !info[14].IsNull() && !info[14].IsUndefined();
  if (hasWeights) {
    if (!ArgF64Finite(info, 14, "weightInit", size_t(n), &W)) return env.Undefined();
    for (size_t k = 0; k < W.length; k++)
      if (W.data[k] < 0) { ArgFail(env, "Expected weightInit >= 0 but element " + std::to_string(k) + " is " + std::to_string(W.data[k])); return env.Undefined(); }
  }
  const bool hasGtMt = !info[15].IsNull() && !info[15].IsUndefined();
  F64 GtMt;
  if (hasGtMt && !ArgF64Finite(info, 15, "GtMt", size_t(T) * size_t(n), &GtMt)) return env.Undefined();
  std::vector<napi_value> keep{M.value, G.value};
  if (hasWeights) keep.push_back(W.value);
  if (hasGtMt) keep.push_back(GtMt.value);
  DriverJob* job = new DriverJob(env, keep);
  job->m = int(m); job->n = int(n); job->T = int(T); job->nMxneIter = int(iter);
  job->M = M.data; job->G = G.data; job->weightInit = hasWeights ? W.data : nullptr; job->alpha = alpha;
  job->GtMt = hasGtMt ? GtMt.data : nullptr;
  job->o.maxit = int(maxit); job->o.tol = tol; job->o.activeSetSize = int(ass); job->o.debias = debias;
  job->o.nOrient = int(no); job->o.cd = cd; job->o.dgapFreq = int(dgap);
  Napi::Promise p = job->Promise();
  job->Queue();
  return p;
}

}  // namespace

void RegisterSolvers(Napi::Env env, Napi::Object exports) {
  exports.Set("l21DriverAsync", Napi::Function::New(env, L21DriverAsync, "l21DriverAsync"));
}

}  // namespace mxne
