// N-API face of solvers.h and of compute_bias, each a SolveJob (async.h) taking one options object:
//   l21SolveAsync({ M, G, m, n, T, alpha, nMxneIter (0: MxNE), maxit, tol, activeSetSize (0: none),
//                   nOrient, cd, dgapFreq, weightInit?, GtMt?, cancel?, onProgress? })
//     -> { X, active, E, history, gap, converged, epochs, outer } sized to the result
//   computeBiasAsync({ M, GA, X, B, m, n, T, maxIter, tol, nOrient, cancel? })
//     -> { D, iterations, converged }
#include <napi.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "args.h"
#include "async.h"
#include "exports.h"
#include "kernels.h"
#include "solvers.h"

namespace mxne {
namespace {

constexpr int64_t kMaxDim = 2147483647;

Napi::Float64Array F64Of(Napi::Env env, const std::vector<double>& v) {
  Napi::Float64Array a = Napi::Float64Array::New(env, v.size());
  std::copy(v.begin(), v.end(), a.Data());
  return a;
}

Napi::Int32Array I32Of(Napi::Env env, const std::vector<int>& v) {
  Napi::Int32Array a = Napi::Int32Array::New(env, v.size());
  std::copy(v.begin(), v.end(), a.Data());
  return a;
}

bool Present(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  return !v.IsUndefined() && !v.IsNull();
}

Napi::Value L21SolveAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o;
  int64_t m, n, T, iter, maxit, ass, no, dgap;
  double alpha, tol;
  bool cd;
  F64 M, G, W, GtMt;
  size_t mT, mn;
  if (!ArgCount(info, 1) || !ArgObject(info, 0, "options", &o) || !ValInt(env, o.Get("m"), "m", 0, kMaxDim, &m) ||
      !ValInt(env, o.Get("n"), "n", 0, kMaxDim, &n) || !ValInt(env, o.Get("T"), "T", 0, kMaxDim, &T) || !Size(env, "M", m, T, &mT) ||
      !ValF64Finite(env, o.Get("M"), "M", mT, &M) || !Size(env, "G", m, n, &mn) || !ValF64Finite(env, o.Get("G"), "G", mn, &G) ||
      !ValFinite(env, o.Get("alpha"), "alpha", &alpha) || !ValInt(env, o.Get("nMxneIter"), "nMxneIter", 0, kMaxDim, &iter) ||
      !ValInt(env, o.Get("maxit"), "maxit", 1, kMaxDim, &maxit) || !ValFinite(env, o.Get("tol"), "tol", &tol) ||
      !ValInt(env, o.Get("activeSetSize"), "activeSetSize", 0, kMaxDim, &ass) ||
      !ValInt(env, o.Get("nOrient"), "nOrient", 1, kMaxDim, &no) || !ValBool(env, o.Get("cd"), "cd", &cd) ||
      !ValInt(env, o.Get("dgapFreq"), "dgapFreq", 1, kMaxDim, &dgap))
    return env.Undefined();
  if (n % no != 0) return ArgFail(env, "Expected a multiple of nOrient (" + std::to_string(no) + ") for n but received " + std::to_string(n)), env.Undefined();
  if (cd && no != 1) return ArgFail(env, "Expected nOrient 1 for coordinate descent but received " + std::to_string(no)), env.Undefined();
  if (alpha < 0) return ArgFail(env, "Expected alpha >= 0 but received " + std::to_string(alpha)), env.Undefined();
  if (tol < 0) return ArgFail(env, "Expected tol >= 0 but received " + std::to_string(tol)), env.Undefined();
  const bool hasWeights = Present(o, "weightInit"), hasGtMt = Present(o, "GtMt");
  if (hasWeights) {
    if (!ValF64Finite(env, o.Get("weightInit"), "weightInit", size_t(n), &W)) return env.Undefined();
    for (size_t k = 0; k < W.length; k++)
      if (W.data[k] < 0) return ArgFail(env, "Expected weightInit >= 0 but element " + std::to_string(k) + " is " + std::to_string(W.data[k])), env.Undefined();
  }
  if (hasGtMt && !ValF64Finite(env, o.Get("GtMt"), "GtMt", size_t(T) * size_t(n), &GtMt)) return env.Undefined();
  std::vector<napi_value> keep{M.value, G.value};
  if (hasWeights) keep.push_back(W.value);
  if (hasGtMt) keep.push_back(GtMt.value);
  L21Options opts;
  opts.maxit = int(maxit);
  opts.tol = tol;
  opts.activeSetSize = int(ass);
  opts.nOrient = int(no);
  opts.cd = cd;
  opts.dgapFreq = int(dgap);
  auto r = std::make_shared<L21Result>();
  const int mi = int(m), ni = int(n), Ti = int(T), nIter = int(iter);
  const double* Md = M.data;
  const double* Gd = G.data;
  const double* Wd = hasWeights ? W.data : nullptr;
  const double* GtMtd = hasGtMt ? GtMt.data : nullptr;
  return SolveJob::Run(
      env, "l21Solve", o, keep,
      [=](const Control& control) {
        return nIter == 0 ? MixedNormSolve(mi, ni, Ti, Md, Gd, GtMtd, alpha, opts, control, r.get())
                          : IterativeMixedNormSolve(mi, ni, Ti, Md, Gd, alpha, nIter, opts, Wd, control, r.get());
      },
      [r](Napi::Env env) -> Napi::Value {
        Napi::Object out = Napi::Object::New(env);
        out.Set("X", F64Of(env, r->X));
        out.Set("active", I32Of(env, r->active));
        out.Set("E", F64Of(env, r->E));
        Napi::Array history = Napi::Array::New(env, r->history.size());
        for (size_t k = 0; k < r->history.size(); k++) history.Set(uint32_t(k), I32Of(env, r->history[k]));
        out.Set("history", history);
        out.Set("gap", Napi::Number::New(env, r->gap));
        out.Set("converged", Napi::Boolean::New(env, r->converged));
        out.Set("epochs", Napi::Number::New(env, r->epochs));
        out.Set("outer", Napi::Number::New(env, r->outer));
        return out;
      });
}

Napi::Value ComputeBiasAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o;
  int64_t m, n, T, maxIter, no;
  double tol;
  F64 M, GA, X, B;
  size_t mT, mn, nT, nn;
  if (!ArgCount(info, 1) || !ArgObject(info, 0, "options", &o) || !ValInt(env, o.Get("m"), "m", 0, kMaxDim, &m) ||
      !ValInt(env, o.Get("n"), "n", 0, kMaxDim, &n) || !ValInt(env, o.Get("T"), "T", 0, kMaxDim, &T) ||
      !Size(env, "M", m, T, &mT) || !ValF64Finite(env, o.Get("M"), "M", mT, &M) || !Size(env, "GA", m, n, &mn) ||
      !ValF64Finite(env, o.Get("GA"), "GA", mn, &GA) || !Size(env, "X", n, T, &nT) || !ValF64Finite(env, o.Get("X"), "X", nT, &X) ||
      !Size(env, "B", n, n, &nn) || !ValF64Finite(env, o.Get("B"), "B", nn, &B) ||
      !ValInt(env, o.Get("maxIter"), "maxIter", 0, kMaxDim, &maxIter) || !ValFinite(env, o.Get("tol"), "tol", &tol) ||
      !ValInt(env, o.Get("nOrient"), "nOrient", 1, kMaxDim, &no))
    return env.Undefined();
  if (n % no != 0) return ArgFail(env, "Expected a multiple of nOrient (" + std::to_string(no) + ") for n but received " + std::to_string(n)), env.Undefined();
  struct Out { std::vector<double> D; int iterations = 0; bool converged = false; };
  auto r = std::make_shared<Out>();
  r->D.assign(size_t(n), 1.0);
  const int mi = int(m), ni = int(n), Ti = int(T), it = int(maxIter), nOrient = int(no);
  const double *Md = M.data, *Gd = GA.data, *Xd = X.data, *Bd = B.data;
  return SolveJob::Run(
      env, "computeBias", o, {M.value, GA.value, X.value, B.value},
      [=](const Control& control) {
        return ComputeBiasFromData(mi, ni, Ti, Md, Gd, Xd, Bd, it, tol, nOrient, control, r->D.data(), &r->iterations, &r->converged);
      },
      [r](Napi::Env env) -> Napi::Value {
        Napi::Object out = Napi::Object::New(env);
        out.Set("D", F64Of(env, r->D));
        out.Set("iterations", Napi::Number::New(env, r->iterations));
        out.Set("converged", Napi::Boolean::New(env, r->converged));
        return out;
      });
}

}  // namespace

void RegisterSolvers(Napi::Env env, Napi::Object exports) {
  exports.Set("l21SolveAsync", Napi::Function::New(env, L21SolveAsync, "l21SolveAsync"));
  exports.Set("computeBiasAsync", Napi::Function::New(env, ComputeBiasAsync, "computeBiasAsync"));
}

}  // namespace mxne
